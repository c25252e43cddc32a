"""Grid events on the dashboard and in the monthly summary (intake.grid.measures): reported, closed (办结率),
handled on time, for the scope and for each area below it, every figure linking to its events."""
from datetime import date

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Level, OrgUnit


def _measures():
    try:
        from intake.grid import measures
    except ModuleNotFoundError as err:
        if err.name not in ("intake.grid", "intake.grid.measures"):
            raise
        return None
    return measures


def _areas(unit: OrgUnit, start: date, end: date, measures) -> list[dict]:
    """The city by county, a county by town, a town or a village by grid (areas without events left out)."""
    if unit.level == Level.city:
        counties = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level == Level.county,
                                                               OrgUnit.city_id == unit.id).order_by(OrgUnit.code))
        rows = [{"unit": county, **measures.event_measures(unit=county, start=start, end=end)} for county in counties]
        return [r for r in rows if r["reported"]]
    if unit.level == Level.county:
        return measures.events_by_town(unit=unit, start=start, end=end)
    return measures.events_by_grid(unit=unit, start=start, end=end)


def grid_events(*, unit: OrgUnit, start: date, end: date) -> dict | None:
    """{"total": figures of the scope, "areas": [figures of each area below, with "unit_id" and "name"]};
    None while grid events are not installed."""
    measures = _measures()
    if measures is None:
        return None
    total = measures.event_measures(unit=unit, start=start, end=end)
    areas = [{**{k: v for k, v in row.items() if k != "unit"}, "unit_id": row["unit"].id, "name": row["unit"].name}
             for row in _areas(unit, start, end, measures)]
    return {"total": total, "areas": areas}


def _ids(figure: str):
    def ids(unit: OrgUnit, start: date, end: date):
        return _measures().event_ids(unit=unit, start=start, end=end, figure=figure)
    return ids


# The drill-downs (reports.dashboard.drill): the events behind each figure; the rates' parts are figures too.
DRILLS = {} if _measures() is None else {
    "grid_reported": (_ids("reported"), None),
    "grid_closed": (_ids("closed"), None),
    "grid_closure_rate": (_ids("closed"), _ids("reported")),
    "grid_handled": (_ids("handled"), None),
    "grid_on_time": (_ids("on_time"), None),
    "grid_on_time_rate": (_ids("on_time"), _ids("handled")),
}
