"""Registering a visit: the person, the case (new or the confirmed earlier one), the visit, the ticket."""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from desk import cases, tickets
from desk.access import in_scope
from desk.audit import audit_values, record_audit, record_audits
from desk.crypto import lookup_hash
from desk.errors import DomainError
from desk.extensions import db
from desk.models import (REPLIED_STATUSES, Case, CaseParty, Category, Channel, DemandBranch, OrgUnit, PetitionType, Person,
                         Site, Visit)
from desk.timeutil import local_today
from intake.reception.repeat import matter_similarity
from intake.risk.signals import check_visit
from intake.routing.services import set_first_owner

MAX_REPRESENTATIVES = 5


@dataclass
class PersonInput:
    name: str
    id_number: str | None = None
    phone: str | None = None
    sex: str | None = None
    language: str | None = None


@dataclass
class VisitInput:
    person: PersonInput
    channel: Channel
    place: OrgUnit
    category: Category
    petition_type: PetitionType
    title: str
    facts: str = ""
    demand: str = ""
    demand_branch: DemandBranch | None = None
    other_party: str = ""
    head_count: int = 1
    representatives: list[PersonInput] = field(default_factory=list)
    link_case_id: int | None = None     # the receptionist confirmed "same matter" as this case
    person_id: int | None = None        # ...and that the visitor is this earlier person (found by phone/name)
    submission_key: str | None = None   # one per rendered form: a double submit creates one visit
    received_on: date | None = None
    # A receptionist who sees the visitor may correct a known person's phone; a remote channel may not (a
    # stranger who knows someone's ID number must not change their phone).
    update_person: bool = True


def user_site(user) -> Site | None:
    """The receptionist's own site, else the site of their org unit, with its rooms (a ticket needs one), in one
    query."""
    rooms = joinedload(Site.rooms)
    if user.site_id:
        return db.session.get(Site, user.site_id, options=[rooms])
    return db.session.scalars(sa.select(Site).where(Site.org_unit_id == user.org_unit_id).order_by(Site.id)
                              .limit(1).options(rooms)).unique().first()


def upsert_person(data: PersonInput, place: OrgUnit, *, actor=None, update: bool = True) -> Person:
    """The same ID number is the same person; without an ID a new record is made (never merged by name).

    An ID number already on record under another name is refused without saying the recorded name (typing
    numbers must not reveal who they belong to); a changed phone on an existing person is audited."""
    person = None
    if data.id_number:
        person = db.session.scalar(sa.select(Person).where(Person.id_hash == lookup_hash(data.id_number)))
        if person is not None and _name_key(person.name) != _name_key(data.name):
            raise DomainError(_l("This ID number is on record under another name: check the name and the number "
                                 "with the visitor."), field="name")
    if person is None:
        person = Person(name=data.name.strip())
        person.place_at(place)
        person.set_id_number(data.id_number)
        db.session.add(person)
        update_person_details(person, data, actor=actor)
    elif update:
        update_person_details(person, data, actor=actor)
    return person


def _name_key(name: str | None) -> str:
    return "".join((name or "").split())


def update_person_details(person: Person, data: PersonInput, *, actor) -> None:
    """Fill or change an existing person's phone, sex and language; a change to a known person is audited
    (which fields, never their values)."""
    changed = []
    if data.phone and person.phone_hash != lookup_hash(data.phone):
        if person.phone_hash:
            changed.append("phone")
        person.set_phone(data.phone)
    if data.sex and person.sex and data.sex != person.sex:
        changed.append("sex")
    person.sex = data.sex or person.sex
    person.language = data.language or person.language
    if changed and person.id is not None:
        record_audit(actor=actor, entity="person", entity_id=person.id, action="update",
                     detail={"fields": changed})


