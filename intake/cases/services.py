"""Case lists: filters, search, keyset pagination, CSV export, overdue and due-soon queries."""
import io
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm

from desk import crypto, prepared
from desk.access import scope_clause, unit_column
from desk.spreadsheets import SafeCsvWriter
from desk.crypto import lookup_hash
from desk.extensions import db
from desk.idnumber import mask_phone, normalize_phone
from desk.models import (OPEN_STATUSES, Case, CaseParty, CaseStatus, Category, Channel, OrgUnit, Person, Visit,
                         full_names)

PAGE = 50


@dataclass
class CaseFilters:
    q: str = ""
    status: str = ""
    category_id: int | None = None
    channel: str = ""
    clock: str = ""               # "overdue" | "due_soon"
    due_days: int | None = None
    repeat: bool = False
    start: date | None = None
    end: date | None = None
    owner_id: int | None = None   # 首接负责: cases owned by this org unit or a unit inside it


def filtered_cases(user, filters: CaseFilters, today: date, soon_days: int = 3):
    """The SELECT for the user's cases under the filters (no ordering, no paging)."""
    stmt = sa.select(Case).where(scope_clause(Case, user))
    if filters.status:
        stmt = stmt.where(Case.status == CaseStatus(filters.status))
    if filters.category_id:
        stmt = stmt.where(Case.category_id == filters.category_id)
    if filters.channel:
        stmt = stmt.where(Case.channel == Channel(filters.channel))
    if filters.clock == "overdue":
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES), Case.next_due < today)
    elif filters.clock == "due_soon":
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES), Case.next_due >= today,
                          Case.next_due <= today + timedelta(days=soon_days))
    if filters.due_days is not None:
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES), Case.next_due >= today,
                          Case.next_due <= today + timedelta(days=filters.due_days))
    if filters.repeat:
        stmt = stmt.where(sa.exists().where(Visit.case_id == Case.id, Visit.is_repeat.is_(True)))
    if filters.start:
        stmt = stmt.where(Case.received_on >= filters.start)
    if filters.end:
        stmt = stmt.where(Case.received_on <= filters.end)
    if filters.q:
        stmt = stmt.where(_search(filters.q.strip()))
    if filters.owner_id:
        stmt = stmt.where(owned_within(filters.owner_id))
    return stmt


def awaiting_by_channel(user) -> list[tuple[Channel, int]]:
    """Matters in the user's scope still awaiting the acceptance decision, by the channel they came through
    (one queue for all channels: online, hotline, grid and Open311 matters land here registered)."""
    counts = dict(db.session.execute(
        sa.select(Case.channel, sa.func.count()).where(scope_clause(Case, user), Case.status == CaseStatus.registered)
        .group_by(Case.channel)).all())
    return [(channel, counts[channel]) for channel in Channel if counts.get(channel)]


# An owner with at most this many matters is "rare" for the list's query plan (see owned_within).
RARE_OWNER = 5000


def owned_within(unit_id: int):
    """SQL: the case's owner is this unit or lies inside it (a town's cases include its villages').

    SQLite plans the list without knowing how many matters an owner has: it walks the scope's newest-first
    index and tests each row, which reads a whole city (1,000,000 matters: 0.4 s) for an owner with few. When a
    bounded count through the owner index finds few, the test is marked selective (SQLite's likelihood()) and
    the owner's matters are read from that index and sorted. PostgreSQL's statistics need no such help."""
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        return sa.false()
    owned = Case.owner_unit_id.in_(sa.select(OrgUnit.id).where(unit_column(OrgUnit, unit.level) == unit.id))
    if db.session.get_bind().dialect.name == "sqlite":
        found = db.session.scalar(sa.select(sa.func.count()).select_from(
            sa.select(Case.id).where(owned).limit(RARE_OWNER + 1).subquery()))
        if found <= RARE_OWNER:
            return sa.func.likelihood(owned, sa.literal_column("0.0001"))
    return owned


def _search(q: str):
    """Reference prefix, petitioner name, or phone by keyed hash (never a LIKE over encrypted data)."""
    people = sa.select(CaseParty.case_id).join(Person, Person.id == CaseParty.person_id)
    phone = normalize_phone(q)
    by_phone = people.where(Person.phone_hash == lookup_hash(phone)) if phone.isdigit() and len(phone) >= 7 else None
    conditions = [Case.reference.startswith(q.upper()), Case.id.in_(people.where(Person.name == q))]
    if by_phone is not None:
        conditions.append(Case.id.in_(by_phone))
    return sa.or_(*conditions)


NEWEST_FIRST = (Case.created_at.desc(), Case.id.desc())


def _older_than(cursor: tuple[datetime, int]):
    """SQL: after the row ``cursor`` (created_at, id) in NEWEST_FIRST order (the keyset of lists and exports)."""
    created, ident = cursor
    return sa.or_(Case.created_at < created, sa.and_(Case.created_at == created, Case.id < ident))


