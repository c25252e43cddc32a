"""Run every benchmark script in turn (`make bench`); each prints its own BENCH lines."""
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
SCRIPTS: list[str] = ["bench_repeat_lookup.py", "bench_registration.py", "bench_matching.py",
                      "bench_concurrent_accept.py", "bench_measures.py", "bench_monthly_pdf.py",
                      "bench_dashboard_first_load.py", "bench_import_hotline.py", "bench_risk.py",
                      "bench_faults.py", "bench_scheduler.py",
                      "bench_crash.py", "bench_pages.py"]


def main() -> int:
    args = sys.argv[1:]
    failed = []
    for name in SCRIPTS:
        print(f"== {name}", flush=True)
        if subprocess.call([sys.executable, str(HERE / name), *args], cwd=HERE.parent.parent) != 0:
            failed.append(name)
    if failed:
        print("benchmarks that did not run to the end: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
