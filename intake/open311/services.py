"""Open311 services: API keys, the jurisdiction, finding requests and landing a submitted one.

Every failure is an ``Open311Error`` carrying the HTTP status the GeoReport v2 error list answers with."""
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from desk.audit import record_audit
from desk.crypto import lookup_hash
from desk.errors import DomainError
from desk.extensions import db
from desk.idnumber import InvalidPhoneNumber, validate_phone
from desk.models import OPEN_STATUSES, Case, Category, Channel, DemandBranch, Level, OrgUnit, PetitionType
from desk.timeutil import LOCAL, utcnow
from intake.channels.services import Landing, MatterInput, land_matter
from intake.open311.models import ApiClient
from intake.reception.services import PersonInput

CLIENT_CHANNELS = (Channel.hotline, Channel.online, Channel.grid, Channel.phone)
DEFAULT_DAYS = 90
MAX_ROWS = 1000
MAX_IDS = 200
TITLE_CHARS = 60


class Open311Error(DomainError):
    """A request the API refuses, with the HTTP status of its error list (400, 403, 404, 413, 429)."""

    def __init__(self, status: int, message, field: str | None = None):
        super().__init__(message, field=field)
        self.status = status


# --- API keys -------------------------------------------------------------------------------------------

def hash_key(key: str) -> str:
    return lookup_hash("open311\x1f" + key)


def create_client(*, actor, name: str, unit: OrgUnit, channel: Channel, key: str | None = None
                  ) -> tuple[ApiClient, str]:
    """A new API client and its key, which is returned this once and stored only as a keyed hash."""
    if unit.level not in (Level.city, Level.county):
        raise DomainError(_l("A client submits for a county or for the whole city."), field="unit_id")
    if channel not in CLIENT_CHANNELS:
        raise DomainError(_l("Choose the channel the client's matters arrive by."), field="channel")
    key = key or secrets.token_urlsafe(24)
    if db.session.scalar(sa.select(ApiClient.id).where(ApiClient.key_hash == hash_key(key))):
        raise DomainError(_l("This key is already in use."), field="name")
    client = ApiClient(name=name.strip(), unit_id=unit.id, unit=unit, channel=channel, key_hash=hash_key(key),
                       key_prefix=key[:6], created_by_id=getattr(actor, "id", None), created_at=utcnow())
    db.session.add(client)
    db.session.flush()
    record_audit(actor=actor, entity="api_client", entity_id=client.id, action="create",
                 detail={"name": client.name, "unit": unit.code, "channel": channel.value})
    return client, key


def revoke_client(client: ApiClient, *, actor) -> None:
    """Stop a client's key working from now on (it cannot be restored: a new key is made instead)."""
    if client.revoked_at is not None:
        raise DomainError(_l("This key is already revoked."))
    client.revoked_at = utcnow()
    record_audit(actor=actor, entity="api_client", entity_id=client.id, action="revoke")
    db.session.flush()


def authenticate(api_key: str | None) -> ApiClient:
    """The active client holding ``api_key``, or a 403."""
    if not api_key:
        raise Open311Error(403, _l("An api_key is required to submit a request."), field="api_key")
    client = db.session.scalar(sa.select(ApiClient).where(ApiClient.key_hash == hash_key(api_key)))
    if client is None or client.revoked_at is not None:
        raise Open311Error(403, _l("The api_key is not valid or has been revoked."), field="api_key")
    return client


# --- Reading --------------------------------------------------------------------------------------------

def find_jurisdiction(jurisdiction_id: str | None) -> OrgUnit:
    """The county whose code is ``jurisdiction_id`` (400 when missing, 404 when it names no county)."""
    if not jurisdiction_id:
        raise Open311Error(400, _l("jurisdiction_id is required: the county code, e.g. 440781."),
                           field="jurisdiction_id")
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == jurisdiction_id[:20],
                                                        OrgUnit.level == Level.county))
    if county is None:
        raise Open311Error(404, _l("No county has this jurisdiction_id."), field="jurisdiction_id")
    return county