def page_of_cases(user, filters: CaseFilters, today: date, before: str | None = None, limit: int = PAGE,
                  soon_days: int = 3, load=()) -> tuple[list[Case], str | None]:
    """Newest first; ``before`` is the keyset cursor "<created_at iso>,<id>" of the last row shown; ``load``:
    more relationships to read with the page (loader options)."""
    stmt = filtered_cases(user, filters, today, soon_days)
    cursor = parse_cursor(before)
    if cursor:
        stmt = stmt.where(_older_than(cursor))
    # the owners in one query with the page, not one per row shown
    rows = list(db.session.scalars(stmt.options(sa.orm.selectinload(Case.owner_unit), *load)
                                   .order_by(*NEWEST_FIRST).limit(limit + 1)))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = f"{rows[-1].created_at.isoformat()},{rows[-1].id}"
    return rows, next_cursor


def parse_cursor(value: str | None):
    if not value or "," not in value:
        return None
    stamp, _, ident = value.rpartition(",")
    try:
        return datetime.fromisoformat(stamp), int(ident)
    except ValueError:
        return None


def overdue_cases(user, today: date, limit: int = 500) -> list[Case]:
    return list(db.session.scalars(filtered_cases(user, CaseFilters(clock="overdue"), today)
                                   .order_by(Case.next_due).limit(limit)))


def due_soon_cases(user, today: date, days: int, limit: int = 500) -> list[Case]:
    return list(db.session.scalars(filtered_cases(user, CaseFilters(due_days=days), today)
                                   .order_by(Case.next_due).limit(limit)))


CSV_COLUMNS = ["reference", "received_on", "status", "category", "petition_type", "channel", "title",
               "petitioners", "phones", "place", "owner", "next_due", "outcome"]


def export_csv(user, filters: CaseFilters, today: date, batch: int = 2000, on_batch=None):
    """Yield CSV text in chunks (UTF-8 with BOM so spreadsheet programs read Chinese); personal data masked;
    ``on_batch(rows written so far)`` after each batch.

    Plain rows, not case objects: each batch is one keyset query of the columns written, one of its
    petitioners' names and phones, and (for places not seen yet) a few of full place names; a whole county's
    history is hundreds of thousands of rows (bench_pages at 1,000,000 cases)."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(CSV_COLUMNS)
    columns = [Case.id, Case.reference, Case.received_on, Case.status, Case.category_id, Case.petition_type,
               Case.channel, Case.title, Case.grid_id, Case.village_id, Case.town_id, Case.county_id, Case.city_id,
               Case.owner_unit_id, Case.next_due, Case.outcome, Case.created_at]
    base = filtered_cases(user, filters, today).with_only_columns(*columns)
    categories = {c.id: c.name for c in db.session.scalars(sa.select(Category))}
    names, cursor, written = {}, None, 0
    while True:
        stmt = base.where(_older_than(cursor)) if cursor else base
        rows = db.session.execute(stmt.order_by(*NEWEST_FIRST).limit(batch)).all()
        if not rows:
            break
        people: dict[int, list] = {}
        for case_id, name, phone in db.session.execute(
                sa.select(CaseParty.case_id, Person.name, Person.phone).join(Person, Person.id == CaseParty.person_id)
                .where(CaseParty.case_id.in_([r.id for r in rows]), CaseParty.role == "petitioner")
                .order_by(CaseParty.id)):
            people.setdefault(case_id, []).append((name, phone))
        places = {r.id: r.grid_id or r.village_id or r.town_id or r.county_id or r.city_id for r in rows}
        full_names(list(places.values()) + [r.owner_unit_id for r in rows], names)
        for r in rows:
            petitioners = people.get(r.id, ())
            writer.writerow([r.reference, r.received_on.isoformat(), r.status.value, categories.get(r.category_id, ""),
                             r.petition_type.value, r.channel.value, r.title,
                             "、".join(name for name, _phone in petitioners),
                             "、".join(mask_phone(phone) for _name, phone in petitioners if phone),
                             names.get(places[r.id], ""), names.get(r.owner_unit_id, ""),
                             r.next_due.isoformat() if r.next_due else "", r.outcome.value if r.outcome else ""])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        written += len(rows)
        if on_batch:
            on_batch(written)
        if len(rows) < batch:
            break
        cursor = (rows[-1].created_at, rows[-1].id)


# --- a large export, prepared in the background -----------------------------------------------------------------

def cases_up_to(user, filters: CaseFilters, today: date, limit: int) -> int:
    """How many cases the export would write, counted no further than ``limit``."""
    first = filtered_cases(user, filters, today).with_only_columns(Case.id).limit(limit).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(first))


def export_params(filters: CaseFilters, today: date) -> dict:
    """The export's filters as JSON for a prepared file (the search text encrypted: it may be personal data)."""
    params = {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(filters).items()}
    params["q"] = crypto.encrypt(filters.q) if filters.q else ""
    params["today"] = today.isoformat()
    return params


def _filters_from(params: dict) -> tuple[CaseFilters, date]:
    values = {name: params.get(name) for name in CaseFilters.__dataclass_fields__}
    values["q"] = crypto.decrypt(values["q"]) if values["q"] else ""
    for name in ("start", "end"):
        values[name] = date.fromisoformat(values[name]) if values[name] else None
    return CaseFilters(**values), date.fromisoformat(params["today"])


@prepared.kind("case_export")
def prepare_export(row, user, write, progress) -> None:
    """The case export as a prepared file: the same CSV as the streamed one, with its rows counted."""
    filters, today = _filters_from(row.params)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(
        filtered_cases(user, filters, today).with_only_columns(Case.id).subquery()))
    progress(0, total)
    for text in export_csv(user, filters, today, on_batch=lambda written: progress(written, total)):
        write(text)
