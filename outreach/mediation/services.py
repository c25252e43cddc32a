"""People's mediation of a case: sessions, then an agreement (调解协议书), no agreement, or termination.

The agreement's contents follow the People's Mediation Law, art. 29: the parties' details; the main facts,
points in dispute and each party's responsibility; what was agreed, and how and by when it is carried out;
signed, sealed or fingerprinted by every party, signed by the mediator and sealed by the named people's
mediation committee; one copy per party plus one kept by the committee. Mediation and each extension need
both sides' consent, recorded. Accusations are never mediated.
Judicial confirmation may be applied for within 30 days of the agreement taking effect (art. 33)."""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk import cases
from desk.audit import record_audit
from desk.errors import DomainError
from desk.extensions import db
from desk.idnumber import InvalidIdNumber, InvalidPhoneNumber, validate_phone, validate_resident_id
from desk.models import OPEN_STATUSES, Case, OrgUnit, PetitionType, next_number
from desk.notify import notify
from outreach.mediation.machines import MEDIATION_MACHINE
from outreach.mediation.models import (ConsentMethod, Mediation, MediationConsent, MediationParty, MediationSession,
                                       MediationStatus as M)
from referrals.talent.models import Talent


def mediation_of(case: Case) -> Mediation | None:
    """The case's latest mediation (a case is mediated once at a time)."""
    return db.session.scalar(sa.select(Mediation).where(Mediation.case_id == case.id)
                             .order_by(Mediation.id.desc()).limit(1))


def usual_completion(mediation: Mediation) -> date:
    """One month from the start, or the date both sides last consented to extend it to (DOMAIN.md clock table)."""
    return mediation.due_on or cases.due("mediation", mediation.started_on)


@dataclass(frozen=True)
class Consent:
    """One side's recorded consent: who gave it, when, and how."""
    side: str
    given_by: str
    given_on: date | None
    method: ConsentMethod | None


class PartyDetailsMissing(DomainError):
    """The agreement cannot be recorded: some party lacks details art. 29 requires ({party name: [fields]})."""

    def __init__(self, message, missing: dict[str, list[str]]):
        super().__init__(message)
        self.missing = missing


PERSON_DETAILS = ("sex", "age", "ethnicity", "occupation", "address")
ORGANIZATION_DETAILS = ("address", "representative")
DETAIL_TITLES = {"sex": _l("sex"), "age": _l("age or birth date"), "ethnicity": _l("ethnicity"),
                 "occupation": _l("occupation or unit"), "address": _l("address"),
                 "representative": _l("legal representative or person in charge")}


def missing_details(party: MediationParty) -> list[str]:
    """The details the agreement must state of this party that are still blank (人民调解法 art. 29)."""
    if party.is_organization:
        return [f for f in ORGANIZATION_DETAILS if not (getattr(party, f) or "").strip()]
    missing = []
    for name in PERSON_DETAILS:
        if name == "sex":
            blank = party.sex not in ("M", "F")
        elif name == "age":
            blank = party.birth_date is None and party.age is None
        else:
            blank = not (getattr(party, name) or "").strip()
        if blank:
            missing.append(name)
    return missing


def _plausible(day: date | None, field: str) -> None:
    """A date a clerk could mean; a typo like year 9999 is refused here, not by the deadline arithmetic."""
    if day is not None and not 2000 <= day.year <= 2100:
        raise DomainError(_l("Check the year of this date."), field=field)


def default_committee(case: Case) -> str:
    """The committee of the case's town (or county), e.g. 台山市台城街道人民调解委员会."""
    county = db.session.get(OrgUnit, case.county_id) if case.county_id else None
    town = db.session.get(OrgUnit, case.town_id) if case.town_id else None
    return "".join(u.name for u in (county, town) if u is not None) + "人民调解委员会"


def refuse_accusation(case: Case) -> None:
    """Accusations go to the competent body, never to mediation: the accused is never a party or copy holder."""
    if case.petition_type == PetitionType.accusation:
        raise DomainError(_l("A report or accusation (检举控告类) is not mediated: it goes to the body competent to "
                             "investigate, and the person accused is never a party to mediation."))


def _check_consents(consents: list[Consent], *, not_after: date | None) -> dict[str, Consent]:
    by_side = {c.side: c for c in consents if c.side in ("a", "b")}
    for side in ("a", "b"):
        consent = by_side.get(side)
        if consent is None or not (consent.given_by or "").strip():
            raise DomainError(_l("Record who gave this side's consent."), field=f"consent_{side}_by")
        if consent.given_on is None:
            raise DomainError(_l("Enter the date of the consent."), field=f"consent_{side}_on")
        _plausible(consent.given_on, f"consent_{side}_on")
        if not_after is not None and consent.given_on > not_after:
            raise DomainError(_l("Consent must be given before the mediation starts."), field=f"consent_{side}_on")
        if not isinstance(consent.method, ConsentMethod):
            raise DomainError(_l("Choose how the consent was given."), field=f"consent_{side}_method")
    return by_side


