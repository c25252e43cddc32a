"""The signals of risk early warning (DOMAIN.md, "Risk early warning"), each found two ways: for one new
visit at registration or import (``check_visit``, a few indexed queries), and for a whole day over the
database in the scheduled job (``run_risk_scan``, one grouped query per signal).

- group visit: a visit of RISK_GROUP_SIZE people or more;
- same matter: RISK_SAME_MATTER_PEOPLE people or more within RISK_SAME_MATTER_DAYS days on matters of the same
  town and category with similar text (at least two registrations; one group visit alone is the signal above);
- frequent: one person with RISK_FREQUENT_VISITS visits or more within RISK_FREQUENT_DAYS days;
- back after re-review: a visit by a person whose matter's re-review (复核) has ended, the final word;
- spike (job only): a town and category whose new matters in the last RISK_SPIKE_DAYS days exceed the mean +
  RISK_SPIKE_SIGMAS standard deviations of the RISK_SPIKE_WEEKS weeks before, and reach RISK_SPIKE_MIN_COUNT;
- words of extreme intent in a matter's title, facts or demand (the maintained list, either script).
"""
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, CaseParty, CaseStage, StageKind, Visit
from desk.timeutil import LOCAL, to_local
from intake.reception.repeat import text_similarity
from intake.risk.models import RiskEvidence, RiskKind, RiskLevel, RiskWarning
from intake.risk.rules import Thresholds, active_terms, level_for, thresholds_on
from intake.risk.services import Signal, raise_or_attach

MAX_MATTERS = 200       # same-matter candidates read per registration (a town and category in a week)


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)


def _matter_text(title: str, facts: str, demand: str) -> str:
    return f"{title} {facts} {demand}"


def _sensitive_id(t: Thresholds) -> int | None:
    return t.sensitive.id if t.sensitive is not None else None


# --- one visit, at registration -------------------------------------------------------------------------------

def check_visit(visit: Visit) -> list[RiskWarning]:
    """Every signal one new visit can set off, raised or joined at once in the caller's transaction."""
    day = to_local(visit.visited_at).date()
    t = thresholds_on(day)
    case = visit.case
    found = [group_signal(visit, case, day, t), frequent_signal(visit.person_id, day, t, place=case),
             *rereview_signals(visit, day, t), same_matter_signal(case, day, t)]
    if not visit.is_repeat:
        found.append(words_signal(case, visit.id, day, t))
    return [w for w in (raise_or_attach(s) for s in found if s is not None) if w is not None]


def group_signal(visit: Visit, case: Case, day: date, t: Thresholds) -> Signal | None:
    if visit.head_count < t.group_size:
        return None
    return Signal(RiskKind.group_visit, f"v{visit.id}", {f"v{visit.id}": (case.id, visit.id)}, visit.head_count,
                  t.group_size, level_for(visit.head_count, t.group_size, t), day, day, case, case_id=case.id,
                  category_id=case.category_id, person_id=visit.person_id, sensitive_date_id=_sensitive_id(t))


def frequent_signal(person_id: int, day: date, t: Thresholds, *, place: Case) -> Signal | None:
    start = day - timedelta(days=t.frequent_days - 1)
    rows = db.session.execute(
        sa.select(Visit.id, Visit.case_id).where(Visit.person_id == person_id, Visit.visited_at >= _utc(start),
                                                 Visit.visited_at < _utc(day + timedelta(days=1)))
        .order_by(Visit.id)).all()
    if len(rows) < t.frequent_visits:
        return None
    return Signal(RiskKind.frequent, f"p{person_id}", {f"v{r.id}": (r.case_id, r.id) for r in rows}, len(rows),
                  t.frequent_visits, level_for(len(rows), t.frequent_visits, t), start, day, place,
                  case_id=place.id, category_id=place.category_id, person_id=person_id,
                  sensitive_date_id=_sensitive_id(t))


def rereview_signals(visit: Visit, day: date, t: Thresholds) -> list[Signal]:
    """The person's matters whose re-review ended on or before the visit's day: back after the final word."""
    rows = db.session.execute(
        sa.select(CaseStage.case_id, CaseStage.ended_on)
        .join(CaseParty, CaseParty.case_id == CaseStage.case_id)
        .where(CaseParty.person_id == visit.person_id, CaseStage.kind == StageKind.rereview,
               CaseStage.ended_on.is_not(None), CaseStage.ended_on <= day)).all()
    return [_rereview_signal(visit.id, visit.case_id, visit.person_id, r.case_id, r.ended_on, day, t)
            for r in {r.case_id: r for r in rows}.values()]


