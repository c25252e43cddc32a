"""Who is on duty: resident members on working days, rotating members on their weekdays (when those are
working days), on-call members reachable any time but not in the room."""
from datetime import date

import sqlalchemy as sa

from desk.extensions import db
from desk.workcalendar import default_calendar
from referrals.talent.models import Stationing, Talent

ON_DUTY, ON_CALL, OFF = "on_duty", "on_call", "off"


def duty_state(talent, day: date, calendar=None) -> str:
    """on_duty / on_call / off for a day (an adjusted working Saturday counts as a working day).

    ``talent`` is a Talent or any row with ``stationing`` and ``weekdays`` ("0,3")."""
    calendar = calendar or default_calendar()
    stationing = Stationing(talent.stationing)
    if stationing == Stationing.on_call:
        return ON_CALL
    if not calendar.is_working_day(day):
        return OFF
    if stationing == Stationing.resident:
        return ON_DUTY
    # Rotating: their weekdays; on an adjusted working weekend day nobody rotates in.
    return ON_DUTY if str(day.weekday()) in talent.weekdays.split(",") else OFF


def on_duty_in_room(room_id: int, day: date) -> list[Talent]:
    members = db.session.scalars(sa.select(Talent).where(Talent.room_id == room_id, Talent.active.is_(True))
                                 .order_by(Talent.name))
    return [t for t in members if duty_state(t, day) == ON_DUTY]
