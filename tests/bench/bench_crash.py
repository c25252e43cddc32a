"""Nothing lost and nothing half written when the server's processes die (issue 19, "Faults", crash part).

The desk is served by gunicorn (2 sync workers) on a copy of the small demo: on SQLite (a file database in WAL
mode, as the desk configures it) and on PostgreSQL (a database copied from a cached template). Client threads
register varied walk-in visitors through the real reception form (tests/bench/bench_registration.py) while one
worker is sent SIGKILL every 2-3 s (the oldest, once a registration was acknowledged since the last kill) and
once, mid-run, the master and every worker together; gunicorn is then started again on the same database and
port and the clients carry on.

A registration is acknowledged when its client received the redirect after the POST. Each one carries a marker
(in its case's facts) and its form's submission key (on its visit), so that afterwards:
- BENCH crash_lost_acknowledged (SQLite) and crash_lost_acknowledged_pg: acknowledged registrations not found
  exactly once;
- BENCH crash_half_written and crash_half_written_pg: registrations found without every row a registration made
  before the first kill has (its case with the marker, the petitioner, the queue ticket, the visit's and the
  case's audit rows), and rows of the run left without their registration (a case or person without a visit,
  a ticket or audit row pointing at nothing).
A POST that got no answer may or may not have landed: counted for information, and checked like the rest if it
did. Errors seen by the clients during the kills are expected and printed by kind.
"""
import argparse
import http.client
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from hashlib import sha1
from pathlib import Path

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

import sqlalchemy as sa  # noqa: E402

from tests.bench.bench_faults import PG_ADMIN, postgres_reachable  # noqa: E402
from tests.bench.bench_registration import Client, free_port, hidden, id_number, start_gunicorn  # noqa: E402
from tests.bench.common import bench_line, demo_key, init_demo, last_ids, options  # noqa: E402

REQUEST_SECONDS = 20        # the longest a client waits for one answer
GUNICORN_TIMEOUT = 10       # a hung worker is replaced after this; a killed one at once (SIGCHLD)
SERVER_ENV = {"DESK_ENV": "development", "SCHEDULER": "0", "SECRET_KEY": "crash-secret", "PII_KEY": "crash-pii"}


@dataclass
class Person:
    name: str
    id_number: str
    phone: str


class Visitors:
    """One client's walk-in visitors: mostly new people, some coming back, some sharing a family phone, some
    without their ID card; demands and suggestions in any category and place the form offers."""

    def __init__(self, client_no: int, tag: str):
        self.rng = random.Random(client_no)
        self.tag, self.seen = tag, []

    def next(self, n: int, page: str) -> dict:
        """The form fields of registration ``n`` (unique in the run), marked ``<tag>-<n>`` in its facts."""
        roll = self.rng.random()
        if roll < 0.2 and self.seen:
            person = self.rng.choice(self.seen)              # coming back, another matter
        else:
            phone = f"138{n:08d}"
            if roll < 0.35 and self.seen:
                phone = self.rng.choice(self.seen).phone     # a family member's phone
            person = Person(f"崩溃{self.tag}{n:05d}", "" if roll > 0.9 else id_number(n), phone)
            self.seen.append(person)
        petition = self.rng.choice(["demand", "demand", "suggestion"])
        return {"id_number": person.id_number, "name": person.name, "phone": person.phone, "language": "cantonese",
                "channel": "walk_in", "head_count": "1", "category_id": self.rng.choice(options(page, "category_id")),
                "petition_type": petition, "demand_branch": "other", "title": f"第{n}号来访事项",
                "facts": f"{self.marker(n)} 来访人反映的情况。", "demand": "依法处理",
                "place_id": self.rng.choice(options(page, "place_id")), "other_party": "", "repeat_decision": "new",
                "action": "save"}

    def marker(self, n: int) -> str:
        return f"CRASH-{self.tag}-{n:05d}"


