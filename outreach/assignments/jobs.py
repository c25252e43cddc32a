"""Scheduled jobs of outreach assignments: the day-before reminder, and offers nobody answered expire."""
from datetime import datetime, timedelta

import sqlalchemy as sa

from desk.extensions import db
from desk.notify import notify
from desk.scheduler import scheduled
from desk.timeutil import to_local
from outreach.assignments.models import AssignmentStatus, OutreachAssignment, OutreachRequest, RequestStatus
from outreach.assignments.services import MY_PAGE, expire_stale_offers, request_title


@scheduled("outreach_reminders", "interval", minutes=30)
def outreach_reminders(now: datetime) -> int:
    """The day before, remind the member who took the request; once per assignment and date (a rescheduled
    request is reminded again for its new date)."""
    tomorrow = to_local(now).date() + timedelta(days=1)
    rows = db.session.scalars(
        sa.select(OutreachAssignment).join(OutreachRequest)
        .where(OutreachRequest.on_date == tomorrow, OutreachRequest.status == RequestStatus.assigned,
               OutreachAssignment.status == AssignmentStatus.accepted))
    sent = 0
    for assignment in rows:
        user_id = assignment.talent.user_id
        if user_id and notify(user_id, "outreach_reminder", title=request_title(assignment.request),
                              link=f"{MY_PAGE}#assignment-{assignment.id}",
                              dedupe_key=f"outreach_reminder:{assignment.id}:{tomorrow.isoformat()}") is not None:
            sent += 1
    return sent


@scheduled("outreach_offer_expiry", "interval", hours=1)
def outreach_offer_expiry(now: datetime) -> int:
    return expire_stale_offers(to_local(now).date())
