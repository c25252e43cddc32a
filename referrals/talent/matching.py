"""Explainable matching of a matter to members of the talent pool (DESIGN.md, "Matching").

Each component is a score in [0, 1] with a weight; the page shows every component beside the name.
Inactive, full and conflicted members are excluded, and the exclusions are counted by reason."""
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import lazyload
from flask_babel import lazy_gettext as _l

from desk.extensions import db
from desk.models import Case, Category, OrgUnit
from desk.timeutil import to_local, utcnow
from referrals.talent.models import Talent, TalentCategoryStat, TalentConflict, talent_skill
from desk.workcalendar import default_calendar
from referrals.talent.rotation import ON_CALL, ON_DUTY, duty_state

WEIGHTS = {"skill": 0.25, "role": 0.20, "duty": 0.15, "language": 0.10, "load": 0.10, "distance": 0.10,
           "satisfaction": 0.10}
TITLES = {"skill": _l("Skill"), "role": _l("Role fit"), "duty": _l("On duty"), "language": _l("Language"),
          "load": _l("Load"), "distance": _l("Distance"), "satisfaction": _l("Satisfaction")}
EXCLUSION_TITLES = {"inactive": _l("inactive"), "full": _l("at capacity"), "conflict": _l("conflict of interest")}


@dataclass
class Ranked:
    talent: Talent
    score: float
    components: dict[str, float]


@dataclass
class MatchResult:
    ranked: list[Ranked] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)
    considered: int = 0

    @property
    def reason_if_empty(self):
        if self.ranked:
            return None
        if not self.considered and not self.excluded:
            return _l("Nobody in the talent pool of this county has the skill or role for this category.")
        reasons = ", ".join(f"{EXCLUSION_TITLES[k]}: {v}" for k, v in self.excluded.items() if v)
        return _l("Everyone who fits is excluded (%(reasons)s).", reasons=reasons)


def skill_score(skill_ids, category_id: int, parent_id: int | None) -> float:
    if category_id in skill_ids:
        return 1.0
    return 0.7 if parent_id is not None and parent_id in skill_ids else 0.0


def role_score(role: str, fitting_roles: list[str]) -> float:
    if not fitting_roles:
        return 0.5
    if role not in fitting_roles:
        return 0.0
    return 1.0 - 0.1 * fitting_roles.index(role)  # the category's first-named role fits best


def language_score(languages: list[str], wanted: tuple[str, ...]) -> float:
    if not wanted:
        return 0.5
    return sum(1 for w in wanted if w in languages) / len(wanted)


def duty_score(state: str) -> float:
    return {ON_DUTY: 1.0, ON_CALL: 0.5}.get(state, 0.0)


def load_score(open_load: int, capacity: int) -> float:
    return max(0.0, 1.0 - open_load / capacity) if capacity else 0.0


def distance_score(talent, unit: OrgUnit) -> float:
    """Same village > same town > same county."""
    if unit.village_id and talent.village_id == unit.village_id:
        return 1.0
    if unit.town_id and talent.town_id == unit.town_id:
        return 0.7
    return 0.4 if talent.county_id == unit.county_id else 0.0


def satisfaction_score(rated: int, satisfied: int) -> float:
    """Smoothed share satisfied: a member with no ratings yet scores 0.5, not 0 or 1."""
    return (satisfied + 1) / (rated + 2)


