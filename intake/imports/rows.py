"""Checking one row of an export: required cells, dates, phone and ID number, place and category, lengths.

A row becomes a ``MatterRow`` (plain values and ids) or a list of (column, message) problems."""
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.crypto import lookup_hash
from desk.extensions import db
from desk.idnumber import InvalidIdNumber, InvalidPhoneNumber, validate_phone, validate_resident_id
from desk.models import Category, Level, OrgUnit
from intake.imports.mapping import SourceFormat

MAX_LENGTHS = {"source_id": 64, "name": 60, "title": 200, "facts": 5000, "demand": 2000, "address": 200,
               "reporter": 60}
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d",
                "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H时%M分", "%Y年%m月%d日 %H时%M分", "%Y年%m月%d日",
                "%Y%m%d%H%M%S", "%Y.%m.%d %H:%M", "%Y.%m.%d")
EXCEL_EPOCH = datetime(1899, 12, 30)
EARLIEST = date(2000, 1, 1)
# fields whose change is re-applied to a case still waiting for acceptance
CASE_FIELDS = ("title", "facts", "demand", "category")


@dataclass
class MatterRow:
    source_id: str
    received_on: date
    name: str
    phone: str | None
    id_number: str | None
    place_id: int
    category_id: int
    title: str
    facts: str
    demand: str

    def digests(self) -> dict[str, str]:
        """A keyed digest per field: a change is found and named by field, no value is kept."""
        values = {"received_on": self.received_on.isoformat(), "name": self.name, "phone": self.phone or "",
                  "id_number": self.id_number or "", "place": str(self.place_id), "category": str(self.category_id),
                  "title": self.title, "facts": self.facts, "demand": self.demand}
        return {k: lookup_hash(f"import:{k}:{v}")[:16] for k, v in values.items()}


def row_digest(digests: dict[str, str]) -> str:
    return hashlib.sha256("|".join(f"{k}={digests[k]}" for k in sorted(digests)).encode()).hexdigest()


@dataclass
class CountyIndex:
    """The county's places and the categories, by every name and code a row may use (loaded once per file)."""
    county: OrgUnit
    towns: dict[str, int] = field(default_factory=dict)
    villages: dict[tuple[int, str], int] = field(default_factory=dict)
    grids: dict[str, int | None] = field(default_factory=dict)    # None: the name is ambiguous
    categories: dict[str, int] = field(default_factory=dict)
    town_of: dict[int, int] = field(default_factory=dict)

    @classmethod
    def load(cls, county: OrgUnit) -> "CountyIndex":
        index = cls(county=county)
        units = db.session.execute(sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.level, OrgUnit.town_id)
                                   .where(OrgUnit.county_id == county.id)).all()
        for unit_id, code, name, level, town_id in units:
            index.town_of[unit_id] = town_id
            if level == Level.town:
                index.towns[code] = index.towns[name] = index.towns[county.name + name] = unit_id
            elif level == Level.village:
                index.villages[(town_id, code)] = index.villages[(town_id, name)] = unit_id
            elif level == Level.grid:
                index.grids[code] = unit_id
                index.grids[name] = None if name in index.grids and index.grids[name] != unit_id else unit_id
        for cat_id, code, name_zh in db.session.execute(sa.select(Category.id, Category.code, Category.name_zh)):
            index.categories[code] = cat_id
            index.categories.setdefault(name_zh, cat_id)
        return index

    def category(self, kind: str, source: SourceFormat) -> int | None:
        for candidate in (source.kinds.get(kind), kind, *(re.split(r"[-/—]", kind)[:1] if kind else ())):
            found = self._category_or_parent(candidate)
            if found is not None:
                return found
        return self._category_or_parent(source.fallback_category)

    def _category_or_parent(self, code: str | None) -> int | None:
        if not code:
            return None
        return self.categories.get(code) or self.categories.get(source_parent(code))


def source_parent(code: str) -> str:
    return code.split(".", 1)[0]


