"""12345 hotline import throughput and memory: 100,000 work orders (BENCH_IMPORT_ROWS to change it) with
recurring callers (a quarter of the rows come from the 2% who call most, with their earlier matters on file),
families sharing phones, varied texts, kinds and places, imported through the real service (check pass, then
land_matter with repeat detection, batches of 500) into a fresh SQLite database, and PostgreSQL when
BENCH_PG_URL (or the default local server) answers.

The import runs in a child process, whose peak RSS (ru_maxrss, from wait4) is the memory figure.
Prints BENCH import_hotline_rows_per_s and BENCH import_hotline_peak_mb (SQLite), and the same names with
_postgresql for PostgreSQL."""
import csv
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

from tests.bench.common import bench_line  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = "desk_bench_import"


def write_rows(path: str, count: int) -> None:
    import random
    from datetime import date

    from intake.imports.samples import Callers, sample_rows
    end = date(2026, 11, 15)
    callers = Callers(random.Random(5), max(50, count // 4), end)
    with open(path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        step = 5000
        for start in range(0, count, step):   # one generator per slice keeps the parent's memory small too
            header, rows = sample_rows("12345", min(step, count - start), seed=start, end=end, callers=callers,
                                       id_start=start + 1)
            if start == 0:
                writer.writerow(header)
            writer.writerows(rows)


def child(url: str, path: str) -> None:
    """Set up a fresh schema with the test world and the category taxonomy, then time the import."""
    import resource

    from desk import create_app
    from desk.demo import catalog
    from desk.extensions import db
    from desk.models import Category
    from desk.timeutil import freeze
    from intake.imports import services
    from tests.factories import build_world
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PII_KEY": "bench-pii", "SECRET_KEY": "b", "TESTING": True})
    with app.app_context():
        db.create_all()
        world = build_world()
        known = {c.code: c for c in db.session.scalars(db.select(Category))}
        for spec in catalog.CATEGORIES:
            if spec.code not in known:
                known[spec.code] = Category(code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en,
                                            roles=",".join(spec.roles), parent=known.get(spec.parent_code))
                db.session.add(known[spec.code])
        db.session.commit()
        from datetime import datetime
        freeze(datetime(2026, 11, 20, 2, 0))
        run = services.open_run(source="12345", county=world.county, actor=None, file_name=path)
        db.session.commit()
        started = time.perf_counter()
        last = [started]

        def progress(r):
            if time.perf_counter() - last[0] > 10:
                last[0] = time.perf_counter()
                print(f"  {r.status.value} checked {r.checked:,} written {r.written:,}", file=sys.stderr, flush=True)
        run = services.run_import(run, path, actor=None, progress=progress)
        seconds = time.perf_counter() - started
        print(json.dumps({"status": run.status.value, "rows": run.total, "seconds": seconds, "added": run.added,
                          "repeats": run.repeats, "problems": run.problem_count,
                          "self_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(backend: str, url: str, path: str) -> bool:
    proc = subprocess.Popen([sys.executable, __file__, "--child", url, path], stdout=subprocess.PIPE, cwd=ROOT)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        print(f"{backend}: the import process failed ({proc.returncode})", flush=True)
        return False
    result = json.loads(out.decode().strip().splitlines()[-1])
    print(f"{backend}: {result['rows']:,} rows in {result['seconds']:.1f} s, {result['added']:,} added, "
          f"{result['repeats']:,} linked as repeats, status {result['status']}", flush=True)
    suffix = "" if backend == "sqlite" else f"_{backend}"
    rate = result["rows"] / result["seconds"]
    # no target in the issue: the figure is reported (common.bench_line has no ">")
    print(f"BENCH import_hotline_rows_per_s{suffix} {rate:.1f} rows/s target >0 {'PASS' if rate > 0 else 'FAIL'}",
          flush=True)
    peak = usage.ru_maxrss / 1024
    return bench_line(f"import_hotline_peak_mb{suffix}", peak, "MB", "<=", 300).endswith("PASS") \
        and result["status"] == "done"


def postgres_url() -> str | None:
    import sqlalchemy as sa
    try:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{PG_DATABASE}"'))
        admin.dispose()
    except Exception as err:   # no server here: SQLite only
        print(f"postgresql not reachable ({type(err).__name__}); SQLite only", flush=True)
        return None
    return sa.engine.make_url(PG_ADMIN).set(database=PG_DATABASE).render_as_string(hide_password=False)


def main() -> int:
    work = tempfile.mkdtemp(prefix="desk-bench-import-")
    path = os.path.join(work, "hotline.csv")
    started = time.perf_counter()
    write_rows(path, ROWS)
    print(f"wrote {ROWS:,} hotline rows ({os.path.getsize(path) / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    ok = measure("sqlite", "sqlite:///" + os.path.join(work, "bench.sqlite"), path)
    url = postgres_url()
    if url:
        ok = measure("postgresql", url, path) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
