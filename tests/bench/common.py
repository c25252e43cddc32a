"""Helpers for the benchmark scripts: a PASS/FAIL line, percentiles, an app on a given database file."""
import statistics


def bench_line(name: str, value: float, unit: str, op: str, target: float) -> str:
    ok = {"<=": value <= target, ">=": value >= target, "==": value == target, "<": value < target}[op]
    shown = f"{value:.3f}" if isinstance(value, float) else str(value)
    line = f"BENCH {name} {shown} {unit} target {op}{target:g} {'PASS' if ok else 'FAIL'}"
    print(line, flush=True)
    return line


def percentile(values, q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values) -> float:
    return statistics.median(values) if values else 0.0


def make_app(path: str):
    from desk import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + path, "PII_KEY": "bench-pii", "SECRET_KEY": "b",
                       "TESTING": True})


# --- shared by bench_measures.py (additive): a cached database file and batched bulk inserts ---------------

def cached_database(path: str, build, *args) -> str:
    """Build ``path`` once with ``build(path + ".part", *args)``; later runs reuse the file."""
    import os
    import time
    if not os.path.exists(path):
        print(f"building {path} ...", flush=True)
        started = time.perf_counter()
        build(path + ".part", *args)
        os.replace(path + ".part", path)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def insert_batches(conn, table, rows, batch: int = 20000, label: str | None = None) -> int:
    """Insert an iterable of row dicts in batches of ``batch`` (one executemany each); returns the count."""
    import sqlalchemy as sa
    chunk, done = [], 0
    for row in rows:
        chunk.append(row)
        if len(chunk) == batch:
            conn.execute(sa.insert(table), chunk)
            done += len(chunk)
            chunk.clear()
            if label and done % (batch * 10) == 0:
                print(f"  {label} {done:,}", flush=True)
    if chunk:
        conn.execute(sa.insert(table), chunk)
        done += len(chunk)
    return done


# --- shared by the scripts that serve the small demo with gunicorn (bench_registration.py, bench_crash.py) -------

def options(page: str, select_id: str) -> list[str]:
    """The values a receptionist can choose in a select of the form (not the empty "type to search" one)."""
    import re
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option[^>]*value="([^"]+)"', block.group(1)) if block else []


def demo_key() -> str:
    """Names a cached demo by the migrations and demo code that made it."""
    from hashlib import sha1
    from pathlib import Path
    digest = sha1()
    root = Path(__file__).resolve().parent.parent.parent
    for folder in ("desk/migrations/versions", "desk/demo"):
        for path in sorted(Path(root, folder).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def init_demo(env: dict, timeout: int = 1200) -> None:
    """`flask desk init --size small` with ``env`` (the server's keys, DATABASE_URL or INSTANCE_PATH)."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent.parent
    done = subprocess.run([os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "run", "desk", "init",
                           "--size", "small"], cwd=root, env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"desk init failed: {done.stderr[-2000:]}")


def last_ids(url: str, tables=("visit", "case")) -> dict[str, int]:
    """The highest id of each table before a run: rows above it are the run's."""
    import sqlalchemy as sa
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        found = {t: conn.scalar(sa.text(f'SELECT coalesce(max(id), 0) FROM "{t}"')) for t in tables}
    engine.dispose()
    return found
