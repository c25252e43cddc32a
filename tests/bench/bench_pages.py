"""Every page at city scale (issue 19, item 3): the `city` demo plus 1,000,000 cases of history (SQLite).

A crawler logs in as every demo user and, from that user's home page, follows the links it finds breadth
first: same site, GET only; log-out, language switching and the log-in page are left out. It keeps at most
PAGES_PER_ENDPOINT distinct URLs per endpoint and role, and submits every GET form (the list filters)
once with its defaults and once for each option of each of its selects (at most OPTIONS_PER_SELECT options
of a select, evenly spread: the scope selects list every unit in scope). Exports (CSV, XLSX, PDF) are
fetched like pages, with a browser's Accept-Encoding. A request answered with a file prepared in the
background (a large case export, a PDF summary: a 303 to its page) is timed as the request it is; then the
crawler waits until the file is ready, as its page does (the wait is printed, not counted as a page), and
crawls on to the file's page and its download, which are timed like any page. The case list's filter form posts (to keep typed text out of URLs) and redirects to the
list with the filters in its query string: the crawler requests that GET URL directly. The officials also
start at their dashboard for the measured month.

The requests go through Flask's test client, in process: no HTTP server, no network, no gzip; the time
is the wall time of the whole request (routing, queries, rendering, reading the body). The crawl is run
twice: the first pass finds the URLs and warms the caches (SQLite pages, compiled SQL, templates) and is
not timed; the second pass requests the same URLs in the same order and is the one timed.

Prints the dashboard figures first (the whole request, median of 5 after one untimed request, for the
measured month 2026-10 of tests/bench/bench_measures.py): dashboard_request_s_1m (the county official's),
dashboard_city_request_s_1m (the city official's) and dashboard_growth_1m_over_10k (the county dashboard at 1M
over the same at 10k); then crawls, and prints BENCH page_p95_ms_1m and page_max_ms_1m over every page
reached, then the slowest routes with their SQL time and slowest statement. --gunicorn also times the two dashboards
through a real gunicorn server (for information).

The databases are tests/bench/bench_measures.py's (built once and cached under /tmp); each run works on a
copy, so what a GET writes (audit rows of who read a case) never changes the cached file.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, deque
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402
from werkzeug.exceptions import HTTPException  # noqa: E402
from werkzeug.routing import RequestRedirect  # noqa: E402

from tests.bench import bench_measures  # noqa: E402
from tests.bench.common import bench_line, cached_database, make_app, median, percentile  # noqa: E402
from tests.desk.test_crawl import PageParser, same_site  # noqa: E402

PAGES_PER_ENDPOINT = 5
OPTIONS_PER_SELECT = 8            # a scope select lists every unit of a city (thousands): an even sample of them
PAGES_PER_ROLE = 400              # a safety net; the per-endpoint cap ends each crawl long before
DASHBOARD_RUNS = 5
SLOWEST_SHOWN = 5
SLOW_SHOWN_S = 2.0                # timed requests slower than this are printed as they happen
MONTH = f"{bench_measures.YEAR:04d}-{bench_measures.MONTH:02d}"
SKIP_ENDPOINT_WORDS = ("logout", "language", "login")
# Filter forms that POST only to redirect to the same list with the filters in its query string (the case list
# keeps typed text out of URLs): the crawler goes straight to the GET URL the redirect would give.
FILTERS_POSTED_TO = {"intake.case_list"}
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br"}   # as every browser sends: a prepared file comes as stored
FILE_WAIT_S = 900
PREPARED: list[dict] = []           # the files the timed pass asked for: what, for whom, seconds to prepare


def wait_for_prepared(response, url: str, username: str) -> float | None:
    """A request answered with a file being prepared (303 to /files/N): wait until it is finished, as its page
    would (the wait is not a page's time), and return the seconds from now until then."""
    from desk.extensions import db, write_intent
    from desk.models import PreparedFile
    if response is None or response.status_code != 303:
        return None
    found = re.search(r"/files/(\d+)$", response.headers.get("Location", ""))
    if not found:
        return None
    started = time.perf_counter()
    reading = write_intent.set(False)   # outside a request the session would BEGIN IMMEDIATE: the write lock
    try:
        while time.perf_counter() - started < FILE_WAIT_S:
            finished = db.session.get(PreparedFile, int(found.group(1)), populate_existing=True).finished
            db.session.rollback()    # between two polls hold nothing, as the page's requests hold nothing
            if finished:
                break
            time.sleep(0.7)          # as often as the file's page asks (desk/static/js/prepared-file.js)
        seconds = time.perf_counter() - started
        status = db.session.get(PreparedFile, int(found.group(1)), populate_existing=True).status.value
        db.session.rollback()
    finally:
        write_intent.reset(reading)
    if status != "ready":
        raise RuntimeError(f"{username} GET {url}: the file was not made ({status})")
    return seconds


class FormParser(PageParser):
    """test_crawl's page parser, which also keeps every option of every select of a form."""

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            name, options, _selected = self._select
            self._form.setdefault("selects", []).append((name, list(options)))
        super().handle_endtag(tag)


class SqlTimer:
    """Statements, their time, and writes, of the request running now (SQLAlchemy engine events)."""

    def __init__(self, engine):
        self.reset()
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def reset(self):
        self.count, self.seconds, self.slowest, self.writes = 0, 0.0, (0.0, ""), 0

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        took = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        self.count += 1
        self.seconds += took
        if took > self.slowest[0]:
            self.slowest = (took, statement)
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            self.writes += 1


# --- the crawl ------------------------------------------------------------------------------------------------

def endpoint_of(adapter, url: str) -> str:
    try:
        return adapter.match(urlsplit(url).path, method="GET")[0]
    except RequestRedirect:
        return "(redirect)"
    except HTTPException:
        return "(no route)"


def _posts_filters(adapter, page_url: str, form: dict) -> bool:
    action = same_site(page_url, form["action"] or page_url)
    return bool(action) and endpoint_of(adapter, action) in FILTERS_POSTED_TO


def form_urls(page_url: str, form: dict) -> list[tuple[tuple, str]]:
    """A GET form submitted with its defaults, then once per other option of each select: (key, url) pairs."""
    action = same_site(page_url, form["action"] or page_url.split("?")[0])
    if not action:
        return []
    action = action.split("?")[0]
    fields = [(k, v) for k, v in form["fields"] if k not in ("csrf_token", "q")]
    found = [((action, "(defaults)"), action + "?" + urlencode(fields))]
    for name, options in form.get("selects", []):
        default = dict(fields).get(name)
        others = [value for value in options if value != default]
        step = max(1, -(-len(others) // OPTIONS_PER_SELECT))
        for value in others[::step]:
            varied = [(k, value if k == name else v) for k, v in fields]
            found.append(((action, name, value), action + "?" + urlencode(varied)))
    return found


def fetch(client, url: str, timer: SqlTimer):
    """(response or None, seconds, error text): the whole request, body read; exceptions are recorded."""
    from desk.extensions import db
    timer.reset()
    started = time.perf_counter()
    try:
        response = client.get(url, headers=BROWSER_HEADERS)
        response.get_data()
        return response, time.perf_counter() - started, ""
    except Exception as error:   # TESTING propagates exceptions: a 500 in production
        db.session.rollback()
        return None, time.perf_counter() - started, f"{type(error).__name__}: {error}"


def crawl(app, client, starts: list[str], timer: SqlTimer, errors: list[str], username: str) -> list[str]:
    """The warm-up pass: the URLs this user reaches, in the order fetched."""
    adapter = app.url_map.bind("localhost")
    queue, seen, forms_done = deque(starts), set(starts), set()
    per_endpoint, fetched = Counter(), []
    while queue and len(fetched) < PAGES_PER_ROLE:
        url = queue.popleft()
        endpoint = endpoint_of(adapter, url)
        if any(word in endpoint for word in SKIP_ENDPOINT_WORDS):
            continue
        filtered = "?" in url and url in forms_done
        if not filtered and per_endpoint[endpoint] >= PAGES_PER_ENDPOINT:
            continue
        per_endpoint[endpoint] += not filtered
        response, _seconds, error = fetch(client, url, timer)
        if response is None:
            errors.append(f"{username} GET {url}: {error}")
            continue
        if response.status_code >= 400:
            errors.append(f"{username} GET {url}: {response.status_code}")
            continue
        try:
            wait_for_prepared(response, url, username)      # its page, then its download, are crawled next
        except RuntimeError as error:
            errors.append(str(error))
        fetched.append(url)
        links = []
        if response.status_code in (301, 302, 303, 307, 308):
            links = [same_site(url, response.headers.get("Location", ""))]
        elif (response.content_type or "").startswith("text/html"):
            parser = FormParser()
            parser.feed(response.get_data(as_text=True))
            links = [same_site(url, href) for href in parser.links]
            for form in parser.forms:
                if form["method"] != "get" and not _posts_filters(adapter, url, form):
                    continue
                for key, form_url in form_urls(url, form):
                    if key not in forms_done and form_url not in seen:
                        forms_done.add(key)
                        forms_done.add(form_url)
                        links.append(form_url)
        for link in links:
            if link and link not in seen:
                seen.add(link)
                queue.append(link)
    return fetched


def timed_pass(app, client, urls: list[str], timer: SqlTimer, username: str) -> list[dict]:
    adapter = app.url_map.bind("localhost")
    rows = []
    for url in urls:
        response, seconds, error = fetch(client, url, timer)
        if seconds > SLOW_SHOWN_S:       # progress on a long crawl, and where it goes
            print(f"    slow: {seconds:.1f} s {url}", flush=True)
        try:
            prepared_s = wait_for_prepared(response, url, username)
        except RuntimeError as failure:
            prepared_s, error = None, str(failure)
        if prepared_s is not None:
            PREPARED.append({"user": username, "url": url, "s": prepared_s})
        rows.append({"user": username, "url": url, "endpoint": endpoint_of(adapter, url), "ms": seconds * 1000,
                     "status": response.status_code if response is not None and not error else error, "sql_ms": timer.seconds * 1000,
                     "queries": timer.count, "slowest_sql": timer.slowest, "writes": timer.writes})
    return rows


# --- the application on a copy of a cached database ----------------------------------------------------------------

def working_copy(n_history: int) -> str:
    cached = cached_database(f"/tmp/desk-bench-measures-v2-{n_history}.sqlite", bench_measures.build, n_history)
    copy = f"/tmp/desk-bench-pages-run-{n_history}.sqlite"
    remove_copy(copy)     # with the write-ahead log of an earlier run, which SQLite would replay into the copy
    shutil.copyfile(cached, copy)
    return copy


def remove_copy(path: str) -> None:
    for name in (path, path + "-wal", path + "-shm"):
        if os.path.exists(name):
            os.remove(name)


def open_app(path: str):
    from desk.extensions import db
    from reports.dashboard import measures
    app = make_app(path)
    with app.app_context():
        for index in measures.MEASURE_INDEXES:      # as bench_measures does for a database cached before an index
            index.create(db.engine, checkfirst=True)
        # Every index the models declare: the cached database may predate one (the migration adds it to a
        # database in service; the cached file was made by the models of its day).
        created = False
        for table in db.metadata.sorted_tables:
            existing = {index["name"] for index in sa.inspect(db.engine).get_indexes(table.name)}
            for index in table.indexes:
                if index.name not in existing:
                    index.create(db.engine)
                    created = True
        if created:   # as the migration that adds an index does: the planner needs its statistics
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
    return app


def client_as(app, username: str):
    """A test client with ``username``'s session (tests/conftest.py's login_as), or None if there is no such user."""
    from desk.extensions import db
    from desk.models import User
    user = db.session.scalar(sa.select(User).filter_by(username=username))
    if user is None:
        return None, None
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client, user


def dashboard_url(user) -> str:
    return f"/reports/dashboard?{urlencode({'unit': user.org_unit_id, 'month': MONTH})}"


def time_dashboard(app, username: str, timer: SqlTimer) -> float:
    """Median seconds of DASHBOARD_RUNS whole requests of the user's dashboard for MONTH, after one untimed."""
    with app.app_context():
        client, user = client_as(app, username)
        url = dashboard_url(user)
        times = []
        for run in range(DASHBOARD_RUNS + 1):
            response, seconds, error = fetch(client, url, timer)
            assert response is not None and response.status_code == 200, (url, error or response.status_code)
            if run:
                times.append(seconds)
        return median(times)


def crawl_everyone(app, timer: SqlTimer, usernames: list[str]) -> tuple[list[dict], dict, list[str]]:
    from desk.models import Role
    rows, per_user, errors = [], {}, []
    for username in usernames:
        with app.app_context():
            client, user = client_as(app, username)
            if client is None:
                per_user[username] = "no such user in this database"
                continue
            home = client.get("/")
            starts = [same_site("/", home.headers.get("Location", "/")) or "/"]
            if user.has_role(Role.official):
                starts.append(dashboard_url(user))
            started = time.perf_counter()
            urls = crawl(app, client, starts, timer, errors, username)
            warm = time.perf_counter() - started
            timed = timed_pass(app, client, urls, timer, username)
            rows += timed
            per_user[username] = (f"{len(timed)} pages, {len({r['endpoint'] for r in timed})} routes "
                                  f"(warm-up {warm:.0f} s, timed {sum(r['ms'] for r in timed) / 1000:.0f} s)")
            print(f"  {username}: {per_user[username]}", flush=True)
    return rows, per_user, errors


# --- gunicorn, for information ----------------------------------------------------------------------------------

def time_through_gunicorn(path: str, port: int = 8765) -> dict:
    """Median seconds of the two dashboards through gunicorn (1 worker, sync) and urllib, logged in by /login."""
    import http.cookiejar
    import urllib.request
    env = {**os.environ, "DATABASE_URL": "sqlite:///" + path, "PII_KEY": "bench-pii", "SECRET_KEY": "b"}
    server = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-w", "1", "-b",
                               f"127.0.0.1:{port}", "--timeout", "120", "desk:create_app()"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base, results = f"http://127.0.0.1:{port}", {}
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/login", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        app = make_app(path)
        for username in ("official", "cityofficial"):
            with app.app_context():
                url = dashboard_url(client_as(app, username)[1])
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
            form = opener.open(base + "/login").read().decode()
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
            data = {"username": username, "password": "demo12345", **({"csrf_token": token.group(1)} if token else {})}
            opener.open(base + "/login", urlencode(data).encode()).read()
            times = []
            for run in range(DASHBOARD_RUNS + 1):
                started = time.perf_counter()
                with opener.open(base + url) as response:
                    response.read()
                    assert response.status == 200 and "/login" not in response.url, response.url
                if run:
                    times.append(time.perf_counter() - started)
            results[username] = median(times)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


# --- the report --------------------------------------------------------------------------------------------------

def print_prepared() -> None:
    """The files made in the background during the timed pass (a page answered at once; this is the wait)."""
    if not PREPARED:
        return
    waits = [p["s"] for p in PREPARED]
    print(f"files prepared in the background during the timed pass: {len(PREPARED)}; from the answer to ready "
          f"median {median(waits):.1f} s, max {max(waits):.1f} s; the longest:")
    for item in sorted(PREPARED, key=lambda p: -p["s"])[:SLOWEST_SHOWN]:
        print(f"  {item['s']:.1f} s {item['url']} [{item['user']}]")


def print_slowest(rows: list[dict]) -> None:
    slowest = {}
    for row in rows:
        if row["endpoint"] not in slowest or row["ms"] > slowest[row["endpoint"]]["ms"]:
            slowest[row["endpoint"]] = row
    print(f"the {SLOWEST_SHOWN} slowest routes (endpoint, slowest example URL, ms; as whom; SQL time and statements):")
    for row in sorted(slowest.values(), key=lambda r: -r["ms"])[:SLOWEST_SHOWN]:
        seconds, statement = row["slowest_sql"]
        print(f"  {row['endpoint']} {row['url']} {row['ms']:.0f} ms  [{row['user']}; SQL {row['sql_ms']:.0f} ms in "
              f"{row['queries']} statements, slowest {seconds * 1000:.0f} ms: {' '.join(statement.split())[:160]}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--history", type=int, default=1_000_000, choices=(10_000, 100_000, 1_000_000),
                        help="the database crawled (10000 while developing); the growth figure needs 1000000")
    parser.add_argument("--users", help="comma-separated demo logins to crawl (default: every demo login)")
    parser.add_argument("--rows", help="also write every timed request to this JSON file")
    parser.add_argument("--gunicorn", action="store_true", help="also time the dashboards through gunicorn")
    args = parser.parse_args()
    label = {10_000: "10k", 100_000: "100k", 1_000_000: "1m"}[args.history]
    small_path = working_copy(10_000)
    small_app = open_app(small_path)
    small_timer = SqlTimer(_engine(small_app))
    county_small = time_dashboard(small_app, "official", small_timer)
    print(f"dashboard, 10,000 cases of history: county {county_small:.3f} s", flush=True)
    path = small_path if args.history == 10_000 else working_copy(args.history)
    app = small_app if args.history == 10_000 else open_app(path)
    timer = small_timer if app is small_app else SqlTimer(_engine(app))
    # The dashboards first: their figures do not wait for (or depend on) the crawl, which is long at 1M.
    county = time_dashboard(app, "official", timer)
    city = time_dashboard(app, "cityofficial", timer)
    bench_line(f"dashboard_request_s_{label}", county, "s", "<=", 1.0)
    bench_line(f"dashboard_city_request_s_{label}", city, "s", "<=", 2.0)
    if args.history != 10_000:
        bench_line(f"dashboard_growth_{label}_over_10k", county / county_small, "x", "<=", 2)
    print(f"crawling {path} through the in-process test client; a warm-up pass (untimed), then the timed pass:",
          flush=True)
    from desk.demo.seed import DEMO_USERS
    usernames = args.users.split(",") if args.users else [username for username, *_ in DEMO_USERS]
    rows, _per_user, errors = crawl_everyone(app, timer, usernames)
    errors += [f"{r['user']} GET {r['url']} (timed pass): {r['status']}" for r in rows if not isinstance(r["status"], int)
               or r["status"] >= 400]
    times = [r["ms"] for r in rows]
    print(f"{len(rows)} timed requests over {len({r['endpoint'] for r in rows})} routes; "
          f"{len(errors)} errors met while crawling", flush=True)
    for line in errors[:20]:
        print("  error:", line)
    writers = sorted({r["endpoint"] for r in rows if r["writes"]})
    if writers:
        print("  GET routes that wrote to the database (on the working copy):", ", ".join(writers))
    print_prepared()
    bench_line(f"page_p95_ms_{label}", percentile(times, 0.95), "ms", "<=", 300)
    bench_line(f"page_max_ms_{label}", max(times), "ms", "<=", 2000)
    print_slowest(rows)
    if args.rows:
        with open(args.rows, "w") as handle:
            json.dump(rows, handle, ensure_ascii=False, indent=1, default=str)
    if args.gunicorn:
        served = time_through_gunicorn(path)
        print(f"through gunicorn (1 sync worker, HTTP on localhost; information): county {served['official']:.3f} s, "
              f"city {served['cityofficial']:.3f} s", flush=True)
    for copy in {small_path, path}:
        remove_copy(copy)


def _engine(app):
    from desk.extensions import db
    with app.app_context():
        return db.engine


if __name__ == "__main__":
    main()