class Server:
    """gunicorn serving the desk on one port, whose workers (or the whole of it) can be killed; started again on
    the same database and port."""

    def __init__(self, port: int, env: dict, log):
        self.port, self.env, self.log = port, {**SERVER_ENV, **env}, log
        self.master: subprocess.Popen | None = None

    def start(self) -> None:
        self.master = start_gunicorn("run:app", self.port, self.env, ROOT, timeout=GUNICORN_TIMEOUT, stderr=self.log)

    def workers(self) -> list[int]:
        try:
            with open(f"/proc/{self.master.pid}/task/{self.master.pid}/children") as handle:
                return [int(pid) for pid in handle.read().split()]
        except OSError:
            return []

    def kill_worker(self) -> bool:
        """SIGKILL to the oldest worker: on a busy machine the younger one may still be booting."""
        started = {}
        for pid in self.workers():
            try:
                with open(f"/proc/{pid}/stat") as handle:
                    started[pid] = int(handle.read().rsplit(")", 1)[1].split()[19])  # starttime, in ticks
            except (OSError, IndexError, ValueError):
                continue
        return bool(started) and _kill(min(started, key=started.get))

    def kill_all(self) -> None:
        """SIGKILL to the master and every worker at once (the master stopped first, so it forks no more)."""
        os.kill(self.master.pid, signal.SIGSTOP)
        for pid in [self.master.pid, *self.workers()]:
            _kill(pid)
        self.master.wait(timeout=30)

    def stop(self) -> None:
        if self.master is None or self.master.poll() is not None:
            return
        self.master.send_signal(signal.SIGTERM)
        try:
            self.master.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill_all()


def _kill(pid: int) -> bool:
    try:
        os.kill(pid, signal.SIGKILL)
        return True
    except ProcessLookupError:
        return False


@dataclass
class Run:
    """What the clients and the killer saw."""
    total: int
    deadline: float
    acked: dict = field(default_factory=dict)         # marker -> submission key
    unanswered: dict = field(default_factory=dict)    # marker -> submission key: the POST got no redirect
    clean: set = field(default_factory=set)           # markers acknowledged before the first kill
    errors: Counter = field(default_factory=Counter)
    worker_kills: int = 0
    server_kills: int = 0
    failure: str = ""
    first_kill: float | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(default_factory=threading.Condition)
    finished: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self):
        self.numbers = iter(range(self.total))

    def next_number(self) -> int | None:
        with self.lock:
            return next(self.numbers, None)

    def over(self) -> bool:
        return bool(self.failure) or time.monotonic() > self.deadline

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1

    def acknowledge(self, marker: str, key: str) -> None:
        with self.changed:
            self.acked[marker] = key
            if self.first_kill is None:
                self.clean.add(marker)
            self.changed.notify_all()


def register_until_done(run: Run, port: int, visitors: Visitors, login: dict) -> None:
    """One client: registrations one after another until all are taken; a POST without an answer is not sent
    again (it may have landed), a form that could not be fetched is fetched again."""
    client = Client(port)
    client.conn.timeout = REQUEST_SECONDS
    while not run.over():
        n = run.next_number()
        if n is None:
            return
        page = fetch_form(run, client, login)
        if page is None:
            return
        marker = visitors.marker(n)
        form = {"csrf_token": hidden(page, "csrf_token"), "submission_key": hidden(page, "submission_key"),
                **visitors.next(n, page)}
        try:
            status, location, _ = client.request("POST", "/intake/", form)
        except (OSError, http.client.HTTPException) as err:
            client.conn.close()
            run.error(f"POST {type(err).__name__}")
            status, location = None, ""
        if status == 302 and "/intake/visits/" in location:
            run.acknowledge(marker, form["submission_key"])
            continue
        if status is not None:
            run.error(f"POST answered {status}")
        with run.lock:
            run.unanswered[marker] = form["submission_key"]


def fetch_form(run: Run, client: Client, login: dict) -> str | None:
    """The reception form (logging in when the session is gone), tried again until the run is over."""
    while not run.over():
        try:
            status, location, page = client.request("GET", "/intake/")
            if status == 302 and "/login" in location:
                status, _, page = client.request("GET", "/login")
                status, location, _ = client.request("POST", "/login", {"csrf_token": hidden(page, "csrf_token"),
                                                                         **login})
                if status != 302:
                    run.error(f"login answered {status}")
                    time.sleep(0.5)
                continue
            if status == 200 and hidden(page, "submission_key"):
                return page
            run.error(f"GET answered {status}")
        except (OSError, http.client.HTTPException) as err:
            client.conn.close()
            run.error(f"GET {type(err).__name__}")
        time.sleep(0.2)
    return None


