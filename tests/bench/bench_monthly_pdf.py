"""The whole monthly PDF summary for the city: the `city` demo plus 1,000,000 cases over five years (SQLite).

Prints BENCH monthly_pdf_city_cold_s: the city's summary for one month, in Chinese, rendered in a fresh
process, median of 3 fresh processes. Each is a subprocess (this script with --render-once) that imports
the application, creates it (the TESTING config: no background warm-up thread, no scheduler), loads the
city and calls reports.summary.services.render_monthly_summary once; the figure is that call, from its
start to the PDF bytes: compiling the templates, loading the translations and locale data, the measures'
SQL on a connection with an empty SQLite cache, the charts, WeasyPrint's first layout with fontconfig and
the CJK fonts loaded and subset. Not included: interpreter start, imports and create_app (printed beside
it, "process start to PDF"). The operating system's page cache is not dropped (other benchmarks share the
machine), so the database file is read from memory after the first process.

The PDF of the first fresh process is then checked: `pdffonts` must list Noto Sans CJK fonts, all embedded
(the "emb" column yes), and `pdftotext` must read back the Chinese title 月度工作汇总 and the city's name;
if not, the line says FAIL with what is missing, whatever the time.

For information: the same render warm (one warm-up, then median of 3 in one process) and one county's.
Reuses the database bench_measures.py builds and caches (/tmp/desk-bench-measures-v2-<n>.sqlite);
``--quick`` uses the 100,000-case one, ``--cases N`` any size it builds.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402

from tests.bench import bench_measures  # noqa: E402
from tests.bench.bench_measures import MONTH, YEAR, build  # noqa: E402
from tests.bench.common import bench_line, cached_database, make_app, median  # noqa: E402

CITY_CODE, COUNTY_CODE = "440700", "440781"
GENERATED = datetime(2026, 11, 1, 0, 30)
TITLE = "月度工作汇总"   # "Monthly summary" in zh_Hans, the cover's heading
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


def _pages(pdf_path: str) -> int:
    import re
    info = subprocess.run(["pdfinfo", pdf_path], capture_output=True, text=True).stdout
    match = re.search(r"Pages:\s+(\d+)", info)
    return int(match.group(1)) if match else 0


def render_once(path: str, code: str, out: str, spawned_at: float) -> None:
    """The child of a cold run: create the app, render once, write the PDF and the timings (JSON on stdout)."""
    from desk.extensions import db
    from desk.models import OrgUnit
    from reports.summary.services import render_monthly_summary
    app = make_app(path)
    with app.app_context():
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
        ready = time.time()
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render_monthly_summary(unit=unit, year=YEAR, month=MONTH, locale="zh_Hans", now=GENERATED)
        took, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        name = unit.name
        db.engine.dispose()
    with open(out, "wb") as handle:
        handle.write(pdf)
    print(json.dumps({"render_s": took, "cpu_s": cpu, "setup_s": ready - spawned_at,
                      "total_s": time.time() - spawned_at, "unit": name, "size": len(pdf)}), flush=True)


def cold_runs(path: str, code: str, runs: int, folder: str) -> list[dict]:
    results = []
    for n in range(runs):
        out = os.path.join(folder, f"cold-{n}.pdf")
        spawned_at = time.time()
        child = subprocess.run([sys.executable, os.path.abspath(__file__), "--render-once", path, code, out,
                                repr(spawned_at)], capture_output=True, text=True, timeout=600)
        if child.returncode != 0:
            raise RuntimeError(f"the fresh process failed: {child.stderr.strip().splitlines()[-1:]}")
        results.append({**json.loads(child.stdout.strip().splitlines()[-1]), "pdf": out})
    return results


def check_pdf(pdf_path: str, expected: list[str]) -> tuple[list[str], str]:
    """Problems with the PDF's fonts and text (empty: none), and the CJK fonts as pdffonts lists them."""
    problems = []
    listing = subprocess.run(["pdffonts", pdf_path], capture_output=True, text=True)
    rows = [line.split() for line in listing.stdout.splitlines()[2:] if line.strip()]
    # name type... encoding emb sub uni object-id: read the flags from the right, the type has spaces in it.
    fonts = [(row[0], row[-5]) for row in rows if len(row) >= 7]
    # "ABCDEF+Noto-Sans-CJK-SC-Bold": a subset prefix, then the family with hyphens for spaces.
    cjk = [(name, emb) for name, emb in fonts if "notosanscjk" in name.replace("-", "").replace(" ", "").lower()]
    if listing.returncode != 0:
        problems.append(f"pdffonts failed: {listing.stderr.strip()}")
    elif not cjk:
        problems.append("no Noto Sans CJK font in the PDF (fonts: " + ", ".join(n for n, _ in fonts) + ")")
    not_embedded = [name for name, emb in fonts if emb != "yes"]
    if not_embedded:
        problems.append("not embedded: " + ", ".join(not_embedded))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf_path, "-"], capture_output=True, text=True).stdout
    missing = [word for word in expected if word not in text]
    if missing:
        problems.append("pdftotext does not read back " + ", ".join(missing))
    return problems, ", ".join(f"{name} (emb {emb})" for name, emb in cjk)


