"""What a registration costs (issue 19, item 2): the real reception form against a bare five-field Flask form, both
served by gunicorn (2 sync workers) to the same client threads (16) over 127.0.0.1, on SQLite and on PostgreSQL.

The desk runs on a copy of the small demo (cached: a SQLite file, a PostgreSQL template database), the receptionist
logged in. The visitors are as messy as a reception day: Chinese names that recur within a village, phones (a few
landlines, some shared by a family, some visitors without one), some without their ID card, categories and places
chosen from the form's own lists (the busy ones more often), facts of a few sentences from varied templates, about
a third coming back (the same person and ID number, half of them on the same matter), a group visit now and then.
A registration is the receptionist's round trip: GET the form; for a returning visitor the look-up of earlier
visits the page's script sends, to choose "same matter" or "new matter"; the POST; and, when the desk asks whether
the matter came before (a namesake in the village, a family's shared phone), the choice and the POST again.
The bare form: 5 fields, a CSRF token kept in Flask's signed-cookie session, required fields and lengths checked,
one row inserted, a redirect.
The desk's floor: the desk's own app (its hooks, login, CSRF, languages, headers, database) with one more page, the
same five-field form behind the login writing one row of its own table: what any desk page costs before it does
anything of its own, and so less than any registration can cost.
The three are served side by side and driven in turns (4 slices each, the desk first), so that a change in the
shared machine's load falls on all alike; each one's CPU is counted while its own slice runs.

Figures, for SQLite and then PostgreSQL (_pg):
- registration_cpu_ratio_to_bare: CPU of the gunicorn workers per completed registration over the same per
  completed bare form (the database server's own CPU is not counted: it is not in gunicorn's processes);
- desk_floor_cpu_ms, desk_floor_ratio_to_bare (printed, no target): the floor's CPU per GET + POST, and over the
  bare form's;
- registration_errors (the desk's, the floor's and the bare form's): a GET not answered 200 or without its CSRF
  token, a look-up not 200, a POST not redirected, a redirect elsewhere, a login that failed, an exception in a
  client thread, a registration not completed;
- registration_lost_or_duplicated: acknowledged registrations (each marked in its facts, its visit found by its
  form's submission key) not found exactly once where they belong, and rows of the run nobody acknowledged;
  the same for the floor's and the bare form's rows.
"""
import argparse
import html
import http.client
import os
import pstats
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from hashlib import sha1
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line, demo_key, init_demo, last_ids, median, options, percentile  # noqa: E402

BIN = os.path.dirname(sys.executable)
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SLICES = 4   # the desk, its floor and the bare form take turns, this many each
PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SERVER_ENV = {"DESK_ENV": "development", "SCHEDULER": "0", "SECRET_KEY": "bench-registration-secret-key-0123456789",
              "PII_KEY": "bench-registration-pii-key-0123456789"}
LOGIN = {"username": "reception", "password": "demo12345"}
MARKER_RE = re.compile(r"REG-[0-9a-f]{6}-\d{5}")

BARE_APP = '''
"""A bare form: 5 fields, a CSRF token in the signed-cookie session, required fields and lengths, one row, redirect."""
import hmac, os, secrets, sqlite3
from flask import Flask, abort, redirect, render_template, request, session
from jinja2 import DictLoader
app = Flask(__name__)
app.secret_key = os.environ["SECRET_KEY"]
LIMITS = {"name": 60, "phone": 20, "place": 120, "title": 200, "facts": 5000}
REQUIRED = ("name", "place", "title", "facts")
PAGE = """<!doctype html><title>Form</title><form method="post">
<input type="hidden" name="csrf_token" value="{{ token }}">{% for e in errors %}<p class="error">{{ e }}</p>{% endfor %}
{% for name, size in limits.items() %}<label>{{ name }} <input name="{{ name }}" maxlength="{{ size }}"
 value="{{ form.get(name, '') }}"></label>{% endfor %}<button>Save</button></form>"""
app.jinja_loader = DictLoader({"form.html": PAGE})  # compiled once, as a template file would be
_db = None
def db():
    global _db
    if _db is None:
        if os.environ.get("BARE_PG"):
            import psycopg
            _db = psycopg.connect(os.environ["BARE_PG"], autocommit=True)
        else:
            _db = sqlite3.connect(os.environ["BARE_DB"], timeout=30, isolation_level=None)
            for pragma in ("journal_mode=WAL", "busy_timeout=30000", "synchronous=NORMAL"):
                _db.execute("PRAGMA " + pragma)
    return _db
@app.route("/", methods=["GET", "POST"])
def form():
    errors = []
    if request.method == "POST":
        token = session.get("csrf_token", "")
        if not token or not hmac.compare_digest(token, request.form.get("csrf_token", "")):
            abort(400)
        values = {k: request.form.get(k, "").strip() for k in LIMITS}
        errors = [k + " is required" for k in REQUIRED if not values[k]]
        errors += [k + " is too long" for k, n in LIMITS.items() if len(values[k]) > n]
        if not errors:
            mark = "?" if os.environ.get("BARE_DB") else "%s"
            row = db().execute("INSERT INTO entry (name, phone, place, title, facts) VALUES (" + ", ".join([mark] * 5)
                               + ") RETURNING id", [values[k] for k in LIMITS]).fetchone()
            return redirect("/entries/%d" % row[0])
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_hex(16)
    return render_template("form.html", token=session["csrf_token"], limits=LIMITS, form=request.form, errors=errors)
'''
BARE_TABLE = ("CREATE TABLE entry (id {pk}, name VARCHAR(60) NOT NULL, phone VARCHAR(20), place VARCHAR(120) NOT NULL,"
              " title VARCHAR(200) NOT NULL, facts TEXT NOT NULL)")
