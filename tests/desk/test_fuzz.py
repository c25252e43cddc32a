"""Fuzzing with Hypothesis: every form and every query parameter of every page each demo login reaches,
sent with hostile values as that login. No answer is a server error or a traceback, and an answer that
refused the input (4xx) wrote nothing (every write of the desk writes an audit row in its transaction).

The pages and their fields are found by reading the demo's pages as each role (forms' actions, methods and
input names), so a new form is fuzzed without being listed here. The budget is FUZZ_REQUESTS requests per
database (default 10,000); the count is printed. A URL that answers with a PDF is sent PDF_TRIES requests and
then left alone: rendering a document takes 0.1–4 s and the query values do not reach the renderer, so
further tries would spend the budget re-rendering the same document (the documents themselves are tested
by their areas)."""
import os
import re
import time
from datetime import datetime
from html import unescape

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, reject, settings, strategies as st

from desk.demo.seed import DEMO_PASSWORD, DEMO_USERS
from desk.extensions import db
from desk.models import AuditEntry, OrgUnit
from tests.desk.test_authorization_matrix import _objects, _paths
from tests.demo_snapshots import load_demo

BUDGET = int(os.environ.get("FUZZ_REQUESTS", "10000"))
PDF_TRIES = 5
SKIP_ACTIONS = ("/logout", "/language", "/login")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')
FIELD = re.compile(r"<(input|select|textarea)\b([^>]*)>", re.I)

BIG = "9" * 25
HOSTILE = ["", "0", "-1", "1", BIG, "999999999999", "1e9", "²", "abc", "2026-13-45", "9999-12-31", "0001-01-01",
           "2026-02-29", "2028-02-29", "new", "new:1", "1:1", f"{BIG}:{BIG}", "x:y", ":", "<script>alert(1)</script>",
           "' OR 1=1 --", "=HYPERLINK(\"http://evil.example\")", "x" * 3000, "\u202e", "台山市台城街道", "%00",
           "/%09/evil.example", "//evil.example", "440781198001011234", "13800138000", "zh_Hans", "en", "xx"]
VALUE = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40), st.integers(-2**40, 2**70).map(str),
                  st.dates().map(str))


def _targets(app, county: OrgUnit) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(username, method, action, field names) of every form on every page each demo login reaches, and each
    page's own URL with no fields (its query string is fuzzed from the GET forms that point at it)."""
    values = _objects(county)
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static" and "GET" in r.methods]
    found = set()
    for username, *_ in DEMO_USERS:
        client = app.test_client()
        client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        for rule in rules:
            for path in _paths(rule, values):
                response = client.get(path)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                found.add((username, "GET", path, ()))
                for attrs, body in FORM.findall(response.get_data(as_text=True)):
                    form = dict(ATTR.findall(attrs))
                    action = unescape(form.get("action") or path).split("?")[0]
                    if action.startswith(SKIP_ACTIONS) or not action.startswith("/"):
                        continue
                    names = sorted({dict(ATTR.findall(a)).get("name") for _t, a in FIELD.findall(body)
                                    if 'type="file"' not in a} - {None, "csrf_token"})
                    found.add((username, (form.get("method") or "get").upper(), action, tuple(names)))
    return sorted(found)


@pytest.fixture
def fuzz_world(app, clock):
    clock(datetime(2026, 11, 20, 2, 0))
    load_demo(size="small", seed=7)
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
    targets = _targets(app, county)
    clients = {}
    for username in {t[0] for t in targets}:
        client = app.test_client()
        assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
        clients[username] = client
    return targets, clients


def test_no_input_makes_a_server_error(app, fuzz_world, record_property):
    targets, clients = fuzz_world
    assert len(targets) > 100
    sent, refused, problems = [0], [0], []
    pdf_answers: dict[str, int] = {}

    @settings(max_examples=BUDGET, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def one_request(data):
        username, method, action, names = data.draw(st.sampled_from(targets))
        chosen = data.draw(st.lists(st.sampled_from(names), unique=True)) if names else []
        fields = {name: data.draw(VALUE) for name in chosen}
        if method == "GET" and not names:   # a page: hostile values for the query keys other pages use
            fields = {data.draw(st.sampled_from(["page", "before", "after", "q", "status", "unit", "month",
                                                 "start", "end", "lang", "format", "search"])): data.draw(VALUE)}
        if pdf_answers.get(action, 0) >= PDF_TRIES:
            reject()
        audits = db.session.scalar(sa.select(sa.func.max(AuditEntry.id)))   # the newest row (an index read)
        client = clients[username]
        sent[0] += 1
        try:
            if method == "GET":
                response = client.get(action, query_string=fields)
            else:
                response = client.open(action, method=method, data=fields)
        except Exception as err:   # the test app propagates what a server would answer with a 500
            db.session.rollback()
            problems.append((username, method, action, fields, repr(err)[:300]))
            return
        if response.mimetype == "application/pdf":
            pdf_answers[action] = pdf_answers.get(action, 0) + 1
        body = response.get_data(as_text=True) if response.mimetype.startswith("text") else ""
        db.session.rollback()
        if response.status_code >= 500 or "Traceback" in body:
            problems.append((username, method, action, fields, response.status_code))
        elif 400 <= response.status_code < 500:
            refused[0] += 1
            if db.session.scalar(sa.select(sa.func.max(AuditEntry.id))) != audits:
                problems.append(("wrote on refusal", username, method, action, fields, response.status_code))

    started = time.perf_counter()
    one_request()
    record_property("figure", f"fuzzing ({app.extensions['sqlalchemy'].engine.dialect.name}): {len(targets)} forms "
                    f"and pages, {sent[0]} requests ({refused[0]} refused) in {time.perf_counter() - started:.0f} s, "
                    f"{len(problems)} problems")
    assert not problems, problems[:5]
