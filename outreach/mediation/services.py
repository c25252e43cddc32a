"""People's mediation of a case: sessions, then an agreement (调解协议书), no agreement, or termination.

The agreement's contents follow the People's Mediation Law, art. 29: the parties' details; the main facts,
points in dispute and each party's responsibility; what was agreed, and how and by when it is carried out;
signed by both parties and the mediator; one copy per party plus one kept by the mediation committee.
Judicial confirmation may be applied for within 30 days of the agreement taking effect (art. 33)."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk import cases
from desk.audit import record_audit
from desk.errors import DomainError
from desk.extensions import db
from desk.models import OPEN_STATUSES, Case, OrgUnit, next_number
from desk.notify import notify
from outreach.mediation.machines import MEDIATION_MACHINE
from outreach.mediation.models import Mediation, MediationParty, MediationSession, MediationStatus as M
from referrals.talent.models import Talent


def mediation_of(case: Case) -> Mediation | None:
    """The case's latest mediation (a case is mediated once at a time)."""
    return db.session.scalar(sa.select(Mediation).where(Mediation.case_id == case.id)
                             .order_by(Mediation.id.desc()).limit(1))


def usual_completion(mediation: Mediation) -> date:
    """One month from the start, extendable with both parties' consent (DOMAIN.md clock table)."""
    return cases.due("mediation", mediation.started_on)


def start_mediation(case: Case, *, actor, mediator: Talent | None, on: date) -> Mediation:
    """Open a mediation for an open case; the parties are the case's petitioners (side a) and the other party."""
    if case.status not in OPEN_STATUSES:
        raise DomainError(_l("Only an open case can be mediated."))
    current = mediation_of(case)
    if current is not None and current.status == M.ongoing:
        raise DomainError(_l("This case is already in mediation."))
    if current is not None and current.status == M.agreement:
        raise DomainError(_l("This case already has a mediation agreement."))
    if mediator is not None and (mediator.county_id != case.county_id or not mediator.active):
        raise DomainError(_l("Choose a mediator of this county."), field="mediator_id")
    mediation = Mediation(case_id=case.id, mediator_id=mediator.id if mediator else None, started_on=on,
                          status=M.ongoing, created_by_id=getattr(actor, "id", None), copies=3)
    for column in ("city_id", "county_id", "town_id", "village_id", "grid_id"):
        setattr(mediation, column, getattr(case, column))
    for person in case.petitioners:
        sex = {"M": _l("male"), "F": _l("female")}.get(person.sex or "")
        details = [str(sex) if sex else "", person.id_masked, person.phone_masked]
        mediation.parties.append(MediationParty(side="a", person_id=person.id, name=person.name,
                                                details=" ".join(d for d in details if d)))
    if case.other_party.strip():
        mediation.parties.append(MediationParty(side="b", name=case.other_party.strip(), details=""))
    db.session.add(mediation)
    db.session.flush()
    mediation.copies = _parties_count(mediation) + 1
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="start", to_state=M.ongoing,
                 detail={"case": case.reference, "mediator": mediator.id if mediator else None})
    return mediation


def _parties_count(mediation: Mediation) -> int:
    return max(2, len({p.side for p in mediation.parties}) if mediation.parties else 2)


def add_party(mediation: Mediation, *, actor, side: str, name: str, details: str = "") -> MediationParty:
    _require_ongoing(mediation)
    if side not in ("a", "b"):
        raise DomainError(_l("Choose a side."), field="side")
    if not (name or "").strip():
        raise DomainError(_l("Enter the party's name."), field="name")
    party = MediationParty(side=side, name=name.strip(), details=(details or "").strip())
    mediation.parties.append(party)
    db.session.flush()
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="add_party", detail={"side": side})
    return party


def record_session(mediation: Mediation, *, actor, held_on: date, place: str, parties_present: str,
                   positions: list[tuple[str, str]], note: str = "") -> MediationSession:
    """One sitting: when, where, who came, and each party's position."""
    _require_ongoing(mediation)
    if held_on < mediation.started_on:
        raise DomainError(_l("A session cannot be before the mediation started."), field="held_on")
    if not (place or "").strip():
        raise DomainError(_l("Enter where the session was held."), field="place")
    if not (parties_present or "").strip():
        raise DomainError(_l("Enter who was present."), field="parties_present")
    kept = [{"party": party.strip(), "position": position.strip()} for party, position in positions
            if (party or "").strip() and (position or "").strip()]
    if not kept:
        raise DomainError(_l("Record at least one party's position."), field="positions")
    session = MediationSession(mediation_id=mediation.id, held_on=held_on, place=place.strip(),
                               parties_present=parties_present.strip(), positions=kept, note=(note or "").strip(),
                               recorded_by_id=getattr(actor, "id", None))
    db.session.add(session)
    db.session.flush()
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="session",
                 detail={"session": session.id, "on": held_on.isoformat()})
    return session