# The desk's floor: the desk itself (its app, hooks, login, CSRF, languages, headers, database and write lock) with
# one more page, a five-field form as the bare one has, behind the login, writing one row. What any page of the
# desk costs before doing anything of its own: the registration cannot cost less than this, whatever it does.
FLOOR_APP = '''
"""The desk's own stack at its floor: a login-protected five-field form (FlaskForm), one row, a redirect."""
import sqlalchemy as sa
from flask import redirect
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from desk import create_app
from desk.extensions import db
app = create_app()
entry = sa.Table("floor_entry", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                 *(sa.Column(name, sa.Text) for name in ("name", "phone", "place", "title", "facts")))
with app.app_context():
    entry.create(db.engine, checkfirst=True)
class EntryForm(FlaskForm):
    name = StringField(validators=[DataRequired(), Length(max=60)])
    phone = StringField(validators=[Optional(), Length(max=20)])
    place = StringField(validators=[DataRequired(), Length(max=120)])
    title = StringField(validators=[DataRequired(), Length(max=200)])
    facts = TextAreaField(validators=[DataRequired(), Length(max=5000)])
PAGE = """<!doctype html><title>Form</title><form method="post">{{ form.csrf_token }}
{% for field in form if field.name != "csrf_token" %}<label>{{ field.name }} {{ field() }}</label>
{% for e in field.errors %}<p class="error">{{ e }}</p>{% endfor %}{% endfor %}<button>Save</button></form>"""
TEMPLATE = app.jinja_env.from_string(PAGE)   # compiled once (the desk's context processors are not run: a floor)
@app.route("/floor/", methods=["GET", "POST"])
@login_required
def floor():
    form = EntryForm()
    if form.validate_on_submit():
        row_id = db.session.execute(entry.insert().values({name: form[name].data for name in
                                                           ("name", "phone", "place", "title", "facts")})
                                    .returning(entry.c.id)).scalar_one()
        db.session.commit()
        return redirect("/floor/entries/%d" % row_id)
    return TEMPLATE.render(form=form)
'''
# --profile: each gunicorn worker under cProfile, its statistics written when it exits.
PROFILE_CONF = '''
import cProfile, os, time
def post_fork(server, worker):
    worker.profile = cProfile.Profile(time.process_time)  # CPU, not the time spent waiting
    worker.profile.enable()
def worker_exit(server, worker):
    worker.profile.disable()
    worker.profile.dump_stats(os.path.join(os.environ["PROFILE_DIR"], "worker-%d.prof" % os.getpid()))
'''


# --- serving and talking to it (also used by bench_crash.py) ------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(app_spec: str, port: int, env: dict, cwd: str, *, timeout: int = 120,
                   stderr=subprocess.PIPE, config: str | None = None) -> subprocess.Popen:
    args = ["-c", config] if config else []
    proc = subprocess.Popen([os.path.join(BIN, "gunicorn"), *args, "-w", "2", "-b", f"127.0.0.1:{port}",
                             "--log-level", "warning", "--timeout", str(timeout), app_spec], cwd=cwd,
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=stderr)
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


def id_number(n: int) -> str:
    from desk.idnumber import check_digit
    body = f"440781{date(1930, 1, 1) + timedelta(days=n):%Y%m%d}{(n % 500) * 2 + 1:03d}"
    return body + check_digit(body)


