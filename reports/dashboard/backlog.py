"""Open matters at a date: the backlog by age and the overdue list, each bounded by the present rather than
by the length of history.

``on`` is the day after the period (its exclusive end): a matter is open when it was still open at the close of
the period's last day; its age and days overdue are counted on that last day, as the case page counts them
that day (a deadline is met through its own date, so a matter due on the last day is not yet overdue)."""
from datetime import date, timedelta

import sqlalchemy as sa
import sqlalchemy.orm

from desk.extensions import db
from desk.models import Case, CaseStage, CaseStatus, OrgUnit, StageKind
from reports.dashboard.scope import count_if, scope, unit_names

S = CaseStatus
# Backlog age buckets in days since receipt: (label, lowest age, highest age or None).
AGE_BUCKETS = [("0-15", 0, 15), ("16-30", 16, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None)]


def _stage_open_at(on: date, stage=CaseStage):
    """A stage (handling, review or re-review) had started before ``on`` and not ended before it."""
    return sa.and_(stage.started_on < on, sa.or_(stage.ended_on.is_(None), stage.ended_on >= on))


def _open_branches(on: date) -> list:
    """Matters open at the start of ``on`` — not yet decided, or with a stage's clock running — as four disjoint
    branches, each served by an index whose range is bounded by the present, not by the length of history.
    Rebuilt from the dated stages, so a matter concluded before ``on`` and reviewed after it was not open."""
    received = Case.received_on < on
    running = sa.select(CaseStage.case_id).where(CaseStage.ended_on.is_(None), CaseStage.started_on < on)
    ended_since = sa.select(CaseStage.case_id).where(CaseStage.ended_on >= on, CaseStage.started_on < on)
    return [
        sa.and_(Case.status == S.registered, received),                          # (county, status, received)
        sa.and_(Case.decided_on >= on, received),                                  # (county, decided)
        Case.id.in_(running),                                                      # stages still running
        Case.id.in_(ended_since),                                                  # (kind, ended_on)
    ]


def _stage_due_at(on: date, stage=CaseStage):
    """The limit of a stage as it stood at ``on``: an extension counts only once it was approved."""
    return sa.case((sa.and_(stage.kind == StageKind.handling, Case.extended_on < on), Case.conclude_due),
                   else_=stage.due_on)


def _running_due_at(on: date):
    """The due date of the clock running at the start of ``on``: registration, else the open stage's."""
    stage = sa.orm.aliased(CaseStage)
    stage_due = (sa.select(_stage_due_at(on, stage)).where(stage.case_id == Case.id, _stage_open_at(on, stage))
                 .limit(1).scalar_subquery())
    return sa.case((sa.or_(Case.decided_on.is_(None), Case.decided_on >= on), Case.register_due), else_=stage_due)


def _overdue_at(on: date):
    """An open matter is overdue when the clock running at the close of the day before ``on`` had passed."""
    last = on - timedelta(days=1)
    undecided = sa.or_(Case.decided_on.is_(None), Case.decided_on >= on)
    stage = sa.orm.aliased(CaseStage)
    late_stage = sa.exists().where(stage.case_id == Case.id, _stage_open_at(on, stage),
                                   _stage_due_at(on, stage) < last)
    return sa.or_(sa.and_(undecided, Case.register_due < last), sa.and_(sa.not_(undecided), late_stage))


def _age_bucket(on: date):
    """The AGE_BUCKETS row of a matter by its days since receipt on the day before ``on``."""
    last = on - timedelta(days=1)
    whens = [(Case.received_on >= last - timedelta(days=high), i)
             for i, (_label, _low, high) in enumerate(AGE_BUCKETS) if high is not None]
    return sa.case(*whens, else_=len(AGE_BUCKETS) - 1)


def backlog_by_age(*, unit: OrgUnit, on: date) -> list[dict]:
    """Open matters at the close of the day before ``on`` by days since receipt on that day, with how many of
    them were overdue then."""
    bucket = _age_bucket(on).label("b")
    counts = [0] * len(AGE_BUCKETS)
    overdue = [0] * len(AGE_BUCKETS)
    for branch in _open_branches(on):
        stmt = (sa.select(bucket, sa.func.count(), count_if(_overdue_at(on))).where(scope(Case, unit), branch)
                .group_by(bucket))
        for b, n, late in db.session.execute(stmt):
            counts[b] += n
            overdue[b] += int(late)
    return [{"bucket": label, "index": i, "low": low, "high": high, "open": counts[i], "overdue": overdue[i]}
            for i, (label, low, high) in enumerate(AGE_BUCKETS)]


def overdue_cases(*, unit: OrgUnit, on: date, limit: int = 50) -> list[dict]:
    """Open matters past their running deadline at the close of the day before ``on``, longest overdue first
    (no personal data); days overdue counted on that day, as the case page counts them."""
    due = _running_due_at(on).label("due")
    ids = []
    for branch in _open_branches(on):
        ids += db.session.execute(sa.select(Case.id, due).where(scope(Case, unit), branch, _overdue_at(on))
                                  .order_by(due, Case.id).limit(limit)).all()
    ids.sort(key=lambda r: (r.due, r.id))
    ids = ids[:limit]
    cases = {c.id: c for c in db.session.scalars(sa.select(Case).where(Case.id.in_([r.id for r in ids])))}
    places = unit_names({c.town_id for c in cases.values()} | {c.county_id for c in cases.values()})
    return [{"case_id": r.id, "reference": cases[r.id].reference, "category": cases[r.id].category.name,
             "town": places.get(cases[r.id].town_id) or places.get(cases[r.id].county_id, ""),
             "received_on": cases[r.id].received_on, "due": r.due, "days_overdue": (on - timedelta(days=1) - r.due).days,
             "status": cases[r.id].status.title} for r in ids]
