"""Repeat-visit detection (DOMAIN.md): same person (ID, else phone, else name in the town) and
substantially the same matter (same category and similar text). Never merges two people silently."""
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from rapidfuzz import fuzz

from desk.crypto import lookup_hash
from desk.extensions import db
from desk.models import REPLIED_STATUSES, Case, CaseParty, Person

# A same-category matter whose text scores at least this is proposed as "likely the same matter".
LIKELY_SAME = 0.6
MAX_PEOPLE = 20
MAX_CASES = 50


@dataclass
class PersonMatch:
    person: Person
    by: str                 # "id" | "phone" | "name"
    same_person: bool       # True only for an ID-number match (or the same record)


@dataclass
class Candidate:
    case: Case
    person: Person
    by: str
    same_person: bool
    score: float            # 0..1: matter similarity
    likely_same: bool
    after_conclusion: bool


def _ngrams(text: str, n: int = 2) -> str:
    compact = "".join(ch for ch in text if not ch.isspace())
    return " ".join(compact[i:i + n] for i in range(max(len(compact) - n + 1, 1)))


@lru_cache(maxsize=4096)
def _grams(text: str) -> str:
    return _ngrams(text)


def text_similarity(a: str, b: str) -> float:
    """Similarity of two Chinese texts on character bigrams (0..1), robust to word order."""
    if not a or not b:
        return 0.0
    return fuzz.token_set_ratio(_grams(a), _grams(b)) / 100.0


def matter_similarity(category_id: int | None, text: str, case: Case) -> float:
    """Same category counts for 0.4; the text for the rest. A different top-level category caps at 0.5."""
    same = category_id is not None and category_id == case.category_id
    related = same or (category_id is not None and case.category is not None and
                       category_id in (case.category_id, case.category.parent_id))
    score = text_similarity(text, f"{case.title} {case.facts}")
    if same:
        return round(0.4 + 0.6 * score, 3)
    return round(min(0.5, (0.2 if related else 0.0) + 0.5 * score), 3)


def find_people(*, id_number: str | None = None, phone: str | None = None, name: str | None = None,
                town_id: int | None = None) -> list[PersonMatch]:
    """People who may be this visitor: by ID hash (certain), by phone hash, by name within the town."""
    matches: dict[int, PersonMatch] = {}
    if id_number:
        for person in db.session.scalars(sa.select(Person).where(Person.id_hash == lookup_hash(id_number))
                                         .limit(MAX_PEOPLE)):
            matches[person.id] = PersonMatch(person, "id", True)
    if phone:
        for person in db.session.scalars(sa.select(Person).where(Person.phone_hash == lookup_hash(phone))
                                         .limit(MAX_PEOPLE)):
            # Same phone and no conflicting ID: the same person (DOMAIN.md: ID, else phone).
            matches.setdefault(person.id, PersonMatch(person, "phone", _compatible(person, id_number)))
    if name and town_id:
        for person in db.session.scalars(sa.select(Person).where(Person.name == name.strip(),
                                                                 Person.town_id == town_id).limit(MAX_PEOPLE)):
            matches.setdefault(person.id, PersonMatch(person, "name", False))
    # A match by phone or name whose stored ID differs from the one typed is another person.
    return [m for m in matches.values()
            if not (id_number and m.by != "id" and m.person.id_hash and m.person.id_hash != lookup_hash(id_number))]


def _compatible(person: Person, id_number: str | None) -> bool:
    return not (id_number and person.id_hash) or person.id_hash == lookup_hash(id_number)


def find_prior_cases(*, id_number: str | None = None, phone: str | None = None, name: str | None = None,
                     town_id: int | None = None, category_id: int | None = None, text: str = "") -> list[Candidate]:
    """Earlier cases of the people who may be this visitor, best matter match first."""
    people = find_people(id_number=id_number, phone=phone, name=name, town_id=town_id)
    if not people:
        return []
    by_person = {m.person.id: m for m in people}
    rows = db.session.execute(
        sa.select(Case, CaseParty.person_id).join(CaseParty, CaseParty.case_id == Case.id)
        .where(CaseParty.person_id.in_(by_person)).order_by(Case.created_at.desc()).limit(MAX_CASES)).all()
    candidates = []
    for case, person_id in rows:
        match = by_person[person_id]
        score = matter_similarity(category_id, text, case)
        candidates.append(Candidate(case=case, person=match.person, by=match.by, same_person=match.same_person,
                                    score=score, likely_same=score >= LIKELY_SAME,
                                    after_conclusion=case.status in REPLIED_STATUSES))
    candidates.sort(key=lambda c: (c.same_person, c.score), reverse=True)
    return candidates
