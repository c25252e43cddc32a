"""Outreach satisfaction and the mediation success rate (化解率), reported beside the case measures
(DOMAIN.md, "Satisfaction and other measures"). The counting lives with the areas that own the records
(outreach.field.measures, outreach.mediation.measures); this module turns the counts into measures for the
dashboard, the exports and the monthly PDF, and names the cases behind the success rate for the drill-down.
"""
from datetime import date

from desk.models import Case, OrgUnit
from reports.dashboard.scope import month_bounds, scope, shift_month

KEYS = ("outreach_satisfaction", "mediation_success_rate")
# The outreach satisfaction counts people served, not cases: it has no list of cases behind it.
DRILLABLE = ("mediation_success_rate",)


def _counts(unit: OrgUnit, start: date, end: date) -> dict:
    """Raw counts, or None for a part whose area is not installed."""
    try:
        from outreach.field.measures import service_satisfaction
        from outreach.mediation.measures import mediation_outcomes
    except ModuleNotFoundError as err:
        if not (err.name or "").startswith("outreach"):
            raise
        return {"outreach": None, "mediation": None}
    return {"outreach": service_satisfaction(unit=unit, start=start, end=end),
            "mediation": mediation_outcomes(scope(Case, unit), start, end)}


def figures(*, unit: OrgUnit, start: date, end: date) -> list:
    """The two measures for [start, end) inside ``unit``; a rate with nothing to divide by is None ("—")."""
    from reports.dashboard.measures import Measure, ratio   # measures imports this module
    counts = _counts(unit, start, end)
    outreach = counts["outreach"] or {}
    mediation = counts["mediation"] or {}
    return [
        Measure("outreach_satisfaction", ratio(outreach.get("satisfied"), outreach.get("rated")),
                outreach.get("satisfied"), outreach.get("rated"), "rate"),
        Measure("mediation_success_rate", ratio(mediation.get("agreements"), mediation.get("ended")),
                mediation.get("agreements"), mediation.get("ended"), "rate"),
    ]


def figures_with_change(*, unit: OrgUnit, year: int, month: int) -> list:
    """Each measure for the month, with the previous month's and the same month last year's."""
    from reports.dashboard.measures import MeasureChange

    def of(y, m):
        start, end = month_bounds(y, m)
        return figures(unit=unit, start=start, end=end)

    now, previous, last_year = of(year, month), of(*shift_month(year, month, -1)), of(year - 1, month)
    return [MeasureChange(a, b, c) for a, b, c in zip(now, previous, last_year)]


def _mediated(agreement_only: bool):
    def cases(unit, start, end):
        from outreach.mediation.measures import ended_mediation_cases
        return ended_mediation_cases(scope(Case, unit), start, end, agreement_only=agreement_only)
    return cases


# For reports.dashboard.drill: the same SELECTs the figure counts, so the list and the figure agree.
DRILLS = {"mediation_success_rate": (_mediated(True), _mediated(False))}

__all__ = ["DRILLABLE", "DRILLS", "KEYS", "figures", "figures_with_change"]