def _stat(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def worker_cpu_seconds(master: subprocess.Popen) -> float:
    """User + system CPU of a gunicorn master's workers so far (Linux /proc): the live workers' own and their
    children's, and that of every worker which exited (killed, timed out, restarted), which the master's
    cutime/cstime hold once it has reaped them. The master's own CPU is not counted: it serves nothing."""
    fields = _stat(master.pid)
    total = int(fields[13]) + int(fields[14])
    for pid in _workers(master):
        try:
            fields = _stat(pid)
        except OSError:  # exited since: the master counts it once reaped
            continue
        total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def _workers(master: subprocess.Popen) -> list[int]:
    try:
        with open(f"/proc/{master.pid}/task/{master.pid}/children") as handle:
            return [int(pid) for pid in handle.read().split()]
    except OSError:
        return []


def settled_cpu(master: subprocess.Popen, workers: int = 2) -> float:
    """Worker CPU once every worker is up and done booting and warming up (their CPU stops growing)."""
    before = -1.0
    for _ in range(240):
        time.sleep(0.5)
        now = worker_cpu_seconds(master)
        if now == before and len(_workers(master)) >= workers:
            break
        before = now
    return now


# --- the visitors ------------------------------------------------------------------------------------------------

SURNAMES = ["陈", "李", "黄", "梁", "伍", "余", "关", "谭", "邝", "甄", "张", "刘", "林", "何", "朱", "雷", "司徒",
            "欧阳"]
GIVEN = ["伟强", "秀英", "志明", "美玲", "国华", "丽娟", "建平", "桂芳", "家豪", "淑仪", "锦荣", "少芬", "永康",
         "惠珍", "耀祖", "玉兰", "文杰", "嘉欣", "振邦", "月娥", "炳", "娣", "亚妹", "汉生"]
PARTIES = ["镇建筑工程公司", "村民委员会", "个体老板陈某", "邻居黄某", "某物业管理公司", "镇自来水厂", "搅拌站",
           "某养殖场", "村民小组长"]
# (subject, facts, demand): facts of two or three sentences; {…} filled per visit.
MATTERS = [
    ("责任田被占未补偿", "{years}年前村里把我家{land}亩责任田划给{party}使用，至今没有补偿。我多次找村委会，"
     "答复说要等镇里研究。", "要求按标准补偿或者退回土地。"),
    ("鱼塘堵塞排水沟", "{party}在我家屋后挖了鱼塘，把排水沟堵了一半。雨季一来屋里进水，今年已经{times}次。"
     "去年报过一次，没有人来看。", "要求恢复排水沟。"),
    ("拖欠工资", "我在{party}做工{months}个月，工钱{amount}元一直没有结清。老板说工程款没到位，现在电话也不接。"
     "同一个工地还有{households}个工友也没拿到钱。", "要求结清工资。"),
    ("加建占用通道", "{party}加建三层楼，占了我家门前{width}米宽的通道，老人出入很不方便。村里调解过两次，"
     "没有结果。", "要求拆除占用通道的部分。"),
    ("路灯损坏无人修", "村口的路灯坏了{months}个月，晚上小孩放学看不见路，上个月有老人摔伤。", "希望尽快修好路灯。"),
    ("低保被取消", "我母亲今年{age}岁，一个人住。她的低保{months}个月前被取消了，没有人通知我们原因，"
     "村里说是系统核查的结果。", "要求说明原因，符合条件的恢复低保。"),
    ("夜间施工噪音粉尘", "{party}天天夜里开工到凌晨，噪音很大，粉尘落满阳台。我们向有关部门打过{times}次电话，"
     "白天停几天，晚上又开。", "要求夜间停止施工并治理粉尘。"),
    ("征地补偿不足", "征地时说好每亩补偿{amount}元，实际到手只有一半。同村{households}户都是这样，大家推我来反映。"
     "合同复印件我带来了。", "要求按合同足额补偿。"),
    ("宅基地纠纷", "我家和{party}的宅基地界线一直有争议，对方最近砌了围墙，多占了大约{width}米。"
     "我们有{years}年发的土地证。", "要求重新测量，依法确权。"),
    ("饮用水发黄", "这{months}个月家里自来水经常发黄，有时候还有异味，小孩喝了拉肚子。{party}说管道老化，"
     "但是一直没有更换。", "要求检测水质、更换管道。"),
]
EXTRA = ["相关的票据和照片我都带来了。", "这件事已经影响到全家人的生活。", "希望政府主持公道。",
         "之前在网上也反映过，没有回复。", "村干部说不归他们管，让我们来镇里。", "家里老人为这件事身体也不好。"]
AGAIN = ["今天再来问进展，还是没有答复。", "上次登记后没有人联系我们，情况没有变化。", "问题还在，比上次更严重了。"]
LANGUAGES = [("cantonese", 60), ("taishanese", 20), ("mandarin", 15), ("hakka", 5)]
PETITIONS = [("demand", 70), ("suggestion", 15), ("accusation", 15)]
BRANCHES = [("other", 70), ("administrative", 15), ("violation", 10), ("litigation", 5)]


def weighted(rng: random.Random, pairs):
    return rng.choices([v for v, _ in pairs], [w for _, w in pairs])[0]


@dataclass
class Matter:
    category: str
    place: str
    title: str
    facts: str
    demand: str
    petition_type: str
    demand_branch: str
    other_party: str
    case_marker: str          # the registration that made its case


@dataclass
class Person:
    name: str
    id_number: str
    phone: str
    place: str
    language: str
    matters: list = field(default_factory=list)


@dataclass
class Visit:
    marker: str
    person: Person
    matter: Matter
    kind: str                 # "new", "returning, new matter", "returning, same matter"
    fields: dict


class Crowd:
    """The visitors of one run, shared by the client threads: people come back only after their earlier visit was
    acknowledged, and never to two desks at once."""

    def __init__(self, tag: str, page: str, seed: int):
        rng = random.Random(seed)
        self.tag, self.lock = tag, threading.Lock()
        # The busy places and the common categories are chosen more often (Zipf-like weights).
        self.places, self.categories = options(page, "place_id"), options(page, "category_id")
        rng.shuffle(self.places)
        rng.shuffle(self.categories)
        self.place_weights = [1 / (i + 1) ** 0.8 for i in range(len(self.places))]
        self.category_weights = [1 / (i + 1) for i in range(len(self.categories))]
        self.people: list[Person] = []           # met: registered and acknowledged
        self.by_place: dict[str, list[Person]] = {}
        self.busy: set[int] = set()
        self.serials = iter(range(10**6))

    def marker(self, n: int) -> str:
        return f"REG-{self.tag}-{n:05d}"

    def visit(self, n: int, rng: random.Random, rows: int) -> Visit:
        """Registration ``n``: its visitor, matter and the form fields the receptionist fills in."""
        with self.lock:
            free = [p for p in self.people if id(p) not in self.busy]
            person = rng.choice(free) if free and rng.random() < 1 / 3 else None
            if person is None:
                person = self._newcomer(rng)
            self.busy.add(id(person))
            group = rng.random() < 0.04
            reps = [self._representative(rng) for _ in range(rng.randint(1, 3))] if group else []
        earlier = [m for m in person.matters if person.id_number]   # same matter only with an ID: see choose()
        if earlier and rng.random() < 0.5:
            kind, old = "returning, same matter", rng.choice(earlier)
            matter = Matter(**{**old.__dict__, "facts": old.facts.split("（")[0] + rng.choice(AGAIN)})
        else:
            kind = "returning, new matter" if person.matters else "new"
            matter = self._matter(n, rng, person, {m.title for m in person.matters})
        facts = f"{matter.facts}（登记 {self.marker(n)}）"
        fields = {"id_number": person.id_number, "name": person.name, "phone": person.phone,
                  "language": person.language, "channel": "walk_in",
                  "head_count": str(rng.randint(len(reps) + 2, 30) if reps else 1),  # petitioner and reps count
                  "category_id": matter.category, "petition_type": matter.petition_type,
                  "demand_branch": matter.demand_branch, "title": matter.title, "facts": facts,
                  "demand": matter.demand, "place_id": matter.place, "other_party": matter.other_party,
                  "repeat_decision": "", "action": "save"}
        for i in range(rows if reps else 0):   # the page disables the (empty) rows unless it is a group's visit
            rep = reps[i] if i < len(reps) else Person("", "", "", "", "")
            fields.update({f"representatives-{i}-name": rep.name, f"representatives-{i}-id_number": rep.id_number,
                           f"representatives-{i}-phone": rep.phone})
        return Visit(self.marker(n), person, matter, kind, fields)

    def done(self, visit: Visit, acknowledged: bool) -> None:
        with self.lock:
            self.busy.discard(id(visit.person))
            if not acknowledged:
                return
            if visit.matter not in visit.person.matters and visit.kind != "returning, same matter":
                visit.person.matters.append(visit.matter)
            if visit.kind == "new":
                self.people.append(visit.person)
                self.by_place.setdefault(visit.person.place, []).append(visit.person)

    def _newcomer(self, rng: random.Random) -> Person:
        place = rng.choices(self.places, self.place_weights)[0]
        neighbours = self.by_place.get(place, [])
        name = f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}"
        if neighbours and rng.random() < 0.15:
            name = rng.choice(neighbours).name               # a namesake in the same village
        phone = self._phone(rng)
        family = [p for p in neighbours if p.phone and p.name[0] == name[0]]
        if family and rng.random() < 0.4:
            phone = rng.choice(family).phone                 # the family's phone
        elif rng.random() < 0.1:
            phone = ""
        number = id_number(next(self.serials)) if rng.random() < 0.92 else ""   # 8% forgot their ID card
        return Person(name, number, phone, place, weighted(rng, LANGUAGES))

    def _representative(self, rng: random.Random) -> Person:
        number = id_number(next(self.serials)) if rng.random() < 0.6 else ""
        return Person(f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}", number,
                      self._phone(rng) if rng.random() < 0.7 else "", "", "")

    @staticmethod
    def _phone(rng: random.Random) -> str:
        if rng.random() < 0.1:
            return f"0750-{rng.randint(2200000, 6999999)}"   # a landline, typed with its dash
        return f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"

    def _matter(self, n: int, rng: random.Random, person: Person, used: set[str]) -> Matter:
        subject, facts, demand = rng.choice([m for m in MATTERS if f"{person.name}反映{m[0]}" not in used] or MATTERS)
        slots = {"years": rng.randint(2, 15), "land": rng.choice(["0.8", "1.2", "2", "3.5"]),
                 "party": rng.choice(PARTIES), "times": rng.randint(2, 9), "months": rng.randint(2, 30),
                 "amount": rng.choice([3600, 8500, 12000, 26000, 48000]), "households": rng.randint(3, 40),
                 "width": rng.choice(["1.5", "2", "3"]), "age": rng.randint(62, 91)}
        text = facts.format(**slots) + "".join(rng.sample(EXTRA, rng.randint(0, 2)))
        petition = weighted(rng, PETITIONS)
        with self.lock:
            category = rng.choices(self.categories, self.category_weights)[0]
        return Matter(category, person.place if rng.random() < 0.85 else rng.choice(self.places),
                      f"{person.name}反映{subject}", text, demand if petition == "demand" else "", petition,
                      weighted(rng, BRANCHES), slots["party"] if rng.random() < 0.5 else "", self.marker(n))


