"""Dispatch orders (基层发令、部门执行): a town commander issues, a county department signs, acts and
reports back, the commander verifies or returns it and rates the department.

Clocks: signing within ORDER_SIGN_HOURS working hours of issue, never after the feedback limit (``sign_due``);
feedback by the end of the chosen working day (0 = same day … 10 working days,
desk.deadlines.dispatch_due_date). Both are stored on the row when the order is issued, so overdue is plain
indexed SQL (``overdue_clause``).
"""
import os
from datetime import datetime, time, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from desk.access import in_scope, scope_clause
from desk.audit import record_audit
from desk.deadlines import add_working_hours, dispatch_due_date
from desk.errors import DomainError, NotAllowed
from desk.extensions import db
from desk.models import Case, CaseStatus, Department, OrgUnit, Role, next_number
from desk.notify import notify
from desk.statemachine import StateMachine
from desk.timeutil import LOCAL, to_local, utcnow
from desk.uploads import check_upload, store_blob
from referrals.orders.models import (DispatchOrder, OrderEvidence, OrderPriority, OrderReport, OrderStatus,
                                    dispatch_order_department)

S = OrderStatus
TRANSITIONS = {
    S.issued: {S.signed},
    S.signed: {S.in_progress},
    S.in_progress: {S.reported},
    S.reported: {S.verified, S.in_progress},  # verified, or returned with a reason (back to in progress)
    S.verified: set(),
}
ORDER_MACHINE = StateMachine("dispatch_order", TRANSITIONS)
# Orders whose feedback is still owed: the feedback clock runs.
OPEN = (S.issued, S.signed, S.in_progress)
MAX_DEADLINE_DAYS = 10
IMAGE_TYPES = ("image/jpeg", "image/png")


def local_end_of_day(day) -> datetime:
    """The end of a local (China) day as naive UTC: a deadline "by 8 December" means through that day."""
    midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=LOCAL)
    return midnight.astimezone(timezone.utc).replace(tzinfo=None)


def feedback_due(issued_at: datetime, deadline_days: int) -> datetime:
    """End of the N-th working day after the local issue day (0 = the same working day)."""
    return local_end_of_day(dispatch_due_date(to_local(issued_at).date(), deadline_days))


def sign_due(issued_at: datetime, deadline_days: int) -> datetime:
    """签收 limit, counted in working time (DOMAIN.md: never on a holiday, never after the feedback limit):
    ORDER_SIGN_HOURS office hours (08:30–17:30 China time on working days per the work calendar, adjusted
    working days included) after issue, carried over to the next working day; never later than the feedback
    limit of an order with ``deadline_days`` (a same-day order: by the end of that day).
    The default 9 hours is one working day: issued Monday 10:00, sign by Tuesday 10:00."""
    local = to_local(issued_at).replace(tzinfo=None)
    due = add_working_hours(local, current_app.config["ORDER_SIGN_HOURS"])
    due = due.replace(tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)
    return min(due, feedback_due(issued_at, deadline_days))


def overdue_clause(now: datetime):
    """SQL: the order missed a running clock (not signed in time, or feedback still owed past its due)."""
    return sa.or_(sa.and_(DispatchOrder.status == S.issued, DispatchOrder.sign_due_at < now),
                  sa.and_(DispatchOrder.status.in_(OPEN), DispatchOrder.feedback_due_at < now))


def is_overdue(order: DispatchOrder, now: datetime) -> bool:
    """Python twin of overdue_clause for one loaded order."""
    return (order.status == S.issued and order.sign_due_at < now) or \
        (order.status in OPEN and order.feedback_due_at < now)


def county_departments(county_id: int) -> list[Department]:
    return list(db.session.scalars(sa.select(Department).where(Department.county_id == county_id)
                                   .order_by(Department.code)))


