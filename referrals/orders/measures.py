"""Dispatch-order measures (DOMAIN.md): orders issued, signed on time, fed back on time, returned,
verified, overdue now, staff-visits to the grassroots (人次), and per department its on-time rate and
average rating. One SQL aggregate each; the reports area calls these for the dashboard and the PDF.

Definitions (orders *issued* in [start, end), local China dates, inside ``unit``):
- signed on time: signed_at <= sign_due_at;  fed back on time: first report at or before feedback_due_at;
- returned: orders returned at least once;  verified: closed by the issuing town;
- overdue now: a clock still running past its due (desk: referrals.orders.services.overdue_clause) at ``now``;
- on-time rate: fed back on time / orders whose feedback is in or due (reported, or due before now);
  None when there is none, never a division by zero;
- average rating: mean of (speed + handling + result) / 3 over rated orders, None when none rated.
"""
from datetime import date, datetime, time, timezone

import sqlalchemy as sa

from desk.access import unit_column
from desk.extensions import db
from desk.i18n import pick_name
from desk.models import Department, OrgUnit
from desk.timeutil import LOCAL, utcnow
from referrals.orders.models import DispatchOrder, OrderStatus
from referrals.orders.services import overdue_clause

O = DispatchOrder


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)


def _count(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def _columns(now: datetime) -> dict:
    decided = sa.or_(O.reported_at.is_not(None), O.feedback_due_at < now)
    return {
        "issued": sa.func.count(O.id),
        "signed_on_time": _count(sa.and_(O.signed_at.is_not(None), O.signed_at <= O.sign_due_at)),
        "fed_back_on_time": _count(sa.and_(O.reported_at.is_not(None), O.reported_at <= O.feedback_due_at)),
        "returned": _count(O.returned_count > 0),
        "verified": _count(O.status == OrderStatus.verified),
        "overdue": _count(overdue_clause(now)),
        "staff_visits": sa.func.coalesce(sa.func.sum(O.staff_visits), 0),
        "decided": _count(decided),
        "rated": _count(O.rated_at.is_not(None)),
        "rating_sum": sa.func.sum(sa.case((O.rated_at.is_not(None),
                                           O.rating_speed + O.rating_handling + O.rating_result), else_=None)),
    }


def _where(unit: OrgUnit, start: date, end: date):
    return sa.and_(unit_column(O, unit.level) == unit.id, O.issued_at >= _utc(start), O.issued_at < _utc(end))


def order_measures(*, unit: OrgUnit, start: date, end: date, now: datetime | None = None) -> dict:
    """Totals for orders issued in [start, end) inside ``unit`` (end exclusive)."""
    cols = _columns(now or utcnow())
    keys = ("issued", "signed_on_time", "fed_back_on_time", "returned", "verified", "overdue", "staff_visits")
    row = db.session.execute(sa.select(*[cols[k].label(k) for k in keys]).where(_where(unit, start, end))).one()
    result = {k: int(getattr(row, k) or 0) for k in keys}
    result["overdue_now"] = result.pop("overdue")
    return result


def orders_by_department(*, unit: OrgUnit, start: date, end: date, now: datetime | None = None) -> list[dict]:
    """One row per lead department with orders in the period, most orders first."""
    cols = _columns(now or utcnow())
    stmt = (sa.select(Department.id, Department.name_zh, Department.name_en, *[c.label(k) for k, c in cols.items()])
            .join(Department, Department.id == O.department_id)
            .where(_where(unit, start, end))
            .group_by(Department.id, Department.name_zh, Department.name_en)
            .order_by(sa.desc("issued"), Department.id))
    rows = []
    for r in db.session.execute(stmt):
        decided, rated = int(r.decided or 0), int(r.rated or 0)
        rows.append({
            "department_id": r.id, "department": pick_name(r.name_zh, r.name_en),
            "name_zh": r.name_zh, "name_en": r.name_en, "issued": int(r.issued),
            "signed_on_time": int(r.signed_on_time), "fed_back_on_time": int(r.fed_back_on_time),
            "on_time_rate": (int(r.fed_back_on_time) / decided) if decided else None,
            "returned": int(r.returned), "verified": int(r.verified), "overdue": int(r.overdue),
            "staff_visits": int(r.staff_visits),
            "avg_rating": (float(r.rating_sum) / (3 * rated)) if rated else None,
        })
    return rows
