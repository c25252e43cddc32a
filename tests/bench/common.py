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