def rank_talent(*, category_id: int, unit: OrgUnit, roles: list[str] | None = None, languages: tuple = (),
                at: datetime | None = None, exclude_person_ids=(), party_names=(), exclude_talent_ids=(),
                limit: int = 10) -> MatchResult:
    """Rank the active members of the unit's county for a category; the outreach area calls this too.

    The database computes the weighted score (the same formulas as the component functions above) and
    returns the best few; their components are then spelt out in Python for the page. This keeps a
    16,000-member pool within a few milliseconds (tests/bench/bench_matching.py)."""
    category = db.session.get(Category, category_id)
    parent_id = category.parent_id if category else None
    fitting = roles if roles is not None else (category.roles.split(",") if category and category.roles else [])
    day = to_local(at or utcnow()).date()
    category_ids = [c for c in (category_id, parent_id) if c]
    ts, st = talent_skill, TalentCategoryStat.__table__
    conflicted = _conflicted(unit.county_id, set(exclude_person_ids), [n for n in party_names if n])
    rows = db.session.execute(_ranking_statement(tuple(fitting), parent_id is not None, len(languages)), {
        "category": category_id, "parent": parent_id, "county": unit.county_id, "town": unit.town_id,
        "village": unit.village_id, "has_town": unit.town_id is not None,
        "has_village": unit.village_id is not None, "off_day": not default_calendar().is_working_day(day),
        "weekday": f",{day.weekday()},", **{f"language{k}": f",{code}," for k, code in enumerate(languages)},
        "conflicted": sorted(conflicted) or [0], "skipped": list(exclude_talent_ids) or [0], "limit": limit}).all()
    result = MatchResult()
    if rows:
        first = rows[0]
        result.considered = first.n
        result.excluded = {"inactive": first.inactive or 0, "full": first.full or 0, "conflict": first.conflict or 0}
    top = [r for r in rows if r.eligible]
    if not top:
        return result
    members = {m.id: m for m in db.session.scalars(
        sa.select(Talent).options(lazyload(Talent.skills)).where(Talent.id.in_([r.id for r in top])))}
    held: dict[int, set[int]] = {}
    for talent_id, cat_id in db.session.execute(sa.select(ts.c.talent_id, ts.c.category_id).where(
            ts.c.talent_id.in_(list(members)), ts.c.category_id.in_(category_ids))):
        held.setdefault(talent_id, set()).add(cat_id)
    stats = {r.talent_id: satisfaction_score(r.rated, r.satisfied) for r in db.session.execute(
        sa.select(st.c.talent_id, st.c.rated, st.c.satisfied).where(st.c.category_id == category_id,
                                                                    st.c.talent_id.in_(list(members))))}
    for row in top:
        member = members[row.id]
        components = {
            "skill": skill_score(held.get(member.id, set()), category_id, parent_id),
            "role": role_score(member.role.value, fitting), "duty": duty_score(duty_state(member, day)),
            "language": language_score(member.language_list, tuple(languages)),
            "load": load_score(member.open_load, member.capacity), "distance": distance_score(member, unit),
            "satisfaction": stats.get(member.id, 0.5)}
        result.ranked.append(Ranked(member, round(float(row.score), 4), components))
    return result


@lru_cache(maxsize=256)
def _ranking_statement(fitting: tuple[str, ...], has_parent: bool, n_languages: int):
    """The ranking query for categories of this shape (their fitting roles, a parent or not, the languages
    wanted): built once, its values bound at each ranking (category, place, day, exclusions), so that neither
    it nor its cache key is rebuilt for every matter.

    One scan: the window sums count the exclusions over every candidate before LIMIT keeps the best."""
    t, ts, st = Talent.__table__, talent_skill, TalentCategoryStat.__table__
    p = sa.bindparam
    category_ids = [p("category"), p("parent")] if has_parent else [p("category")]
    fits = sa.or_(t.c.role.in_(fitting), t.c.id.in_(
        sa.select(ts.c.talent_id).where(ts.c.category_id.in_(category_ids))))
    conflicted = p("conflicted", expanding=True)
    open_ = sa.and_(t.c.active.is_(True), t.c.open_load < t.c.capacity)
    inactive = sa.case((t.c.active.is_(False), 1), else_=0)
    full = sa.case((sa.and_(t.c.active.is_(True), t.c.open_load >= t.c.capacity), 1), else_=0)
    conflict = sa.case((sa.and_(open_, t.c.id.in_(conflicted)), 1), else_=0)
    eligible = sa.case((sa.and_(open_, t.c.id.not_in(conflicted)), 1), else_=0)
    score = _score_sql(t, ts, st, has_parent, list(fitting), n_languages)
    return (sa.select(t.c.id, score.label("score"), eligible.label("eligible"), sa.func.count().over().label("n"),
                      sa.func.sum(inactive).over().label("inactive"), sa.func.sum(full).over().label("full"),
                      sa.func.sum(conflict).over().label("conflict"))
            .select_from(t.outerjoin(st, sa.and_(st.c.talent_id == t.c.id, st.c.category_id == p("category"))))
            .where(t.c.county_id == p("county"), fits, t.c.id.not_in(p("skipped", expanding=True)))
            .order_by(sa.desc("eligible"), sa.desc("score"), t.c.id).limit(p("limit")))