def _rereview_signal(visit_id, visit_case_id, person_id, reviewed_case_id, ended_on, day, t) -> Signal:
    place = db.session.get(Case, reviewed_case_id)
    return Signal(RiskKind.after_rereview, f"p{person_id}:c{reviewed_case_id}",
                  {f"v{visit_id}": (visit_case_id, visit_id)}, 1, 1, RiskLevel.orange, ended_on, day, place,
                  case_id=reviewed_case_id, category_id=place.category_id, person_id=person_id,
                  sensitive_date_id=_sensitive_id(t), detail={"rereview_ended_on": ended_on.isoformat()})


def same_matter_signal(case: Case, day: date, t: Thresholds) -> Signal | None:
    """People on matters like this one (same town and category, similar text) within the window."""
    if case.town_id is None:
        return None
    start = day - timedelta(days=t.same_matter_days - 1)
    others = db.session.execute(
        sa.select(Case.id, Case.title, Case.facts, Case.demand)
        .where(Case.town_id == case.town_id, Case.category_id == case.category_id, Case.received_on >= start,
               Case.received_on <= day, Case.id != case.id)
        .order_by(Case.id.desc()).limit(MAX_MATTERS)).all()
    if not others:
        return None
    text = _matter_text(case.title, case.facts, case.demand)
    similar = [r.id for r in others if text_similarity(text, _matter_text(r.title, r.facts, r.demand))
               >= t.similarity]
    if not similar:
        return None
    return _cluster_signal([case.id, *similar], case, start, day, t)


def _cluster_signal(case_ids: list[int], place: Case, start: date, day: date, t: Thresholds) -> Signal | None:
    visits = db.session.execute(
        sa.select(Visit.id, Visit.case_id, Visit.person_id, Visit.head_count)
        .where(Visit.case_id.in_(case_ids), Visit.visited_at >= _utc(start),
               Visit.visited_at < _utc(day + timedelta(days=1)))).all()
    heads: dict[int, int] = {}
    for v in visits:
        heads[v.person_id] = max(heads.get(v.person_id, 0), v.head_count)
    people = sum(heads.values())
    cases = {v.case_id for v in visits}
    if people < t.same_matter_people or len(cases) < 2:
        return None
    items = {f"v{v.id}": (v.case_id, v.id) for v in visits}
    subject = _matter_subject(place, cases)
    return Signal(RiskKind.same_matter, subject, items, people, t.same_matter_people,
                  level_for(people, t.same_matter_people, t), start, day, place, case_id=min(cases),
                  category_id=place.category_id, sensitive_date_id=_sensitive_id(t),
                  detail={"matters": len(cases)})


def _matter_subject(place, cases: set[int]) -> str:
    """The latest warning on any of these matters names the subject (its evidence is not raised again);
    else the earliest matter does."""
    earlier = db.session.scalar(
        sa.select(RiskWarning.subject).join(RiskEvidence, RiskEvidence.warning_id == RiskWarning.id)
        .where(RiskWarning.kind == RiskKind.same_matter, RiskEvidence.case_id.in_(cases))
        .order_by(RiskWarning.id.desc()).limit(1))
    return earlier or f"t{place.town_id}:k{place.category_id}:c{min(cases)}"


def words_signal(case: Case, visit_id: int | None, day: date, t: Thresholds) -> Signal | None:
    found = active_terms().find(_matter_text(case.title, case.facts, case.demand))
    if not found:
        return None
    level = max((lv for _term, lv in found), key=lambda lv: lv.rank)
    items = {f"v{visit_id}": (case.id, visit_id)} if visit_id else {f"c{case.id}": (case.id, None)}
    return Signal(RiskKind.extreme_words, f"c{case.id}", items, len(found), 1, level, case.received_on, day, case,
                  case_id=case.id, category_id=case.category_id, sensitive_date_id=_sensitive_id(t),
                  detail={"terms": [term for term, _lv in found]})