def choose(page: str, visit: Visit) -> str:
    """The receptionist's answer to "same matter?": the earlier case with this matter's subject, category and place
    (candidates come found by ID number first), else "new matter"."""
    if visit.kind != "returning, same matter":
        return "new"
    for row in re.findall(r'<tr class="[^"]*" data-testid="candidate">(.*?)</tr>', page, re.S):
        radio = re.search(r'value="(\d+:\d+)"[^>]*data-category="(\d*)" data-place="(\d*)" data-title="([^"]*)"', row)
        if radio and (radio[2], radio[3], html.unescape(radio[4])) == (
                visit.matter.category, visit.matter.place, visit.matter.title):
            return radio[1]
    return "new"


def asks_whether_repeat(page: str) -> bool:
    return bool(re.search(r'<div[^>]*(has-error[^>]*id="field-repeat_decision"|id="field-repeat_decision"'
                          r'[^>]*has-error)', page))


def form_errors(page: str) -> str:
    return "; ".join(e.strip() for e in re.findall(r'class="error"[^>]*>([^<]+)<', page)[:2]) or "no message"


# --- the runs ------------------------------------------------------------------------------------------------------

@dataclass
class Tally:
    total: int
    errors: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    acked: list = field(default_factory=list)           # (marker, submission key or None, id redirected to, …)
    latencies: dict = field(default_factory=dict)      # step -> ms
    failed: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.numbers = iter(range(self.total))

    def next_slice(self, start: int, stop: int) -> None:
        """Only the jobs numbered start..stop-1 in the next ``drive``."""
        self.numbers = iter(range(start, min(stop, self.total)))

    def unexplained(self) -> None:
        """Jobs neither acknowledged nor failed (e.g. a client thread that never got going) are errors."""
        missing = self.total - len(self.acked) - self.failed
        if missing:
            self.errors["registrations not completed, no error seen"] += missing

    def take(self) -> int | None:
        with self.lock:
            return next(self.numbers, None)

    def error(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1

    def note(self, kind: str) -> None:
        with self.lock:
            self.notes[kind] += 1

    def timed(self, step: str, client: Client, *args):
        started = time.perf_counter()
        answer = client.request(*args)
        with self.lock:
            self.latencies.setdefault(step, []).append((time.perf_counter() - started) * 1000)
        return answer


def drive(master: subprocess.Popen, port: int, tally: Tally, begin, one) -> Tally:
    """The jobs of ``tally``'s current slice from CONCURRENCY clients: each runs ``begin(client, i)`` (a login)
    first; the CPU and time are counted from when every client is ready, until the last job is done, and added
    to the tally's."""
    ready, go = threading.Barrier(CONCURRENCY + 1, timeout=600), threading.Event()

    def client_thread(i: int) -> None:
        client, state = Client(port), None
        try:
            state = begin(client, i)
        except Exception as err:
            tally.error(f"client exception before the run: {type(err).__name__}")
        finally:
            ready.wait()
        go.wait()
        while (n := tally.take()) is not None:
            try:
                completed = one(client, state, n, tally)   # False: an error was counted for it
            except Exception as err:
                tally.error(f"client exception: {type(err).__name__}: {err}"[:120])
                client.conn.close()    # the next request connects again
                completed = False
            if not completed:
                with tally.lock:
                    tally.failed += 1

    threads = [threading.Thread(target=client_thread, args=(i,), daemon=True) for i in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    ready.wait()
    cpu = settled_cpu(master)
    started = time.perf_counter()
    go.set()
    for thread in threads:
        thread.join()
    tally.seconds += time.perf_counter() - started
    tally.cpu += worker_cpu_seconds(master) - cpu
    return tally


def desk_login(client: Client, i: int, tally_seed: int):
    status, _, page = client.request("GET", "/login")
    if status != 200 or not hidden(page, "csrf_token"):
        raise RuntimeError(f"login page answered {status}")
    status, location, _ = client.request("POST", "/login", {"csrf_token": hidden(page, "csrf_token"), **LOGIN})
    if status != 302 or "/login" in location:
        raise RuntimeError(f"login answered {status} {location}")
    return random.Random(tally_seed * 100 + i)


def register(crowd_box: list, client: Client, rng: random.Random, n: int, tally: Tally) -> bool:
    """One receptionist's round trip for registration ``n``; every step that goes wrong is an error.
    True once the registration is acknowledged."""
    status, _, page = tally.timed("GET form", client, "GET", "/intake/")
    token, key = hidden(page, "csrf_token"), hidden(page, "submission_key")
    if status != 200 or not token or not key:
        tally.error(f"GET /intake/ answered {status}" if status != 200 else "form without CSRF token or key")
        return False
    with tally.lock:
        if not crowd_box[1]:
            crowd_box[1] = Crowd(crowd_box[0], page, seed=len(crowd_box[0]))
    crowd: Crowd = crowd_box[1]
    visit = crowd.visit(n, rng, len(set(re.findall(r'name="representatives-(\d+)-name"', page))))
    form = {"csrf_token": token, "submission_key": key, **visit.fields}
    acknowledged = False
    try:
        tally.note(visit.kind)
        if visit.fields["head_count"] != "1":
            tally.note("group visit")
        if visit.kind != "new":     # the page's script looks the visitor up as the fields are typed
            status, _, fragment = tally.timed("look-up", client, "POST", "/intake/lookup", {**form, "action": "lookup"})
            if status != 200:
                tally.error(f"look-up answered {status}")
                return False
            form["repeat_decision"] = choose(fragment, visit)
            if visit.kind == "returning, same matter" and form["repeat_decision"] == "new":
                tally.note("same matter not offered by the look-up")
        status, location, page = tally.timed("POST", client, "POST", "/intake/", form)
        if status == 200 and asks_whether_repeat(page):
            tally.note("desk asked whether the matter came before")
            form["repeat_decision"] = choose(page, visit) if "data-testid=\"candidate\"" in page else "new"
            status, location, page = tally.timed("POST", client, "POST", "/intake/", form)
        if status != 302:
            tally.error(f"POST answered {status}: {form_errors(page)}"[:160])
            return False
        found = re.fullmatch(r"/intake/visits/(\d+)", urlsplit(location).path)
        if not found:
            tally.error(f"POST redirected to {location}")
            return False
        if n % 50 == 0:  # a double-submitted form must land on the same visit
            status, again, _ = client.request("POST", "/intake/", form)
            tally.note("double submissions")
            if status != 302 or again != location:
                tally.error(f"double submission answered {status} {again}")
        repeat = form["repeat_decision"] not in ("", "new")
        with tally.lock:
            tally.acked.append((visit.marker, key, int(found[1]), visit.matter.case_marker if repeat else visit.marker))
        acknowledged = True
        return True
    finally:
        crowd.done(visit, acknowledged)


def form_one(path: str, crowd: Crowd, client: Client, rng: random.Random, n: int, tally: Tally) -> bool:
    """One five-field form at ``path`` (the bare form, or the desk's floor): GET, POST, redirected to its row."""
    status, _, page = tally.timed("GET form", client, "GET", path)
    token = hidden(page, "csrf_token")
    if status != 200 or not token:
        tally.error(f"GET {path} answered {status}" if status != 200 else "form without CSRF token")
        return False
    with crowd.lock:
        person = crowd._newcomer(rng)
    matter = crowd._matter(n, rng, person, set())
    form = {"csrf_token": token, "name": person.name, "phone": person.phone, "place": f"第{matter.place}号村",
            "title": matter.title, "facts": f"{matter.facts}（登记 {crowd.marker(n)}）"}
    status, location, page = tally.timed("POST", client, "POST", path, form)
    found = re.fullmatch(re.escape(path) + r"entries/(\d+)", urlsplit(location).path)
    if status != 302 or not found:
        tally.error(f"POST answered {status}: {form_errors(page)}" if status != 302
                    else f"POST redirected to {location}")
        return False
    with tally.lock:
        tally.acked.append((crowd.marker(n), None, int(found[1]), crowd.marker(n)))
    return True


# --- the databases -----------------------------------------------------------------------------------------------

def pg_url(name: str) -> str:
    return sa.engine.make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)


def pg_admin(*statements: str) -> None:
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        admin.dispose()


def desk_database(backend: str, folder: Path) -> tuple[dict, str]:
    """A copy of the cached small demo: the server's environment and the database URL."""
    if backend == "sqlite":
        cache = Path(tempfile.gettempdir()) / f"desk-regbench-demo-{demo_key()}"
        if not (cache / "desk.sqlite").exists():
            print("building the small demo (SQLite) ...", flush=True)
            shutil.rmtree(cache.with_suffix(".part"), ignore_errors=True)
            init_demo({**SERVER_ENV, "INSTANCE_PATH": str(cache.with_suffix(".part"))})
            os.replace(cache.with_suffix(".part"), cache)
        instance = folder / "instance-sqlite"
        instance.mkdir()
        for path in cache.glob("desk.sqlite*"):
            shutil.copy(path, instance / path.name)
        return {"INSTANCE_PATH": str(instance)}, "sqlite:///" + str(instance / "desk.sqlite")
    template = f"desk_regbench_template_{demo_key()}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            templates = set(conn.scalars(sa.text("SELECT datname FROM pg_database "
                                                 "WHERE datname LIKE 'desk\\_regbench\\_template\\_%'")))
            if template not in templates:
                print("building the small demo (PostgreSQL template) ...", flush=True)
                for old in templates | {"desk_regbench_build"}:    # made by older code, or a build cut short
                    conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{old}" WITH (FORCE)'))
                conn.execute(sa.text('CREATE DATABASE "desk_regbench_build"'))
                init_demo({**SERVER_ENV, "DATABASE_URL": pg_url("desk_regbench_build"),
                           "INSTANCE_PATH": str(folder / "build")})
                conn.execute(sa.text(f'ALTER DATABASE "desk_regbench_build" RENAME TO "{template}"'))
            conn.execute(sa.text('DROP DATABASE IF EXISTS "desk_regbench_run" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "desk_regbench_run" TEMPLATE "{template}"'))
    finally:
        admin.dispose()
    return {"DATABASE_URL": pg_url("desk_regbench_run"), "INSTANCE_PATH": str(folder / "instance-pg")}, \
        pg_url("desk_regbench_run")


