"""Risk early warning signals (issue 18), each with hand-made data that just reaches and just misses its threshold,
through the real registration path (register_visit) and the scheduled scan; sensitive dates; zh-Hant words;
no duplicate when the scan runs twice or after a registration raised the warning."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import AuditEntry, CaseStage, Channel, Notification, PetitionType, Role, StageKind
from intake.reception.services import PersonInput, VisitInput, register_visit
from intake.risk.models import RiskEvidence, RiskKind, RiskLevel, RiskStatus, RiskTerm, RiskWarning, SensitiveDate
from intake.risk.scan import run_risk_scan
from intake.risk.services import acknowledge_warning, close_warning
from tests.factories import make_case, make_person, make_user, valid_id_number

DAY = date(2026, 11, 20)


def visit(world, name="陈大文", *, id_number=None, head_count=1, title="拖欠工资", facts="包工头拖欠工资三个月，多次讨要未果。",
          category=None, place=None, link_case_id=None, received_on=DAY, actor=None):
    data = VisitInput(person=PersonInput(name=name, id_number=id_number or valid_id_number()), channel=Channel.walk_in,
                      place=place or world.village, category=category or world.category,
                      petition_type=PetitionType.demand, title=title, facts=facts, head_count=head_count,
                      link_case_id=link_case_id, received_on=received_on)
    v = register_visit(actor=actor, site=None, data=data)
    db.session.flush()
    return v


def warnings(kind=None):
    stmt = sa.select(RiskWarning).order_by(RiskWarning.id)
    if kind is not None:
        stmt = stmt.where(RiskWarning.kind == kind)
    return list(db.session.scalars(stmt))


@pytest.fixture
def at_day(clock):
    clock("2026-11-20 10:00")


def test_group_visit_of_five_warns_four_does_not(app, world, at_day):
    visit(world, "甲", head_count=4)
    assert warnings(RiskKind.group_visit) == []
    v = visit(world, "乙", head_count=5)
    [w] = warnings(RiskKind.group_visit)
    assert (w.level, w.measure, w.threshold, w.status) == (RiskLevel.yellow, 5, 5, RiskStatus.open)
    assert [e.visit_id for e in w.evidence] == [v.id]
    assert (w.town_id, w.county_id) == (world.town.id, world.county.id)


def test_group_levels_by_factor(app, world, at_day):
    visit(world, "甲", head_count=10)
    visit(world, "乙", head_count=20)
    assert [w.level for w in warnings(RiskKind.group_visit)] == [RiskLevel.orange, RiskLevel.red]


def test_frequent_three_visits_in_thirty_days(app, world, clock):
    id_number = valid_id_number()
    clock("2026-10-22 10:00")
    first = visit(world, "李四", id_number=id_number, received_on=date(2026, 10, 22))
    clock("2026-11-10 10:00")
    visit(world, "李四", id_number=id_number, link_case_id=first.case_id, received_on=date(2026, 11, 10))
    clock("2026-11-21 10:00")     # 31 days after the first: only two within 30 days
    visit(world, "李四", id_number=id_number, link_case_id=first.case_id, received_on=date(2026, 11, 21))
    assert warnings(RiskKind.frequent) == []
    clock("2026-11-22 10:00")
    v = visit(world, "李四", id_number=id_number, link_case_id=first.case_id, received_on=date(2026, 11, 22))
    [w] = warnings(RiskKind.frequent)
    assert (w.measure, w.threshold, w.person_id) == (3, 3, v.person_id)
    assert len(w.evidence) == 3


def test_frequent_warning_gathers_later_visits_and_scan_twice_adds_nothing(app, world, clock):
    id_number = valid_id_number()
    clock("2026-11-18 10:00")
    first = visit(world, "王五", id_number=id_number, received_on=date(2026, 11, 18))
    for day in (19, 20, 21):
        clock(f"2026-11-{day} 10:00")
        visit(world, "王五", id_number=id_number, link_case_id=first.case_id, received_on=date(2026, 11, day))
    [w] = warnings(RiskKind.frequent)
    assert w.measure == 4 and len(w.evidence) == 4
    audits = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                               .where(AuditEntry.entity == "risk_warning"))
    assert run_risk_scan(date(2026, 11, 21)) == {k.value: 0 for k in RiskKind}
    assert run_risk_scan(date(2026, 11, 21)) == {k.value: 0 for k in RiskKind}
    assert len(warnings()) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                             .where(AuditEntry.entity == "risk_warning")) == audits


def test_back_after_rereview(app, world, at_day):
    person = make_person(world, "赵六", id_number=valid_id_number())
    case = make_case(world, person=person, received_on=date(2026, 3, 2))
    db.session.add(CaseStage(case_id=case.id, kind=StageKind.rereview, started_on=date(2026, 10, 1),
                             due_on=date(2026, 10, 30), ended_on=date(2026, 11, 20)))
    other = make_person(world, "孙七", id_number=valid_id_number())
    case2 = make_case(world, person=other, received_on=date(2026, 3, 2))
    db.session.add(CaseStage(case_id=case2.id, kind=StageKind.rereview, started_on=date(2026, 10, 1),
                             due_on=date(2026, 10, 30), ended_on=date(2026, 11, 21)))   # ends after the visit
    db.session.flush()
    visit(world, "孙七", id_number=other.id_number, link_case_id=case2.id)
    assert warnings(RiskKind.after_rereview) == []
    visit(world, "赵六", id_number=person.id_number, link_case_id=case.id)
    [w] = warnings(RiskKind.after_rereview)
    assert (w.level, w.case_id, w.person_id) == (RiskLevel.orange, case.id, person.id)


SIMILAR = ["某某工厂拖欠工人工资两个月，老板失联", "工厂老板失联，拖欠我们两个月工资", "某某工厂老板跑路，拖欠工资两个月",
           "拖欠工资两个月，工厂老板失联了", "工厂拖欠两个月工资老板失联"]


def test_same_matter_five_people_in_seven_days(app, world, clock):
    for i, facts in enumerate(SIMILAR[:4]):
        clock(f"2026-11-{14 + i} 10:00")
        visit(world, f"工人{i}", title="工厂拖欠工资", facts=facts, received_on=date(2026, 11, 14 + i))
    visit(world, "路人", title="邻居噪音扰民", facts="楼上邻居夜间装修噪音", received_on=date(2026, 11, 18))
    assert warnings(RiskKind.same_matter) == []        # four people on the matter; the fifth is another matter
    clock("2026-11-21 10:00")     # 8 days after the first: the first falls out of the 7-day window
    visit(world, "工人4", title="工厂拖欠工资", facts=SIMILAR[4], received_on=date(2026, 11, 21))
    assert warnings(RiskKind.same_matter) == []
    clock("2026-11-20 10:00")
    visit(world, "工人5", title="工厂拖欠工资", facts=SIMILAR[4], received_on=date(2026, 11, 20))
    [w] = warnings(RiskKind.same_matter)
    assert w.measure == 5 and w.threshold == 5 and w.category_id == world.category.id
    assert run_risk_scan(date(2026, 11, 20))["same_matter"] in (0, 1)
    assert len(warnings(RiskKind.same_matter)) == 1


def test_words_of_extreme_intent_in_both_scripts(app, world, at_day):
    db.session.add_all([RiskTerm(term="跳楼", level=RiskLevel.red), RiskTerm(term="堵路", level=RiskLevel.orange)])
    db.session.flush()
    visit(world, "甲", facts="工资拿不到，我就去樓頂跳樓。")   # zh-Hant
    visit(world, "乙", facts="再不解决我们就去堵路")
    visit(world, "丙", facts="道路维修后路面不平")
    got = warnings(RiskKind.extreme_words)
    assert [(w.level, w.detail["terms"]) for w in got] == [(RiskLevel.red, ["跳楼"]), (RiskLevel.orange, ["堵路"])]


def test_sensitive_date_lowers_thresholds(app, world, at_day):
    db.session.add(SensitiveDate(name="重要会议期间", starts_on=date(2026, 11, 19), ends_on=date(2026, 11, 21)))
    db.session.flush()
    visit(world, "甲", head_count=2)        # 5 × 0.6 = 3
    assert warnings(RiskKind.group_visit) == []
    visit(world, "乙", head_count=3)
    [w] = warnings(RiskKind.group_visit)
    assert w.threshold == 3 and w.sensitive_date_id is not None


def test_spike_above_mean_plus_three_sd(app, world, clock):
    clock("2026-11-20 10:00")
    # eight weeks before: 1 matter a week; last 7 days: 5 (mean 1, sd 0: limit 1, and the minimum is 5)
    for week in range(1, 9):
        make_case(world, received_on=DAY - timedelta(days=7 * week + 1), title=f"历史{week}", facts=f"第{week}周的事")
    for i in range(4):
        make_case(world, received_on=DAY - timedelta(days=i), title=f"新增{i}", facts=f"本周第{i}件")
    assert run_risk_scan(DAY)["spike"] == 0          # 4: above the limit, under the minimum count
    make_case(world, received_on=DAY, title="新增4", facts="本周第4件")
    assert run_risk_scan(DAY)["spike"] == 1
    [w] = warnings(RiskKind.spike)
    assert (w.measure, w.threshold, w.town_id, w.village_id) == (5, 5, world.town.id, None)
    assert run_risk_scan(DAY)["spike"] == 0


def test_spike_just_misses_when_weeks_vary(app, world, at_day):
    counts = [0, 2, 0, 2, 0, 2, 0, 2]   # mean 1, sd 1: limit 4; 5 is above it
    for week, n in enumerate(counts, 1):
        for i in range(n):
            make_case(world, received_on=DAY - timedelta(days=7 * week + 1), title="历史", facts=f"{week}-{i}")
    for i in range(4):
        make_case(world, received_on=DAY - timedelta(days=i), title="新增", facts=f"本周{i}")
    assert run_risk_scan(DAY)["spike"] == 0
    make_case(world, received_on=DAY, title="新增", facts="本周4")
    assert run_risk_scan(DAY)["spike"] == 1


def test_leader_notified_once_acknowledges_and_closes(app, world, at_day):
    official = make_user(world, Role.official, unit=world.county)
    visit(world, "甲", head_count=6)
    [w] = warnings()
    assert w.leader_id == official.id and w.notified_at is not None
    notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == official.id)).all()
    assert [n.kind for n in notes] == ["risk_warning"]
    run_risk_scan(DAY)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)
                             .where(Notification.user_id == official.id)) == 1
    acknowledge_warning(warning=w, actor=official, note="已安排镇领导接访")
    close_warning(warning=w, actor=official, outcome="defused", note="已协调发放工资")
    assert (w.status, w.outcome.value) == (RiskStatus.closed, "defused")
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.entity == "risk_warning",
                                                                    AuditEntry.entity_id == w.id)
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["raise", "acknowledge", "close"]


def test_case_leader_is_preferred(app, world, at_day):
    make_user(world, Role.official, unit=world.county)
    leader = make_user(world, Role.official, unit=world.county)
    first = visit(world, "甲", head_count=1)
    first.case.leader_id = leader.id
    db.session.flush()
    visit(world, "甲", id_number=first.person.id_number, head_count=5, link_case_id=first.case_id)
    [w] = warnings(RiskKind.group_visit)
    assert w.leader_id == leader.id


def test_closed_warning_is_not_raised_again_for_the_same_evidence(app, world, at_day):
    official = make_user(world, Role.official, unit=world.county)
    visit(world, "甲", head_count=6)
    [w] = warnings()
    acknowledge_warning(warning=w, actor=official, note="已知悉")
    close_warning(warning=w, actor=official, outcome="no_risk", note="误报")
    assert run_risk_scan(DAY)["group_visit"] == 0
    assert len(warnings()) == 1


def test_concurrent_raisers_share_one_warning(app, world, at_day):
    """The scan and a registration computing the same signal: the key is taken once, the second joins it."""
    from intake.risk.services import raise_or_attach
    from intake.risk.signals import group_signal
    from intake.risk.rules import thresholds_on
    v = visit(world, "甲", head_count=7)
    [w] = warnings()
    signal = group_signal(v, v.case, DAY, thresholds_on(DAY))
    assert raise_or_attach(signal, known=[]) is None    # as if it had not seen the first: inserts nothing new
    assert len(warnings()) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RiskEvidence)) == 1


def test_lists_in_memory_follow_changes(app, world, at_day, monkeypatch):
    """The lists are kept in memory per process: a change made here counts at once (even one rolled back is
    forgotten), one made by another process counts after lists_changed() or LISTS_TTL seconds."""
    import subprocess
    import sys

    from intake.risk import rules
    assert rules.active_terms().find("我要去堵路") == []
    db.session.add(RiskTerm(term="堵路", level=RiskLevel.orange))
    db.session.add(SensitiveDate(name="会议", starts_on=DAY, ends_on=DAY))
    db.session.flush()
    assert rules.active_terms().find("我要去堵路") == [("堵路", RiskLevel.orange)]
    assert rules.thresholds_on(DAY).group_size == 3
    db.session.rollback()
    assert rules.active_terms().find("我要去堵路") == [] and rules.thresholds_on(DAY).group_size == 5

    # Another process adds a word: this one goes on with its copy until told, or until the copy is too old.
    db.session.commit()         # (SQLite: no lock held while the other process writes)
    url = db.engine.url.render_as_string(hide_password=False)
    subprocess.run([sys.executable, "-c", (
        "import sys, sqlalchemy as sa\n"
        "engine = sa.create_engine(sys.argv[1])\n"
        "with engine.begin() as conn:\n"
        "    conn.execute(sa.text(\"INSERT INTO risk_term (term, level, active, created_at) "
        "VALUES ('跳楼', 'red', true, '2026-11-20 00:00:00')\"))\n"), url], check=True)
    assert rules.active_terms().find("跳楼") == []
    db.session.commit()
    rules.lists_changed()
    assert rules.active_terms().find("他要跳樓") == [("跳楼", RiskLevel.red)]
    db.session.commit()
    subprocess.run([sys.executable, "-c", (
        "import sys, sqlalchemy as sa\n"
        "engine = sa.create_engine(sys.argv[1])\n"
        "with engine.begin() as conn:\n"
        "    conn.execute(sa.text(\"UPDATE risk_term SET active = false\"))\n"), url], check=True)
    assert rules.active_terms().find("跳楼") != []
    db.session.commit()
    monkeypatch.setattr(rules, "LISTS_TTL", 0.0)
    assert rules.active_terms().find("跳楼") == []


def test_a_registration_reads_once_when_nothing_is_found(app, world, at_day):
    """The registration check's look-ups are one query (the lists and thresholds come from memory)."""
    from intake.risk.signals import check_visit
    v = visit(world, "甲")
    statements = []
    listener = lambda *args: statements.append(args[2])   # noqa: E731
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert check_visit(v) == []
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "UNION ALL" in statements[0]


def test_back_after_rereview_on_a_new_matter_names_the_reviewed_matters_leader(app, world, at_day):
    """Back with another matter: the warning is on the re-reviewed matter, its place, category and 包案 leader."""
    leader = make_user(world, Role.official, unit=world.county)
    person = make_person(world, "钱八", id_number=valid_id_number())
    reviewed = make_case(world, person=person, received_on=date(2026, 2, 2))
    reviewed.leader_id = leader.id
    db.session.add(CaseStage(case_id=reviewed.id, kind=StageKind.rereview, started_on=date(2026, 9, 1),
                             due_on=date(2026, 9, 30), ended_on=date(2026, 9, 28)))
    db.session.flush()
    v = visit(world, "钱八", id_number=person.id_number, title="另一件事", facts="邻居噪音扰民")
    [w] = warnings(RiskKind.after_rereview)
    assert v.case_id != reviewed.id
    assert (w.case_id, w.category_id, w.town_id, w.leader_id) == (reviewed.id, reviewed.category_id,
                                                                  reviewed.town_id, leader.id)
    assert [e.visit_id for e in w.evidence] == [v.id]
    assert db.session.scalar(sa.select(Notification.user_id).where(
        Notification.dedupe_key == f"risk_warning:{w.id}")) == leader.id
