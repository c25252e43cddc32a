"""The org tree from a CSV file, and what the desk needs for it: sites with rooms, county departments and
the category taxonomy. The demo seeder builds its city with the same functions.

File format (UTF-8, a BOM is tolerated), one org unit a row, parents anywhere in the file or already in
the database::

    code,name,level,parent_code,prefix
    440700,江门市,city,,
    440781,台山市,county,440700,TS
    440781001,台城街道,town,440781,
"""
import csv
import io
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import click
import sqlalchemy as sa
from sqlalchemy.orm import aliased

from desk.demo import catalog, geography
from desk.extensions import db
from desk.models import LEVEL_ORDER, Category, Department, Level, OrgUnit, Room, Site, SiteLevel

HEADER = ("code", "name", "level", "parent_code", "prefix")
SITE_LEVEL = {Level.county: SiteLevel.county_center, Level.town: SiteLevel.town_station,
              Level.village: SiteLevel.village_point}
SITE_SUFFIX = {SiteLevel.county_center: "信访超市", SiteLevel.town_station: "综治中心服务站",
               SiteLevel.village_point: "服务点"}
# The last characters of a name tell its kind (市, 区, 镇, 街道, 村, 社区, 网格), longest first.
KINDS = ("街道", "社区", "网格", "市", "区", "县", "镇", "乡", "村")
LEVELS = tuple(level.value for level in LEVEL_ORDER)
PREFIX = re.compile(r"[A-Z]{2,4}")
BATCH = 1000
CODE_LENGTH = OrgUnit.__table__.c.code.type.length
NAME_LENGTH = OrgUnit.__table__.c.name.type.length


@dataclass(frozen=True)
class OrgRow:
    line: int                # line in the file (the header is line 1); 0 when not from a file
    code: str
    name: str
    level: Level | None      # None: not a known level (reported by check_rows)
    parent_code: str | None
    prefix: str | None
    kind: str = ""
    level_text: str = ""     # the level as written in the file


@dataclass
class ImportResult:
    added: dict[Level, int] = field(default_factory=dict)
    already: int = 0
    sites: int = 0
    rooms: int = 0
    departments: int = 0
    categories: int = 0

    def summary(self) -> str:
        levels = ", ".join(f"{level.value} {self.added.get(level, 0)}" for level in LEVEL_ORDER)
        return (f"org units: {sum(self.added.values())} added ({levels}), {self.already} already there; "
                f"added {self.sites} sites, {self.rooms} rooms, {self.departments} departments, "
                f"{self.categories} categories")


