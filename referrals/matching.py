"""Explainable matching of a matter to members of the talent pool (DESIGN.md, "Matching").

Each component is a score in [0, 1] with a weight; the page shows every component beside the name.
Inactive, full and conflicted members are excluded, and the exclusions are counted by reason."""
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.extensions import db
from desk.models import Case, Category, OrgUnit
from desk.timeutil import to_local, utcnow
from referrals.models import Talent, TalentCategoryStat, TalentConflict, talent_skill
from referrals.rotation import ON_CALL, ON_DUTY, duty_state

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


def skill_score(skill_ids: set[int], category_id: int, parent_id: int | None) -> float:
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
    """Rank the active members of the unit's county for a category; the outreach area calls this too."""
    category = db.session.get(Category, category_id)
    parent_id = category.parent_id if category else None
    fitting = roles if roles is not None else (category.roles.split(",") if category and category.roles else [])
    day = to_local(at or utcnow()).date()
    skilled = sa.select(talent_skill.c.talent_id).where(
        talent_skill.c.category_id.in_([c for c in (category_id, parent_id) if c]))
    candidates = list(db.session.scalars(
        sa.select(Talent).where(Talent.county_id == unit.county_id,
                                sa.or_(Talent.role.in_(fitting), Talent.id.in_(skilled)))))
    result = MatchResult()
    if not candidates:
        return result
    ids = [t.id for t in candidates]
    skills: dict[int, set[int]] = {}
    for talent_id, cat_id in db.session.execute(
            sa.select(talent_skill.c.talent_id, talent_skill.c.category_id).where(talent_skill.c.talent_id.in_(ids))):
        skills.setdefault(talent_id, set()).add(cat_id)
    stats = {row.talent_id: row for row in db.session.scalars(
        sa.select(TalentCategoryStat).where(TalentCategoryStat.category_id == category_id,
                                            TalentCategoryStat.talent_id.in_(ids)))}
    conflicted = _conflicted(ids, set(exclude_person_ids), [n for n in party_names if n])
    excluded = {"inactive": 0, "full": 0, "conflict": 0}
    ranked = []
    for talent in candidates:
        if talent.id in exclude_talent_ids:
            continue
        reason = ("inactive" if not talent.active else "full" if talent.open_load >= talent.capacity
                  else "conflict" if talent.id in conflicted else None)
        if reason:
            excluded[reason] += 1
            continue
        stat = stats.get(talent.id)
        components = {
            "skill": skill_score(skills.get(talent.id, set()), category_id, parent_id),
            "role": role_score(talent.role.value, fitting),
            "duty": duty_score(duty_state(talent, day)),
            "language": language_score(talent.language_list, tuple(languages)),
            "load": load_score(talent.open_load, talent.capacity),
            "distance": distance_score(talent, unit),
            "satisfaction": satisfaction_score(stat.rated, stat.satisfied) if stat else 0.5,
        }
        score = sum(WEIGHTS[k] * v for k, v in components.items())
        ranked.append(Ranked(talent, round(score, 4), components))
    ranked.sort(key=lambda r: (-r.score, r.talent.id))
    result.ranked, result.excluded, result.considered = ranked[:limit], excluded, len(candidates)
    return result


def _conflicted(talent_ids: list[int], person_ids: set[int], names: list[str]) -> set[int]:
    if not person_ids and not names:
        return set()
    rows = db.session.execute(sa.select(TalentConflict.talent_id, TalentConflict.person_id, TalentConflict.name)
                              .where(TalentConflict.talent_id.in_(talent_ids))).all()
    hits = set()
    for talent_id, person_id, name in rows:
        if (person_id and person_id in person_ids) or any(name and (name in n or n in name) for n in names):
            hits.add(talent_id)
    return hits


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
    """Called when a callback rates a matter this member handled (reports area)."""
    stat = db.session.get(TalentCategoryStat, (talent_id, category_id))
    if stat is None:
        stat = TalentCategoryStat(talent_id=talent_id, category_id=category_id, rated=0, satisfied=0)
        db.session.add(stat)
    stat.rated += 1
    stat.satisfied += int(satisfied)
