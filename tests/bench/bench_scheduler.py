"""Two schedulers on one database: every reminder and notification exactly once (issue 19, "Faults").

Two app instances, each its own OS process with its own app and database connections (as two servers with
SCHEDULER=1 would be), step the desk's clock over simulated days of the small demo, from the demo's
"today" (DEMO_DAY, 18:00 China time; the span crosses the 1st of a month at 06:00, so the monthly summaries
run too). At every step (5 minutes; --step 1 reaches offer_expiry's 1-minute interval too, five times
slower) both freeze their clock at the same moment and call ``run_job`` for each job due in that step
(interval jobs every ``interval`` since the start, a shorter one at every step; cron jobs when the local
time falls in the step). A barrier holds both at each step until the other arrives, so both race for the
same leases at the same simulated moment, as two real schedulers would: the lease compares
``locked_until`` with each instance's clock, and two real clocks agree within seconds, not minutes.

Prints, for PostgreSQL (the demo cached as a template database and copied per run) and for SQLite (one
WAL file shared by the two processes; writers queue on the desk's write lock):
- informational lines: steps, runs by outcome and instance, notifications and audit rows written, double
  runs (both instances ran one job at one step: allowed, the lease only keeps runs from overlapping and
  jobs must be idempotent);
- BENCH scheduler_duplicate_notifications(_sqlite): notifications written during the run that repeat
  another (same user, kind, link and params), extra copies counted;
- BENCH scheduler_duplicate_audits(_sqlite): audit rows written during the run that repeat another (same
  entity, action and states: an escalation, expiry or confirmation recorded twice);
- BENCH scheduler_duplicate_runs(_sqlite): a job both instances ran at one step where both acted on
  something (count > 0): the second run redid the first one's work.

--quick: one simulated day (default three). A full run takes about three minutes per backend once the demo
template (PostgreSQL) and file (SQLite, in /tmp) exist; building each takes under a minute. Usage:
DESK_ENV=development .venv/bin/python tests/bench/bench_scheduler.py [--quick] [--days N] [--step MINUTES]
[--backend postgresql|sqlite|both]
"""
import argparse
import logging
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, time as clock_time, timedelta

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line, cached_database  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TEMPLATE = "desk_sched_v2_template"
RUN_DATABASE = "desk_sched_v2_run"
SQLITE_DEMO = "/tmp/desk-bench-sched-small-v2.sqlite"
DEMO_DAY = date(2026, 11, 30)   # a Monday; 18:00 China time is the demo's "now"
STEP = timedelta(minutes=5)      # every job's interval is a multiple of it, but offer_expiry's (1 minute)
CRON_FIELDS = ("year", "month", "day", "hour", "minute")


# --- the schedule --------------------------------------------------------------------------------------------

def demo_start() -> datetime:
    from desk.timeutil import utc_of_local
    return utc_of_local(DEMO_DAY, clock_time(18))


def due_jobs(moment: datetime, start: datetime, step: timedelta) -> list[str]:
    """The jobs a scheduler started at ``start`` fires in the step beginning at ``moment``."""
    from desk.scheduler import JOBS
    from desk.timeutil import to_local
    due = []
    for name, spec in sorted(JOBS.items()):
        if spec.trigger == "interval":
            every = timedelta(**spec.trigger_args)
            if (moment - start) % every < step:
                due.append(name)
        elif spec.trigger == "cron":
            unknown = set(spec.trigger_args) - set(CRON_FIELDS)
            if unknown:
                raise ValueError(f"job {name}: cron fields {unknown} are not simulated")
            local = to_local(moment)
            fire = local.replace(**{field: value for field, value in spec.trigger_args.items()})
            if local <= fire < local + step:
                due.append(name)
        else:
            raise ValueError(f"job {name}: trigger {spec.trigger} is not simulated")
    return due