def _add_consents(mediation: Mediation, consents: dict[str, Consent], *, actor, purpose: str,
                  extends_to: date | None = None) -> list[dict]:
    recorded = []
    for side in ("a", "b"):
        c = consents[side]
        mediation.consents.append(MediationConsent(
            purpose=purpose, side=side, given_by=c.given_by.strip(), given_on=c.given_on, method=c.method,
            extends_to=extends_to, recorded_by_id=getattr(actor, "id", None)))
        recorded.append({"side": side, "by": c.given_by.strip(), "on": c.given_on.isoformat(),
                         "how": c.method.value})
    return recorded


def start_mediation(case: Case, *, actor, mediator: Talent | None, on: date, consents: list[Consent],
                    committee: str = "") -> Mediation:
    """Open a mediation for an open demand-type case once both sides' consent is recorded (人民调解法 art. 17);
    the parties are the case's petitioners (side a) and the other party (side b)."""
    refuse_accusation(case)
    if case.status not in OPEN_STATUSES:
        raise DomainError(_l("Only an open case can be mediated."))
    current = mediation_of(case)
    if current is not None and current.status == M.ongoing:
        raise DomainError(_l("This case is already in mediation."))
    if current is not None and current.status == M.agreement:
        raise DomainError(_l("This case already has a mediation agreement."))
    if mediator is None:
        raise DomainError(_l("Choose the mediator: a member of the talent pool."), field="mediator_id")
    if mediator.county_id != case.county_id or not mediator.active:
        raise DomainError(_l("Choose a mediator of this county."), field="mediator_id")
    if on is None:
        raise DomainError(_l("Enter the start date."), field="started_on")
    _plausible(on, "started_on")
    by_side = _check_consents(consents, not_after=on)
    mediation = Mediation(case_id=case.id, mediator_id=mediator.id, started_on=on, status=M.ongoing,
                          created_by_id=getattr(actor, "id", None), committee=(committee or "").strip()[:200]
                          or default_committee(case), due_on=cases.due("mediation", on))
    for column in ("city_id", "county_id", "town_id", "village_id", "grid_id"):
        setattr(mediation, column, getattr(case, column))
    for person in case.petitioners:
        party = MediationParty(side="a", person_id=person.id, name=person.name, sex=person.sex)
        if person.id_number:
            party.id_number = person.id_number
            try:
                checked = validate_resident_id(person.id_number, today=on)
                party.birth_date, party.sex = checked.birth_date, party.sex or checked.sex
            except InvalidIdNumber:
                pass
        party.phone = person.phone
        mediation.parties.append(party)
    if case.other_party.strip():
        mediation.parties.append(MediationParty(side="b", name=case.other_party.strip(), details=""))
    recorded = _add_consents(mediation, by_side, actor=actor, purpose="mediate")
    db.session.add(mediation)
    db.session.flush()
    mediation.copies = copies_needed(mediation)
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="consent",
                 detail={"purpose": "mediate", "consents": recorded})
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="start", to_state=M.ongoing,
                 detail={"case": case.reference, "mediator": mediator.id, "committee": mediation.committee,
                         "due": mediation.due_on.isoformat()})
    return mediation


def extend_mediation(mediation: Mediation, *, actor, new_due: date | None, consents: list[Consent]) -> Mediation:
    """Move the usual completion date, only with both sides' consent recorded for this extension
    (人民调解工作规范: one month, extendable with the parties' consent)."""
    _require_ongoing(mediation)
    current = usual_completion(mediation)
    if new_due is None:
        raise DomainError(_l("Enter the new completion date."), field="new_due")
    _plausible(new_due, "new_due")
    if new_due <= current:
        raise DomainError(_l("The new date must be after the current one (%(date)s).", date=current.isoformat()),
                          field="new_due")
    by_side = _check_consents(consents, not_after=None)
    for side in ("a", "b"):
        if by_side[side].given_on < mediation.started_on:
            raise DomainError(_l("Consent to an extension cannot be before the mediation started."),
                              field=f"consent_{side}_on")
    recorded = _add_consents(mediation, by_side, actor=actor, purpose="extend", extends_to=new_due)
    mediation.due_on = new_due
    db.session.flush()
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="extend",
                 detail={"from": current.isoformat(), "to": new_due.isoformat(), "consents": recorded})
    return mediation


def copies_needed(mediation: Mediation) -> int:
    """One copy per party plus one kept by the committee (人民调解法 art. 29)."""
    return len(mediation.parties) + 1


