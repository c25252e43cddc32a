"""Scheduled jobs: one registry, a database job store, a database lease per job, a log of every run.

Areas declare jobs with ``@scheduled(...)`` in their ``jobs.py`` modules, which each area's ``register(app)``
imports, so the registry is full once the app exists. Each job is a function ``job(now) -> int`` (how many
things it acted on) that must be idempotent: it may run twice.
"""
import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from desk.extensions import db
from desk.holidays import sync_calendar
from desk.models import JobLock, JobRun
from desk.timeutil import utcnow

log = logging.getLogger("desk.scheduler")


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: object
    trigger: str
    trigger_args: dict


JOBS: dict[str, JobSpec] = {}
_app_holder: dict = {}


def scheduled(name: str, trigger: str = "interval", **trigger_args):
    def decorator(func):
        JOBS[name] = JobSpec(name, func, trigger, trigger_args)
        return func
    return decorator


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire(name: str, lease: timedelta = timedelta(minutes=10)) -> bool:
    """Take the job's lease in its own committed transaction; False when another process holds it."""
    now, holder = utcnow(), _holder()
    table = JobLock.__table__
    try:
        db.session.execute(table.insert().values(name=name, holder=None, locked_until=None))
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
    taken = db.session.execute(
        table.update().where(table.c.name == name,
                             sa.or_(table.c.locked_until.is_(None), table.c.locked_until < now))
        .values(holder=holder, locked_until=now + lease)).rowcount
    db.session.commit()
    return taken == 1


def release(name: str) -> None:
    table = JobLock.__table__
    db.session.execute(table.update().where(table.c.name == name, table.c.holder == _holder())
                       .values(holder=None, locked_until=None))
    db.session.commit()


def run_job(name: str, now=None) -> JobRun:
    """Run one job inside the current app context under its lease, and log the run."""
    spec = JOBS[name]
    run = JobRun(name=name, started_at=utcnow())
    if not acquire(name):
        run.ok, run.outcome, run.finished_at = True, "skipped: locked", utcnow()
        db.session.add(run)
        db.session.commit()
        log.info("job %s skipped: another process holds it", name)
        return run
    try:
        sync_calendar()  # days an administrator entered in another process count in this run
        run.count = int(spec.func(now or utcnow()) or 0)
        run.ok, run.outcome = True, "ran"
        db.session.commit()
    except Exception as err:  # a failing job must not kill the scheduler; it is logged and retried
        db.session.rollback()
        run.ok, run.outcome = False, type(err).__name__
        log.exception("job %s failed", name)
    finally:
        release(name)
    run.finished_at = utcnow()
    db.session.add(run)
    outcome, count = run.outcome, run.count
    db.session.commit()
    # read before the commit: reading the expired run after it would open a transaction that, on SQLite, holds
    # the write lock until the app context ends
    log.info("job %s %s (%s items)", name, outcome, count)
    return run


def _execute(name: str) -> None:
    """Entry point the job store records (a plain module-level reference)."""
    app = _app_holder["app"]
    with app.app_context():
        run_job(name)


def build_scheduler(app, blocking: bool = False):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    _app_holder["app"] = app
    with app.app_context():
        store = SQLAlchemyJobStore(engine=db.engine, tablename="apscheduler_jobs")
    cls = BlockingScheduler if blocking else BackgroundScheduler
    scheduler = cls(jobstores={"default": store}, timezone="Asia/Shanghai",
                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300})
    for spec in JOBS.values():
        scheduler.add_job(_execute, spec.trigger, args=[spec.name], id=spec.name, name=spec.name,
                          replace_existing=True, **spec.trigger_args)
    return scheduler


def start_background(app):
    scheduler = build_scheduler(app)
    scheduler.start()
    log.info("scheduler started in-process with %d jobs", len(JOBS))
    return scheduler