def run_instance(label: str, config: dict, start: datetime, step: timedelta, steps: int, barrier, results,
                 jitter: float = 0.002):
    """One scheduler: its own app and connections; at each step, wait for the other, then run what is due."""
    from desk import create_app
    from desk.scheduler import run_job
    from desk.timeutil import freeze

    app = create_app(config)
    logging.getLogger("desk.scheduler").setLevel(logging.WARNING)
    logging.getLogger("reports.summary").setLevel(logging.WARNING)
    rng = random.Random(label)
    tally = Counter()
    try:
        with app.app_context():
            names_at = [due_jobs(start + number * step, start, step) for number in range(steps)]
        for number, names in enumerate(names_at):
            barrier.wait(timeout=120)
            time.sleep(rng.random() * jitter)
            freeze(start + number * step)
            for name in names:
                # one app context per run, as the scheduler's _execute does: its end returns the session's
                # connection (on SQLite, with the write lock the run's last read took)
                with app.app_context():
                    tally[run_job(name).outcome] += 1
            freeze(None)
    except BaseException as err:
        barrier.abort()
        results.put((label, {"error": repr(err)}))
        raise
    results.put((label, dict(tally)))


def run_two_instances(config: dict, start: datetime, step: timedelta, steps: int, timeout: float = 1800) -> dict:
    """Both instances over the same steps, each a spawned OS process; returns each one's run outcomes."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=run_instance, args=(label, config, start, step, steps, barrier, results))
               for label in ("A", "B")]
    for worker in workers:
        worker.start()
    try:
        outcomes = dict(results.get(timeout=timeout) for _ in workers)
    finally:
        for worker in workers:
            worker.join(timeout=60)
            if worker.is_alive():
                worker.kill()
    failed = {label: o["error"] for label, o in outcomes.items() if "error" in o}
    if failed:
        raise RuntimeError(f"an instance failed: {failed}")
    return outcomes


# --- what the run wrote --------------------------------------------------------------------------------------

def high_water(conn) -> dict:
    """The last ids before the run, so that only what the run wrote is judged."""
    from desk.models import AuditEntry, JobRun, Notification
    return {model.__tablename__: conn.scalar(sa.select(sa.func.coalesce(sa.func.max(model.id), 0)))
            for model in (Notification, AuditEntry, JobRun)}


def _extra_copies(rows, key, base: int) -> int:
    """Copies beyond the first among rows sharing ``key``, counting only rows newer than ``base``."""
    groups: dict = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row.id)
    extra = 0
    for ids in groups.values():
        new = sum(1 for i in ids if i > base)
        extra += min(new, len(ids) - 1)
    return extra


def duplicates(conn, before: dict) -> dict:
    """Notifications, audit rows and job runs the run wrote twice."""
    from desk.models import AuditEntry, JobRun, Notification
    n, a, r = Notification, AuditEntry, JobRun
    notices = conn.execute(sa.select(n.id, n.user_id, n.kind, n.link, n.dedupe_key,
                                     sa.cast(n.params, sa.Text).label("params"))).all()
    by_content = _extra_copies(notices, lambda x: (x.user_id, x.kind, x.link, x.params), before["notification"])
    keyed = [x for x in notices if x.dedupe_key is not None]
    by_key = _extra_copies(keyed, lambda x: x.dedupe_key, before["notification"])
    audits = conn.execute(sa.select(a.id, a.entity, a.entity_id, a.action, a.from_state, a.to_state)
                          .where(a.id > before["audit_entry"])).all()
    runs = conn.execute(sa.select(r.name, r.started_at, r.count).where(r.id > before["job_run"], r.outcome == "ran"))
    per_step: dict = {}
    for run in runs:
        per_step.setdefault((run.name, run.started_at), []).append(run.count)
    return {
        "notifications": sum(1 for x in notices if x.id > before["notification"]),
        "notifications_duplicated": max(by_content, by_key),
        "audits": len(audits),
        "audits_duplicated": _extra_copies(audits, lambda x: (x.entity, x.entity_id, x.action, x.from_state,
                                                              x.to_state), 0),
        "double_runs": sum(1 for counts in per_step.values() if len(counts) > 1),
        "runs_duplicated": sum(1 for counts in per_step.values() if sum(1 for c in counts if c > 0) > 1),
        "notifications_by_kind": Counter(x.kind for x in notices if x.id > before["notification"]),
    }


# --- databases -----------------------------------------------------------------------------------------------

def seed(url: str) -> None:
    """The small demo, its "now" pinned at DEMO_DAY 18:00, in an empty database."""
    from flask_migrate import upgrade

    from desk import create_app
    from desk.demo.seed import seed_demo
    from desk.extensions import db
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        seed_demo(size="small", seed=7, today=DEMO_DAY)
        db.session.remove()
        db.engine.dispose()


def _admin():
    return sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")


def _pg_url(name: str) -> str:
    return sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def postgres_copy() -> str:
    """A fresh copy of the demo template (built once, about half a minute)."""
    admin = _admin()
    with admin.connect() as conn:
        if conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": TEMPLATE}) is None:
            building = TEMPLATE + "_building"
            print(f"building {TEMPLATE} ...", flush=True)
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{building}"'))
            seed(_pg_url(building))
            conn.execute(sa.text(f'ALTER DATABASE "{building}" RENAME TO "{TEMPLATE}"'))
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{RUN_DATABASE}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{RUN_DATABASE}" TEMPLATE "{TEMPLATE}"'))
    admin.dispose()
    return _pg_url(RUN_DATABASE)


def drop_postgres_copy() -> None:
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{RUN_DATABASE}" WITH (FORCE)'))
    admin.dispose()


def sqlite_copy(folder: str) -> str:
    path = cached_database(SQLITE_DEMO, lambda part: seed("sqlite:///" + part))
    target = os.path.join(folder, "sched.sqlite")
    shutil.copyfile(path, target)
    return "sqlite:///" + target


# --- the measure ---------------------------------------------------------------------------------------------

def measure(backend: str, url: str, days: float, step: timedelta) -> bool:
    start = demo_start()
    steps = int(timedelta(days=days) / step) + 1
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        before = high_water(conn)
    began = time.perf_counter()
    outcomes = run_two_instances({"SQLALCHEMY_DATABASE_URI": url}, start, step, steps)
    elapsed = time.perf_counter() - began
    with engine.connect() as conn:
        found = duplicates(conn, before)
    engine.dispose()
    suffix = "" if backend == "postgresql" else "_" + backend
    print(f"{backend}: {steps} steps of {step} from {start} UTC over {days:g} days in {elapsed:.0f} s", flush=True)
    for label, tally in sorted(outcomes.items()):
        print(f"  instance {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())), flush=True)
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(found["notifications_by_kind"].items()))
    print(f"  notifications written {found['notifications']} ({kinds}); audit rows written {found['audits']}; "
          f"double runs (both ran one job at one step) {found['double_runs']}", flush=True)
    lines = [bench_line("scheduler_duplicate_notifications" + suffix, found["notifications_duplicated"], "count",
                        "==", 0),
             bench_line("scheduler_duplicate_audits" + suffix, found["audits_duplicated"], "count", "==", 0),
             bench_line("scheduler_duplicate_runs" + suffix, found["runs_duplicated"], "count", "==", 0)]
    return all(line.endswith("PASS") for line in lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one simulated day")
    parser.add_argument("--days", type=float, default=3.0)
    parser.add_argument("--step", type=float, default=STEP / timedelta(minutes=1), help="minutes")
    parser.add_argument("--backend", choices=["postgresql", "sqlite", "both"], default="both")
    args = parser.parse_args()
    os.environ.setdefault("DESK_ENV", "development")
    os.environ["SCHEDULER"] = "0"   # the instances run the jobs themselves, on the simulated clock
    days, step = (1.0 if args.quick else args.days), timedelta(minutes=args.step)
    ok = True
    if args.backend in ("postgresql", "both"):
        try:
            ok &= measure("postgresql", postgres_copy(), days, step)
        finally:
            drop_postgres_copy()
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as folder:
            ok &= measure("sqlite", sqlite_copy(folder), days, step)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