class OrgFileError(ValueError):
    """The file cannot be imported; ``problems`` lists each bad row ("line 7: ...")."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the org file")
        self.problems = problems


def kind_of(name: str) -> str:
    return next((kind for kind in KINDS if name.endswith(kind)), "")


def read_org_csv(stream) -> list[OrgRow]:
    """Parse the CSV text (``stream`` yields lines); raises OrgFileError for a bad header or encoding."""
    try:
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            raise OrgFileError(["line 1: the file is empty"])
        header = [column.strip().lstrip("\ufeff").lower() for column in header]
        if tuple(header[:len(HEADER)]) != HEADER:
            raise OrgFileError([f"line 1: the header must be {','.join(HEADER)}, not {','.join(header)}"])
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            values = [value.strip() for value in values] + [""] * len(HEADER)
            code, name, level, parent_code, prefix = values[:len(HEADER)]
            rows.append(OrgRow(line=reader.line_num, code=code, name=name,
                               level=Level.__members__.get(level.lower()), parent_code=parent_code or None,
                               prefix=prefix.upper() or None, kind=kind_of(name), level_text=level))
        return rows
    except UnicodeDecodeError as err:
        raise OrgFileError([f"the file is not UTF-8 text ({err.reason} at byte {err.start})"]) from err


def check_rows(rows: list[OrgRow]) -> list[str]:
    """Every problem of every row, as "line N: ..." (empty when the file can be imported)."""
    parent = aliased(OrgUnit)
    in_db = {code: (level, parent_code) for code, level, parent_code in db.session.execute(
        sa.select(OrgUnit.code, OrgUnit.level, parent.code).outerjoin(parent, OrgUnit.parent_id == parent.id))}
    db_prefixes = {prefix: code for code, prefix in db.session.execute(
        sa.select(OrgUnit.code, OrgUnit.prefix).where(OrgUnit.prefix.is_not(None)))}
    first_line: dict[str, int] = {}
    in_file: dict[str, Level] = {}
    for row in rows:
        if row.code and row.code not in first_line:
            first_line[row.code] = row.line
            if row.level is not None:
                in_file[row.code] = row.level
    prefixes: dict[str, int] = {}
    problems = []
    for row in rows:
        said = []
        if not row.code:
            said.append("the code is empty")
        elif len(row.code) > CODE_LENGTH:
            said.append(f"the code is longer than {CODE_LENGTH} characters")
        elif first_line[row.code] != row.line:
            said.append(f"duplicate code {row.code} (first on line {first_line[row.code]})")
        if not row.name:
            said.append("the name is empty")
        elif len(row.name) > NAME_LENGTH:
            said.append(f"the name is longer than {NAME_LENGTH} characters")
        if row.level is None:
            said.append(f"unknown level {row.level_text!r} (one of {', '.join(LEVELS)})")
        else:
            said.extend(_parent_problems(row, in_file, first_line, in_db))
            said.extend(_prefix_problems(row, prefixes, db_prefixes))
        if row.level and row.code in in_db and in_db[row.code] != (row.level, row.parent_code):
            level, parent_code = in_db[row.code]
            said.append(f"{row.code} is already in the database as a {level.value}"
                        f"{' under ' + parent_code if parent_code else ' without a parent'}")
        problems.extend(f"line {row.line}: {text}" for text in said)
    return problems


def _prefix_problems(row: OrgRow, prefixes: dict[str, int], db_prefixes: dict[str, str]) -> list[str]:
    """A county needs its own prefix; other levels have none. ``prefixes`` collects the file's."""
    if row.level != Level.county:
        return ["only a county has a prefix"] if row.prefix else []
    if not row.prefix or not PREFIX.fullmatch(row.prefix):
        return ["a county needs a reference prefix of 2 to 4 letters (e.g. TS)"]
    if row.prefix in prefixes:
        return [f"prefix {row.prefix} is already used on line {prefixes[row.prefix]}"]
    if db_prefixes.get(row.prefix, row.code) != row.code:
        return [f"prefix {row.prefix} is already used by {db_prefixes[row.prefix]} in the database"]
    prefixes[row.prefix] = row.line
    return []


def _parent_problems(row: OrgRow, in_file: dict[str, Level], first_line: dict[str, int], in_db: dict) -> list[str]:
    above = LEVEL_ORDER.index(row.level) - 1
    if above < 0:
        return [f"a city has no parent (parent_code {row.parent_code})"] if row.parent_code else []
    if not row.parent_code:
        return [f"a {row.level.value} needs a parent_code"]
    parent_level = in_db[row.parent_code][0] if row.parent_code in in_db else in_file.get(row.parent_code)
    if parent_level is None and row.parent_code in first_line:
        return [f"parent {row.parent_code} (line {first_line[row.parent_code]}) has an unknown level"]
    if parent_level is None:
        return [f"parent {row.parent_code} is neither in the file nor in the database"]
    if parent_level != LEVEL_ORDER[above]:
        return [f"parent {row.parent_code} is a {parent_level.value}; a {row.level.value} belongs to a "
                f"{LEVEL_ORDER[above].value}"]
    return []


def import_org(rows: list[OrgRow], *, progress: bool = False) -> ImportResult:
    """Check every row, then add the new units level by level, then sites, rooms, departments and
    categories where missing. Writes nothing when a row is bad (raises OrgFileError). No commit."""
    problems = check_rows(rows)
    if problems:
        raise OrgFileError(problems)
    known = {unit.code: unit for unit in db.session.scalars(sa.select(OrgUnit))}
    result = ImportResult(already=sum(1 for row in rows if row.code in known))
    new = [row for row in rows if row.code not in known]
    with _bar(progress, len(new), "org units") as bar:
        for level in LEVEL_ORDER:
            batch = [row for row in new if row.level == level]
            for start in range(0, len(batch), BATCH):
                known.update((unit.code, unit) for unit in add_units(batch[start:start + BATCH], known))
                bar.update(len(batch[start:start + BATCH]))
            result.added[level] = len(batch)
    with_site = set(db.session.scalars(sa.select(Site.org_unit_id)))
    units = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level.in_(list(SITE_LEVEL)))
                               .order_by(OrgUnit.id)).all()
    needing = [unit for unit in units if unit.id not in with_site]
    with _bar(progress, len(needing), "sites") as bar:
        sites = add_sites(_counted(needing, bar), random.Random(0))
    result.sites, result.rooms = len(sites), sum(len(site.rooms) for site in sites.values())
    with_departments = set(db.session.scalars(sa.select(Department.county_id).distinct()))
    result.departments = len(add_departments(unit for unit in units if unit.level == Level.county
                                             and unit.id not in with_departments))
    if db.session.scalar(sa.select(Category.id).limit(1)) is None:
        result.categories = len(add_categories())
    return result