def list_services() -> list[Category]:
    return list(db.session.scalars(sa.select(Category).order_by(Category.code)))


def find_service(code: str | None, status: int = 404) -> Category:
    category = db.session.scalar(sa.select(Category).where(Category.code == (code or "")[:32])) if code else None
    if category is None:
        raise Open311Error(status, _l("No service has this service_code."), field="service_code")
    return category


def parse_w3c(value: str, field: str) -> datetime:
    """A W3C date or date-time (a time without zone is China time) as naive UTC."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise Open311Error(400, _l("%(field)s is not a W3C date-time (e.g. 2026-11-20T10:00:00+08:00).",
                                   field=field), field=field) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass
class RequestQuery:
    """The filters of GET requests, parsed from the query string (raises 400 on a bad one)."""
    references: list[str]
    codes: list[str]
    start: datetime
    end: datetime
    statuses: set[str]

    @classmethod
    def parse(cls, args) -> "RequestQuery":
        references = [r.strip().upper() for r in args.get("service_request_id", "").split(",") if r.strip()]
        if len(references) > MAX_IDS:
            raise Open311Error(400, _l("Ask for at most %(count)s service_request_id at once.", count=MAX_IDS),
                               field="service_request_id")
        codes = [c.strip() for c in args.get("service_code", "").split(",") if c.strip()]
        statuses = {s.strip().lower() for s in args.get("status", "").split(",") if s.strip()}
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _l("status is open, closed or both (comma-separated)."), field="status")
        end = parse_w3c(args["end_date"], "end_date") if args.get("end_date") else utcnow()
        start = parse_w3c(args["start_date"], "start_date") if args.get("start_date") \
            else end - timedelta(days=DEFAULT_DAYS)
        if start > end:
            raise Open311Error(400, _l("start_date is after end_date."), field="start_date")
        return cls(references=references, codes=codes, start=start, end=end, statuses=statuses)


def list_requests(county: OrgUnit, query: RequestQuery) -> list[Case]:
    """The county's cases matching the filters, newest first; asked by id, the other filters do not apply
    (GeoReport v2)."""
    stmt = sa.select(Case).where(Case.county_id == county.id)
    if query.references:
        stmt = stmt.where(Case.reference.in_(query.references))
    else:
        stmt = stmt.where(Case.created_at >= query.start, Case.created_at <= query.end)
        if query.codes:
            stmt = stmt.join(Category, Category.id == Case.category_id).where(Category.code.in_(query.codes))
        if query.statuses == {"open"}:
            stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
        elif query.statuses == {"closed"}:
            stmt = stmt.where(Case.status.not_in(OPEN_STATUSES))
    stmt = stmt.options(selectinload(Case.handling_department))   # the agency of up to 1000 rows in one query
    return list(db.session.scalars(stmt.order_by(Case.created_at.desc(), Case.id.desc()).limit(MAX_ROWS)))


def find_request(county: OrgUnit, reference: str) -> Case:
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference.strip().upper()[:24],
                                                   Case.county_id == county.id))
    if case is None:
        raise Open311Error(404, _l("No request of this jurisdiction has this service_request_id."),
                           field="service_request_id")
    return case


# --- Submitting -----------------------------------------------------------------------------------------

_PHONE_OR_ID = re.compile(r"\d[\d\s-]{5,}\d[\dXx]?")


def scrub_numbers(text: str) -> str:
    """Hide digit runs long enough to be a phone or an ID number (7 digits or more)."""
    return _PHONE_OR_ID.sub(lambda m: "***" if sum(ch.isdigit() for ch in m.group()) >= 7 else m.group(), text)


def find_place(county: OrgUnit, *, address_id: str | None, address_string: str | None, has_position: bool
               ) -> OrgUnit:
    """The town or village of the matter, by its code or its name, inside the county."""
    inside = sa.and_(OrgUnit.county_id == county.id, OrgUnit.level.in_([Level.town, Level.village]))
    if address_id:
        place = db.session.scalar(sa.select(OrgUnit).where(inside, OrgUnit.code == address_id.strip()[:20]))
        if place is None:
            raise Open311Error(400, _l("address_id is not the code of a town or village of this jurisdiction."),
                               field="address_id")
        return place
    if address_string:
        text = address_string.strip()[:200]
        places = list(db.session.scalars(sa.select(OrgUnit).where(inside).order_by(OrgUnit.level.desc())))
        exact = [p for p in places if p.name == text]
        found = exact or [p for p in places if p.level == Level.village and p.name in text
                          and p.parent is not None and p.parent.name in text]
        found = found or [p for p in places if p.level == Level.town and p.name in text]
        if len(found) == 1:
            return found[0]
        raise Open311Error(400, _l("address_string names no single town or village of this jurisdiction; "
                                   "give its address_id instead."), field="address_string")
    if has_position:
        raise Open311Error(400, _l("A position (lat/long) alone is not enough: give the town or village by "
                                   "address_id or address_string."), field="address_id")
    raise Open311Error(400, _l("The place is required: give address_id or address_string."), field="address_id")


def person_of(values) -> PersonInput:
    first, last = (values.get("first_name") or "").strip(), (values.get("last_name") or "").strip()
    if not (first or last):
        raise Open311Error(400, _l("first_name or last_name is required: the desk calls the person back."),
                           field="first_name")
    latin = (first + last).isascii()
    name = f"{first} {last}".strip() if latin else f"{last}{first}"
    if len(name) > 60:
        raise Open311Error(400, _l("The name is longer than 60 characters."), field="first_name")
    try:
        phone = validate_phone(values.get("phone") or "")
    except InvalidPhoneNumber as err:
        raise Open311Error(400, err.message, field="phone") from None
    return PersonInput(name=name, phone=phone)


def title_of(description: str, person: PersonInput) -> str:
    """A short subject from the description's first line, without the submitter's name or long numbers,
    since the subject is what GET requests shows."""
    line = next((part.strip() for part in re.split(r"[\r\n。！？!?]", description) if part.strip()), "")
    for name in {person.name, *person.name.split()}:
        if len(name) >= 2:
            line = line.replace(name, "某")
    line = scrub_numbers(line)
    return line[:TITLE_CHARS] or "—"


def submit_request(*, client: ApiClient, county: OrgUnit, values) -> Landing:
    """Land a matter a client submitted in the town's queue (intake.channels) and record which client sent it."""
    if not client.may_submit_for(county):
        raise Open311Error(403, _l("This api_key may not submit requests for this jurisdiction."),
                           field="jurisdiction_id")
    if not values.get("service_code"):
        raise Open311Error(400, _l("service_code is required."), field="service_code")
    category = find_service(values.get("service_code"), status=400)
    description = (values.get("description") or "").strip()
    if not description:
        raise Open311Error(400, _l("description is required."), field="description")
    if len(description) > 5000:
        raise Open311Error(400, _l("description is longer than 5000 characters."), field="description")
    petition_type = values.get("attribute[petition_type]") or PetitionType.demand.value
    if petition_type not in {t.value for t in PetitionType}:
        raise Open311Error(400, _l("attribute[petition_type] is not one of the listed values."),
                           field="attribute[petition_type]")
    place = find_place(county, address_id=values.get("address_id"), address_string=values.get("address_string"),
                       has_position=bool(values.get("lat") or values.get("long")))
    person = person_of(values)
    landing = land_matter(data=MatterInput(
        channel=client.channel, place=place, category=category, title=title_of(description, person),
        facts=description, person=person, petition_type=PetitionType(petition_type),
        demand_branch=DemandBranch.other if petition_type == PetitionType.demand.value else None),
        actor=None)
    record_audit(actor=None, entity="case", entity_id=landing.case.id, action="api_submit",
                 detail={"client": client.name, "client_id": client.id, "visit_id": landing.visit.id})
    client.last_used_at = utcnow()
    db.session.flush()
    return landing
