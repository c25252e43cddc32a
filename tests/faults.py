"""Helpers for the fault tests and benchmarks (issue 19): fingerprints of a whole database, a thread that keeps
registering visits, and a database made by the first release with its own code.

Fingerprints read through a plain DB-API connection (sqlite3 or psycopg), so that they can be taken inside the
very transaction a backup copies from (``desk.backup.backup_database(on_snapshot=...)``)."""
import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from desk.backup import libpq_params

ROOT = Path(__file__).resolve().parent.parent
# The first release: the first state landed on main with CI green (23 November 2026) — the foundation, reception
# and repeat visits, talent and referrals, with `make run`'s demo. Its schema is the initial migration alone.
FIRST_RELEASE = "f7a83150ca21566f1dec8fa3308962585005564f"
# The end of the first series of issues (26 November 2026: dispatch orders, outreach, callbacks, the dashboard and
# the monthly PDF added, each with its own migration branch).
FIRST_SERIES = "5c43d8742f89f1e09ecdfab6d50c62c636d99092"


@contextmanager
def empty_database(backend: str, database_urls: dict, tmp_path: Path, suffix: str):
    """The URL (a string) of an empty database of the test's kind beside the test database, dropped after."""
    if backend == "sqlite":
        yield "sqlite:///" + str(tmp_path / f"{suffix}.sqlite")
        return
    url = sa.engine.make_url(database_urls["postgresql"])
    name = f"{url.database}_{suffix}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def connect(url):
    """A DB-API connection (autocommit) to the database at a SQLAlchemy URL."""
    url = sa.engine.make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        return sqlite3.connect(url.database, isolation_level=None)
    import psycopg
    conninfo, env = libpq_params(url)
    return psycopg.connect(conninfo, password=env.get("PGPASSWORD"), autocommit=True)


def _is_sqlite(conn) -> bool:
    return isinstance(conn, sqlite3.Connection)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_columns(conn) -> dict[str, list[str]]:
    """Every table (the desk's schema) and its columns in order."""
    if _is_sqlite(conn):
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({_quote(t)})")] for t in names}
    columns: dict[str, list[str]] = {}
    for table, column in conn.execute("SELECT table_name, column_name FROM information_schema.columns "
                                      "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"):
        columns.setdefault(table, []).append(column)
    return columns


def primary_key(conn, table: str) -> list[str]:
    if _is_sqlite(conn):
        rows = [r for r in conn.execute(f"PRAGMA table_info({_quote(table)})") if r[5]]
        return [r[1] for r in sorted(rows, key=lambda r: r[5])]
    return [r[0] for r in conn.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
        (f"public.{_quote(table)}",))]


def _rows(conn, table: str, columns: list[str], key: list[str]):
    order = ", ".join(_quote(c) for c in (key or columns))
    prefix = "" if _is_sqlite(conn) else "public."
    return conn.execute(f"SELECT {', '.join(_quote(c) for c in columns)} FROM {prefix}{_quote(table)} "
                        f"ORDER BY {order}")


def fingerprints(conn) -> dict[str, tuple[int, str]]:
    """Each table's row count and the md5 of its rows in primary-key order."""
    found = {}
    for table, columns in table_columns(conn).items():
        digest, count = hashlib.md5(), 0
        for row in _rows(conn, table, columns, primary_key(conn, table)):
            digest.update(repr(tuple(row)).encode())
            count += 1
        found[table] = (count, digest.hexdigest())
    return found


def mismatched(expected: dict, found: dict) -> list[str]:
    """Tables whose count or checksum differ, or that one side lacks."""
    return sorted(t for t in expected.keys() | found.keys() if expected.get(t) != found.get(t))


def release_rows(conn) -> dict[str, tuple[list[str], list[str], dict[tuple, tuple]]]:
    """Each table's columns, primary key and rows by key (alembic's own table left out)."""
    tables = {}
    for table, columns in table_columns(conn).items():
        if table == "alembic_version":
            continue
        key = primary_key(conn, table)
        tables[table] = (columns, key, _keyed(conn, table, columns, key))
    return tables


def _keyed(conn, table: str, columns: list[str], key: list[str]) -> dict[tuple, tuple]:
    positions = [columns.index(k) for k in key] if key else list(range(len(columns)))
    return {tuple(row[p] for p in positions): tuple(row) for row in _rows(conn, table, columns, key)}


# What the migrations since the first release do, by their own docstrings, to values of the first release's tables:
# a column dropped because its values moved elsewhere (checked there), and a value rewritten (compared with what
# it becomes). Anything else dropped or changed is a row lost.
def _case_review_columns(conn, rows: dict[tuple, dict]) -> set[tuple]:
    """c14stage01: a requested review's dates became the case's review stage (started, due, ended); the days to
    request one became request_due while none was requested. Returns the keys whose values are not there."""
    reviews = {(r[0],): r[1:] for r in conn.execute(
        "SELECT case_id, started_on, due_on, ended_on FROM case_stage WHERE kind = 'review'")}
    due = {(r[0],): r[1] for r in conn.execute('SELECT id, request_due FROM "case"')}
    missing = set()
    for key, row in rows.items():
        if row["review_requested_on"] is not None:
            found = reviews.get(key) == (row["review_requested_on"], row["review_reply_due"], row["review_replied_on"])
        else:
            found = key not in reviews and (row["accepted_on"] is None or due.get(key) == row["review_due"])
        if not found:
            missing.add(key)
    return missing


