"""Nothing lost to a backup or an upgrade (issue 19, "Faults"), on SQLite and on PostgreSQL.

Prints
- BENCH backup_restore_mismatch (SQLite) and backup_restore_mismatch_pg: the demo database is backed up
  (desk.backup.backup_database, as `flask desk backup` does) while a thread keeps registering visits through the
  desk's registration service; the copy is restored into an empty database by `flask desk restore`; the tables
  whose row count or checksum (md5 of the rows in primary-key order) differ from the database at the backup moment.
  That moment is read inside the very transaction the copy is made from (SQLite's read transaction, the
  REPEATABLE READ transaction whose snapshot pg_dump reads), and the writer commits more visits after it and
  before the copy starts, so a copy of any later moment would differ. backup_writes_during(_pg) counts the visits
  committed while the backup ran.
- BENCH upgrade_rows_lost (SQLite) and upgrade_rows_lost_pg: a database made by the first release (FIRST_RELEASE,
  and the end of the first series of issues, FIRST_SERIES) with its demo, by its own code from a clone of this
  repository at that commit, upgraded by today's `flask db upgrade`; the rows of the release's tables not found
  with every value they had (tests/faults.py: rows_lost, which follows the values a migration says it moved).

Both parts use the Jiangmen-sized demo (`desk init --size city`, about 140,000 rows; seeding takes minutes);
--quick, the small demo (about two minutes in all).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
FLASK = [sys.executable, "-m", "flask", "--app", "run"]
ENV = {**os.environ, "DESK_ENV": "development", "SCHEDULER": "0"}


def postgres_reachable() -> bool:
    try:
        engine = sa.create_engine(PG_ADMIN)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def fresh_database(backend: str, name: str, folder: Path) -> str:
    """An empty database: a new SQLite file, or a PostgreSQL database dropped and created again."""
    if backend == "sqlite":
        path = folder / f"{name}.sqlite"
        for leftover in folder.glob(f"{name}.sqlite*"):
            leftover.unlink()
        return "sqlite:///" + str(path)
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def flask(*args, url: str, cwd=ROOT, env=None) -> subprocess.CompletedProcess:
    done = subprocess.run([*FLASK, *args], cwd=cwd, env={**ENV, **(env or {}), "DATABASE_URL": url},
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return done


def backup_while_writing(backend: str, folder: Path, size: str) -> tuple[int, int]:
    """The tables that differ between the restored copy and the database at the backup moment, and the visits
    committed while the backup ran."""
    from desk import create_app
    from desk.backup import backup_database
    from desk.extensions import db
    from tests.faults import Registrations, connect, fingerprints, mismatched
    suffix = "" if backend == "sqlite" else "_pg"
    source = fresh_database(backend, "desk_bench_faults_source", folder)
    started = time.perf_counter()
    flask("desk", "init", "--size", size, url=source, env={"INSTANCE_PATH": str(folder)})
    print(f"  {backend}: the {size} demo built in {time.perf_counter() - started:.0f} s", flush=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": source, "WARM_UP": False})
    path = folder / f"desk-{backend}.backup"
    if path.exists():
        path.unlink()
    seen = {}

    def at_snapshot(conn):
        seen["state"] = fingerprints(conn)
        writer.wait_for(len(writer.committed) + 3)  # visits committed after the moment, before the copy starts

    with app.app_context(), Registrations(app) as writer:
        writer.wait_for(5)
        began = time.monotonic()
        summary = backup_database(db.engine.url, str(path), on_snapshot=at_snapshot)
        ended = time.monotonic()
        writer.wait_for(len(writer.committed) + 3)
        db.engine.dispose()
    if writer.errors:
        raise writer.errors[0]
    during = sum(began <= moment <= ended for moment in writer.committed)
    print(f"  {summary.line('backup')}; {len(writer.committed)} visits registered by the writer", flush=True)

    target = fresh_database(backend, "desk_bench_faults_restored", folder)
    restored = flask("desk", "restore", str(path), url=target)
    print("  " + restored.stdout.strip().splitlines()[-1], flush=True)
    with closing(connect(target)) as conn:
        copy = fingerprints(conn)
    with closing(connect(source)) as conn:
        live = fingerprints(conn)
    state = seen["state"]
    differ = mismatched(state, copy)
    print(f"  visits: {state['visit'][0]:,} at the backup moment, {copy['visit'][0]:,} in the restored copy, "
          f"{live['visit'][0]:,} in the live database after; tables differing: {', '.join(differ) or 'none'}",
          flush=True)
    bench_line(f"backup_writes_during{suffix}", during, "visits", ">=", 1)
    bench_line(f"backup_restore_mismatch{suffix}", len(differ), "tables", "==", 0)
    return len(differ), during


def upgrade_release(backend: str, commit: str, folder: Path, size: str) -> int:
    """Rows of the release's tables lost by today's `flask db upgrade` on a database the release made."""
    from tests.faults import build_release_database, connect, release_checkout, release_rows, rows_lost
    checkout = release_checkout(commit, folder)
    if checkout is None:
        raise RuntimeError(f"this checkout's history does not hold {commit}")
    url = fresh_database(backend, f"desk_bench_faults_release_{commit[:7]}", folder)
    instance = folder / f"instance-{commit[:7]}-{backend}"
    instance.mkdir(exist_ok=True)
    started = time.perf_counter()
    build_release_database(checkout, url, instance, size)
    built = time.perf_counter() - started
    with closing(connect(url)) as conn:
        before = release_rows(conn)
    rows = sum(len(r) for _, _, r in before.values())
    started = time.perf_counter()
    flask("db", "upgrade", url=url)
    upgraded = time.perf_counter() - started
    with closing(connect(url)) as conn:
        lost = rows_lost(before, conn)
    print(f"  {backend} {commit[:7]}: {len(before)} tables, {rows:,} rows ({size} demo) made by the release in "
          f"{built:.0f} s; upgraded in {upgraded:.1f} s; lost: {lost or 'none'}", flush=True)
    return sum(lost.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the small demo instead of the city")
    parser.add_argument("--size", choices=["small", "city"], help="the demo to use (overrides --quick)")
    args = parser.parse_args()
    size = args.size or ("small" if args.quick else "city")
    os.chdir(ROOT)
    os.environ.setdefault("DESK_ENV", "development")
    from tests.faults import FIRST_RELEASE, FIRST_SERIES
    backends = ["sqlite"] + (["postgresql"] if postgres_reachable() else [])
    with tempfile.TemporaryDirectory(prefix="desk-bench-faults-") as tmp:
        folder = Path(tmp)
        os.environ["INSTANCE_PATH"] = str(folder)     # the in-process app's instance folder
        for backend in backends:
            print(f"backup while registering, {backend}", flush=True)
            backup_while_writing(backend, folder, size)
        for backend in backends:
            print(f"upgrade from the first release, {backend}", flush=True)
            lost = sum(upgrade_release(backend, commit, folder, size) for commit in (FIRST_RELEASE, FIRST_SERIES))
            bench_line("upgrade_rows_lost" + ("" if backend == "sqlite" else "_pg"), lost, "rows", "==", 0)
    if "postgresql" not in backends:
        for name, unit in (("backup_restore_mismatch_pg", "tables"), ("upgrade_rows_lost_pg", "rows")):
            print(f"BENCH {name} n/a {unit} target ==0 FAIL (no PostgreSQL at "
                  f"{sa.engine.make_url(PG_ADMIN).render_as_string(hide_password=True)})", flush=True)


if __name__ == "__main__":
    main()
