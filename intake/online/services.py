"""Taking a citizen's online report: the abuse guard (signed render time, rate limits per address and phone),
the photos, and landing the matter in the town's queue through the one channel function."""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from desk import cases, ratelimit
from desk.errors import DomainError
from desk.extensions import db
from desk.crypto import lookup_hash
from desk.models import Category, Level, OrgUnit, Person, Visit
from desk.uploads import check_upload
from intake.cases.attachments import store_attachment
from intake.channels.services import Landing, MatterInput, land_matter
from intake.reception.services import PersonInput, _name_key

PHOTO_TYPES = ("image/jpeg", "image/png")


@dataclass(frozen=True)
class Guard:
    """The online form's limits (settings in desk/config.py)."""
    per_address: ratelimit.Limit
    per_phone: ratelimit.Limit
    max_photos: int
    max_photo_bytes: int
    min_fill_seconds: float

    @classmethod
    def from_config(cls, config) -> "Guard":
        return cls(per_address=ratelimit.Limit(int(config["ONLINE_REPORTS_PER_ADDRESS_PER_HOUR"]), timedelta(hours=1)),
                   per_phone=ratelimit.Limit(int(config["ONLINE_REPORTS_PER_PHONE_PER_DAY"]), timedelta(days=1)),
                   max_photos=int(config["ONLINE_MAX_PHOTOS"]), max_photo_bytes=int(config["ONLINE_MAX_PHOTO_BYTES"]),
                   min_fill_seconds=float(config["ONLINE_MIN_FILL_SECONDS"]))


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="online-report-started")


def sign_started(now: datetime) -> str:
    """The moment the form was rendered, signed, for its hidden field (a bot cannot make a plausible one)."""
    return _signer().dumps(now.isoformat())


def filled_too_fast(token: str | None, *, now: datetime, min_seconds: float) -> bool:
    """True when the form came back sooner than a person can fill it, or without a render time of ours."""
    try:
        started = datetime.fromisoformat(_signer().loads(token or ""))
    except (BadSignature, ValueError, TypeError):
        return True
    return (now - started).total_seconds() < min_seconds


def landed_visit(submission_key: str | None) -> Visit | None:
    """The visit an earlier sending of this same rendered form made (a double submit), if any."""
    if not submission_key:
        return None
    return db.session.scalar(sa.select(Visit).where(Visit.submission_key == _key(submission_key)))


def _key(submission_key: str) -> str:
    return f"online:{submission_key}"[:64]


def decoy_tracking_code() -> str:
    """What a bot is shown: looks like a code, names nothing (it is never stored)."""
    return cases.new_tracking_code()


def check_photos(photos: list[tuple[str, bytes]], guard: Guard) -> None:
    """At most ``max_photos`` JPEG or PNG images, each within ``max_photo_bytes``, checked by content."""
    if len(photos) > guard.max_photos:
        raise DomainError(_l("You can attach at most %(count)s photos; you chose %(chosen)s.",
                             count=guard.max_photos, chosen=len(photos)), field="photos")
    for name, content in photos:
        if len(content) > guard.max_photo_bytes:
            raise DomainError(_l("%(name)s is larger than %(mb)s MB.", name=name,
                                 mb=guard.max_photo_bytes // (1024 * 1024)), field="photos")
        try:
            mime = check_upload(name, content)
        except DomainError as err:
            raise DomainError(err.message, field="photos") from None
        if mime not in PHOTO_TYPES:
            raise DomainError(_l("%(name)s is not a JPEG or PNG photo.", name=name), field="photos")


def count_submission(*, address: str | None, phone: str, guard: Guard, now: datetime | None = None) -> None:
    """One report counted against the client address's hourly and the phone's daily limit; RateLimited past
    either. The caller commits the counters before taking the report, so a refused report (a wrong ID number
    tried, a bad photo) counts too and guessing is no cheaper than sending."""
    ratelimit.hit("online-address", address or "-", guard.per_address, now=now)
    ratelimit.hit("online-phone", phone, guard.per_phone, now=now, field="phone")


def check_id_number_owner(person: PersonInput) -> None:
    """An ID number on record under another name is refused, without saying the recorded name.

    land_matter takes a matching ID number as the same person (and would update that person's phone): from a
    public form, whoever types someone else's number must not join, or change, that person's record."""
    if not person.id_number:
        return
    recorded = db.session.scalar(sa.select(Person).where(Person.id_hash == lookup_hash(person.id_number)))
    if recorded is not None and _name_key(recorded.name) != _name_key(person.name):
        raise DomainError(_l("Check that your name and your ID number are typed correctly."), field="id_number")


def submit_online_report(*, data: MatterInput, photos: list[tuple[str, bytes]], folder: str, guard: Guard,
                         actor=None) -> Landing:
    """Land a citizen's report in the town's queue (status registered, repeat detection) with its photos.

    The caller has counted it (count_submission) first. Flushes; the caller commits."""
    check_photos(photos, guard)
    if data.submission_key:
        data.submission_key = _key(data.submission_key)
    check_id_number_owner(data.person)
    landing = land_matter(data=data, actor=actor)
    for name, content in photos:
        store_attachment(case=landing.case, filename=name, data=content, folder=folder, actor=actor)
    return landing


# --- what the form offers ------------------------------------------------------------------------------------

def category_groups() -> list[tuple[Category, list[Category]]]:
    """The taxonomy as (top category, its sub-categories); a top category without children stands alone."""
    rows = list(db.session.scalars(sa.select(Category).order_by(Category.code)))
    tops = [c for c in rows if c.parent_id is None]
    return [(top, [c for c in rows if c.parent_id == top.id]) for top in tops]


def place_tree() -> tuple[list[OrgUnit], list[OrgUnit], list[OrgUnit]]:
    """The counties, towns and villages (communities) of the desk's city, by code."""
    units = list(db.session.scalars(sa.select(OrgUnit).where(
        OrgUnit.level.in_([Level.county, Level.town, Level.village])).order_by(OrgUnit.code)))
    by_level = {level: [u for u in units if u.level == level] for level in (Level.county, Level.town, Level.village)}
    return by_level[Level.county], by_level[Level.town], by_level[Level.village]


def place_of(*, town_id: int, village_id: int | None) -> OrgUnit:
    """The village when one was chosen (and lies in the town), else the town itself."""
    town = db.session.get(OrgUnit, town_id)
    if town is None or town.level != Level.town:
        raise DomainError(_l("Choose the town or street where it happened."), field="town_id")
    if village_id:
        village = db.session.get(OrgUnit, village_id)
        if village is None or village.level != Level.village or village.town_id != town.id:
            raise DomainError(_l("This village or community is not in the town you chose."), field="village_id")
        return village
    return town