def _score_sql(t, ts, st, has_parent: bool, fitting: list[str], n_languages: int):
    """The weighted score as one SQL expression: the component functions above, written for the database, with
    the values of one ranking bound (category, parent, place, day, languages wanted)."""
    w, p = WEIGHTS, sa.bindparam
    has = lambda cid: sa.exists().where(ts.c.talent_id == t.c.id, ts.c.category_id == cid)  # noqa: E731
    skill = sa.case((has(p("category")), 1.0), else_=sa.case((has(p("parent")), 0.7), else_=0.0)) \
        if has_parent else sa.case((has(p("category")), 1.0), else_=0.0)
    role = sa.case({r: role_score(r, fitting) for r in fitting}, value=sa.cast(t.c.role, sa.String),
                   else_=0.0) if fitting else sa.literal(0.5)
    duty = sa.case((t.c.stationing == "on_call", 0.5),
                   (p("off_day", type_=sa.Boolean), 0.0),
                   (t.c.stationing == "resident", 1.0),
                   (_holds("," + t.c.weekdays + ",", p("weekday", type_=sa.String)), 1.0), else_=0.0)
    if n_languages:
        language = sum((sa.case((_holds("," + t.c.languages + ",", p(f"language{k}", type_=sa.String)), 1.0),
                                else_=0.0) for k in range(n_languages)), sa.literal(0.0)) / n_languages
    else:
        language = sa.literal(0.5)
    load = 1.0 - sa.cast(t.c.open_load, sa.Float) / t.c.capacity
    distance = sa.case((sa.and_(p("has_village", type_=sa.Boolean), t.c.village_id == p("village")), 1.0),
                       (sa.and_(p("has_town", type_=sa.Boolean), t.c.town_id == p("town")), 0.7),
                       (t.c.county_id == p("county"), 0.4), else_=0.0)
    satisfaction = sa.func.coalesce((st.c.satisfied + 1.0) / (st.c.rated + 2.0), 0.5)
    return (w["skill"] * skill + w["role"] * role + w["duty"] * duty + w["language"] * language
            + w["load"] * load + w["distance"] * distance + w["satisfaction"] * satisfaction)


def _conflicted(county_id: int, person_ids: set[int], names: list[str]) -> set[int]:
    """Members of the county with a declared conflict with any party: by person, or by name (either name holding
    the other). Matched by the database, which returns the few members concerned, not every declaration."""
    if not person_ids and not names:
        return set()
    c = TalentConflict.__table__.c
    named = sa.and_(c.name.is_not(None), c.name != "")
    matches = [sa.and_(named, sa.or_(_holds(c.name, sa.literal(n, sa.String)), _holds(sa.literal(n, sa.String), c.name)))
               for n in names]
    if person_ids:
        matches.append(c.person_id.in_(sorted(person_ids)))
    return set(db.session.scalars(sa.select(c.talent_id).join(Talent.__table__, Talent.id == c.talent_id)
                                  .where(Talent.county_id == county_id, sa.or_(*matches))))


class _holds(sa.sql.functions.FunctionElement):
    """SQL: the first text holds the second, exactly as Python's ``in`` (no wildcards, case counts)."""
    type = sa.Boolean()
    name = "holds"
    inherit_cache = True


@compiles(_holds)
def _holds_sqlite(element, compiler, **kw):
    haystack, needle = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(instr({haystack}, {needle}) > 0)"


@compiles(_holds, "postgresql")
def _holds_postgresql(element, compiler, **kw):
    haystack, needle = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(strpos({haystack}, {needle}) > 0)"


def rank_talent_for_case(case: Case, *, at: datetime | None = None, limit: int = 10,
                         exclude_talent_ids=()) -> MatchResult:
    """Rank members for a case: its category, place, petitioners' language, and no conflict with any party."""
    unit = db.session.get(OrgUnit, case.place_unit_id)
    petitioners = case.petitioners
    languages = tuple(sorted({p.language for p in petitioners if p.language}))
    return rank_talent(category_id=case.category_id, unit=unit, languages=languages, at=at,
                       exclude_person_ids={p.id for p in petitioners},
                       party_names=[p.name for p in petitioners] + [case.other_party],
                       exclude_talent_ids=exclude_talent_ids, limit=limit)


def record_talent_rating(talent_id: int, category_id: int, satisfied: bool) -> None:
    """Count one rating of a matter this member handled, in its category (reports.callbacks calls this once
    per rated callback). One UPDATE adding to the counts, so two ratings recorded at once both count."""
    table = TalentCategoryStat.__table__
    row = sa.and_(table.c.talent_id == talent_id, table.c.category_id == category_id)
    add = table.update().where(row).values(rated=table.c.rated + 1, satisfied=table.c.satisfied + int(satisfied))
    if db.session.execute(add).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(table.insert().values(talent_id=talent_id, category_id=category_id, rated=1,
                                                     satisfied=int(satisfied)))
    except IntegrityError:      # someone else counted this member's first rating in the category meanwhile
        db.session.execute(add)
