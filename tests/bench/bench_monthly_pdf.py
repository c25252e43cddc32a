"""The whole monthly PDF summary for the city: the `city` demo plus 1,000,000 cases over five years (SQLite).

Prints BENCH monthly_pdf_city_s: reports.summary.services.render_monthly_summary for the city and one month, in
Chinese, measures and charts and WeasyPrint included, median of 3 after one warm-up. Reuses the database
that bench_measures.py builds and caches (/tmp/desk-bench-measures-v2-<n>.sqlite); ``--quick`` uses the
100,000-case one. Also prints the figure for one county, for information.
"""
import argparse
import os
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402

from tests.bench import bench_measures  # noqa: E402
from tests.bench.bench_measures import MONTH, YEAR, build  # noqa: E402
from tests.bench.common import bench_line, cached_database, make_app, median  # noqa: E402

CITY_CODE, COUNTY_CODE = "440700", "440781"
GENERATED = datetime(2026, 11, 1, 0, 30)
# The file bench_measures.py builds and caches (keep in step with it).
DATABASE = getattr(bench_measures, "DATABASE", "/tmp/desk-bench-measures-v2-{n}.sqlite")


def _wait_for_other_build(path: str, limit_s: int = 3600) -> None:
    """bench_measures.py may be building the same file right now (make bench runs it first): wait for it
    rather than build a second copy on top of it."""
    waited = 0
    while not os.path.exists(path) and os.path.exists(path + ".part") and waited < limit_s:
        if waited % 60 == 0:
            print(f"  waiting for {path} (being built) ...", flush=True)
        time.sleep(5)
        waited += 5


def _pages(pdf: bytes) -> int:
    import re
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    match = re.search(r"Pages:\s+(\d+)", info)
    return int(match.group(1)) if match else 0


def render_times(path: str, code: str, runs: int) -> tuple[list[float], int, int, list[float]]:
    from desk.extensions import db
    from desk.models import OrgUnit
    from reports.summary.services import render_monthly_summary
    app = make_app(path)
    times, cpu = [], []
    with app.app_context():
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
        pdf = render_monthly_summary(unit=unit, year=YEAR, month=MONTH, locale="zh_Hans", now=GENERATED)  # warm-up
        for _ in range(runs):
            db.session.expire_all()
            started, started_cpu = time.perf_counter(), time.process_time()
            pdf = render_monthly_summary(unit=unit, year=YEAR, month=MONTH, locale="zh_Hans", now=GENERATED)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        pages = _pages(pdf)
        db.engine.dispose()
    return times, len(pdf), pages, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the 100,000-case database instead of 1,000,000")
    args = parser.parse_args()
    n_cases = 100_000 if args.quick else 1_000_000
    target = DATABASE.format(n=n_cases)
    _wait_for_other_build(target)
    path = cached_database(target, build, n_cases)   # never opened before it exists: SQLite would create it
    county_times, _size, _pages, _cpu = render_times(path, COUNTY_CODE, 1)
    print(f"monthly PDF, one county, {n_cases:,} cases: {county_times[0]:.2f} s", flush=True)
    times, size, pages, cpu = render_times(path, CITY_CODE, 3)
    # CPU time of this process as well: on a shared machine the wall clock also counts other people's work.
    print(f"monthly PDF, whole city, {n_cases:,} cases, {YEAR}-{MONTH:02d}: runs "
          + ", ".join(f"{t:.2f}" for t in times) + f" s (CPU {median(cpu):.2f} s); {pages} pages, "
          f"{size / 1024:.0f} KB; load average {os.getloadavg()[0]:.1f}", flush=True)
    bench_line("monthly_pdf_city_s", median(times), "s", "<=", 5)


if __name__ == "__main__":
    main()
