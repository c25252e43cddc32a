"""Scheduled jobs of mediation: the judicial-confirmation reminder."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from desk.extensions import db
from desk.notify import notify
from desk.scheduler import scheduled
from desk.timeutil import to_local
from outreach.mediation.models import Mediation, MediationStatus
from outreach.mediation.services import people_to_remind


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
