"""The org tree (city → county → town → village → grid), sites, rooms, departments and categories."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db


class Level(TitledEnum):
    city = "city"
    county = "county"
    town = "town"
    village = "village"
    grid = "grid"

    @staticmethod
    def __titles__():
        return {"city": _l("City"), "county": _l("County"), "town": _l("Town / street"),
                "village": _l("Village / community"), "grid": _l("Grid")}


LEVEL_ORDER = [Level.city, Level.county, Level.town, Level.village, Level.grid]


class PlaceMixin:
    """Denormalised ancestors, so scope and report filters are plain indexed equality tests."""

    city_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    county_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    town_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"))
    grid_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"))

    def place_at(self, unit: "OrgUnit") -> None:
        for level in LEVEL_ORDER:
            setattr(self, f"{level.value}_id", getattr(unit, f"{level.value}_id"))

    @property
    def place_unit_id(self) -> int | None:
        return self.grid_id or self.village_id or self.town_id or self.county_id or self.city_id


class OrgUnit(db.Model):
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    level: Mapped[Level] = mapped_column(enum_column(Level))
    kind: Mapped[str] = mapped_column(sa.String(8), default="")
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    # Reference-number prefix for a county (e.g. TS for 台山).
    prefix: Mapped[str | None] = mapped_column(sa.String(4))
    city_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    county_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    town_id: Mapped[int | None] = mapped_column(sa.Integer, index=True)
    village_id: Mapped[int | None] = mapped_column(sa.Integer)
    grid_id: Mapped[int | None] = mapped_column(sa.Integer)

    parent: Mapped["OrgUnit | None"] = relationship(remote_side=[id], lazy="joined", join_depth=1)

    def attach(self, parent: "OrgUnit | None") -> None:
        """Set parent and the ancestor columns (the unit itself counts at its own level)."""
        self.parent = parent
        for level in LEVEL_ORDER:
            setattr(self, f"{level.value}_id", getattr(parent, f"{level.value}_id") if parent else None)
        setattr(self, f"{self.level.value}_id", self.id)

    @property
    def full_name(self) -> str:
        names, unit = [], self
        while unit is not None and unit.level != Level.city:
            names.append(unit.name)
            unit = unit.parent
        return "".join(reversed(names)) or self.name

    def __str__(self) -> str:
        return self.name


def full_names(ids, known: dict[int, str] | None = None) -> dict[int, str]:
    """OrgUnit.full_name of some units, read with their ancestors one level per query (at most five), not one
    unit at a time: for lists and exports of many rows. ``known`` (names found before) is extended and returned."""
    names = {} if known is None else known
    todo = {i for i in ids if i} - names.keys()
    if not todo:
        return names
    units: dict[int, tuple] = {}
    wanted, asking = set(todo), set(todo)
    while asking:
        rows = db.session.execute(sa.select(OrgUnit.id, OrgUnit.name, OrgUnit.level, OrgUnit.parent_id)
                                  .where(OrgUnit.id.in_(asking))).all()
        units.update((row.id, (row.name, row.level, row.parent_id)) for row in rows)
        asking = {parent for _name, level, parent in (units[r.id] for r in rows)
                  if parent and level != Level.city and parent not in units}
    for unit_id in wanted & units.keys():
        parts, at = [], unit_id
        while at in units and units[at][1] != Level.city:
            parts.append(units[at][0])
            at = units[at][2]
        names[unit_id] = "".join(reversed(parts)) or units[unit_id][0]
    return names


class SiteLevel(TitledEnum):
    county_center = "county_center"
    town_station = "town_station"
    village_point = "village_point"

    @staticmethod
    def __titles__():
        return {"county_center": _l("County petition supermarket"),
                "town_station": _l("Town service station"),
                "village_point": _l("Village service point")}


class Site(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[SiteLevel] = mapped_column(enum_column(SiteLevel))

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
    rooms: Mapped[list["Room"]] = relationship(back_populates="site", order_by="Room.id")

    def __str__(self) -> str:
        return self.name


class Room(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(32))
    name_zh: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(80))
    ticket_prefix: Mapped[str] = mapped_column(sa.String(2))
    roles: Mapped[str] = mapped_column(sa.String(120), default="")

    site: Mapped[Site] = relationship(back_populates="rooms")

    @property
    def name(self) -> str:
        from desk.i18n import pick_name
        return pick_name(self.name_zh, self.name_en)

    def __str__(self) -> str:
        return self.name


class Department(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    county_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    name_zh: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(120))

    county: Mapped[OrgUnit] = relationship()

    __table_args__ = (sa.UniqueConstraint("county_id", "code"),)

    @property
    def name(self) -> str:
        from desk.i18n import pick_name
        return pick_name(self.name_zh, self.name_en)

    def __str__(self) -> str:
        return self.name

    def visible_to(self, user) -> bool:
        """A county's department is seen from the county, the city above it and the towns and villages in it
        (desk.access.find_in_scope asks this: a department has no place columns of its own)."""
        unit = user.org_unit
        return getattr(self.county, f"{unit.level.value}_id") == unit.id or unit.county_id == self.county_id


class Category(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    name_zh: Mapped[str] = mapped_column(sa.String(80))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    # Talent roles that fit this category (comma-separated role codes) and the usual department.
    roles: Mapped[str] = mapped_column(sa.String(120), default="")
    department_code: Mapped[str | None] = mapped_column(sa.String(32))

    parent: Mapped["Category | None"] = relationship(remote_side=[id])

    @property
    def name(self) -> str:
        from desk.i18n import pick_name
        return pick_name(self.name_zh, self.name_en)

    def __str__(self) -> str:
        return self.name
