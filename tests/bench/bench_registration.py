"""Registration throughput: gunicorn (2 workers) on SQLite, 16 concurrent clients, 2,000 complete
registrations (repeat check, ticket, audit) — against a bare Flask app that renders a one-field form
and inserts one row, served the same way, in the same run. Traffic goes to 127.0.0.1 only."""
import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from urllib.parse import urlencode

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

from tests.bench.common import bench_line, median, percentile  # noqa: E402

BIN = os.path.dirname(sys.executable)
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
BARE_APP = '''
import sqlite3, os
from flask import Flask, request, redirect
app = Flask(__name__)
DB = os.environ["BARE_DB"]
def conn():
    c = sqlite3.connect(DB, timeout=30, isolation_level=None)
    c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=NORMAL")
    return c
with conn() as c:
    c.execute("CREATE TABLE IF NOT EXISTS entry (id INTEGER PRIMARY KEY, value TEXT)")
@app.route("/", methods=["GET", "POST"])
def form():
    if request.method == "POST":
        c = conn(); c.execute("INSERT INTO entry (value) VALUES (?)", (request.form["value"],)); c.close()
        return redirect("/")
    return '<form method="post"><input name="value"><button>Save</button></form>'
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app_spec: str, port: int, env: dict, cwd: str, *, timeout: int = 120,
                   stderr=subprocess.PIPE) -> subprocess.Popen:
    proc = subprocess.Popen([os.path.join(BIN, "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level",
                             "warning", "--timeout", str(timeout), app_spec], cwd=cwd, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


class Client:
    """One keep-alive connection with its own cookies."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        return response.status, response.getheader("Location") or "", text


def hidden(text: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', text) or \
        re.search(rf'value="([^"]*)"[^>]*name="{name}"', text)
    return match.group(1) if match else ""


def first_option(text: str, select_id: str) -> str:
    block = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', text, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]+)"', block)[-1]


def id_number(n: int) -> str:
    from desk.idnumber import check_digit
    body = f"440781{date(1930, 1, 1) + timedelta(days=n):%Y%m%d}{(n % 500) * 2 + 1:03d}"
    return body + check_digit(body)


def run_registrations(port: int, total: int) -> dict:
    lock = threading.Lock()
    counter = iter(range(total))
    results = {"latencies": [], "errors": 0, "acked": {}, "doubles": 0}

    def worker():
        client = Client(port)
        status, _, page = client.request("GET", "/login")
        status, location, _ = client.request("POST", "/login", {"csrf_token": hidden(page, "csrf_token"),
                                                                "username": "reception", "password": "demo12345"})
        if status != 302:
            with lock:
                results["errors"] += 1
            return
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            status, _, page = client.request("GET", "/intake/")
            form = {"csrf_token": hidden(page, "csrf_token"), "submission_key": hidden(page, "submission_key"),
                    "id_number": id_number(n), "name": f"压测{n:05d}", "language": "cantonese",
                    "channel": "walk_in", "head_count": "1", "category_id": first_option(page, "category_id"),
                    "petition_type": "demand", "demand_branch": "other", "title": f"压测事项{n}",
                    "facts": "用于测量登记吞吐量的事项。", "demand": "无", "place_id": first_option(page, "place_id"),
                    "other_party": "", "action": "save"}
            started = time.perf_counter()
            status, location, _ = client.request("POST", "/intake/", form)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 302 and "/intake/visits/" in location:
                    results["latencies"].append(elapsed)
                    results["acked"][form["submission_key"]] = location
                else:
                    results["errors"] += 1
            if n % 50 == 0:  # a double-submitted form must land on the same visit
                status, again, _ = client.request("POST", "/intake/", form)
                with lock:
                    results["doubles"] += 1
                    if status != 302 or again != location:
                        results["errors"] += 1

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results["seconds"] = time.perf_counter() - started
    return results


def run_bare(port: int, total: int) -> dict:
    lock = threading.Lock()
    counter = iter(range(total))
    results = {"latencies": [], "errors": 0}

    def worker():
        client = Client(port)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            client.request("GET", "/")
            started = time.perf_counter()
            status, _, _ = client.request("POST", "/", {"value": f"v{n}"})
            with lock:
                if status == 302:
                    results["latencies"].append((time.perf_counter() - started) * 1000)
                else:
                    results["errors"] += 1

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results["seconds"] = time.perf_counter() - started
    return results


def worker_cpu_seconds(master: subprocess.Popen) -> float:
    """User + system CPU of a gunicorn master's workers so far (Linux /proc), for --profile."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{master.pid}/task/{master.pid}/children") as handle:
        workers = handle.read().split()
    total = 0
    for pid in workers:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def settled_cpu(master: subprocess.Popen) -> float:
    """Worker CPU once the workers have finished booting (their CPU stops growing)."""
    before = -1.0
    for _ in range(120):
        time.sleep(0.5)
        now = worker_cpu_seconds(master)
        if now == before:
            break
        before = now
    return now


def check_database(instance: str, acked: dict) -> int:
    """Acknowledged registrations missing or duplicated in the database."""
    import sqlalchemy as sa
    engine = sa.create_engine("sqlite:///" + os.path.join(instance, "desk.sqlite"))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT submission_key, count(*) FROM visit WHERE submission_key IS NOT NULL "
                                    "GROUP BY submission_key")).all()
    engine.dispose()
    counts = dict(rows)
    return sum(1 for key in acked if counts.get(key, 0) != 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="200 registrations instead of 2,000")
    parser.add_argument("--profile", action="store_true",
                        help="also print the workers' CPU per registration (GET + POST, logins included) and "
                             "per bare form, which a busy machine distorts less than the rates")
    args = parser.parse_args()
    total = 200 if args.quick else 2000
    work = tempfile.mkdtemp(prefix="desk-bench-reg-")
    instance = os.path.join(work, "instance")
    env = {"INSTANCE_PATH": instance, "SECRET_KEY": "bench-secret", "PII_KEY": "bench-pii", "FLASK_APP": "run"}
    subprocess.run([os.path.join(BIN, "flask"), "desk", "init", "--size", "small"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bare_dir = os.path.join(work, "bare")
    os.makedirs(bare_dir)
    with open(os.path.join(bare_dir, "bare_app.py"), "w") as handle:
        handle.write(BARE_APP)
    procs = []
    try:
        port = free_port()
        procs.append(start_gunicorn("run:app", port, env, ROOT))
        cpu = {"desk": settled_cpu(procs[-1])} if args.profile else {}
        desk = run_registrations(port, total)
        if args.profile:
            cpu["desk"] = worker_cpu_seconds(procs[-1]) - cpu["desk"]
        bare_port = free_port()
        procs.append(start_gunicorn("bare_app:app", bare_port, {"BARE_DB": os.path.join(work, "bare.sqlite")},
                                    bare_dir))
        if args.profile:
            cpu["bare"] = settled_cpu(procs[-1])
        bare = run_bare(bare_port, total)
        if args.profile:
            cpu["bare"] = worker_cpu_seconds(procs[-1]) - cpu["bare"]
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    reg_rate = len(desk["latencies"]) / desk["seconds"]
    bare_rate = len(bare["latencies"]) / bare["seconds"]
    lost = check_database(instance, desk["acked"])
    print(f"registrations: {len(desk['latencies'])} in {desk['seconds']:.1f} s, POST p50 "
          f"{median(desk['latencies']):.0f} ms, p95 {percentile(desk['latencies'], 0.95):.0f} ms, "
          f"double posts {desk['doubles']}")
    print(f"bare form: {len(bare['latencies'])} in {bare['seconds']:.1f} s, POST p50 {median(bare['latencies']):.1f} ms,"
          f" p95 {percentile(bare['latencies'], 0.95):.1f} ms, errors {bare['errors']}")
    if args.profile:
        reg_cpu = cpu["desk"] / max(len(desk["latencies"]), 1) * 1000
        bare_cpu = cpu["bare"] / max(len(bare["latencies"]), 1) * 1000
        print(f"profile: worker CPU {reg_cpu:.1f} ms per registration (GET + POST, {CONCURRENCY} logins included), "
              f"{bare_cpu:.2f} ms per bare form; CPU ratio {bare_cpu / reg_cpu:.3f}")
    bench_line("registration_per_s", reg_rate, "per_s", ">=", 0)
    bench_line("bare_form_per_s", bare_rate, "per_s", ">=", 0)
    bench_line("registration_ratio_to_bare", reg_rate / bare_rate, "x", ">=", 0.35)
    bench_line("registration_errors", desk["errors"], "count", "==", 0)
    bench_line("registration_lost_or_duplicated", lost, "count", "==", 0)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