MOVED = {("case", ("review_due", "review_requested_on", "review_reply_due", "review_replied_on")):
         _case_review_columns}
REWRITTEN = {  # c14stage01: a case whose review was requested and not yet answered is "under review"
    ("case", "status"): lambda row: ("under_review" if row["accepted_on"] is not None
                                     and row["review_requested_on"] is not None
                                     and row["review_replied_on"] is None else row["status"])}


def rows_lost(before: dict, conn) -> dict[str, int]:
    """Per table of ``before`` (from ``release_rows``), the rows not found in ``conn`` with every value they had:
    a key gone, a value changed (beyond REWRITTEN), or a column dropped without its values in their new place
    (MOVED); a table gone loses all its rows."""
    lost, now = {}, table_columns(conn)
    for table, (columns, key, rows) in before.items():
        if table not in now:
            lost[table] = len(rows)
            continue
        kept = [c for c in columns if c in now[table]]
        dropped = tuple(c for c in columns if c not in now[table])
        after = _keyed(conn, table, kept, key)
        named = {k: dict(zip(columns, row)) for k, row in rows.items()}
        bad = set()
        for k, row in named.items():
            expected = tuple(REWRITTEN[(table, c)](row) if (table, c) in REWRITTEN else row[c] for c in kept)
            if after.get(k) != expected:
                bad.add(k)
        if dropped:
            check = MOVED.get((table, dropped))
            bad |= set(named) if check is None else check(conn, named)
        if bad:
            lost[table] = len(bad)
    return lost


class Registrations:
    """A thread that registers walk-in visits one after another, each in its own transaction, through the desk's
    own registration service, until stopped or ``limit`` were made; ``committed`` holds when each was committed
    (monotonic)."""

    def __init__(self, app, *, place_id: int | None = None, category_id: int | None = None, limit: int | None = None):
        self.app, self.place_id, self.category_id, self.limit = app, place_id, category_id, limit
        self.finished = False
        self.committed: list[float] = []
        self.errors: list[BaseException] = []
        self._stop = threading.Event()
        self._more = threading.Condition()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(60)

    def wait_for(self, count: int, timeout: float = 60) -> None:
        """Block until ``count`` visits in all were committed (or the writer reached its limit)."""
        with self._more:
            if not self._more.wait_for(lambda: len(self.committed) >= count or self.errors or self.finished, timeout):
                raise TimeoutError(f"only {len(self.committed)} of {count} registrations in {timeout} s")
        if self.errors:
            raise self.errors[0]

    def _run(self):
        from desk.extensions import db
        from desk.models import Category, Channel, Level, OrgUnit, PetitionType
        from intake.reception.services import PersonInput, VisitInput, register_visit
        with self.app.app_context():
            try:
                place = (db.session.get(OrgUnit, self.place_id) if self.place_id else db.session.scalar(
                    sa.select(OrgUnit).where(OrgUnit.level == Level.village).order_by(OrgUnit.id).limit(1)))
                category = (db.session.get(Category, self.category_id) if self.category_id else
                            db.session.scalar(sa.select(Category).order_by(Category.id).limit(1)))
                n = 0
                while not self._stop.is_set() and n != self.limit:
                    n += 1
                    data = VisitInput(person=PersonInput(name=f"备份压测{n}", phone=f"139{os.getpid() % 1000:03d}{n:05d}"),
                                      channel=Channel.walk_in, place=place, category=category,
                                      petition_type=PetitionType.demand, title="拖欠工资",
                                      facts=f"第{n}位来访人反映包工头拖欠工资。")
                    register_visit(actor=None, site=None, data=data)
                    db.session.commit()
                    with self._more:
                        self.committed.append(time.monotonic())
                        self._more.notify_all()
            except BaseException as err:    # handed to the waiting test, which fails with it
                db.session.rollback()
                with self._more:
                    self.errors.append(err)
                    self._more.notify_all()
            finally:
                db.session.remove()
                with self._more:
                    self.finished = True
                    self._more.notify_all()


def release_checkout(commit: str, into: Path) -> Path | None:
    """A clone of this repository at ``commit`` in ``into`` (git clone + checkout; the working checkout is not
    touched). None when this checkout's history does not hold the commit (a shallow clone)."""
    if subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", commit + "^{commit}"],
                      capture_output=True).returncode != 0:
        return None
    target = into / f"desk-{commit[:12]}"
    if not (target / "run.py").exists():
        subprocess.run(["git", "clone", "-q", "--no-checkout", str(ROOT), str(target)], check=True)
        subprocess.run(["git", "-C", str(target), "checkout", "-q", commit], check=True)
    return target


def build_release_database(checkout: Path, url: str, instance: Path, size: str = "small") -> None:
    """The release's own `flask desk init --size SIZE` (its migrations and its demo) on the database at ``url``,
    run by the release's code (on this virtualenv's Python: its dependencies are a subset of today's)."""
    env = {**os.environ, "PYTHONPATH": str(checkout), "INSTANCE_PATH": str(instance), "DATABASE_URL": url,
           "DESK_ENV": "development", "SCHEDULER": "0"}
    env.pop("FLASK_APP", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "run", "desk", "init", "--size", size],
                          cwd=checkout, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the release at {checkout.name} could not build its demo:\n{done.stderr[-3000:]}")
