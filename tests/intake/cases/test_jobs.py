"""The statutory-clock reminders fire once per case and due date."""
from datetime import date, datetime

import sqlalchemy as sa

from desk import scheduler
from desk.extensions import db
from desk.models import Notification, Role
from desk.timeutil import freeze
from tests.factories import make_case, make_user


def test_clock_reminders_fire_once_per_case_and_due_date(world):
    receptionist = make_user(world, Role.receptionist, unit=world.town)
    make_user(world, Role.receptionist, unit=world.far_town)  # another county's staff hear nothing
    overdue = make_case(world, received_on=date(2026, 10, 1))
    soon = make_case(world, received_on=date(2026, 11, 5))
    make_case(world, received_on=date(2026, 11, 20))            # far from due
    db.session.commit()
    now = datetime(2026, 11, 18, 2, 0)
    try:
        freeze(now)
        first = scheduler.run_job("case_clock_reminders", now=now)
        second = scheduler.run_job("case_clock_reminders", now=now)
    finally:
        freeze(None)
    assert first.count == 2 and second.count == 0
    notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == receptionist.id)).all()
    assert sorted(n.kind for n in notes) == ["case_due_soon", "case_overdue"]
    assert {n.params["reference"] for n in notes} == {overdue.reference, soon.reference}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == 2
