"""Matters not heard on the petition track, counted by the route they were sent on (诉访分离)."""
from datetime import date

import sqlalchemy as sa

from desk.extensions import db
from desk.models import LITIGATION_ROUTES, Case, CaseStatus, OrgUnit, Route
from reports.dashboard.scope import count_if, scope


def routes_counted(*, unit: OrgUnit, start: date, end: date) -> list[dict]:
    """Every route (zeros included) with the matters decided in [start, end) that went that way: not accepted
    (the five statutory branches) or transferred (reports and accusations); litigation routes are marked."""
    counts = {route: (not_accepted, transferred) for route, not_accepted, transferred in db.session.execute(
        sa.select(Case.route, count_if(Case.status == CaseStatus.not_accepted),
                  count_if(Case.status == CaseStatus.transferred))
        .where(scope(Case, unit), Case.decided_on >= start, Case.decided_on < end, Case.route.is_not(None))
        .group_by(Case.route))}
    rows = []
    for route in Route:
        not_accepted, transferred = counts.get(route, (0, 0))
        rows.append({"route": route.value, "label": route.title, "not_accepted": int(not_accepted or 0),
                     "transferred": int(transferred or 0), "total": int(not_accepted or 0) + int(transferred or 0),
                     "litigation": route in LITIGATION_ROUTES})
    return rows


def _route_cases(route: Route):
    def cases(unit: OrgUnit, start: date, end: date):
        return sa.select(Case.id).where(scope(Case, unit), Case.route == route, Case.decided_on >= start,
                                        Case.decided_on < end)
    return cases


# The drill-down of each route's row: the matters counted in it (reports.dashboard.drill).
DRILLS = {f"route_{route.value}": (_route_cases(route), None) for route in Route}
