"""The first dashboard after a restart (issue 16: it took 3.4 s): a fresh process, the `small` demo (SQLite).

Each measurement is a new Python process: it creates the application, logs in as the demo's county official
and times GET /reports/dashboard twice. Without the warm-up (WARM_UP off) it shows the cost of a cold process
(templates, SQL compilation, mappers, locale data); with it, the application warms itself in a background
thread when it starts (desk/warmup.py), and the first dashboard is opened once that is done, as a leader
would some seconds after a restart. Median of 3 processes each.

Prints BENCH dashboard_first_load_s: the first dashboard of a warmed process (target <= 1.0 s).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import datetime

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

from tests.bench.common import bench_line, cached_database  # noqa: E402

DATABASE = "/tmp/desk-bench-dashboard-small-v1.sqlite"
NOW = datetime(2026, 11, 20, 2, 0)   # 10:00 in China; the demo is seeded as of this moment
RUNS = 3


def _config(path: str, warm: bool) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + path, "PII_KEY": "bench-pii", "SECRET_KEY": "b",
            "TESTING": True, "WTF_CSRF_ENABLED": False, "SCHEDULER_ENABLED": False, "WARM_UP": warm}


def build(path: str) -> None:
    from desk import create_app
    from desk.demo.seed import seed_demo
    from desk.extensions import db
    from desk.timeutil import freeze
    app = create_app(_config(path, False))
    with app.app_context():
        db.create_all()
        freeze(NOW)
        seed_demo(size="small", seed=7)
        db.session.commit()
        db.engine.dispose()
    freeze(None)


def child(path: str, warm: bool) -> None:
    """One fresh process: the timings as JSON on the last line of stdout."""
    from desk.timeutil import freeze
    freeze(NOW)
    started = time.perf_counter()
    from desk import create_app
    app = create_app(_config(path, warm))
    created = time.perf_counter()
    thread = app.extensions.get("desk.warm_up")
    if thread is not None:
        thread.join()
    warmed = time.perf_counter()
    client = app.test_client()
    assert client.post("/login", data={"username": "official", "password": "demo12345"}).status_code == 302
    times = []
    for _ in range(2):
        t = time.perf_counter()
        response = client.get("/reports/dashboard")
        times.append(time.perf_counter() - t)
        assert response.status_code == 200 and b"chart-category-mix" in response.data, response.status_code
    print(json.dumps({"start_s": created - started, "warm_up_s": warmed - created if thread else None,
                      "first_s": times[0], "second_s": times[1]}))


def measure(path: str, warm: bool) -> list[dict]:
    results = []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, __file__, "--child", path, "--warm", "1" if warm else "0"],
                             capture_output=True, text=True, check=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--warm", default="1")
    parser.add_argument("--quick", action="store_true", help="accepted for run_all.py; the demo is small anyway")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.warm == "1")
        return
    path = cached_database(DATABASE, build)
    cold, warm = measure(path, False), measure(path, True)
    med = lambda rows, key: statistics.median(r[key] for r in rows)  # noqa: E731
    print(f"fresh process, no warm-up: first dashboard {med(cold, 'first_s'):.2f} s, "
          f"the next {med(cold, 'second_s'):.2f} s", flush=True)
    print(f"with the warm-up: it takes {med(warm, 'warm_up_s'):.2f} s in the background after start; "
          f"first dashboard {med(warm, 'first_s'):.2f} s, the next {med(warm, 'second_s'):.2f} s", flush=True)
    bench_line("dashboard_first_load_s", med(warm, "first_s"), "s", "<=", 1.0)


if __name__ == "__main__":
    main()
