"""The dashboard's measures that other areas own (outreach, dispatch orders), read through each area's own
measures module, and absent while that area is not installed."""
from datetime import date

from desk.models import OrgUnit


def outreach_by_kind(*, unit: OrgUnit, start: date, end: date) -> list[dict] | None:
    """Outreach person-times by service kind (outreach.field.measures); None while that area is not installed."""
    try:
        from outreach.field.measures import person_times
    except ModuleNotFoundError as err:
        if err.name not in ("outreach.field.measures", "outreach.field", "outreach"):
            raise
        return None
    return person_times(unit=unit, start=start, end=end, by="kind")


def orders(*, unit: OrgUnit, start: date, end: date) -> tuple[dict | None, list[dict]]:
    """Dispatch-order totals and the per-department rows (referrals.orders.measures); None while not installed."""
    try:
        from referrals.orders.measures import order_measures, orders_by_department
    except ModuleNotFoundError as err:
        if err.name not in ("referrals.orders.measures", "referrals.orders"):
            raise
        return None, []
    return (order_measures(unit=unit, start=start, end=end),
            orders_by_department(unit=unit, start=start, end=end))
