"""Clocks of dispatch orders: reminders before the sign-for and feedback deadlines, overdue marked at the
deadline, escalation to the department's head and then to the county after a delay.

Each event fires once, even when two scheduler processes run at the same moment: a conditional UPDATE
stamps the order (sign_reminded_at, feedback_reminded_at, overdue_at, escalated_head_at,
escalated_county_at) and only the process whose UPDATE changed the row sends the notices, which carry
a dedupe_key as a second guard.

The department's "head": the desk has no head flag on users, so the head escalation goes to every
active officer of the lead department (the head is one of them); the county escalation goes to the
commanders and officials whose org unit is the order's county.
"""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from desk.extensions import db
from desk.models import Role, User, UserRole
from desk.notify import notify
from desk.scheduler import scheduled
from desk.timeutil import to_local
from referrals.orders.models import DispatchOrder, OrderStatus
from referrals.orders.services import OPEN, department_officer_ids, overdue_clause

O = DispatchOrder
S = OrderStatus


def _hours(key: str) -> timedelta:
    return timedelta(hours=current_app.config[key])


def _link(order_id: int) -> str:
    return f"/referrals/orders/{order_id}"


def _stamp(order_id: int, column: str, now: datetime, *conditions) -> bool:
    """Set the order's stamp if still empty and the conditions hold; True for the one process that won."""
    table = O.__table__
    return db.session.execute(table.update().where(table.c.id == order_id, table.c[column].is_(None),
                                                   *conditions).values({column: now})).rowcount == 1


# event -> (stamp column, candidate condition at ``now``)
def _conditions(event: str, now: datetime):
    remind = _hours("ORDER_REMIND_HOURS")
    if event == "sign_reminder":
        return "sign_reminded_at", [O.status == S.issued, O.sign_due_at <= now + remind, O.sign_due_at > now]
    if event == "feedback_reminder":
        return "feedback_reminded_at", [O.status.in_(OPEN), O.feedback_due_at <= now + remind,
                                        O.feedback_due_at > now]
    if event == "overdue":
        return "overdue_at", [overdue_clause(now)]
    if event == "escalate_head":
        return "escalated_head_at", [overdue_clause(now), O.overdue_at <= now - _hours("ORDER_ESCALATE_HEAD_HOURS")]
    if event == "escalate_county":
        return "escalated_county_at", [overdue_clause(now),
                                       O.overdue_at <= now - _hours("ORDER_ESCALATE_COUNTY_HOURS")]
    raise ValueError(event)


EVENTS = ("sign_reminder", "feedback_reminder", "overdue", "escalate_head", "escalate_county")


def due_events(event: str, now: datetime, limit: int = 5000) -> list[int]:
    """Ids of orders for which ``event`` is due and has not fired yet."""
    column, conditions = _conditions(event, now)
    return list(db.session.scalars(sa.select(O.id).where(getattr(O, column).is_(None), *conditions)
                                   .order_by(O.id).limit(limit)))


def fire(event: str, order_id: int, now: datetime) -> bool:
    """Stamp and notify once; False when the event already fired (another process) or no longer holds."""
    column, conditions = _conditions(event, now)
    if not _stamp(order_id, column, now, *conditions):
        return False
    order = db.session.get(O, order_id)
    db.session.refresh(order)
    for user_id, kind, params in _notices(event, order):
        notify(user_id, kind, link=_link(order.id), dedupe_key=f"{event}:{order.id}:{user_id}", **params)
    return True


def _notices(event: str, order: DispatchOrder):
    number = order.number
    if event in ("sign_reminder", "feedback_reminder"):
        due = order.sign_due_at if event == "sign_reminder" else order.feedback_due_at
        kind = "order_sign_due" if event == "sign_reminder" else "order_feedback_due"
        for user_id in department_officer_ids([order.department_id]):
            yield user_id, kind, {"number": number, "due": to_local(due).strftime("%Y-%m-%d %H:%M")}
        return
    if event == "overdue":
        issuer = [order.issued_by_id] if order.issued_by_id else []
        for user_id in dict.fromkeys(department_officer_ids([order.department_id]) + issuer):
            yield user_id, "order_overdue", {"number": number}
        return
    if event == "escalate_head":
        for user_id in department_officer_ids([order.department_id]):
            yield user_id, "order_escalated", {"number": number}
        return
    for user_id in county_leaders(order.county_id):
        yield user_id, "order_escalated", {"number": number}


def county_leaders(county_id: int) -> list[int]:
    """Commanders and officials at county level (their org unit is the county itself)."""
    return list(db.session.scalars(
        sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.org_unit_id == county_id, User.active.is_(True),
               UserRole.role.in_([Role.commander, Role.official])).distinct().order_by(User.id)))


def run_order_clocks(now: datetime) -> int:
    """Every due event of every order, each once; returns how many fired."""
    fired = 0
    for event in EVENTS:
        for order_id in due_events(event, now):
            fired += fire(event, order_id, now)
    return fired


@scheduled("order_clocks", "interval", minutes=5)
def order_clocks(now: datetime) -> int:
    return run_order_clocks(now)