def header_positions(header: list[str], source: SourceFormat) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Where each field's column is, and a problem for each required column the header lacks."""
    positions, problems = {}, []
    for name, titles in source.columns.items():
        found = next((header.index(t) for t in titles if t in header), None)
        if found is not None:
            positions[name] = found
        elif name in source.required:
            problems.append((titles[0], _l("This column is missing from the header row.")))
    return positions, problems


def parse_row(values: list, *, positions: dict[str, int], source: SourceFormat, index: CountyIndex,
              today: date) -> tuple[MatterRow | None, list[tuple[str, str]]]:
    """Check one row; returns the matter or the (column, message) problems (messages translated)."""
    cells = {name: _text(values[pos]) if pos < len(values) else "" for name, pos in positions.items()}
    raw_date = values[positions["received_at"]] if positions.get("received_at", 1 << 30) < len(values) else None
    problems: list[tuple[str, str]] = []

    def column(name):
        return source.columns[name][0]

    for name in sorted(source.required):
        if name != "received_at" and not cells.get(name):
            problems.append((column(name), _l("This cell is empty.")))
    for name, limit in MAX_LENGTHS.items():
        if len(cells.get(name, "")) > limit:
            problems.append((column(name), _l("At most %(count)d characters.", count=limit)))
    received = parse_when(raw_date)
    if received is None:
        problems.append((column("received_at"), _l("Not a date and time (e.g. 2026-11-03 09:15).")))
    elif not EARLIEST <= received.date() <= today:
        problems.append((column("received_at"), _l("The date lies in the future or before 2000.")))
    phone = None
    if cells.get("phone"):
        try:
            phone = validate_phone(cells["phone"])
        except InvalidPhoneNumber as err:
            problems.append((column("phone"), err.message))
    id_number = None
    if cells.get("id_number"):
        try:
            id_number = validate_resident_id(cells["id_number"], today).normalized
        except InvalidIdNumber as err:
            problems.append((column("id_number"), err.message))
    place_id = _place(cells, source, index, problems)
    category_id = index.category(cells.get("category", ""), source)
    if category_id is None:
        problems.append((column("category"), _l("No category of that name, and no fallback category.")))
    if problems:
        return None, problems
    facts = cells.get("facts", "")
    if cells.get("address"):
        facts = f"{facts}\n发生地址：{cells['address']}"
    if source.code == "grid":
        facts = f"{facts}\n上报网格员：{cells['reporter']}"
    return MatterRow(source_id=cells["source_id"], received_on=received.date(),
                     name=cells.get("name") or cells.get("reporter", ""), phone=phone, id_number=id_number,
                     place_id=place_id, category_id=category_id, title=cells.get("title") or subject_of(facts),
                     facts=facts, demand=cells.get("demand", "")), []


def _place(cells, source, index: CountyIndex, problems) -> int | None:
    if "grid" in source.columns:
        grid = cells.get("grid", "")
        found = index.grids.get(grid)
        if grid and found is None:
            message = _l("Two grids of the county have this name: use the grid code.") if grid in index.grids \
                else _l("No grid of %(county)s has this name or code.", county=index.county.name)
            problems.append((source.columns["grid"][0], message))
        return found
    town_text = cells.get("town", "")
    town = index.towns.get(town_text)
    if town_text and town is None:
        problems.append((source.columns["town"][0],
                         _l("No town of %(county)s has this name or code.", county=index.county.name)))
        return None
    village_text = cells.get("village", "")
    if town is not None and village_text:
        village = index.villages.get((town, village_text))
        if village is None:
            problems.append((source.columns["village"][0], _l("No village of that town has this name or code.")))
        return village
    return town


def subject_of(facts: str) -> str:
    """The first sentence of the facts, as the subject of a matter whose source has none."""
    first = re.split(r"[。！？!?\n]", facts.strip(), maxsplit=1)[0].strip()
    return (first[:60] + "…") if len(first) > 60 else first


def parse_when(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return EXCEL_EPOCH + timedelta(days=float(value)) if 20000 < value < 80000 else None
    text = " ".join(str(value or "").split())
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)   # a spreadsheet's number cell (a phone or an id typed as a number)
    return str(value).strip()
