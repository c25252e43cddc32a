"""Landing a matter from a channel beyond the desk: one function every channel calls.

At the desk a receptionist confirms a repeat; here nobody is at hand, so only a certain match is linked:
the same person (by ID number, or by phone with the same name, since families share phones) with a likely
same matter (same category, similar text) joins the earlier case as a repeat visit. Weaker matches are
returned for the receptionist who accepts the matter, never merged (DOMAIN.md, repeat visits). An ID number
on record under another name is refused, and a known person's details are never changed from here: whoever
knows someone's ID number must not join their case under another name or change their phone."""
from dataclasses import dataclass, field
from datetime import date

from desk.extensions import db
from desk.models import Case, Category, Channel, DemandBranch, OrgUnit, PetitionType, Visit
from intake.reception.repeat import Candidate, find_prior_cases
from intake.reception.services import PersonInput, VisitInput, _name_key, register_visit

# Channels whose matters arrive without a receptionist (the walk-in and outreach forms have their own).
REMOTE_CHANNELS = (Channel.online, Channel.hotline, Channel.grid, Channel.phone, Channel.letter)


@dataclass
class MatterInput:
    """What every channel knows of a matter: who, where, what. The petition type is the receptionist's
    call on acceptance; until then a matter counts as an appeal/demand of the general branch."""
    channel: Channel
    place: OrgUnit
    category: Category
    title: str
    person: PersonInput
    facts: str = ""
    demand: str = ""
    received_on: date | None = None
    head_count: int = 1
    petition_type: PetitionType = PetitionType.demand
    demand_branch: DemandBranch | None = DemandBranch.other
    submission_key: str | None = None   # one per source record: landing it twice gives the same visit


@dataclass
class Landing:
    visit: Visit
    repeat_of: Case | None = None                                 # the earlier case the visit joined
    candidates: list[Candidate] = field(default_factory=list)     # weaker matches, for the receptionist

    @property
    def case(self) -> Case:
        return self.visit.case


def land_matter(*, data: MatterInput, actor=None) -> Landing:
    """Register a matter from a remote channel in the receiving town's queue (status registered, owned by the
    town of its place), linking it to an earlier case only on a certain repeat. Flushes; the caller commits."""
    candidates = find_prior_cases(id_number=data.person.id_number, phone=data.person.phone,
                                  name=data.person.name, town_id=data.place.town_id,
                                  category_id=data.category.id, text=f"{data.title} {data.facts}")
    certain = next((c for c in candidates if c.likely_same and _certainly_same_person(c, data.person)), None)
    same_person = certain or next((c for c in candidates if _certainly_same_person(c, data.person)), None)
    visit = register_visit(actor=actor, site=None, data=VisitInput(
        person=data.person, channel=data.channel, place=data.place, category=data.category,
        petition_type=data.petition_type, title=data.title, facts=data.facts, demand=data.demand,
        demand_branch=data.demand_branch, head_count=data.head_count,
        link_case_id=certain.case.id if certain else None,
        person_id=same_person.person.id if same_person else None,
        submission_key=data.submission_key, received_on=data.received_on, update_person=False))
    db.session.flush()
    others = [c for c in candidates if certain is None or c.case.id != certain.case.id]
    return Landing(visit=visit, repeat_of=certain.case if certain else None, candidates=others)


def _certainly_same_person(candidate: Candidate, person: PersonInput) -> bool:
    """The same ID number and name, or the same phone and name with no other ID number on record: a number
    alone never decides (an ID number under another name is refused by upsert_person; a shared phone is a
    family's)."""
    same_name = _name_key(candidate.person.name) == _name_key(person.name)
    return same_name and (candidate.by == "id" or (candidate.by == "phone" and candidate.same_person))