def issue_dispatch_order(case: Case, *, actor, department_id: int, co_department_ids=(), instructions: str,
                         deadline_days: int, priority: OrderPriority = OrderPriority.normal,
                         now: datetime | None = None) -> DispatchOrder:
    """A commander orders a county department to act on a case, with a deadline in working days."""
    now = now or utcnow()
    if not (actor.has_role(Role.commander) and in_scope(actor, case)):
        raise NotAllowed(_l("Only a commander over this case's place can issue an order for it."))
    if case.status not in (CaseStatus.registered, CaseStatus.accepted, CaseStatus.in_progress):
        raise DomainError(_l("Orders can only be issued for an open case."))
    if not instructions.strip():
        raise DomainError(_l("Say what the department must do."), field="instructions")
    if not isinstance(deadline_days, int) or not 0 <= deadline_days <= MAX_DEADLINE_DAYS:
        raise DomainError(_l("The deadline is 0 (same day) to 10 working days."), field="deadline_days")
    departments = {d.id: d for d in county_departments(case.county_id)}
    if department_id not in departments:
        raise DomainError(_l("Choose a department of this county."), field="department_id")
    co_ids = sorted({int(i) for i in co_department_ids})
    if department_id in co_ids:
        raise DomainError(_l("The lead department cannot also be a co-handling department."),
                          field="co_department_ids")
    if any(i not in departments for i in co_ids):
        raise DomainError(_l("Choose co-handling departments of this county."), field="co_department_ids")
    county = db.session.get(OrgUnit, case.county_id)
    year = to_local(now).year
    serial = next_number(f"order:{county.id}:{year}")
    department = departments[department_id]
    order = DispatchOrder(number=f"{county.prefix or 'XX'}-ZL-{year}-{serial:04d}", case_id=case.id,
                          issued_by_id=actor.id, department_id=department_id, priority=priority,
                          instructions=instructions.strip(), deadline_days=deadline_days, issued_at=now,
                          sign_due_at=sign_due(now, deadline_days),
                          feedback_due_at=feedback_due(now, deadline_days),
                          status=S.issued)
    for column in ("city_id", "county_id", "town_id", "village_id", "grid_id"):
        setattr(order, column, getattr(case, column))
    order.co_departments = [departments[i] for i in co_ids]
    db.session.add(order)
    db.session.flush()
    record_audit(actor=actor, entity="dispatch_order", entity_id=order.id, action="issue", to_state=S.issued,
                 detail={"case": case.reference, "department": department.code, "co": co_ids,
                         "deadline_days": deadline_days, "priority": priority.value})
    for user_id in department_officer_ids([department_id, *co_ids]):
        notify(user_id, "order_issued", number=order.number, department=department.name_zh,
               link=f"/referrals/orders/{order.id}", dedupe_key=f"order_issued:{order.id}:{user_id}")
    return order


def department_officer_ids(department_ids) -> list[int]:
    from desk.models import User, UserRole
    return list(db.session.scalars(
        sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.department_id.in_(list(department_ids)), User.active.is_(True),
               UserRole.role == Role.department_officer).distinct().order_by(User.id)))


def visible_clause(user):
    """SQL: the orders this user may see. Officers: their department's (lead or co-handling) only;
    commanders and officials: orders placed inside their org scope."""
    clauses = []
    if user.has_role(Role.department_officer) and user.department_id:
        co = sa.select(dispatch_order_department.c.order_id).where(
            dispatch_order_department.c.department_id == user.department_id)
        clauses.append(sa.or_(DispatchOrder.department_id == user.department_id, DispatchOrder.id.in_(co)))
    if user.has_role(Role.commander, Role.official, Role.admin):
        clauses.append(scope_clause(DispatchOrder, user))
    return sa.or_(*clauses) if clauses else sa.false()


def get_visible(order_id: int, user, *, lock: bool = False) -> DispatchOrder | None:
    """The order if this user may see it; ``lock`` holds the row until commit, so two clicks at once on
    PostgreSQL move it once (the second sees the new state and is refused by the state machine)."""
    stmt = sa.select(DispatchOrder).where(DispatchOrder.id == order_id, visible_clause(user))
    if lock:
        stmt = stmt.with_for_update(of=DispatchOrder).execution_options(populate_existing=True)
    return db.session.scalar(stmt)


def _require_lead_officer(order: DispatchOrder, actor) -> None:
    if not (actor.has_role(Role.department_officer) and actor.department_id == order.department_id):
        raise NotAllowed(_l("Only an officer of the lead department can do this."))


def _require_commander(order: DispatchOrder, actor) -> None:
    if not actor.has_role(Role.commander) or getattr(order, f"{actor.org_unit.level.value}_id") != actor.org_unit_id:
        raise NotAllowed(_l("Only a commander over this order's place can do this."))


def sign_order(order: DispatchOrder, *, actor, now: datetime | None = None) -> DispatchOrder:
    """签收: the lead department acknowledges the order (on time if by sign_due_at)."""
    _require_lead_officer(order, actor)
    now = now or utcnow()
    ORDER_MACHINE.move(order, S.signed, actor=actor, action="sign",
                       detail={"late": now > order.sign_due_at})
    order.signed_at = now
    return order


def start_order(order: DispatchOrder, *, actor) -> DispatchOrder:
    _require_lead_officer(order, actor)
    ORDER_MACHINE.move(order, S.in_progress, actor=actor, action="start")
    return order


