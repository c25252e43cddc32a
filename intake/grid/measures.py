"""Measures of grid events for a scope unit (city, county or town) and a period [start, end) of local days,
counted over the events *reported* in the period, from their dated history (so a figure never changes later
for the period, except by events still open then):

- reported: events reported in the period;
- closed: of those, closed by the period's end (办结; rated events were closed first; converted ones are not);
- closure rate (办结率) = closed / reported;
- handled: of those, handled by the period's end with a handling due (dispatched, or resolved on the spot);
- on time: of the handled, handled by their due (GRID_HANDLE_DAYS calendar days from dispatch);
- on-time rate = on time / handled.

``event_rows`` returns the events behind each figure, so a drill-down lists exactly the number shown.
"""
from datetime import date, datetime, time

import sqlalchemy as sa

from desk.access import unit_column
from desk.extensions import db
from desk.models import Level, OrgUnit
from desk.timeutil import utc_of_local
from intake.grid.models import GridEvent

FIGURES = ("reported", "closed", "handled", "on_time")
E = GridEvent


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    return utc_of_local(start, time(0)), utc_of_local(end, time(0))


def _conditions(figure: str, end_at: datetime) -> list:
    closed = sa.and_(E.closed_at.is_not(None), E.closed_at < end_at)
    handled = sa.and_(E.handled_at.is_not(None), E.handled_at < end_at, E.handle_due_at.is_not(None))
    return {"reported": [], "closed": [closed], "handled": [handled],
            "on_time": [handled, E.handled_at <= E.handle_due_at]}[figure]


def _in(unit: OrgUnit, start: date, end: date):
    start_at, end_at = _bounds(start, end)
    return [unit_column(E, unit.level) == unit.id, E.reported_at >= start_at, E.reported_at < end_at], end_at


def _count(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((sa.and_(*condition), 1), else_=0)), 0) if condition \
        else sa.func.count(E.id)


def _figures(row) -> dict:
    figures = {name: int(getattr(row, name) or 0) for name in FIGURES}
    figures["closure_rate"] = figures["closed"] / figures["reported"] if figures["reported"] else None
    figures["on_time_rate"] = figures["on_time"] / figures["handled"] if figures["handled"] else None
    return figures


def _select(unit: OrgUnit, start: date, end: date, *group):
    where, end_at = _in(unit, start, end)
    columns = [_count(_conditions(name, end_at)).label(name) for name in FIGURES]
    return sa.select(*group, *columns).where(*where)


def event_measures(*, unit: OrgUnit, start: date, end: date) -> dict:
    """The scope's totals: reported, closed, closure_rate, handled, on_time, on_time_rate."""
    return _figures(db.session.execute(_select(unit, start, end)).one())


def _by(column, level_units, unit, start, end) -> list[dict]:
    rows = {r[0]: r for r in db.session.execute(_select(unit, start, end, column).group_by(column))}
    return [{"unit": u, **_figures(rows[u.id])} for u in level_units if u.id in rows]


def events_by_town(*, unit: OrgUnit, start: date, end: date) -> list[dict]:
    """One row per town of the scope with events reported in the period, by town code."""
    towns = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level == Level.town, unit_column(OrgUnit, unit.level)
                                                        == unit.id).order_by(OrgUnit.code))
    return _by(E.town_id, list(towns), unit, start, end)


def events_by_grid(*, unit: OrgUnit, start: date, end: date) -> list[dict]:
    """One row per grid of the scope with events reported in the period, by grid code."""
    grids = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level == Level.grid, unit_column(OrgUnit, unit.level)
                                                        == unit.id).order_by(OrgUnit.code))
    return _by(E.grid_id, list(grids), unit, start, end)


def event_ids(*, unit: OrgUnit, start: date, end: date, figure: str):
    """A SELECT of the ids of the events behind one figure of ``event_measures`` (the unit may be a town or a
    grid for a row's drill-down): as many as the figure counts."""
    if figure not in FIGURES:
        raise ValueError(f"unknown grid event figure {figure!r}")
    where, end_at = _in(unit, start, end)
    return sa.select(E.id).where(*where, *_conditions(figure, end_at))


def event_rows(*, unit: OrgUnit, start: date, end: date, figure: str, limit: int | None = None) -> list[GridEvent]:
    """The events behind one figure of ``event_measures``, oldest report first."""
    ids = event_ids(unit=unit, start=start, end=end, figure=figure)
    stmt = sa.select(E).where(E.id.in_(ids)).order_by(E.reported_at, E.id)
    return list(db.session.scalars(stmt.limit(limit) if limit else stmt))
