"""50 members accept the same room offer at the same moment through real HTTP requests, on SQLite and on
PostgreSQL: exactly one wins. Winners are counted in the database, not on the pages.

Server: gunicorn with WORKERS (10) sync workers, the worker class production runs (README, run.py:
`gunicorn -w N`). A sync worker serves one request at a time in its own process with its own database
connection, so up to 10 accepts are in flight at once, in 10 processes: the race the conditional UPDATE
in referrals.offers.services.accept has to win, across processes as it would be in production (gthread
threads would share one process and its connection pool, a weaker test for SQLite's file locking).

Every client logs in first; all then wait at one barrier and send their accept together. A gunicorn
config file written here stamps each request's start (pre_request) and end (post_request) on the server
side; `concurrent_accept_in_flight` is the largest number of accept requests whose intervals overlap.

Prints, per backend: BENCH concurrent_accept_winners_<backend> (accept audit rows for the offer; the
referral row must be accepted by that same member and only that member's load raised) and
BENCH concurrent_accept_in_flight_<backend>. Without PostgreSQL its lines say FAIL with the cause.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

from tests.bench.bench_registration import BIN, Client, free_port, hidden  # noqa: E402
from tests.bench.common import bench_line  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = "desk_b27_accept"
WORKERS = 10
# Server-side timing of every request, appended by each worker process (one short line per write).
GUNICORN_CONFIG = '''
import os, time
def pre_request(worker, req):
    req.bench_started = time.time()
def post_request(worker, req, environ, resp):
    with open(os.environ["BENCH_TIMING_LOG"], "a") as log:
        log.write(f"{os.getpid()} {req.bench_started:.6f} {time.time():.6f} {req.method} {req.path}\\n")
'''


def prepare(env: dict, members: int):
    """Demo data, ``members`` talent logins in one room, and one open room offer; returns the app and its id."""
    subprocess.run([os.path.join(BIN, "flask"), "desk", "init", "--size", "small"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ["INSTANCE_PATH"] = env["INSTANCE_PATH"]
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from desk import create_app
    from desk.extensions import db
    from desk.models import Case, CaseStatus, Role, User
    from referrals.offers import services as offers
    from referrals.talent.models import Stationing, Talent, TalentRole
    app = create_app({"SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL"), "PII_KEY": env["PII_KEY"],
                      "SECRET_KEY": env["SECRET_KEY"]})
    with app.app_context():
        mediator = db.session.scalar(sa.select(Talent).join(User, Talent.user_id == User.id)
                                     .where(User.username == "mediator"))
        password = generate_password_hash("bench-pass", method="pbkdf2:sha256:1000")
        for n in range(members):
            user = User(username=f"bench{n}", display_name=f"压测调解员{n}", password_hash=password,
                        org_unit_id=mediator.county_id)
            user.set_roles([Role.talent])
            db.session.add(user)
            db.session.flush()
            talent = Talent(user_id=user.id, name=f"压测{n}", role=TalentRole.mediator, room_id=mediator.room_id,
                            site_id=mediator.site_id, stationing=Stationing.resident, weekdays="0,1,2,3,4",
                            capacity=5)
            talent.place_at(db.session.get(type(mediator.site.org_unit), mediator.county_id))
            db.session.add(talent)
        case = db.session.scalar(sa.select(Case).where(Case.county_id == mediator.county_id,
                                                       Case.status == CaseStatus.accepted).limit(1))
        referral = offers.refer_to_room(case, mediator.room, actor=None)
        db.session.commit()
        referral_id = referral.id
        db.engine.dispose()
    return app, referral_id


def start_gunicorn(port: int, env: dict, config: str) -> subprocess.Popen:
    proc = subprocess.Popen([os.path.join(BIN, "gunicorn"), "-c", config, "-k", "sync", "-w", str(WORKERS),
                             "--backlog", "256", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                             "--timeout", "120", "run:app"], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    while time.time() < deadline and len(_pids(env["BENCH_TIMING_LOG"])) < WORKERS:
        # Bursts of WORKERS requests at once until every worker has answered one: all have imported the app.
        threads = [threading.Thread(target=_touch, args=(port,)) for _ in range(WORKERS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(0.2)
    if len(_pids(env["BENCH_TIMING_LOG"])) < WORKERS:
        proc.kill()
        raise RuntimeError(f"gunicorn did not start {WORKERS} workers")
    return proc


def _touch(port: int) -> None:
    try:
        Client(port).request("GET", "/login")
    except OSError:
        time.sleep(0.3)


def _pids(timing_log: str) -> set[str]:
    if not os.path.exists(timing_log):
        return set()
    with open(timing_log) as log:
        return {line.split()[0] for line in log}


def race(port: int, members: int, referral_id: int) -> dict[int, int]:
    """Log every member in, then release all accepts at one barrier; returns HTTP status -> count."""
    clients, tokens = [], []
    for n in range(members):
        client = Client(port)
        _, _, page = client.request("GET", "/login")
        status, _, _ = client.request("POST", "/login", {"csrf_token": hidden(page, "csrf_token"),
                                                         "username": f"bench{n}", "password": "bench-pass"})
        _, _, page = client.request("GET", "/referrals/my")
        if status != 302 or not hidden(page, "csrf_token"):
            raise RuntimeError(f"bench{n} could not log in (status {status})")
        tokens.append(hidden(page, "csrf_token"))
        clients.append(client)
    barrier = threading.Barrier(members)
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def attempt(client, token):
        barrier.wait()
        try:
            status, _, _ = client.request("POST", f"/referrals/r/{referral_id}/accept", {"csrf_token": token})
        except OSError:
            status = 0
        with lock:
            statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def max_in_flight(timing_log: str, path: str) -> tuple[int, int]:
    """The largest number of requests to ``path`` open at one instant (server-side), and how many were seen."""
    events = []
    with open(timing_log) as log:
        for line in log:
            _pid, started, ended, method, seen = line.split()
            if method == "POST" and seen == path:
                events += [(float(started), 1), (float(ended), -1)]
    events.sort(key=lambda e: (e[0], e[1]))   # an end at the same instant as a start closes first
    now = peak = 0
    for _, step in events:
        now += step
        peak = max(peak, now)
    return peak, len(events) // 2


def count_winners(app, referral_id: int) -> tuple[int, str]:
    """Winners as the database has them: accept audit rows, checked against the referral row and the loads."""
    import sqlalchemy as sa

    from desk.extensions import db
    from desk.models import AuditEntry
    from referrals.offers.models import Referral
    from referrals.talent.models import Talent
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        audits = db.session.scalars(sa.select(AuditEntry).where(
            AuditEntry.entity == "referral", AuditEntry.entity_id == referral_id,
            AuditEntry.action == "accept")).all()
        loaded = db.session.execute(sa.select(Talent.id, Talent.user_id).where(
            Talent.name.like("压测%"), Talent.open_load > 0)).all()
        holder = db.session.get(Talent, referral.talent_id) if referral.talent_id else None
        consistent = (referral.status.value == "accepted" and holder is not None
                      and [a.actor_id for a in audits] == [holder.user_id]
                      and [row.id for row in loaded] == [holder.id])
        detail = (f"referral status {referral.status.value}, held by member {referral.talent_id}; "
                  f"{len(audits)} accept audit row(s) by user(s) {[a.actor_id for a in audits]}; "
                  f"members with a raised load: {[row.id for row in loaded]}; "
                  f"{'consistent' if consistent else 'INCONSISTENT'}")
        db.engine.dispose()
    # A row and audit that disagree count as no clean winner, whatever the audit count says.
    return (len(audits) if consistent or len(audits) != 1 else 0), detail


def _create_pg_database() -> str:
    import sqlalchemy as sa
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{PG_DATABASE}"'))
    finally:
        admin.dispose()
    return sa.engine.make_url(PG_ADMIN).set(database=PG_DATABASE).render_as_string(hide_password=False)


def _drop_pg_database() -> None:
    import sqlalchemy as sa
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
    finally:
        admin.dispose()


def run(backend: str, members: int) -> bool:
    work = tempfile.mkdtemp(prefix=f"desk-bench-accept-{backend}-")
    timing_log, config = os.path.join(work, "timing.log"), os.path.join(work, "gunicorn_bench.py")
    with open(config, "w") as handle:
        handle.write(GUNICORN_CONFIG)
    env = {"INSTANCE_PATH": os.path.join(work, "instance"), "SECRET_KEY": "bench", "PII_KEY": "bench-pii",
           "FLASK_APP": "run", "BENCH_TIMING_LOG": timing_log}
    if backend == "postgresql":
        env["DATABASE_URL"] = _create_pg_database()
    else:
        os.environ.pop("DATABASE_URL", None)
    try:
        app, referral_id = prepare(env, members)
        port = free_port()
        proc = start_gunicorn(port, env, config)
        try:
            statuses = race(port, members, referral_id)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        won, detail = count_winners(app, referral_id)
        in_flight, seen = max_in_flight(timing_log, f"/referrals/r/{referral_id}/accept")
    finally:
        if backend == "postgresql":
            _drop_pg_database()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{backend}: {members} accepts released at once to {WORKERS} sync workers; HTTP statuses {statuses}; "
          f"{seen} accepts seen by the server, at most {in_flight} in flight at once", flush=True)
    print(f"{backend}: {detail}", flush=True)
    ok = bench_line(f"concurrent_accept_winners_{backend}", won, "count", "==", 1).endswith("PASS")
    ok &= bench_line(f"concurrent_accept_in_flight_{backend}", in_flight, "requests", ">=", 8).endswith("PASS")
    return ok and statuses == {302: members}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="12 members instead of 50")
    args = parser.parse_args()
    members = 12 if args.quick else 50
    ok = True
    for backend in ("sqlite", "postgresql"):
        try:
            ok &= run(backend, members)
        except Exception as err:   # noqa: BLE001 - one backend failing must still print its lines
            cause = f"{type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"
            if backend == "postgresql":
                cause += f" (PostgreSQL at {PG_ADMIN.split('@')[-1]})"
            for name, unit, target in (("winners", "count", "==1"), ("in_flight", "requests", ">=8")):
                print(f"BENCH concurrent_accept_{name}_{backend} n/a {unit} target {target} FAIL ({cause})",
                      flush=True)
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