def kill_while_registering(run: Run, server: Server, *, clean: int, every: tuple[float, float],
                           worker_kills: int | None) -> None:
    """After ``clean`` acknowledged registrations, SIGKILL a worker every ``every`` seconds (at most
    ``worker_kills``); once half the registrations are acknowledged, the whole server, then start it again.

    A worker is killed only once a registration was acknowledged since the last kill: on a busy machine a
    worker may take longer than the interval to boot, and killing faster than the desk can serve would measure
    nothing but booting."""
    rng = random.Random(19)
    with run.changed:
        run.changed.wait_for(lambda: len(run.acked) >= clean or run.finished.is_set(),
                             timeout=max(run.deadline - time.monotonic(), 0))
        run.first_kill = time.monotonic()
    next_kill, acked_at_kill = time.monotonic(), -1
    while not run.finished.is_set() and not run.over():
        try:
            if not run.server_kills and len(run.acked) >= run.total // 2:
                server.kill_all()
                run.server_kills += 1
                server.start()
            elif ((worker_kills is None or run.worker_kills < worker_kills) and time.monotonic() >= next_kill
                  and len(run.acked) > acked_at_kill):
                if server.kill_worker():
                    run.worker_kills, acked_at_kill = run.worker_kills + 1, len(run.acked)
                    next_kill = time.monotonic() + rng.uniform(*every)
        except Exception as err:  # the server did not come back: the clients stop, the figures say why
            run.failure = f"{type(err).__name__}: {err}"
            return
        run.finished.wait(0.05)


def crash_run(server: Server, *, total: int, clients: int, login: dict, every=(2.0, 3.0), worker_kills=None,
              seconds: float = 600) -> Run:
    """Registrations from ``clients`` threads through ``server`` (started here) with kills as above."""
    run = Run(total=total, deadline=time.monotonic() + seconds)
    server.start()
    killer = threading.Thread(target=kill_while_registering, args=(run, server),
                              kwargs={"clean": clients, "every": every, "worker_kills": worker_kills}, daemon=True)
    tag = sha1(str(time.time()).encode()).hexdigest()[:6]
    threads = [threading.Thread(target=register_until_done, args=(run, server.port, Visitors(i, tag), login),
                                daemon=True) for i in range(clients)]
    try:
        killer.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(run.deadline - time.monotonic(), 0) + REQUEST_SECONDS * 2)
        if any(thread.is_alive() for thread in threads):
            run.failure = run.failure or "clients still waiting past the deadline"
    finally:
        run.finished.set()
        with run.changed:
            run.changed.notify_all()
        killer.join(60)
        server.stop()
    return run


# --- the database afterwards --------------------------------------------------------------------------------------

TABLES = ("visit", "case", "person", "ticket", "audit_entry")


@dataclass
class Findings:
    lost: list = field(default_factory=list)          # acknowledged markers not found exactly once
    half: list = field(default_factory=list)          # what is half written, one line each
    landed: int = 0                                   # unanswered POSTs whose registration is there
    baseline: tuple | None = None