def add_units(rows: Iterable[OrgRow], known: dict[str, OrgUnit]) -> list[OrgUnit]:
    """Insert the units of ``rows`` (their parents already in ``known``) and set their ancestor columns."""
    created = []
    for row in rows:
        parent = known[row.parent_code] if row.parent_code else None
        unit = OrgUnit(code=row.code, name=row.name, level=row.level, kind=row.kind, prefix=row.prefix,
                       parent_id=parent.id if parent else None)
        db.session.add(unit)
        created.append((unit, parent))
    db.session.flush()
    for unit, parent in created:
        unit.attach(parent)
    db.session.flush()
    return [unit for unit, _parent in created]


def add_sites(units: Iterable[OrgUnit], rng: random.Random) -> dict[int, Site]:
    """A site with its rooms for each county, town and village of ``units`` (by org unit id)."""
    sites = {}
    for unit in units:
        if unit.level not in SITE_LEVEL:
            continue
        site_level = SITE_LEVEL[unit.level]
        site = Site(org_unit_id=unit.id, name=unit.name + SITE_SUFFIX[site_level], level=site_level)
        db.session.add(site)
        for kind in catalog.rooms_for_site(unit.level.value, rng):
            site.rooms.append(Room(kind=kind.code, name_zh=kind.name_zh, name_en=kind.name_en,
                                   ticket_prefix=kind.ticket_prefix, roles=",".join(kind.roles)))
        sites[unit.id] = site
    db.session.flush()
    return sites


def add_departments(counties: Iterable[OrgUnit]) -> dict[tuple[int, str], Department]:
    """The catalog's departments for each county, by (county id, department code)."""
    departments = {}
    for county in counties:
        for spec in catalog.DEPARTMENTS:
            department = Department(county_id=county.id, code=spec.code, name_zh=spec.name_zh,
                                    name_en=spec.name_en)
            db.session.add(department)
            departments[(county.id, spec.code)] = department
    db.session.flush()
    return departments


def add_categories() -> dict[str, Category]:
    """The catalog's category taxonomy (into an empty table), by code."""
    categories: dict[str, Category] = {}
    for spec in catalog.CATEGORIES:
        category = Category(code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en,
                            roles=",".join(spec.roles), department_code=spec.department_code,
                            parent_id=categories[spec.parent_code].id if spec.parent_code else None)
        db.session.add(category)
        db.session.flush()
        categories[spec.code] = category
    return categories


def demo_rows(size: str, rng: random.Random) -> list[OrgRow]:
    """The demo city (desk/demo/geography.py) as import rows."""
    return [OrgRow(line=0, code=spec.code, name=spec.name, level=Level(spec.level), parent_code=spec.parent_code,
                   prefix=geography.COUNTY_PREFIX.get(spec.code), kind=spec.kind)
            for spec in geography.jiangmen_places(size, rng)]


def sample_csv(size: str = "city", seed: int = 7) -> str:
    """The demo geography in the import format: a file an operator can start from."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in demo_rows(size, random.Random(seed)):
        writer.writerow([row.code, row.name, row.level.value, row.parent_code or "", row.prefix or ""])
    return out.getvalue()


class _Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, count: int) -> None:
        pass


def _bar(progress: bool, length: int, label: str):
    if progress and length > BATCH:
        return click.progressbar(length=length, label=label, show_pos=True)
    return _Quiet()


def _counted(items: list, bar):
    for item in items:
        yield item
        bar.update(1)