def register_visit(*, actor, site: Site | None, data: VisitInput) -> Visit:
    """Register one contact; a repeat joins the confirmed earlier case (DOMAIN.md, repeat visits)."""
    if data.submission_key:
        existing = db.session.scalar(sa.select(Visit).where(Visit.submission_key == data.submission_key))
        if existing is not None:
            return existing
    if len(data.representatives) > MAX_REPRESENTATIVES:
        raise DomainError(_l("A group elects at most 5 representatives."), field="representatives")
    if data.head_count < 1 + len(data.representatives) and data.representatives:
        raise DomainError(_l("The head count is smaller than the number of representatives."), field="head_count")
    is_group = data.head_count > 1
    received_on = data.received_on or local_today()
    # The person and case are built first and written with the visit and its ticket in one flush (each flush
    # costs a unit of work); the audit rows follow in one statement. A group's representatives are looked up
    # with what is pending flushed, so that the same ID number twice is one person.
    with db.session.no_autoflush:
        person = _confirmed_person(data, actor) or upsert_person(data.person, data.place, actor=actor,
                                                                 update=data.update_person)
        earlier = None
        if data.link_case_id:
            earlier = db.session.get(Case, data.link_case_id)
            if earlier is not None and actor is not None and not in_scope(actor, earlier):
                raise DomainError(_l("That earlier case is not in your area."), field="repeat_decision")
            if earlier is None or not _is_party(earlier, person):
                # A repeat is "same person + same matter": the earlier case must be this person's.
                raise DomainError(_l("The earlier case does not belong to this person."), field="link_case_id")
        if earlier is not None:
            case = earlier
            after_conclusion = case.status in REPLIED_STATUSES
        else:
            case = _new_case(actor=actor, site=site, data=data, person=person, received_on=received_on)
            after_conclusion = False
    for rep in data.representatives:
        rep_person = upsert_person(rep, data.place, actor=actor)
        db.session.flush()
        if not _is_party(case, rep_person):
            case.parties.append(CaseParty(person=rep_person, role="representative"))

    visit = Visit(case=case, person=person, site_id=site.id if site else None, channel=data.channel,
                  received_by_id=getattr(actor, "id", None), is_group=is_group, head_count=data.head_count,
                  is_repeat=earlier is not None, repeat_after_conclusion=after_conclusion,
                  similarity=matter_similarity(data.category.id, f"{data.title} {data.facts}", earlier)
                  if earlier is not None else None, submission_key=data.submission_key)
    visit.place_at(data.place)
    db.session.add(visit)
    if site is not None and data.channel == Channel.walk_in:
        tickets.new_ticket(site=site, room=tickets.room_for(site, data.category), visit=visit)
    db.session.flush()
    audits = [] if earlier is not None else [
        audit_values(actor=actor, entity="case", entity_id=case.id, action="register", to_state=case.status)]
    audits.append(audit_values(actor=actor, entity="visit", entity_id=visit.id, action="register",
                               detail={"case": case.reference, "repeat": visit.is_repeat,
                                       "channel": data.channel.value}))
    record_audits(audits)
    check_visit(visit)      # risk early warning: at once, in the same transaction
    return visit


def _confirmed_person(data: VisitInput, actor) -> Person | None:
    """The earlier person the receptionist explicitly confirmed; a different ID number is another person.
    Someone outside the actor's area is confirmed only as a party of the (in-scope) case linked to."""
    if not data.person_id:
        return None
    person = db.session.get(Person, data.person_id)
    if person is None:
        return None
    if actor is not None and not in_scope(actor, person):
        linked = db.session.get(Case, data.link_case_id) if data.link_case_id else None
        if linked is None or not in_scope(actor, linked) or not any(p.person_id == person.id
                                                                      for p in linked.parties):
            raise DomainError(_l("That earlier person is not in your area."), field="repeat_decision")
    if data.person.id_number and person.id_hash and person.id_hash != lookup_hash(data.person.id_number):
        raise DomainError(_l("The earlier record has another ID number: this is a different person."),
                          field="repeat_decision")
    if data.person.id_number and not person.id_hash and data.update_person:
        person.set_id_number(data.person.id_number)
    if data.update_person:
        update_person_details(person, data.person, actor=actor)
    return person


def _new_case(*, actor, site, data: VisitInput, person: Person, received_on: date) -> Case:
    county = db.session.get(OrgUnit, data.place.county_id)
    case = Case(reference=cases.new_reference(county, received_on.year), tracking_code=cases.new_tracking_code(),
                site_id=site.id if site else None, category=data.category, petition_type=data.petition_type,
                demand_branch=data.demand_branch if data.petition_type == PetitionType.demand else None,
                title=data.title.strip(), facts=data.facts.strip(), demand=data.demand.strip(),
                other_party=data.other_party.strip(), channel=data.channel, is_group=data.head_count > 1,
                head_count=data.head_count, created_by_id=getattr(actor, "id", None))
    case.place_at(data.place)
    cases.start_case_clocks(case, received_on)
    set_first_owner(case, site=site, actor=actor)
    case.parties.append(CaseParty(person=person, role="petitioner"))
    db.session.add(case)
    return case  # written with the visit, and audited once it has its id (register_visit)


def _is_party(case: Case, person: Person) -> bool:
    """``person`` (perhaps not yet written) is already a party of ``case``."""
    return any(p.person_id == person.id if p.person_id is not None else p.person is person for p in case.parties)
