"""Two schedulers on one database (issue 19, "Faults"): every reminder exactly once, on both backends.

Two spawned OS processes, each with its own app and connections, step the desk's clock over four simulated
hours in lockstep (tests/bench/bench_scheduler.py: run_two_instances; the bench runs the same over days of
the demo) and run every due job at each step, racing for the leases. SQLite takes part too: the two
processes share one WAL file and queue on its write lock, as two workers of one server would.
"""
from datetime import datetime, time as clock_time, timedelta

import sqlalchemy as sa

from desk.config import TestConfig
from desk.extensions import db
from desk.models import Notification, Role
from desk.timeutil import utc_of_local
from tests.bench.bench_scheduler import duplicates, high_water, run_two_instances
from tests.factories import make_case, make_user

STEP = timedelta(minutes=5)


def test_two_schedulers_send_each_reminder_once(app, world):
    receptionist = make_user(world, Role.receptionist, unit=world.town)
    overdue = make_case(world, received_on=datetime(2026, 10, 1).date())
    soon = make_case(world, received_on=datetime(2026, 11, 5).date())
    far = make_case(world, received_on=datetime(2026, 11, 12).date())
    db.session.commit()
    # The span starts the evening before `soon` enters the due-soon window: its reminder fires at midnight,
    # in the middle of the race; `overdue` fires at the first step; `far` stays quiet.
    window = timedelta(days=app.config["DUE_SOON_DAYS"])
    midnight = utc_of_local(soon.next_due - window, clock_time(0))
    start, steps = midnight - timedelta(hours=2), int(timedelta(hours=4) / STEP) + 1
    assert far.next_due > soon.next_due > overdue.next_due
    receptionist_id, references = receptionist.id, (overdue.reference, soon.reference)
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()     # no transaction of ours holds SQLite's write lock while the instances run
    with db.engine.connect() as conn:
        before = high_water(conn)

    outcomes = run_two_instances(config, start, STEP, steps, timeout=120)

    with db.engine.connect() as conn:
        found = duplicates(conn, before)
    assert found["notifications_duplicated"] == 0
    assert found["audits_duplicated"] == 0
    assert found["runs_duplicated"] == 0
    assert all(tally.get("ran", 0) > 0 for tally in outcomes.values()), outcomes
    notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == receptionist_id)
                               .order_by(Notification.id)).all()
    assert [(n.kind, n.params["reference"]) for n in notes] == [("case_overdue", references[0]),
                                                                ("case_due_soon", references[1])]
    assert notes[0].created_at == start and notes[1].created_at == midnight