def inspect_database(url: str, run: Run, before: dict[str, int]) -> Findings:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        def rows(sql: str, table: str):
            return conn.execute(sa.text(sql), {"after": before[table]}).all()
        visits = rows("SELECT id, submission_key, case_id, person_id FROM visit WHERE id > :after", "visit")
        cases = dict(rows('SELECT id, facts FROM "case" WHERE id > :after', "case"))
        parties = {tuple(r) for r in rows("SELECT case_id, person_id FROM case_party WHERE case_id > :after "
                                          "AND role = 'petitioner'", "case")}
        party_people = {r[0] for r in rows("SELECT person_id FROM case_party WHERE person_id > :after", "person")}
        people = [r[0] for r in rows("SELECT id FROM person WHERE id > :after", "person")]
        tickets = rows("SELECT id, visit_id FROM ticket WHERE id > :after", "ticket")
        audits = rows("SELECT entity, entity_id, action FROM audit_entry WHERE id > :after", "audit_entry")
    engine.dispose()
    by_key: dict[str, list] = {}
    for visit in visits:
        by_key.setdefault(visit.submission_key, []).append(visit)
    tickets_of = Counter(t.visit_id for t in tickets)
    audits_of = Counter((a.entity, a.entity_id, a.action) for a in audits)
    visit_ids, case_ids = {v.id for v in visits}, {v.case_id for v in visits}

    def shape(marker: str, visit) -> tuple:
        audit = sorted((entity, action, n) for (entity, entity_id, action), n in audits_of.items()
                       if (entity, entity_id) in (("visit", visit.id), ("case", visit.case_id)))
        return (marker in (cases.get(visit.case_id) or ""), (visit.case_id, visit.person_id) in parties,
                tickets_of[visit.id], tuple(audit))

    found = Findings()
    for marker, key in run.acked.items():
        hits = by_key.get(key, [])
        if len(hits) != 1 or marker not in (cases.get(hits[0].case_id) or ""):
            found.lost.append(f"{marker}: {len(hits)} visits")
    shapes = {marker: shape(marker, by_key[key][0]) for marker, key in {**run.acked, **run.unanswered}.items()
              if len(by_key.get(key, [])) == 1}
    found.landed = sum(1 for key in run.unanswered.values() if key in by_key)
    clean = Counter(shapes[m] for m in run.clean if m in shapes)
    if not clean:
        found.half.append("no registration was acknowledged before the first kill: nothing to compare with")
        return found
    found.baseline = clean.most_common(1)[0][0]
    if len(clean) > 1:
        found.half.append(f"registrations before the first kill differ: {dict(clean)}")
    found.half += [f"{m}: {s} instead of {found.baseline}" for m, s in shapes.items() if s != found.baseline]
    ours = {v.id for key in {**run.acked, **run.unanswered}.values() for v in by_key.get(key, [])}
    found.half += [f"visit {v.id} without its case" for v in visits if v.id not in ours and v.case_id not in cases
                   and v.case_id > before["case"]]
    found.half += [f"case {c} without a visit" for c in cases if c not in case_ids]
    found.half += [f"person {p} in no case" for p in people if p not in party_people]
    found.half += [f"ticket {t.id} without its visit" for t in tickets if t.visit_id not in visit_ids]
    written = {"visit": (before["visit"], visit_ids), "case": (before["case"], set(cases))}
    for entity, entity_id, action in audits_of:
        after, there = written.get(entity, (None, None))
        if after is not None and entity_id > after and entity_id not in there:
            found.half.append(f"audit row ({action}) of {entity} {entity_id}, which is not there")
    return found


def report(run: Run, found: Findings, suffix: str, label: str) -> tuple[int, int]:
    """Prints the informational lines and the two figures; returns them."""
    errors = ", ".join(f"{kind} {n}" for kind, n in sorted(run.errors.items())) or "none"
    print(f"{label}: registrations acknowledged {len(run.acked)} of {run.total} ({len(run.clean)} before the first "
          f"kill); unacknowledged {len(run.unanswered)} (landed {found.landed}, not landed "
          f"{len(run.unanswered) - found.landed}); worker kills {run.worker_kills}, server kills {run.server_kills}",
          flush=True)
    print(f"{label}: errors seen by clients: {errors}", flush=True)
    if found.baseline:
        print(f"{label}: a registration writes (case with marker, petitioner, tickets, audit rows): {found.baseline}",
              flush=True)
    for line in (found.lost + found.half)[:10]:
        print(f"{label}:   {line}", flush=True)
    cause = run.failure or ("" if run.server_kills == 1 and run.worker_kills and run.acked
                            else "the kills or the registrations did not happen")
    for name, value in (("crash_lost_acknowledged", len(found.lost)), ("crash_half_written", len(found.half))):
        if cause:
            print(f"BENCH {name}{suffix} {value} count target ==0 FAIL ({cause})", flush=True)
        else:
            bench_line(name + suffix, value, "count", "==", 0)
    return len(found.lost), len(found.half)