def bare_database(backend: str, folder: Path) -> tuple[dict, str]:
    if backend == "sqlite":
        path = folder / "bare.sqlite"
        url, env = "sqlite:///" + str(path), {"BARE_DB": str(path)}
        pk = "INTEGER PRIMARY KEY"
    else:
        pg_admin('DROP DATABASE IF EXISTS "desk_regbench_bare" WITH (FORCE)', 'CREATE DATABASE "desk_regbench_bare"')
        url = pg_url("desk_regbench_bare")
        env, pk = {"BARE_PG": url.replace("postgresql+psycopg://", "postgresql://")}, "SERIAL PRIMARY KEY"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(BARE_TABLE.format(pk=pk)))
    engine.dispose()
    return env, url


def check_desk(url: str, tally: Tally, before: dict[str, int]) -> list[str]:
    """Each acknowledged registration: one visit with its form's key, where the client was sent, on the case its
    marker (or, for the same matter, its earlier registration's marker) is in; and no visit nobody acknowledged."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        visits = conn.execute(sa.text("SELECT id, submission_key, case_id FROM visit WHERE id > :v"),
                              {"v": before["visit"]}).all()
        cases = conn.execute(sa.text('SELECT id, facts FROM "case" WHERE id > :c'), {"c": before["case"]}).all()
    engine.dispose()
    by_key: dict[str, list] = {}
    for visit in visits:
        by_key.setdefault(visit.submission_key, []).append(visit)
    case_of: dict[str, list[int]] = {}
    for case in cases:
        for marker in MARKER_RE.findall(case.facts or ""):
            case_of.setdefault(marker, []).append(case.id)
    problems = []
    for marker, key, visit_id, case_marker in tally.acked:
        hits = by_key.get(key, [])
        if len(hits) != 1 or hits[0].id != visit_id:
            problems.append(f"{marker}: {len(hits)} visits with its key (sent to visit {visit_id})")
        elif case_of.get(case_marker, []) != [hits[0].case_id]:
            problems.append(f"{marker}: on case {hits[0].case_id}, its matter's marker on {case_of.get(case_marker)}")
    acked_keys = {key for _, key, _, _ in tally.acked}
    problems += [f"visit {v.id} acknowledged by no client" for v in visits if v.submission_key not in acked_keys]
    return problems


def check_rows(url: str, table: str, label: str, tally: Tally) -> list[str]:
    """The bare form's rows (or the floor's): each acknowledged one there once, under the id it was sent to."""
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(f"SELECT id, facts FROM {table}")).all()
    engine.dispose()
    ids_of: dict[str, list[int]] = {}
    for row in rows:
        for marker in MARKER_RE.findall(row.facts):
            ids_of.setdefault(marker, []).append(row.id)
    problems = [f"{label} {marker}: rows {ids_of.get(marker)}, sent to {row_id}" for marker, _, row_id, _ in tally.acked
                if ids_of.get(marker) != [row_id]]
    return problems + [f"{label} row(s) of {m} acknowledged by no client" for m in
                       set(ids_of) - {marker for marker, *_ in tally.acked}]


# --- one backend -------------------------------------------------------------------------------------------------

def serve(app_spec: str, env: dict, cwd: str, folder: Path, profile: bool, work):
    """gunicorn serving ``app_spec`` while ``work(master, port)`` runs; its log kept for when a figure fails."""
    port, config = free_port(), None
    if profile:
        config = str(folder / "profile_conf.py")
        Path(config).write_text(PROFILE_CONF)
        env = {**env, "PROFILE_DIR": str(folder / "profiles")}
        (folder / "profiles").mkdir(exist_ok=True)
    with open(folder / f"gunicorn-{app_spec.split(':')[0]}.log", "a") as log:
        master = start_gunicorn(app_spec, port, {**SERVER_ENV, **env}, cwd, stderr=log, config=config)
        try:
            return work(master, port)
        finally:
            master.send_signal(signal.SIGTERM)
            try:
                master.wait(timeout=60)
            except subprocess.TimeoutExpired:
                master.kill()


def measure(backend: str, folder: Path, total: int, profile: bool) -> dict:
    """The desk, its floor and the bare form served side by side and driven in turns, SLICES slices each (the
    desk first: the others' visitors come from the desk's lists), so that the shared machine's changing load falls
    on all three alike; each one's CPU is counted only while its own slice runs. The floor writes its own table of
    the desk's database."""
    seed = 19 if backend == "sqlite" else 20
    tag = sha1(f"{time.time()}{backend}".encode()).hexdigest()[:6]
    env, url = desk_database(backend, folder)
    before = last_ids(url)
    crowd_box = [tag, None]
    for name, source in (("bare", BARE_APP), ("floor", FLOOR_APP)):
        (folder / name).mkdir(exist_ok=True)
        (folder / name / f"{name}_app.py").write_text(source)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(BARE_TABLE.replace("TABLE entry", "TABLE floor_entry").format(
            pk="INTEGER PRIMARY KEY" if backend == "sqlite" else "SERIAL PRIMARY KEY")))
    engine.dispose()
    bare_env, bare_url = bare_database(backend, folder)
    desk, floor, bare = Tally(total), Tally(total), Tally(total)
    form_box = [None]

    def form_crowd() -> Crowd:
        """The floor's and the bare form's visitors: newcomers to the desk's places and categories."""
        if form_box[0] is None:
            if crowd_box[1] is None:
                raise RuntimeError(f"no reception form was served: {dict(desk.errors)}")
            crowd = form_box[0] = Crowd(tag, "", seed)
            crowd.places, crowd.categories = crowd_box[1].places, crowd_box[1].categories
            crowd.place_weights, crowd.category_weights = crowd_box[1].place_weights, crowd_box[1].category_weights
        return form_box[0]

    def in_turns(desk_at, floor_at, bare_at) -> None:
        size = -(-total // SLICES)
        for start in range(0, total, size):
            desk.next_slice(start, start + size)
            drive(*desk_at, desk, lambda client, i: desk_login(client, start + i, seed),
                  lambda client, rng, n, tally: register(crowd_box, client, rng, n, tally))
            crowd = form_crowd()
            floor.next_slice(start, start + size)
            drive(*floor_at, floor, lambda client, i: desk_login(client, start + i, seed * 7),
                  lambda client, rng, n, tally: form_one("/floor/", crowd, client, rng, n, tally))
            bare.next_slice(start, start + size)
            drive(*bare_at, bare, lambda client, i: random.Random(seed * 1000 + start + i),
                  lambda client, rng, n, tally: form_one("/", crowd, client, rng, n, tally))

    serve("run:app", env, ROOT, folder, profile, lambda *desk_at: serve(
        "floor_app:app", {**env, "PYTHONPATH": ROOT}, str(folder / "floor"), folder, False, lambda *floor_at: serve(
            "bare_app:app", bare_env, str(folder / "bare"), folder, False, lambda *bare_at: in_turns(
                desk_at, floor_at, bare_at))))
    for tally in (desk, floor, bare):
        tally.unexplained()
    return {"desk": desk, "floor": floor, "bare": bare,
            "problems": check_desk(url, desk, before) + check_rows(url, "floor_entry", "floor", floor)
            + check_rows(bare_url, "entry", "bare", bare)}


def report(backend: str, result: dict, profile_dir: Path | None) -> None:
    suffix = "" if backend == "sqlite" else "_pg"
    desk, floor, bare, problems = result["desk"], result["floor"], result["bare"], result["problems"]
    for label, tally in (("desk", desk), ("desk's floor", floor), ("bare form", bare)):
        steps = ", ".join(f"{step} p50 {median(ms):.0f} ms p95 {percentile(ms, 0.95):.0f} ms"
                          for step, ms in tally.latencies.items())
        print(f"{backend}: {label}: {len(tally.acked)} of {tally.total} completed in {tally.seconds:.1f} s; "
              f"{steps}", flush=True)
        for kind, n in sorted(tally.errors.items()):
            print(f"{backend}: {label}: error: {kind}: {n}", flush=True)
    print(f"{backend}: desk visitors: " + ", ".join(f"{k} {n}" for k, n in sorted(desk.notes.items())), flush=True)
    for line in problems[:10]:
        print(f"{backend}:   {line}", flush=True)
    reg_ms = desk.cpu / max(len(desk.acked), 1) * 1000
    floor_ms = floor.cpu / max(len(floor.acked), 1) * 1000
    bare_ms = bare.cpu / max(len(bare.acked), 1) * 1000
    if profile_dir is not None:
        print("profile: figures distorted by cProfile; the desk workers' CPU by function, own and cumulative:")
        files = [str(p) for p in profile_dir.glob("worker-*.prof")]
        if files:
            stats = pstats.Stats(*files)
            stats.sort_stats("tottime").print_stats(25)
            stats.sort_stats("cumulative").print_stats(
                r"/work/main/(desk|intake|referrals|reports)/|flask/templating|flask_wtf/csrf|wtforms/form", 60)
    bench_line(f"registration_cpu_ms{suffix}", round(reg_ms, 2), "ms", ">=", 0)
    bench_line(f"bare_form_cpu_ms{suffix}", round(bare_ms, 3), "ms", ">=", 0)
    bench_line(f"registration_per_s{suffix}", len(desk.acked) / desk.seconds, "per_s", ">=", 0)
    bench_line(f"registration_cpu_ratio_to_bare{suffix}", reg_ms / bare_ms if bare_ms else float("inf"), "x", "<=", 8)
    bench_line(f"desk_floor_cpu_ms{suffix}", round(floor_ms, 3), "ms", ">=", 0)
    bench_line(f"desk_floor_ratio_to_bare{suffix}", floor_ms / bare_ms if bare_ms else float("inf"), "x", ">=", 0)
    bench_line(f"registration_errors{suffix}", sum(sum(t.errors.values()) for t in (desk, floor, bare)), "count",
               "==", 0)
    bench_line(f"registration_lost_or_duplicated{suffix}", len(problems), "count", "==", 0)


def fail_lines(backend: str, cause: str) -> None:
    suffix = "" if backend == "sqlite" else "_pg"
    for name, unit, target in (("registration_cpu_ratio_to_bare", "x", "<=8"), ("registration_errors", "count", "==0"),
                               ("registration_lost_or_duplicated", "count", "==0")):
        print(f"BENCH {name}{suffix} n/a {unit} target {target} FAIL ({cause})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="200 registrations instead of 2,000")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="one backend (both by default)")
    parser.add_argument("--profile", action="store_true",
                        help="run the workers under cProfile and print the desk's top functions (distorts the CPU)")
    args = parser.parse_args()
    total = 200 if args.quick else 2000
    os.environ.pop("DATABASE_URL", None)
    for backend in [args.only] if args.only else ["sqlite", "postgresql"]:
        folder = Path(tempfile.mkdtemp(prefix=f"desk-bench-reg-{backend}-"))
        try:
            if backend == "postgresql":
                try:
                    pg_admin("SELECT 1")
                except Exception as err:
                    raise RuntimeError(f"PostgreSQL not reachable at {sa.engine.make_url(PG_ADMIN)}: "
                                       f"{str(err).splitlines()[0]}") from None
            result = measure(backend, folder, total, args.profile)
            report(backend, result, folder / "profiles" if args.profile else None)
        except Exception as err:
            fail_lines(backend, f"{type(err).__name__}: {str(err)[:300]}")
        finally:
            if backend == "postgresql":
                try:
                    pg_admin('DROP DATABASE IF EXISTS "desk_regbench_run" WITH (FORCE)',
                             'DROP DATABASE IF EXISTS "desk_regbench_bare" WITH (FORCE)')
                except Exception:
                    pass
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
