"""The scheduler runner: a job runs under a database lease, is logged, and a second holder is skipped."""
from datetime import timedelta

import sqlalchemy as sa

from desk import scheduler
from desk.extensions import db
from desk.models import JobLock, JobRun
from desk.timeutil import utcnow


def test_job_runs_once_and_is_logged(app):
    calls = []
    scheduler.scheduled("test_counter", minutes=5)(lambda now: calls.append(now) or 3)
    run = scheduler.run_job("test_counter")
    assert run.ok and run.outcome == "ran" and run.count == 3
    assert len(calls) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(JobRun)) == 1


def test_a_held_lease_makes_the_second_process_skip(app):
    calls = []
    scheduler.scheduled("test_locked", minutes=5)(lambda now: calls.append(now))
    db.session.add(JobLock(name="test_locked", holder="other-host:1", locked_until=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    run = scheduler.run_job("test_locked")
    assert run.outcome == "skipped: locked"
    assert calls == []


def test_an_expired_lease_is_taken_over(app):
    calls = []
    scheduler.scheduled("test_expired", minutes=5)(lambda now: calls.append(now))
    db.session.add(JobLock(name="test_expired", holder="dead-host:1", locked_until=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert scheduler.run_job("test_expired").outcome == "ran"
    assert len(calls) == 1


def test_a_failing_job_is_logged_and_releases_its_lease(app):
    def boom(now):
        raise RuntimeError("no")
    scheduler.scheduled("test_boom", minutes=5)(boom)
    run = scheduler.run_job("test_boom")
    assert run.ok is False and run.outcome == "RuntimeError"
    assert db.session.get(JobLock, "test_boom").locked_until is None
