"""Dispatch-order measures (DOMAIN.md): orders issued, signed on time, fed back on time, returned,
verified, overdue now, staff-visits to the grassroots (人次), and per department its on-time rate and
average rating. One SQL aggregate each; the reports area calls these for the dashboard and the PDF.

Definitions (orders *issued* in [start, end), local China dates, inside ``unit``):
- signed on time: signed_at <= sign_due_at;  fed back on time: first report at or before feedback_due_at;
- returned: orders returned at least once;  verified: closed by the issuing town;
- overdue now: a clock still running past its due (desk: referrals.orders.services.overdue_clause) at ``now``;
- overdue at the end (orders issued in any period): the same, rebuilt from the dated history at the end of the
  period (``overdue_at``): not signed by then past the signing limit, or feedback owed then past its limit —
  no report yet, or the last report returned (each return is a dated audit row);
- on-time feedback rate: fed back on time / orders whose feedback is in or due (reported, or due before now);
  None when there is none, never a division by zero;
- average rating: mean of (speed + handling + result) / 3 over rated orders, None when none rated.
"""
from datetime import date, datetime, time, timezone

import sqlalchemy as sa

from desk.access import unit_column
from desk.extensions import db
from desk.i18n import pick_name
from desk.models import AuditEntry, Department, OrgUnit
from desk.timeutil import LOCAL, utcnow
from referrals.orders.models import DispatchOrder, OrderReport, OrderStatus
from referrals.orders.services import overdue_clause

O = DispatchOrder


def _utc(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)


def _count(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def overdue_at(on: datetime):
    """SQL: the order was overdue at the instant ``on`` (naive UTC), from its dated history, not today's status."""
    reports = sa.select(sa.func.count(OrderReport.id)).where(OrderReport.order_id == O.id, OrderReport.at < on)
    returns = sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.entity == "dispatch_order", AuditEntry.entity_id == O.id, AuditEntry.action == "return",
        AuditEntry.at < on)
    unsigned = sa.or_(O.signed_at.is_(None), O.signed_at >= on)
    owed = reports.scalar_subquery() == returns.scalar_subquery()     # none yet, or every report returned
    return sa.and_(O.issued_at < on, sa.or_(sa.and_(unsigned, O.sign_due_at < on),
                                            sa.and_(O.feedback_due_at < on, owed)))


# The counted conditions, shared by the figures and their drill-downs (DRILLS), so a list equals its figure.
CONDITIONS = {
    "issued": sa.true(),
    "signed_on_time": sa.and_(O.signed_at.is_not(None), O.signed_at <= O.sign_due_at),
    "fed_back_on_time": sa.and_(O.reported_at.is_not(None), O.reported_at <= O.feedback_due_at),
    "returned": O.returned_count > 0,
    "verified": O.status == OrderStatus.verified,
}


def _columns(now: datetime) -> dict:
    decided = sa.or_(O.reported_at.is_not(None), O.feedback_due_at < now)
    return {
        "issued": sa.func.count(O.id),
        **{key: _count(condition) for key, condition in CONDITIONS.items() if key != "issued"},
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
    result["overdue_at_end"] = sum(_overdue_at_end(unit, end).values())
    return result


def _overdue_at_end(unit: OrgUnit, end: date) -> dict[int, int]:
    """Lead department id -> orders (issued in any month) overdue at the start of ``end``."""
    on = _utc(end)
    return dict(db.session.execute(
        sa.select(O.department_id, sa.func.count()).where(unit_column(O, unit.level) == unit.id, overdue_at(on))
        .group_by(O.department_id)).all())


def orders_by_department(*, unit: OrgUnit, start: date, end: date, now: datetime | None = None) -> list[dict]:
    """One row per lead department with orders issued in the period or overdue at its end, most orders first.

    "overdue_at_end" counts every order overdue at the end of the period, whenever it was issued; the other
    columns count the orders issued in the period."""
    overdue = _overdue_at_end(unit, end)
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
            "overdue_at_end": overdue.pop(r.id, 0),
            "staff_visits": int(r.staff_visits),
            "avg_rating": (float(r.rating_sum) / (3 * rated)) if rated else None,
        })
    if overdue:        # departments with no order issued in the period but older orders overdue at its end
        for d in db.session.scalars(sa.select(Department).where(Department.id.in_(overdue)).order_by(Department.id)):
            rows.append({"department_id": d.id, "department": pick_name(d.name_zh, d.name_en), "name_zh": d.name_zh,
                         "name_en": d.name_en, "issued": 0, "signed_on_time": 0, "fed_back_on_time": 0,
                         "on_time_rate": None, "returned": 0, "verified": 0, "overdue": 0,
                         "overdue_at_end": overdue[d.id], "staff_visits": 0, "avg_rating": None})
    return rows


def _listed(key: str):
    def order_ids(unit: OrgUnit, start: date, end: date):
        if key == "overdue_at_end":
            return sa.select(O.id).where(unit_column(O, unit.level) == unit.id, overdue_at(_utc(end)))
        return sa.select(O.id).where(_where(unit, start, end), CONDITIONS[key])
    return order_ids


# For reports.dashboard.drill: each order figure's list (ids of dispatch orders) for (unit, start, end).
DRILLS = {f"orders_{key}": (_listed(key), None) for key in (*CONDITIONS, "overdue_at_end")}
