"""A crawler over the small demo: for every demo login, no page a user can reach answers 500.

Each demo user starts at their home page and follows every same-site link (GET only) and submits
every GET form once with its default values, breadth first, a bounded number of pages per URL
pattern. Every response must be below 500 and free of traceback text; every Chinese HTML page must
declare its language and show no English UI string left untranslated. Downloads (PDF, CSV, XLSX)
are fetched once each and must answer 200 with their content type.

A second test sends hostile query strings to the list and filter pages: never a 500.
"""
import re
import sys
import time
import traceback
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from babel.messages.pofile import read_po

from desk.demo.seed import DEMO_USERS
from desk.extensions import db
from desk.audit import action_title, state_title
from desk.models import AuditEntry, Role, User
from tests.factories import make_case, make_talent
from tests.demo_snapshots import load_demo

PAGES_PER_USER = 150
PAGES_PER_PATTERN = 3
CATALOG = Path(__file__).resolve().parents[2] / "desk" / "translations" / "zh_Hans" / "LC_MESSAGES" / "messages.po"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "jinja2.exceptions", "UndefinedError",
                     "werkzeug.exceptions", "Internal Server Error")
DOWNLOAD_TYPES = {".pdf": "application/pdf", ".csv": "text/csv",
                  ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SKIP_PREFIXES = ("/static/", "/logout", "/language")


# --- parsing pages -------------------------------------------------------------------------------

class PageParser(HTMLParser):
    """Links, GET forms with their default values, the <html lang>, and the visible text of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.lang: str | None = None
        self.text: list[str] = []
        self._hidden_depth = 0           # inside <script>/<style>
        self._form: dict | None = None
        self._select: tuple[str, list, list] | None = None  # name, options, selected
        self._textarea: tuple[str, list] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag in ("script", "style"):
            self._hidden_depth += 1
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action"), "fields": []}
        elif self._form is not None and tag == "input" and a.get("name") and not a.get("disabled"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"].append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif self._select is not None and tag == "option":
            value = a.get("value", "")
            self._select[1].append(value)
            if "selected" in a:
                self._select[2].append(value)
        elif self._form is not None and tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        for name in ("placeholder", "title", "aria-label", "alt"):
            if a.get(name) and not self._hidden_depth:
                self.text.append(a[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None:
            name, options, selected = self._select
            if options and self._form is not None:
                self._form["fields"].append((name, (selected or options)[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form["fields"].append((self._textarea[0], "".join(self._textarea[1])))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1].append(data)
        if not self._hidden_depth:
            self.text.append(data)

    def visible_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def english_ui_strings() -> list[tuple[str, re.Pattern]]:
    """Catalog msgids long enough and sentence-like enough that seeing one verbatim means 'untranslated'.

    A %(name)s placeholder matches whatever was filled in (but not across sentences)."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    found = {}
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            text = " ".join(msgid.split()).replace("%%", "%")
            if len(text) > 12 and " " in text:
                parts = re.split(r"%\(\w+\)[sd]", text)
                found[msgid] = re.compile(r"[^.。]{0,80}?".join(re.escape(p) for p in parts))
    return sorted(found.items())


def where_it_broke() -> str:
    """The current exception as the project's own frames (not the libraries') and its message."""
    frames = [f for f in traceback.extract_tb(sys.exc_info()[2]) if "/.venv/" not in f.filename]
    return "".join(traceback.format_list(frames[-4:])) + traceback.format_exc(limit=0).strip()


# --- the crawl -----------------------------------------------------------------------------------

def pattern_of(url: str) -> str:
    """One pattern per path shape and set of query keys: digits collapse, values are ignored."""
    parts = urlsplit(url)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + ("?" + "&".join(keys) if keys else "")


def expected_download_type(url: str) -> str | None:
    parts = urlsplit(url)
    suffix = Path(parts.path).suffix.lower()
    if suffix in DOWNLOAD_TYPES:
        return DOWNLOAD_TYPES[suffix]
    fmt = dict(parse_qsl(parts.query)).get("fmt")
    return DOWNLOAD_TYPES.get("." + fmt) if fmt else None


def same_site(base: str, href: str) -> str | None:
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    target = urlsplit(urljoin("http://localhost" + base, href))
    if target.netloc not in ("localhost", "") or target.scheme not in ("http", "https", ""):
        return None
    url = target.path + ("?" + target.query if target.query else "")
    return None if url.startswith(SKIP_PREFIXES) else url


class Crawl:
    def __init__(self, english: list[tuple[str, re.Pattern]]):
        self.english = english
        self.failures: list[str] = []
        self.dead_links: list[str] = []
        self.downloads_seen: set[str] = set()     # download patterns, fetched once for all users
        self.pages = 0
        self.forms = 0                            # GET forms met (each submitted once with its defaults)

    def fetch(self, client, username: str, url: str):
        try:
            return client.get(url)
        except Exception:  # TESTING propagates exceptions: the crawl records them as the 500 they would be
            db.session.rollback()
            self.failures.append(f"{username} GET {url} -> exception\n{where_it_broke()}")
            return None

    def run(self, client, username: str, start: str) -> int:
        queue, seen, per_pattern, fetched = deque([(start, "(home)")]), {start}, Counter(), 0
        while queue and fetched < PAGES_PER_USER:
            url, referrer = queue.popleft()
            download = expected_download_type(url)
            pattern = pattern_of(url)
            if download or "/export" in url:
                if pattern in self.downloads_seen:
                    continue
                self.downloads_seen.add(pattern)
            elif per_pattern[pattern] >= PAGES_PER_PATTERN:
                continue
            per_pattern[pattern] += 1
            fetched += 1
            response = self.fetch(client, username, url)
            if response is None:
                continue
            for link in self.check(username, url, referrer, response, download):
                if link not in seen:
                    seen.add(link)
                    queue.append((link, url))
        self.pages += fetched
        return fetched

    def check(self, username: str, url: str, referrer: str, response, download: str | None) -> list[str]:
        status, ctype = response.status_code, response.content_type or ""
        where = f"{username} GET {url} (linked from {referrer})"
        if status >= 500:
            self.failures.append(f"{where} -> {status}")
            return []
        if status in (301, 302, 303, 307, 308):
            target = same_site(url, response.headers.get("Location", ""))
            return [target] if target else []
        if status >= 400:
            self.dead_links.append(f"{where} -> {status}")
            return []
        if download:
            if status != 200 or not ctype.startswith(download):
                self.failures.append(f"{where} -> {status} {ctype}, expected 200 {download}")
            return []
        if not ctype.startswith("text/html"):
            return []
        body = response.get_data(as_text=True)
        for marker in TRACEBACK_MARKERS:
            if marker in body:
                self.failures.append(f"{where} -> page shows {marker!r}")
        parser = PageParser()
        parser.feed(body)
        if parser.lang != "zh-CN":
            self.failures.append(f"{where} -> <html lang={parser.lang!r}>, expected zh-CN")
        text = parser.visible_text()
        for msgid, pattern in self.english:
            found = pattern.search(text)
            if found:
                seen = text[max(0, found.start() - 20):found.end() + 20]
                self.failures.append(f"{where} -> untranslated: {msgid!r} in “…{seen}…”")
        links = [u for u in (same_site(url, href) for href in parser.links) if u]
        for form in parser.forms:
            if form["method"] != "get":
                continue
            action = same_site(url, form["action"] or url.split("?")[0])
            if action:
                query = urlencode(form["fields"])
                links.append(action.split("?")[0] + ("?" + query if query else ""))
                self.forms += 1
        return links


def login(app, username: str):
    user = db.session.scalar(db.select(User).filter_by(username=username))
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return client


def test_no_page_answers_500_for_any_demo_login(app, capsys):
    load_demo(size="small", seed=7)
    crawl = Crawl(english_ui_strings())
    started, counts = time.perf_counter(), {}
    for username, *_ in DEMO_USERS:
        client = login(app, username)
        home = client.get("/")
        assert home.status_code == 302, username
        counts[username] = crawl.run(client, username, same_site("/", home.headers["Location"]))
    elapsed = time.perf_counter() - started
    with capsys.disabled():
        print(f"\ncrawl: {crawl.pages} pages, {crawl.forms} GET forms in {elapsed:.1f}s {counts}")
        print(f"  downloads: {sorted(crawl.downloads_seen)}")
        for line in crawl.dead_links:
            print("  4xx link:", line)
    assert not crawl.failures, "\n".join(crawl.failures)
    assert all(n >= 3 for n in counts.values()), counts   # the crawl really walked each user's pages
    assert crawl.forms > 10, crawl.forms                  # and submitted the filter forms it met


def test_every_recorded_action_and_state_of_the_demo_has_a_title(app):
    """History lines show words, not codes: short codes ("accept") slip past the crawler's catalog check."""
    load_demo(size="small", seed=7)
    untitled = set()
    for entity, action, *states in db.session.execute(db.select(
            AuditEntry.entity, AuditEntry.action, AuditEntry.from_state, AuditEntry.to_state).distinct()):
        if str(action_title(entity, action)) == action:
            untitled.add(f"{entity}: action {action}")
        untitled |= {f"{entity}: state {s}" for s in states if s and str(state_title(entity, s)) == s}
    assert not untitled, sorted(untitled)


# --- hostile query strings -----------------------------------------------------------------------

BIG = "99999999999999999999"
BIG12 = "999999999999"   # twelve digits: past PostgreSQL's INTEGER, within SQLite's
HOSTILE = {
    "page": ["abc", "-1", BIG],
    "after": ["-1", "abc", "1e9", BIG, "²"],
    "before": ["-1", "abc", "0", BIG, BIG12, "%00", "2026-01-01T00:00:00,abc"],
    "start": ["2026-13-45", "abc", "0000-00-00", "9999-12-31", "0001-01-01"],
    "end": ["2026-13-45", "1900-01-01", "9999-12-31", "99999-01-01"],
    "month": ["2026-13", "abc", "0-0", "9999-12"],
    "unit": ["999999", "-1", "abc", BIG, BIG12],
    "unit_id": ["999999", "-1", "abc", BIG],
    "town_id": ["999999", "abc", BIG],
    "category_id": ["999999", "abc", BIG],
    "due_days": ["-5", "abc", BIG],
    "status": ["nonsense", "%00", "x" * 3000],
    "q": ["x" * 3000, "\x00", "%' OR 1=1 --", "<script>"],
    "role": ["nonsense", "\x00"], "skill": ["999999", "x" * 500, BIG], "language": ["xx", "\x00"],
    "measure": ["nonsense", ""], "part": ["nonsense"], "table": ["nonsense"], "fmt": ["exe", "pdf", "xlsx"],
    "by": ["nonsense"], "format": ["json", "xml"], "channel": ["nonsense"], "overdue": ["nonsense"],
    "repeat": ["7"], "level": ["nonsense"], "period": ["nonsense"], "year": ["-1", "abc", BIG],
    "category": ["abc", BIG, BIG12, "999999"], "bucket": ["-1", "99", BIG], "locale": ["xx", "\x00"],
}

# (url, roles of a user who sees the page, the query keys the page reads); the user sits at the county
FILTER_PAGES = [
    ("/intake/cases", [Role.receptionist], ["before", "q", "status", "category_id", "channel", "overdue",
                                            "due_days", "repeat", "start", "end", "page"]),
    ("/intake/cases/export.csv", [Role.receptionist], ["status", "category_id", "channel", "due_days", "start",
                                                       "end"]),
    ("/referrals/orders", [Role.commander], ["status", "before", "page"]),
    ("/referrals/orders/measures", [Role.commander], ["start", "end", "town_id"]),
    ("/referrals/orders/inbox", [Role.department_officer], ["status", "before", "page"]),
    ("/referrals/talent", [Role.admin], ["q", "role", "skill", "language", "after", "format"]),
    ("/referrals/my", [Role.talent], ["page", "before"]),
    ("/outreach/", [Role.commander], ["status", "before"]),
    ("/outreach/measures", [Role.official], ["start", "end", "unit_id", "by"]),
    ("/outreach/my/history", [Role.talent], ["page", "before"]),
    ("/admin/users", [Role.admin], ["q", "after"]),
    ("/admin/org", [Role.admin], ["unit"]),
    ("/notifications", [Role.receptionist], ["page", "before", "after"]),
    ("/reports/dashboard", [Role.official], ["unit", "month", "start", "end", "period", "level", "year"]),
    ("/reports/dashboard/cases?measure=visits", [Role.official],
     ["measure", "part", "unit", "month", "before", "category", "bucket"]),
    ("/reports/dashboard/export?table=by_town&fmt=csv", [Role.official], ["table", "fmt", "unit", "month"]),
    ("/reports/callbacks", [Role.callback_staff], ["status", "before", "start", "end", "q", "page"]),
    ("/reports/summaries", [Role.official], ["unit", "month", "year", "period"]),
    ("/reports/summaries/pdf?month=2026-10&unit_id={county}&locale=zh_Hans", [Role.official],
     ["unit_id", "month", "locale"]),
]


def short(url: str) -> str:
    return url if len(url) <= 160 else url[:150] + f"…({len(url)} chars)"


@pytest.mark.parametrize("page, roles, keys", FILTER_PAGES, ids=[p[0].split("?")[0] for p in FILTER_PAGES])
def test_hostile_query_strings_never_answer_500(world, login_as, page, roles, keys):
    client = login_as(*roles, department=world.department)
    if Role.talent in roles:
        make_talent(world, user=client.user)
    make_case(world)
    db.session.commit()
    page = page.format(county=world.county.id)
    answer = client.get(page)   # the user really sees the page (a PDF summary: the page that follows it being made)
    assert answer.status_code == (303 if page.startswith("/reports/summaries/pdf") else 200), page
    path, _, base = page.partition("?")
    failures = []
    queries = [{key: value} for key in keys for value in HOSTILE[key]]
    queries.append({key: HOSTILE[key][0] for key in keys})  # everything wrong at once
    for query in queries:
        url = path + "?" + urlencode({**dict(parse_qsl(base)), **query})
        try:
            response = client.get(url)
            response.get_data()          # a streamed download fails while it is read
        except Exception:
            db.session.rollback()
            failures.append(f"GET {short(url)} -> exception\n{where_it_broke()}")
            continue
        if response.status_code >= 500:
            failures.append(f"GET {short(url)} -> {response.status_code}")
    assert not failures, f"as {'/'.join(r.value for r in roles)}:\n" + "\n".join(failures)


def test_a_nul_character_is_refused_before_it_reaches_the_database(login_as, world):
    client = login_as(Role.admin)
    assert client.get("/admin/users?q=a%00b").status_code == 400
    assert client.get("/admin/users?q=ab&q=c%00").status_code == 400
    assert client.post("/login", data={"username": "admin\x00", "password": "x"}).status_code == 400
    assert client.get("/admin/users?q=ab").status_code == 200
