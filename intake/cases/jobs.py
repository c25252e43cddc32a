"""Scheduled jobs of cases: the statutory-clock reminders."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from desk.extensions import db
from desk.models import OPEN_STATUSES, Case, Role, User, UserRole
from desk.notify import notify
from desk.scheduler import scheduled
from desk.timeutil import to_local


@scheduled("case_clock_reminders", "interval", minutes=30)
def case_clock_reminders(now: datetime) -> int:
    """Due-soon and overdue notices for open cases; each fires once per case, clock state and due date."""
    today = to_local(now).date()
    soon = today + timedelta(days=current_app.config["DUE_SOON_DAYS"])
    rows = db.session.scalars(sa.select(Case).where(Case.status.in_(OPEN_STATUSES), Case.next_due <= soon)
                              .order_by(Case.next_due).limit(5000))
    staff_by_unit: dict[int, list[int]] = {}
    sent = 0
    for case in rows:
        kind = "case_overdue" if case.next_due < today else "case_due_soon"
        unit_id = case.town_id or case.county_id
        if unit_id not in staff_by_unit:
            staff_by_unit[unit_id] = _staff(case)
        recipients = set(staff_by_unit[unit_id]) | ({case.created_by_id} if case.created_by_id else set())
        for user_id in recipients:
            if notify(user_id, kind, reference=case.reference, due=case.next_due.isoformat(),
                      link=f"/intake/cases/{case.id}",
                      dedupe_key=f"{kind}:{case.id}:{case.next_due.isoformat()}:{user_id}") is not None:
                sent += 1
    return sent


def _staff(case: Case) -> list[int]:
    """Receptionists and commanders whose scope holds the case's town or county."""
    units = [u for u in (case.town_id, case.county_id) if u]
    return list(db.session.scalars(
        sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.org_unit_id.in_(units), User.active.is_(True),
               UserRole.role.in_([Role.receptionist, Role.commander])).distinct()))
