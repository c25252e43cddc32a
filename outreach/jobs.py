"""Scheduled jobs of the outreach area: the day-before reminder and the judicial-confirmation reminder."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from desk.extensions import db
from desk.notify import notify
from desk.scheduler import scheduled
from desk.timeutil import to_local
from outreach.assignments import MY_PAGE, expire_stale_offers, request_title
from outreach.mediation import people_to_remind
from outreach.models import (AssignmentStatus, Mediation, MediationStatus, OutreachAssignment, OutreachRequest,
                             RequestStatus)


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


@scheduled("judicial_confirmation_reminders", "interval", hours=6)
def judicial_confirmation_reminders(now: datetime) -> int:
    """A few days before the 30-day judicial-confirmation window closes, remind the mediator and whoever
    opened the mediation; once per agreement and person."""
    today = to_local(now).date()
    soon = today + timedelta(days=current_app.config["JUDICIAL_CONFIRMATION_REMIND_DAYS"])
    rows = db.session.scalars(sa.select(Mediation).where(Mediation.status == MediationStatus.agreement,
                                                         Mediation.judicial_confirmation_due >= today,
                                                         Mediation.judicial_confirmation_due <= soon))
    sent = 0
    for mediation in rows:
        for user_id in people_to_remind(mediation):
            if notify(user_id, "judicial_confirmation", reference=mediation.number,
                      due=mediation.judicial_confirmation_due.isoformat(), link=f"/outreach/mediations/{mediation.id}",
                      dedupe_key=f"judicial_confirmation:{mediation.id}:soon:{user_id}") is not None:
                sent += 1
    return sent