def record_agreement(mediation: Mediation, *, actor, facts: str, disputes: str, responsibilities: str, terms: str,
                     performance_method: str, performance_deadline: date | None, agreed_on: date,
                     copies: int | None = None) -> Mediation:
    """The agreement: every element art. 29 requires; the 30-day judicial-confirmation clock starts."""
    _require_ongoing(mediation)
    required = {"facts": facts, "disputes": disputes, "responsibilities": responsibilities, "terms": terms,
                "performance_method": performance_method}
    for field, value in required.items():
        if not (value or "").strip():
            raise DomainError(_l("This part of the agreement is required."), field=field)
    if performance_deadline is None:
        raise DomainError(_l("Say by when the agreement is carried out."), field="performance_deadline")
    if agreed_on < mediation.started_on:
        raise DomainError(_l("The agreement cannot be before the mediation started."), field="agreed_on")
    if performance_deadline < agreed_on:
        raise DomainError(_l("The deadline cannot be before the agreement."), field="performance_deadline")
    sides = {p.side for p in mediation.parties}
    if sides != {"a", "b"}:
        raise DomainError(_l("An agreement needs a party on each side; add the other party first."))
    minimum = _parties_count(mediation) + 1
    copies = copies or minimum
    if copies < minimum:
        raise DomainError(_l("At least one copy per party plus one kept: %(n)s.", n=minimum), field="copies")
    for field, value in required.items():
        setattr(mediation, field, value.strip())
    mediation.performance_deadline, mediation.agreed_on, mediation.copies = performance_deadline, agreed_on, copies
    mediation.ended_on = agreed_on
    mediation.judicial_confirmation_due = cases.due("judicial_confirmation", agreed_on)
    mediation.number = _agreement_number(mediation, agreed_on)
    MEDIATION_MACHINE.move(mediation, M.agreement, actor=actor, action="agreement",
                           detail={"number": mediation.number})
    for user_id in people_to_remind(mediation):
        notify(user_id, "judicial_confirmation", reference=mediation.number,
               due=mediation.judicial_confirmation_due.isoformat(), link=f"/outreach/mediations/{mediation.id}",
               dedupe_key=f"judicial_confirmation:{mediation.id}:agreed:{user_id}")
    return mediation


def end_without_agreement(mediation: Mediation, *, actor, status: M, outcome: str, routes_told: str,
                          on: date) -> Mediation:
    """No agreement, or mediation terminated: what happened and the routes the parties were told about
    (litigation, arbitration, administrative channels)."""
    _require_ongoing(mediation)
    if status not in (M.no_agreement, M.terminated):
        raise DomainError(_l("Choose how the mediation ended."), field="status")
    if not (outcome or "").strip():
        raise DomainError(_l("Describe what happened."), field="outcome")
    if not (routes_told or "").strip():
        raise DomainError(_l("Say which routes the parties were told about."), field="routes_told")
    if on < mediation.started_on:
        raise DomainError(_l("The end cannot be before the mediation started."), field="ended_on")
    MEDIATION_MACHINE.move(mediation, status, actor=actor, action=status.value, reason=outcome.strip(),
                           detail={"routes": routes_told.strip()})
    mediation.outcome, mediation.routes_told, mediation.ended_on = outcome.strip(), routes_told.strip(), on
    return mediation


def _require_ongoing(mediation: Mediation) -> None:
    if mediation.status != M.ongoing:
        raise DomainError(_l("This mediation has ended."))


def _agreement_number(mediation: Mediation, agreed_on: date) -> str:
    county = db.session.get(OrgUnit, mediation.county_id)
    prefix = (county.prefix if county else None) or "XX"
    number = next_number(f"mediation:{mediation.county_id}:{agreed_on.year}")
    return f"{prefix}-TJ-{agreed_on.year}-{number:05d}"


def people_to_remind(mediation: Mediation) -> set[int]:
    """The mediator (when they have a login) and whoever opened the mediation."""
    users = {mediation.created_by_id} if mediation.created_by_id else set()
    if mediation.mediator and mediation.mediator.user_id:
        users.add(mediation.mediator.user_id)
    return users