def add_party(mediation: Mediation, *, actor, side: str, name: str, details: str = "", **fields) -> MediationParty:
    """Another party, on side a (applicants) or b (respondents), with the details the agreement states."""
    _require_ongoing(mediation)
    refuse_accusation(mediation.case)
    if side not in ("a", "b"):
        raise DomainError(_l("Choose a side."), field="side")
    party = MediationParty(side=side, name="", details="")
    _apply_details(party, name=name, details=details, **fields)
    mediation.parties.append(party)
    db.session.flush()
    mediation.copies = copies_needed(mediation)
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="add_party",
                 detail={"side": side, "party": party.id})
    return party


def update_party(mediation: Mediation, party: MediationParty, *, actor, name: str, details: str = "",
                 **fields) -> MediationParty:
    """Correct or complete a party's details (only while the mediation is under way)."""
    _require_ongoing(mediation)
    if party.mediation_id != mediation.id:
        raise DomainError(_l("This party is not in this mediation."))
    # The edit form never shows the stored ID number or phone in full: left blank, they are kept.
    for secret in ("id_number", "phone"):
        if not (fields.get(secret) or "").strip():
            fields[secret] = getattr(party, secret) or ""
    changed = _apply_details(party, name=name, details=details, **fields)
    db.session.flush()
    # The changed field names only: the audit log never holds the ID number, phone or address.
    record_audit(actor=actor, entity="mediation", entity_id=mediation.id, action="party_details",
                 detail={"party": party.id, "fields": changed})
    return party


def _apply_details(party: MediationParty, *, name: str, details: str = "", is_organization: bool = False,
                   sex: str | None = None, birth_date: date | None = None, age: int | None = None,
                   ethnicity: str = "", occupation: str = "", address: str = "", representative: str = "",
                   id_number: str = "", phone: str = "") -> list[str]:
    """Validate and set a party's details; returns the names of the fields that changed."""
    if not (name or "").strip():
        raise DomainError(_l("Enter the party's name."), field="name")
    if sex not in (None, "", "M", "F"):
        raise DomainError(_l("Choose the sex."), field="sex")
    if age is not None and not 0 <= age <= 130:
        raise DomainError(_l("Enter an age between 0 and 130."), field="age")
    number = (id_number or "").strip()
    checked = None
    if number:
        try:
            checked = validate_resident_id(number)
        except InvalidIdNumber as err:
            raise DomainError(err.message, field="id_number") from None
    digits = None
    if (phone or "").strip():
        try:
            digits = validate_phone(phone)
        except InvalidPhoneNumber as err:
            raise DomainError(err.message, field="phone") from None
    if birth_date is not None and not 1900 <= birth_date.year <= 2100:
        raise DomainError(_l("Check the year of this date."), field="birth_date")
    if birth_date is not None and checked is not None and birth_date != checked.birth_date:
        raise DomainError(_l("The birth date differs from the one in the ID number."), field="birth_date")
    values = {"name": name.strip(), "details": (details or "").strip(), "is_organization": bool(is_organization),
              "sex": None if is_organization else (sex or (checked.sex if checked else None)),
              "birth_date": None if is_organization else (birth_date or (checked.birth_date if checked else None)),
              "age": None if is_organization else age, "ethnicity": (ethnicity or "").strip(),
              "occupation": (occupation or "").strip(), "address": (address or "").strip(),
              "representative": (representative or "").strip(),
              "id_number": checked.normalized if checked else None, "phone": digits}
    changed = [key for key, value in values.items() if getattr(party, key) != value]
    for key, value in values.items():
        setattr(party, key, value)
    return changed


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
                     performance_method: str, performance_deadline: date | None, agreed_on: date) -> Mediation:
    """The agreement: every element art. 29 requires (each party's details, the mediator, the committee);
    one copy per party plus one kept; the 30-day judicial-confirmation clock starts (art. 33)."""
    _require_ongoing(mediation)
    refuse_accusation(mediation.case)
    if mediation.mediator is None:
        raise DomainError(_l("An agreement is signed by its mediator: choose the mediator first."))
    if not (mediation.committee or "").strip():
        raise DomainError(_l("Name the people's mediation committee that seals the agreement."))
    if agreed_on is None:
        raise DomainError(_l("Enter the date of the agreement."), field="agreed_on")
    _plausible(agreed_on, "agreed_on")
    _plausible(performance_deadline, "performance_deadline")
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
    missing = {p.name: missing_details(p) for p in mediation.parties if missing_details(p)}
    if missing:
        listed = "; ".join(f"{name}: " + ", ".join(str(DETAIL_TITLES[f]) for f in fields)
                           for name, fields in missing.items())
        raise PartyDetailsMissing(_l("Complete every party's details before recording the agreement (%(missing)s).",
                                     missing=listed), missing)
    for field, value in required.items():
        setattr(mediation, field, value.strip())
    mediation.performance_deadline, mediation.agreed_on = performance_deadline, agreed_on
    mediation.copies = copies_needed(mediation)
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

