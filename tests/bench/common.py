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