def render_times(path: str, code: str, runs: int) -> tuple[list[float], list[float]]:
    """Warm: one render first, then ``runs`` more in the same process."""
    from desk.extensions import db
    from desk.models import OrgUnit
    from reports.summary.services import render_monthly_summary
    app = make_app(path)
    times, cpu = [], []
    with app.app_context():
        unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))
        render_monthly_summary(unit=unit, year=YEAR, month=MONTH, locale="zh_Hans", now=GENERATED)  # warm-up
        for _ in range(runs):
            db.session.expire_all()
            started, started_cpu = time.perf_counter(), time.process_time()
            render_monthly_summary(unit=unit, year=YEAR, month=MONTH, locale="zh_Hans", now=GENERATED)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        db.engine.dispose()
    return times, cpu


def main() -> None:
    if sys.argv[1:2] == ["--render-once"]:
        render_once(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="the 100,000-case database instead of 1,000,000")
    parser.add_argument("--cases", type=int, help="another database size bench_measures builds (e.g. 10000)")
    args = parser.parse_args()
    n_cases = args.cases or (100_000 if args.quick else 1_000_000)
    target = DATABASE.format(n=n_cases)
    _wait_for_other_build(target)
    path = cached_database(target, build, n_cases)   # never opened before it exists: SQLite would create it
    with tempfile.TemporaryDirectory(prefix="desk-bench-pdf-") as folder:
        cold = cold_runs(path, CITY_CODE, 3, folder)
        problems, cjk = check_pdf(cold[0]["pdf"], [TITLE, cold[0]["unit"]])
        pages = _pages(cold[0]["pdf"])
    print(f"monthly PDF, whole city, {n_cases:,} cases, {YEAR}-{MONTH:02d}, fresh processes: render "
          + ", ".join(f"{r['render_s']:.2f}" for r in cold) + f" s (CPU {median([r['cpu_s'] for r in cold]):.2f} s); "
          "process start to PDF " + ", ".join(f"{r['total_s']:.2f}" for r in cold) + f" s; {pages} pages, "
          f"{cold[0]['size'] / 1024:.0f} KB; load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"  CJK fonts: {cjk or 'none'}; {'; '.join(problems) or 'all fonts embedded, ' + TITLE + ' reads back'}",
          flush=True)
    value = median([r["render_s"] for r in cold])
    if problems:
        print(f"BENCH monthly_pdf_city_cold_s {value:.3f} s target <=4 FAIL ({'; '.join(problems)})", flush=True)
    else:
        bench_line("monthly_pdf_city_cold_s", value, "s", "<=", 4)
    # For information: warm figures (CPU time too: on a shared machine the wall clock counts others' work).
    county_times, _ = render_times(path, COUNTY_CODE, 1)
    print(f"monthly PDF, one county, warm: {county_times[0]:.2f} s", flush=True)
    times, cpu = render_times(path, CITY_CODE, 3)
    print("monthly PDF, whole city, warm (after one render in the same process): runs "
          + ", ".join(f"{t:.2f}" for t in times) + f" s, median {median(times):.2f} s (CPU {median(cpu):.2f} s)",
          flush=True)


if __name__ == "__main__":
    main()