# --- the demo databases -------------------------------------------------------------------------------------------

def sqlite_demo(folder: Path) -> tuple[dict, str]:
    """A copy of the cached small demo in a new instance folder: the server's environment and the database URL."""
    cache = Path(tempfile.gettempdir()) / f"desk-crash-demo-{demo_key()}"
    if not (cache / "desk.sqlite").exists():
        print("building the small demo (SQLite) ...", flush=True)
        shutil.rmtree(cache.with_suffix(".part"), ignore_errors=True)
        init_demo({**SERVER_ENV, "INSTANCE_PATH": str(cache.with_suffix(".part"))})
        os.replace(cache.with_suffix(".part"), cache)
    instance = folder / "instance-sqlite"
    instance.mkdir()
    for path in cache.glob("desk.sqlite*"):
        shutil.copy(path, instance / path.name)
    return {"INSTANCE_PATH": str(instance)}, "sqlite:///" + str(instance / "desk.sqlite")


def pg_demo(folder: Path, name: str = "desk_crash_run") -> tuple[dict, str]:
    """A new database copied from the cached template holding the small demo (built when missing)."""
    template = f"desk_crash_template_{demo_key()}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    url = sa.engine.make_url(PG_ADMIN)
    try:
        with admin.connect() as conn:
            templates = set(conn.scalars(sa.text("SELECT datname FROM pg_database "
                                                 "WHERE datname LIKE 'desk\\_crash\\_template\\_%'")))
            if template not in templates:
                print("building the small demo (PostgreSQL template) ...", flush=True)
                for old in templates | {"desk_crash_build"}:    # made by older code, or a build cut short
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
                conn.execute(sa.text('CREATE DATABASE "desk_crash_build"'))
                build = url.set(database="desk_crash_build").render_as_string(hide_password=False)
                init_demo({**SERVER_ENV, "DATABASE_URL": build, "INSTANCE_PATH": str(folder / "instance-build")})
                conn.execute(sa.text(f'ALTER DATABASE "desk_crash_build" RENAME TO "{template}"'))
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        admin.dispose()
    run_url = url.set(database=name).render_as_string(hide_password=False)
    return {"DATABASE_URL": run_url, "INSTANCE_PATH": str(folder / "instance-pg")}, run_url


def drop_pg(name: str = "desk_crash_run") -> None:
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def crash_backend(backend: str, folder: Path, total: int, clients: int) -> None:
    suffix = "" if backend == "sqlite" else "_pg"
    try:
        if backend == "postgresql" and not postgres_reachable():
            raise RuntimeError(f"no PostgreSQL at {sa.engine.make_url(PG_ADMIN).render_as_string()}")
        env, url = sqlite_demo(folder) if backend == "sqlite" else pg_demo(folder)
        before = last_ids(url, TABLES)
        with open(folder / f"gunicorn-{backend}.log", "w") as log:
            server = Server(free_port(), env, log)
            started = time.monotonic()
            run = crash_run(server, total=total, clients=clients,
                            login={"username": "reception", "password": "demo12345"})
        print(f"{backend}: {total} registrations from {clients} clients in {time.monotonic() - started:.0f} s",
              flush=True)
        report(run, inspect_database(url, run, before), suffix, backend)
    except Exception as err:
        for name in ("crash_lost_acknowledged", "crash_half_written"):
            print(f"BENCH {name}{suffix} n/a count target ==0 FAIL ({type(err).__name__}: {err})", flush=True)
    finally:
        if backend == "postgresql":
            try:
                drop_pg()
            except Exception:
                pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="150 registrations instead of 600")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one backend (both by default)")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    with tempfile.TemporaryDirectory(prefix="desk-bench-crash-") as tmp:
        for backend in [args.only] if args.only else ["sqlite", "postgresql"]:
            crash_backend(backend, Path(tmp), 150 if args.quick else 600, args.clients)


if __name__ == "__main__":
    main()