def report_order(order: DispatchOrder, *, actor, text: str, staff_visits: int, photos=(),
                 folder: str | None = None, now: datetime | None = None) -> OrderReport:
    """反馈: what was done, photo evidence and staff-visits to the grassroots (人次).

    The feedback clock stops at the first report; a later report after a return adds to the staff-visits."""
    _require_lead_officer(order, actor)
    now = now or utcnow()
    if not text.strip():
        raise DomainError(_l("Describe what was done."), field="text")
    if not isinstance(staff_visits, int) or not 0 <= staff_visits <= 10000:
        raise DomainError(_l("Staff-visits is a whole number from 0 to 10000."), field="staff_visits")
    checked = []
    for filename, data in photos:
        mime = check_upload(filename, data)
        if mime not in IMAGE_TYPES:
            raise DomainError(_l("%(name)s is not a JPEG or PNG image.", name=filename), field="photos")
        checked.append((filename, data, mime))
    late = now > order.feedback_due_at
    ORDER_MACHINE.move(order, S.reported, actor=actor, action="report",
                       detail={"late": late, "staff_visits": staff_visits, "photos": len(checked)})
    report = OrderReport(author_id=actor.id, text=text.strip(), staff_visits=staff_visits, at=now)
    order.reports.append(report)
    for filename, data, mime in checked:
        report.evidence.append(_store_photo(filename, data, mime, folder))
    order.staff_visits = (order.staff_visits or 0) + staff_visits
    if order.reported_at is None:
        order.reported_at = now
    if order.issued_by_id:
        notify(order.issued_by_id, "order_reported", number=order.number, link=f"/referrals/orders/{order.id}",
               dedupe_key=f"order_reported:{order.id}:{len(order.reports)}")
    db.session.flush()
    return report


def _store_photo(filename: str, data: bytes, mime: str, folder: str | None) -> OrderEvidence:
    folder = folder or os.path.join(current_app.instance_path, "order_evidence")
    digest, path = store_blob(data, folder)
    return OrderEvidence(filename=os.path.basename(filename)[:200] or "photo", mime=mime, size=len(data),
                         sha256=digest, path=path)


def verify_order(order: DispatchOrder, *, actor, now: datetime | None = None, ratings: dict | None = None,
                 note: str = "") -> DispatchOrder:
    """The issuing town checks the feedback and closes the order (optionally rating the department)."""
    _require_commander(order, actor)
    now = now or utcnow()
    if ratings:
        _check_ratings(ratings)
    ORDER_MACHINE.move(order, S.verified, actor=actor, action="verify", reason=note.strip() or None)
    order.verified_at = now
    if ratings:
        rate_order(order, actor=actor, now=now, **ratings)
    return order


def return_order(order: DispatchOrder, *, actor, reason: str) -> DispatchOrder:
    """Send the feedback back (退回): the department continues, the reason is on the record."""
    _require_commander(order, actor)
    if not reason.strip():
        raise DomainError(_l("Give the reason for returning the order."), field="reason")
    ORDER_MACHINE.move(order, S.in_progress, actor=actor, action="return", reason=reason.strip())
    order.returned_count = (order.returned_count or 0) + 1
    for user_id in department_officer_ids([order.department_id]):
        notify(user_id, "order_returned", number=order.number, reason=reason.strip()[:200],
               link=f"/referrals/orders/{order.id}",
               dedupe_key=f"order_returned:{order.id}:{order.returned_count}:{user_id}")
    return order


RATING_FIELDS = ("speed", "handling", "result")


def _check_ratings(ratings: dict) -> None:
    for key in RATING_FIELDS:
        value = ratings.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise DomainError(_l("Rate from 1 to 5."), field=f"rating_{key}")


def rate_order(order: DispatchOrder, *, actor, speed: int, handling: int, result: int,
               now: datetime | None = None) -> DispatchOrder:
    """The issuing town rates the department on speed, handling and result (1–5 each), once verified."""
    _require_commander(order, actor)
    if order.status != S.verified:
        raise DomainError(_l("An order is rated once it is verified."))
    _check_ratings({"speed": speed, "handling": handling, "result": result})
    # Once (DOMAIN.md: "rated by the issuing town, once per order"): a conditional UPDATE, so two clicks or
    # two commanders at once give one rating; a second one is refused, never written over the first.
    table = DispatchOrder.__table__
    rated = db.session.execute(table.update().where(table.c.id == order.id, table.c.rated_at.is_(None)).values(
        rating_speed=speed, rating_handling=handling, rating_result=result, rated_at=now or utcnow())).rowcount
    if rated != 1:
        raise DomainError(_l("This order has already been rated; a rating is given once."))
    db.session.refresh(order, ["rating_speed", "rating_handling", "rating_result", "rated_at"])
    record_audit(actor=actor, entity="dispatch_order", entity_id=order.id, action="rate",
                 detail={"speed": speed, "handling": handling, "result": result})
    return order
