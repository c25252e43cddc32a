"""The signals of risk early warning (DOMAIN.md, "Risk early warning"), each found two ways: for one new
visit at registration or import (``check_visit``: one query when nothing is found, a few more statements when a
warning is raised or joined), and for a whole day over the database in the scheduled job (``run_risk_scan``, one
grouped query per signal).

- group visit: a visit of RISK_GROUP_SIZE people or more;
- same matter: RISK_SAME_MATTER_PEOPLE people or more within RISK_SAME_MATTER_DAYS days on matters of the same
  town and category with similar text (at least two registrations; one group visit alone is the signal above);
- frequent: one person with RISK_FREQUENT_VISITS visits or more within RISK_FREQUENT_DAYS days;
- back after re-review: a visit by a person whose matter's re-review (复核) has ended, the final word;
- spike (job only): a town and category whose new matters in the last RISK_SPIKE_DAYS days exceed the mean +
  RISK_SPIKE_SIGMAS standard deviations of the RISK_SPIKE_WEEKS weeks before, and reach RISK_SPIKE_MIN_COUNT;
- words of extreme intent in a matter's title, facts or demand (the maintained list, either script).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

import sqlalchemy as sa
from rapidfuzz import fuzz

from desk.extensions import db
from desk.models import Case, CaseParty, CaseStage, Role, StageKind, User, UserRole, Visit
from desk.timeutil import LOCAL, to_local
from intake.reception.repeat import _grams
from intake.risk.models import RiskEvidence, RiskKind, RiskLevel, RiskWarning
from intake.risk.rules import Thresholds, active_terms, level_for, thresholds_on
from intake.risk.services import Signal, first_officials, raise_signals

MAX_MATTERS = 200       # same-matter candidates read per registration (a town and category in a week)


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)


def _matter_text(title: str, facts: str, demand: str) -> str:
    return f"{title} {facts} {demand}"


def _sensitive_id(t: Thresholds) -> int | None:
    return t.sensitive.id if t.sensitive is not None else None


# --- one visit, at registration -------------------------------------------------------------------------------

def check_visit(visit: Visit) -> list[RiskWarning]:
    """Every signal one new visit can set off, raised or joined at once in the caller's transaction.

    One query reads what the signals need (``_look_up``); the lists and thresholds come from memory
    (intake.risk.rules); only when a signal fires does anything more reach the database."""
    day = to_local(visit.visited_at).date()
    t = thresholds_on(day)
    case = visit.case
    seen = _look_up(visit, case, day, t)
    found = [_frequent(seen.visits, visit.person_id, day, t, place=case),
             *(_rereview_signal(visit.id, visit.case_id, visit.person_id, case_id, matter.ended_on, day, t,
                                place=case if case_id == case.id else matter)
               for case_id, matter in sorted(seen.reviewed.items())),
             _same_matter(seen, case, day, t)]
    # A warning on this new visit, or on a matter opened in this very transaction, cannot exist yet: no other
    # raiser sees them before the commit, so their subjects need no look-up (the unique key still guards).
    fresh = [group_signal(visit, case, day, t), None if visit.is_repeat else words_signal(case, visit.id, day, t)]
    return raise_signals([s for s in found if s is not None], fresh=[s for s in fresh if s is not None],
                         officials=seen.officials, warnings_read=seen.warnings,
                         read_kinds=(RiskKind.frequent, RiskKind.after_rereview, RiskKind.same_matter))


@dataclass(frozen=True)
class _Reviewed:
    """A matter of the person whose re-review has ended: what a warning on it copies (its place, category and
    包案 leader), read with the look-up rather than loading the case."""
    id: int
    category_id: int
    leader_id: int | None
    city_id: int | None
    county_id: int | None
    town_id: int | None
    village_id: int | None
    grid_id: int | None
    ended_on: date


@dataclass
class _Seen:
    visits: list = field(default_factory=list)         # (visit id, case id) of the person in the window
    reviewed: dict = field(default_factory=dict)       # case id -> _Reviewed: the matters re-reviewed
    matters: dict = field(default_factory=dict)        # case id -> (title, facts, demand): like this one's place
    heads: list = field(default_factory=list)          # (visit id, case id, person id, head count) of those
                                                       # matters and of this one, in the same-matter window
    officials: dict = field(default_factory=dict)      # the first official of the town, county, city (or None)
    warnings: list = field(default_factory=list)       # (id, kind, subject, status, level, measure, window_end)
                                                       # of the warnings on this person's visits and matters


def _look_up(visit: Visit, case: Case, day: date, t: Thresholds) -> _Seen:
    """What the signals of one registration read, in one round trip (``_look_up_statement``)."""
    matters_from = day - timedelta(days=t.same_matter_days - 1)
    params = {"person": visit.person_id, "visits_from": _utc(day - timedelta(days=t.frequent_days - 1)),
              "visits_to": _utc(day + timedelta(days=1)), "day": day, "town": case.town_id or -1,
              "category": case.category_id, "matters_from": matters_from, "heads_from": _utc(matters_from),
              "case": case.id, "units": [u for u in (case.town_id, case.county_id, case.city_id) if u is not None],
              "person_subject": f"p{visit.person_id}", "reviewed_prefix": f"p{visit.person_id}:c"}
    seen, officials = _Seen(), []
    for part, a, b, e, f, *place, d, title, facts, demand in db.session.connection().execute(_look_up_statement(),
                                                                                            params):
        if part == "v":
            seen.visits.append((a, b))
        elif part == "r":
            seen.reviewed.setdefault(a, _Reviewed(a, b, e, f, *place, d))
        elif part == "m":
            seen.matters[a] = (title, facts, demand)
            if b is not None:
                seen.heads.append((b, a, e, f))
        elif part == "c":
            seen.heads.append((b, a, e, f))
        elif part == "w":
            status, level = demand.split(":")
            seen.warnings.append((a, facts, title, status, level, b, d))
        else:
            officials.append((a, b))
    seen.visits.sort()
    seen.officials = first_officials(params["units"], officials)
    return seen


@lru_cache(maxsize=1)
def _look_up_statement():
    """UNION ALL of, each part on its own index:
    v  the person's visits in the frequent-visit window (ix_visit_person_visited);
    r  the person's matters whose re-review has ended, with their category, leader and place
       (case_party.person_id);
    m  the other matters of the same town and category in the same-matter window, at most MAX_MATTERS
       (ix_case_town_category_received), with their visits in that window (visit.case_id);
    c  this matter's visits in that window;
    o  the active officials of the matter's town, county and city (the leader a warning names);
    w  the warnings this visit can join: on the person's frequent visits, on their re-reviewed matters
       (ix_risk_warning_kind_subject).
    Columns: part, a, b, e, f, four more integers (the re-reviewed matter's county, town, village, grid), d, and
    three texts. Built once, on the tables (no ORM entity to resolve at each execution), with bound parameters."""
    v, c, stage, party = Visit.__table__.c, Case.__table__.c, CaseStage.__table__.c, CaseParty.__table__.c
    p = sa.bindparam
    no_int = no_date = no_text = sa.null()
    ints = (no_int,) * 4
    # The first part names and types the columns; the others leave theirs unnamed and their NULLs bare (the
    # union takes the first part's types), which keeps the statement short enough for the driver to cache its
    # parsing (psycopg: 4,096 characters).
    visits = (sa.select(sa.literal_column("'v'", sa.Text).label("part"), v.id.label("a"), v.case_id.label("b"),
                        *(sa.cast(sa.null(), sa.Integer).label(name) for name in ("e", "f", "g0", "g1", "g2", "g3")),
                        sa.cast(sa.null(), sa.Date).label("d"),
                        *(sa.cast(sa.null(), sa.Text).label(name) for name in ("title", "facts", "demand")))
              .where(v.person_id == p("person"), v.visited_at >= p("visits_from", type_=sa.DateTime),
                     v.visited_at < p("visits_to", type_=sa.DateTime)))
    stages = (sa.select(stage.case_id, stage.ended_on).join(CaseParty.__table__, party.case_id == stage.case_id)
              .where(party.person_id == p("person"), stage.kind == StageKind.rereview.value,
                     stage.ended_on.is_not(None), stage.ended_on <= p("day", type_=sa.Date))
              .cte("reviewed_stages"))
    # The re-reviewed matter's columns, joined for the few stages found only (a petitioner of long standing has
    # dozens of matters).
    reviewed = (sa.select(sa.literal_column("'r'", sa.Text), stages.c.case_id, c.category_id, c.leader_id, c.city_id, c.county_id,
                          c.town_id, c.village_id, c.grid_id, stages.c.ended_on, no_text, no_text, no_text)
                .select_from(stages.join(Case.__table__, c.id == stages.c.case_id)))
    w = RiskWarning.__table__.c
    state = sa.cast(w.status, sa.Text) + ":" + sa.cast(w.level, sa.Text)
    warned = (sa.select(sa.literal_column("'w'", sa.Text), w.id, w.measure, no_int, no_int, *ints, w.window_end, w.subject,
                        sa.cast(w.kind, sa.Text), state)
              .where(w.kind == RiskKind.frequent.value, w.subject == p("person_subject")))
    warned_reviewed = (sa.select(sa.literal_column("'w'", sa.Text), w.id, w.measure, no_int, no_int, *ints, w.window_end, w.subject,
                                 sa.cast(w.kind, sa.Text), state)
                       .select_from(stages.join(RiskWarning.__table__, sa.and_(
                           w.kind == RiskKind.after_rereview.value,
                           w.subject == p("reviewed_prefix", type_=sa.String) + sa.cast(stages.c.case_id, sa.String)))))
    alike = (sa.select(c.id, c.title, c.facts, c.demand)
             .where(c.town_id == p("town"), c.category_id == p("category"),
                    c.received_on >= p("matters_from", type_=sa.Date), c.received_on <= p("day", type_=sa.Date),
                    c.id != p("case"))
             .order_by(c.id.desc()).limit(MAX_MATTERS).subquery())
    in_window = sa.and_(v.visited_at >= p("heads_from", type_=sa.DateTime),
                        v.visited_at < p("visits_to", type_=sa.DateTime))
    matters = (sa.select(sa.literal_column("'m'", sa.Text), alike.c.id, v.id, v.person_id, v.head_count, *ints, no_date, alike.c.title,
                         alike.c.facts, alike.c.demand)
               .select_from(alike.outerjoin(Visit.__table__, sa.and_(v.case_id == alike.c.id, in_window))))
    own = (sa.select(sa.literal_column("'c'", sa.Text), v.case_id, v.id, v.person_id, v.head_count, *ints, no_date, no_text, no_text,
                     no_text)
           .where(v.case_id == p("case"), in_window))
    user, role = User.__table__.c, UserRole.__table__.c
    officials = (sa.select(sa.literal_column("'o'", sa.Text), user.id, user.org_unit_id, no_int, no_int, *ints, no_date, no_text,
                           no_text, no_text)
                 .join(UserRole.__table__, role.user_id == user.id)
                 .where(role.role == Role.official.value, user.active.is_(True),
                        user.org_unit_id.in_(p("units", expanding=True))))
    return sa.union_all(visits, *(part.set_label_style(sa.LABEL_STYLE_NONE)
                                  for part in (reviewed, matters, own, officials, warned, warned_reviewed)))


def group_signal(visit: Visit, case: Case, day: date, t: Thresholds) -> Signal | None:
    if visit.head_count < t.group_size:
        return None
    return Signal(RiskKind.group_visit, f"v{visit.id}", {f"v{visit.id}": (case.id, visit.id)}, visit.head_count,
                  t.group_size, level_for(visit.head_count, t.group_size, t), day, day, case, case_id=case.id,
                  category_id=case.category_id, person_id=visit.person_id, sensitive_date_id=_sensitive_id(t))


def frequent_signal(person_id: int, day: date, t: Thresholds, *, place: Case) -> Signal | None:
    """The person's visits within RISK_FREQUENT_DAYS days up to ``day``, if they reach RISK_FREQUENT_VISITS."""
    start = day - timedelta(days=t.frequent_days - 1)
    rows = db.session.execute(
        sa.select(Visit.id, Visit.case_id).where(Visit.person_id == person_id, Visit.visited_at >= _utc(start),
                                                 Visit.visited_at < _utc(day + timedelta(days=1)))
        .order_by(Visit.id)).all()
    return _frequent([tuple(r) for r in rows], person_id, day, t, place=place)


def _frequent(visits: list, person_id: int, day: date, t: Thresholds, *, place: Case) -> Signal | None:
    if len(visits) < t.frequent_visits:
        return None
    start = day - timedelta(days=t.frequent_days - 1)
    return Signal(RiskKind.frequent, f"p{person_id}", {f"v{v}": (c, v) for v, c in visits}, len(visits),
                  t.frequent_visits, level_for(len(visits), t.frequent_visits, t), start, day, place,
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


def _rereview_signal(visit_id, visit_case_id, person_id, reviewed_case_id, ended_on, day, t, *,
                     place=None) -> Signal:
    """``place``: the re-reviewed matter (a Case, or what the look-up read of it), else it is loaded."""
    place = place or db.session.get(Case, reviewed_case_id)
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
    similar = _similar(case, {r.id: (r.title, r.facts, r.demand) for r in others}, t)
    return _cluster_signal([case.id, *similar], case, start, day, t) if similar else None


def _same_matter(seen: _Seen, case: Case, day: date, t: Thresholds) -> Signal | None:
    """The same-matter signal of this registration; the warnings of its subject join ``seen.warnings``."""
    similar = _similar(case, seen.matters, t) if case.town_id is not None else []
    if not similar:
        return None
    cluster = {case.id, *similar}
    return _cluster_of([h for h in seen.heads if h[1] in cluster], case,
                       day - timedelta(days=t.same_matter_days - 1), day, t, read=seen.warnings)


def _similar(case: Case, matters: dict, t: Thresholds) -> list[int]:
    """The matters whose text is like this one's: bigram token-set ratio at least RISK_SAME_MATTER_SIMILARITY."""
    grams = _grams(_matter_text(case.title, case.facts, case.demand))
    cutoff = t.similarity * 100
    return [case_id for case_id, (title, facts, demand) in matters.items()
            if fuzz.token_set_ratio(grams, _grams(_matter_text(title, facts, demand)), score_cutoff=cutoff) >= cutoff]


def _cluster_signal(case_ids: list[int], place: Case, start: date, day: date, t: Thresholds) -> Signal | None:
    visits = db.session.execute(
        sa.select(Visit.id, Visit.case_id, Visit.person_id, Visit.head_count)
        .where(Visit.case_id.in_(case_ids), Visit.visited_at >= _utc(start),
               Visit.visited_at < _utc(day + timedelta(days=1)))).all()
    return _cluster_of([tuple(v) for v in visits], place, start, day, t)


def _cluster_of(visits: list, place: Case, start: date, day: date, t: Thresholds, *, read: list | None = None
                ) -> Signal | None:
    """The same-matter signal of a cluster's visits (visit id, case id, person id, head count): the people who
    came (a group counts its heads), on two matters at least. ``read``: see _matter_subject."""
    heads: dict[int, int] = {}
    for _visit_id, _case_id, person_id, head_count in visits:
        heads[person_id] = max(heads.get(person_id, 0), head_count)
    people = sum(heads.values())
    cases = {case_id for _v, case_id, _p, _h in visits}
    if people < t.same_matter_people or len(cases) < 2:
        return None
    items = {f"v{visit_id}": (case_id, visit_id) for visit_id, case_id, _p, _h in sorted(visits)}
    return Signal(RiskKind.same_matter, _matter_subject(place, cases, read), items, people, t.same_matter_people,
                  level_for(people, t.same_matter_people, t), start, day, place, case_id=min(cases),
                  category_id=place.category_id, sensitive_date_id=_sensitive_id(t),
                  detail={"matters": len(cases)})


def _matter_subject(place, cases: set[int], read: list | None = None) -> str:
    """The latest same-matter warning holding evidence on any of these matters names the subject (its evidence
    is not raised again); else the earliest matter does. Two look-ups by primary and foreign key, whose plans do
    not hang on the tables' statistics (one query joining the evidence went to a scan of it): the warnings
    holding evidence on these matters (the evidence's case index), then their subjects' warnings (by id, then
    kind and subject), which ``read`` (when given) receives as the registration's look-up gives warnings (id,
    kind, subject, status, level, measure, window end), so that raising or joining need not read them again."""
    ids = sorted(set(db.session.scalars(sa.select(RiskEvidence.warning_id).where(
        RiskEvidence.case_id.in_(sorted(cases))))))
    w, kind = RiskWarning.__table__.c, RiskKind.same_matter.value
    rows = db.session.execute(
        sa.select(w.id, w.kind, w.subject, w.status, w.level, w.measure, w.window_end, w.id.in_(ids).label("holds"))
        .where(w.kind == kind, w.subject.in_(sa.select(w.subject).where(w.id.in_(ids), w.kind == kind)))
    ).all() if ids else []
    holders = [(r.id, r.subject) for r in rows if r.holds]
    subject = max(holders)[1] if holders else f"t{place.town_id}:k{place.category_id}:c{min(cases)}"
    if read is not None:
        read.extend(tuple(r[:7]) for r in rows if r.subject == subject)
    return subject


def words_signal(case: Case, visit_id: int | None, day: date, t: Thresholds) -> Signal | None:
    found = active_terms().find(_matter_text(case.title, case.facts, case.demand))
    if not found:
        return None
    level = max((lv for _term, lv in found), key=lambda lv: lv.rank)
    items = {f"v{visit_id}": (case.id, visit_id)} if visit_id else {f"c{case.id}": (case.id, None)}
    return Signal(RiskKind.extreme_words, f"c{case.id}", items, len(found), 1, level, case.received_on, day, case,
                  case_id=case.id, category_id=case.category_id, sensitive_date_id=_sensitive_id(t),
                  detail={"terms": [term for term, _lv in found]})
