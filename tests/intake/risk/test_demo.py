"""The demo shows risk warnings in 台山市 (issue 18): every kind, every level and every status (open, acknowledged
with a note, closed with each outcome) over recent months, raised by the real check and scan (audit rows, the
leader's notice), evidence that opens, two sensitive dates, the default words; and the migration adds the words."""
from datetime import datetime

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from desk.extensions import db
from desk.models import AuditEntry, Notification, OrgUnit, User, Visit
from intake.risk.models import (RiskEvidence, RiskKind, RiskLevel, RiskOutcome, RiskStatus, RiskTerm, RiskWarning,
                                SensitiveDate)
from intake.risk.terms import DEFAULT_TERMS, ensure_default_terms
from tests.conftest import client_for
from tests.demo_snapshots import load_demo


def test_demo_warnings_of_every_kind_level_and_status_in_taishan(app, clock):
    clock(datetime(2026, 11, 20, 2, 0))
    load_demo(size="small", seed=7)
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
    warnings = list(db.session.scalars(sa.select(RiskWarning).where(RiskWarning.county_id == county.id)
                                       .order_by(RiskWarning.id)))
    assert {w.kind for w in warnings} == set(RiskKind)
    assert {w.level for w in warnings} == set(RiskLevel)
    assert {w.status for w in warnings} == set(RiskStatus)
    closed = [w for w in warnings if w.status == RiskStatus.closed]
    assert {w.outcome for w in closed} == set(RiskOutcome)
    assert all(w.outcome_note and w.closed_by_id and w.closed_at >= w.acknowledged_at for w in closed)
    handled = [w for w in warnings if w.status != RiskStatus.open]
    assert all(w.acknowledge_note and w.acknowledged_by_id == w.leader_id for w in handled)
    assert len({(w.raised_at.year, w.raised_at.month) for w in warnings}) >= 3      # over recent months
    assert {w.kind for w in warnings if w.sensitive_date_id is not None} >= {RiskKind.group_visit}
    zh_hant = [w for w in warnings if w.kind == RiskKind.extreme_words and "拉横幅" in w.detail["terms"]
               and "進京" in w.case.facts]
    assert zh_hant, "a matter written in Traditional script matched the Simplified words"

    # Raised as in life: an audit row each, every step of the handled ones, the leader named and told once.
    actions = {}
    for entity_id, action in db.session.execute(sa.select(AuditEntry.entity_id, AuditEntry.action).where(
            AuditEntry.entity == "risk_warning").order_by(AuditEntry.id)):
        actions.setdefault(entity_id, []).append(action)
    assert all(actions[w.id][0] == "raise" for w in warnings)
    assert all({"acknowledge", "close"} <= set(actions[w.id]) for w in closed)
    notices = {n.dedupe_key: n for n in db.session.scalars(sa.select(Notification).where(
        Notification.kind == "risk_warning"))}
    for w in warnings:
        assert w.leader_id is not None and w.notified_at is not None
        notice = notices[f"risk_warning:{w.id}"]
        assert notice.user_id == w.leader_id and notice.link == f"/intake/risk/warnings/{w.id}"
    official = db.session.scalar(sa.select(User).where(User.username == "official"))
    assert any(n.user_id == official.id for n in notices.values())

    # The evidence: real cases and visits of 台山市, each page opening for the leader.
    evidence = list(db.session.scalars(sa.select(RiskEvidence).where(
        RiskEvidence.warning_id.in_([w.id for w in warnings]))))
    assert {e.warning_id for e in evidence} == {w.id for w in warnings}
    for e in evidence:
        assert e.case.county_id == county.id
        assert e.visit_id is None or db.session.get(Visit, e.visit_id).case_id == e.case_id
    client = client_for(app, official)
    for case_id in sorted({e.case_id for e in evidence}):
        assert client.get(f"/intake/cases/{case_id}").status_code == 200, case_id
    for w in warnings:
        if w.leader_id == official.id:       # the notice's link: the warning, its evidence linked to the cases
            page = client.get(notices[f"risk_warning:{w.id}"].link).get_data(as_text=True)
            assert w.number in page
            for e in w.evidence:
                assert f'href="/intake/cases/{e.case_id}"' in page

    # The lists administrators keep: two sensitive dates, the default words.
    assert len(db.session.scalars(sa.select(SensitiveDate)).all()) == 2
    terms = set(db.session.scalars(sa.select(RiskTerm.term)))
    assert terms == {term for term, _level in DEFAULT_TERMS}
    assert ensure_default_terms() == 0                  # idempotent


def test_default_words_come_with_the_migration(app):
    """Upgrading an empty database adds the default words (what ensure_default_terms adds), once."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    directory = app.extensions["migrate"].directory
    try:
        upgrade(directory=directory)
        rows = db.session.execute(sa.select(RiskTerm.term, RiskTerm.level, RiskTerm.active)).all()
        assert sorted((t, lv) for t, lv, _a in rows) == sorted(DEFAULT_TERMS) and all(a for *_x, a in rows)
        assert ensure_default_terms() == 0
        db.session.commit()
        downgrade(directory=directory, revision="c18risk001")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RiskTerm)) == 0
        db.session.add(RiskTerm(term="跳樓", level=RiskLevel.red))    # an administrator's word, in 繁體
        db.session.commit()
        upgrade(directory=directory)
        assert len(db.session.scalars(sa.select(RiskTerm.term)).all()) == len(DEFAULT_TERMS)   # 跳楼 covered
    finally:
        db.session.remove()
        downgrade(directory=directory, revision="base")
        with db.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()      # leave the schema as the other tests expect it
