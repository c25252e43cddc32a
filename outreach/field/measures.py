"""Outreach person-times (人次, DOMAIN.md "Satisfaction and other measures"): plain SQL aggregates over
service records, by service kind, by site or by member, for any period and org scope.

The reports area calls ``person_times`` and ``service_satisfaction`` for the dashboard and the monthly PDF."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.extensions import db
from desk.models import OrgUnit, Site
from outreach.assignments.models import ServiceKind
from outreach.field.models import ServiceRecord
from referrals.talent.models import Talent

GROUPINGS = ("kind", "site", "talent")


def _in_unit(unit: OrgUnit):
    return getattr(ServiceRecord, f"{unit.level.value}_id") == unit.id


def person_times(*, unit: OrgUnit, start: date, end: date, by: str = "kind") -> list[dict]:
    """Service records and people served inside ``unit`` with start <= served_on < end, grouped ``by``
    "kind", "site" or "talent"; each row: key, label, services (records), people (sum of people served).

    Rows come biggest first (by people, then services, then key). By kind, every service kind has its row,
    zero included, so a quiet month still shows what the desk offers; by site or member, only those that
    served appear."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    r = ServiceRecord
    where = (_in_unit(unit), r.served_on >= start, r.served_on < end)
    services, people = sa.func.count(r.id).label("services"), sa.func.coalesce(sa.func.sum(r.people_served), 0)
    people = people.label("people")
    if by == "kind":
        counted = {kind: (n, int(p)) for kind, n, p in
                   db.session.execute(sa.select(r.kind, services, people).where(*where).group_by(r.kind))}
        result = [{"key": kind.value, "label": str(kind.title), "services": counted.get(kind, (0, 0))[0],
                   "people": counted.get(kind, (0, 0))[1]} for kind in ServiceKind]
    elif by == "talent":
        rows = db.session.execute(sa.select(r.talent_id, Talent.name, services, people)
                                  .join(Talent, Talent.id == r.talent_id).where(*where)
                                  .group_by(r.talent_id, Talent.name)).all()
        result = [{"key": talent_id, "label": name, "services": n, "people": int(p)}
                  for talent_id, name, n, p in rows]
    else:
        result = _by_site(where, services, people)
    result.sort(key=lambda row: (-row["people"], -row["services"], str(row["key"])))
    return result


def _by_site(where, services, people) -> list[dict]:
    """A request without a site counts at its place (the village, else the town, else the county)."""
    r = ServiceRecord
    place = sa.func.coalesce(r.village_id, r.town_id, r.county_id)
    rows = db.session.execute(sa.select(r.site_id, Site.name, place.label("unit_id"), OrgUnit.name,
                                        services, people)
                              .outerjoin(Site, Site.id == r.site_id)
                              .outerjoin(OrgUnit, OrgUnit.id == place)
                              .where(*where).group_by(r.site_id, Site.name, place, OrgUnit.name)).all()
    merged: dict[str, dict] = {}
    for site_id, site_name, unit_id, unit_name, n, p in rows:
        if site_id:
            key, label = f"site:{site_id}", site_name
        else:
            key, label = f"unit:{unit_id}", str(_l("%(place)s (no site)", place=unit_name or "?"))
        row = merged.setdefault(key, {"key": key, "label": label, "services": 0, "people": 0})
        row["services"] += n
        row["people"] += int(p)
    return list(merged.values())


def totals(rows: list[dict]) -> dict:
    return {"services": sum(row["services"] for row in rows), "people": sum(row["people"] for row in rows)}


def service_satisfaction(*, unit: OrgUnit, start: date, end: date) -> dict:
    """Outreach satisfaction (群众满意度) inside ``unit`` for start <= served_on < end: "rated" = people served
    who rated the service, "satisfied" = of them satisfied or basically satisfied, "services" = services
    with any rating (DOMAIN.md: the same scale as a concluded matter)."""
    r = ServiceRecord
    rated = r.rated_satisfied + r.rated_basic + r.rated_dissatisfied
    row = db.session.execute(sa.select(sa.func.coalesce(sa.func.sum(rated), 0),
                                       sa.func.coalesce(sa.func.sum(r.rated_satisfied + r.rated_basic), 0),
                                       sa.func.count(sa.case((rated > 0, r.id), else_=None)))
                             .where(_in_unit(unit), r.served_on >= start, r.served_on < end)).one()
    return {"rated": int(row[0]), "satisfied": int(row[1]), "services": int(row[2])}


def talent_history(talent_id: int, *, limit: int = 200) -> list[ServiceRecord]:
    """A member's own service records, newest first (their history page)."""
    return list(db.session.scalars(sa.select(ServiceRecord).where(ServiceRecord.talent_id == talent_id)
                                   .order_by(ServiceRecord.served_on.desc(), ServiceRecord.id.desc())
                                   .limit(limit)))


__all__ = ["GROUPINGS", "person_times", "service_satisfaction", "talent_history", "totals"]
