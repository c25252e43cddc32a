"""An independent recount of the small demo's monthly figures from the raw tables (issue 15): the dashboard and
the monthly PDF must show the same numbers.

The recount is written from DOMAIN.md and the footnotes (reports/dashboard/definitions.py), in plain Python over
the loaded rows, and never calls reports.dashboard (measures, backlog, scope, drill): a slip there cannot hide
by being made twice.
"""
import re
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
import tinyhtml5

from desk.demo.seed import DEMO_PASSWORD
from desk.extensions import db
from desk.models import Case, CaseStage, Level, OrgUnit, StageKind, Visit
from reports.callbacks.models import Callback, Rating
from tests.demo_snapshots import load_demo

TODAY = date(2026, 12, 3)
# The last twelve full months: the demo's history starts in November 2025, so each of these is whole.
MONTHS = [(2025, 12)] + [(2026, m) for m in range(1, 12)]
# The backlog's age columns by days since receipt: 0-15, 16-30, 31-60, 61-90, 90+ (each up to its limit).
AGE_LIMITS = [15, 30, 60, 90]
RATES = {"closure_rate", "timely_acceptance", "on_time_reply", "satisfaction_rate", "participation_rate",
         "repeat_rate"}
AREA_COLUMNS = {"Visits": "visits", "New cases": "new_cases", "Accepted": "accepted", "Concluded": "concluded"}
TREND_COLUMNS = dict(AREA_COLUMNS, **{
    "Closure rate": "closure_rate", "On-time reply": "on_time_reply", "Satisfaction rate": "satisfaction_rate",
    "Repeat-visit rate": "repeat_rate", "Handling days (median)": "median_days",
    "Handling days (90th percentile)": "p90_days"})
# The measures' row labels in the Chinese PDF.
PDF_LABELS = {"visits": "来访记录", "new_cases": "新增事项", "accepted": "已受理", "concluded": "已办结",
              "closure_rate": "办结率", "timely_acceptance": "按期受理率", "on_time_reply": "按期答复率",
              "satisfaction_rate": "满意率", "participation_rate": "参评率", "not_rated_in_time": "超期未评价",
              "repeat_rate": "重复访率", "repeat_after_conclusion": "已办结重复信访",
              "median_days": "办理天数（中位数）", "p90_days": "办理天数（90百分位）"}


@dataclass
class Figure:
    value: float | None                 # a rate as a fraction; None where there is nothing to divide by
    numerator: int | None = None
    denominator: int | None = None


# --- the recount -----------------------------------------------------------------------------------------------

def _utc(day: date) -> datetime:
    """Local midnight of ``day`` in China (UTC+8 all year) as the naive UTC time a visit is stored at."""
    return datetime.combine(day, time()) - timedelta(hours=8)


def _rate(numerator: int, denominator: int) -> Figure:
    return Figure(numerator / denominator if denominator else None, numerator, denominator)


def _percentile(values: list[int], q: float) -> float | None:
    """Between the two closest ranks, proportionally (the footnote: "the figure lies between their days")."""
    if not values:
        return None
    ordered, position = sorted(values), (len(values) - 1) * q
    below, above = int(position), min(int(position) + 1, len(values) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


class Recount:
    """Every case, stage, visit and first-reply callback of the demo, loaded once (the small demo is small)."""

    def __init__(self):
        self.cases = db.session.scalars(sa.select(Case)).all()
        self.stages = {}
        for stage in db.session.scalars(sa.select(CaseStage)):
            self.stages.setdefault(stage.case_id, []).append(stage)
        self.visits = db.session.scalars(sa.select(Visit)).all()
        first_replies = sa.select(Callback).where(Callback.round == 1)
        self.first_callbacks = {c.case_id: c for c in db.session.scalars(first_replies)}
        self.concluded_on = {c.id: c.concluded_on for c in self.cases}

    def measures(self, unit: OrgUnit, year: int, month: int) -> dict[str, Figure]:
        start, end = _month(year, month)
        cases = [c for c in self.cases if _inside(c, unit)]

        def during(day):
            return day is not None and start <= day < end

        visits = [v for v in self.visits if _inside(v, unit) and _utc(start) <= v.visited_at < _utc(end)]
        repeats = [v for v in visits if v.is_repeat or v.repeat_after_conclusion]
        # "on a matter that had already been concluded": its first reply was given by the day of the visit
        after_conclusion = [v for v in repeats if self.concluded_on[v.case_id] is not None
                            and self.concluded_on[v.case_id] <= (v.visited_at + timedelta(hours=8)).date()]
        accepted = [c for c in cases if during(c.accepted_on)]
        concluded = [c for c in cases if during(c.concluded_on)]
        register_due = [c for c in cases if during(c.register_due)]
        conclude_due = [c for c in cases if during(c.conclude_due)]
        callbacks = [self.first_callbacks[c.id] for c in concluded if c.id in self.first_callbacks]
        rated = [cb for cb in callbacks if cb.rating is not None]
        days = [(c.concluded_on - c.received_on).days for c in concluded]
        return {
            "visits": Figure(len(visits)),
            "new_cases": Figure(sum(1 for c in cases if during(c.received_on))),
            "accepted": Figure(len(accepted)),
            "concluded": Figure(len(concluded)),
            "closure_rate": _rate(len(concluded), len(accepted)),
            "timely_acceptance": _rate(sum(1 for c in register_due if c.decided_on and c.decided_on <= c.register_due),
                                       len(register_due)),
            "on_time_reply": _rate(sum(1 for c in conclude_due if c.concluded_on and c.concluded_on <= c.conclude_due),
                                   len(conclude_due)),
            "satisfaction_rate": _rate(sum(1 for cb in rated if cb.rating in (Rating.satisfied, Rating.basic)),
                                       len(rated)),
            "participation_rate": _rate(len(rated), len(concluded)),
            # the rating window closed (its last day is before today) and no rating came
            "not_rated_in_time": Figure(sum(1 for cb in callbacks if cb.rating is None and cb.due_on < TODAY)),
            "repeat_rate": _rate(len(repeats), len(visits)),
            "repeat_after_conclusion": Figure(len(after_conclusion)),
            "median_days": Figure(_percentile(days, 0.5), None, len(days)),
            "p90_days": Figure(_percentile(days, 0.9), None, len(days)),
        }

    def by_area(self, unit: OrgUnit, year: int, month: int) -> dict[str, dict[str, int]]:
        """The units one level down: visits, new, accepted and concluded matters."""
        children = db.session.scalars(sa.select(OrgUnit).where(OrgUnit.parent_id == unit.id)).all()
        return {child.name: {key: self.measures(child, year, month)[key].value for key in AREA_COLUMNS.values()}
                for child in children}

    def backlog(self, unit: OrgUnit, on: date) -> list[tuple[int, int]]:
        """(open, of which overdue) per age bucket, as things stood when ``on`` began (the end of the month); age
        and lateness counted on the month's last day, as the case page counts them (a limit is met through its
        own date)."""
        last = on - timedelta(days=1)
        rows = [[0, 0] for _ in range(len(AGE_LIMITS) + 1)]
        for case in self.cases:
            if not _inside(case, unit) or case.received_on >= on:
                continue
            undecided = case.decided_on is None or case.decided_on >= on
            running = [s for s in self.stages.get(case.id, [])
                       if s.started_on < on and (s.ended_on is None or s.ended_on >= on)]
            if not undecided and not running:
                continue
            bucket = sum((last - case.received_on).days > limit for limit in AGE_LIMITS)
            rows[bucket][0] += 1
            rows[bucket][1] += any(due < last for due in _running_dues(case, running, on, undecided))
        return [tuple(row) for row in rows]


def _running_dues(case: Case, running: list[CaseStage], on: date, undecided: bool) -> list[date]:
    """The limit of the clock running at ``on``: registration while undecided, else the open stage's; the
    extended handling limit counts only from the day the extension was approved."""
    if undecided:
        return [case.register_due]
    extended = case.extended_on is not None and case.extended_on < on
    return [case.conclude_due if stage.kind == StageKind.handling and extended else stage.due_on
            for stage in running]


def _inside(row, unit: OrgUnit) -> bool:
    return getattr(row, f"{unit.level.value}_id") == unit.id


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


# --- what the dashboard and the PDF show ---------------------------------------------------------------------

def _number(text: str) -> float | None:
    text = text.strip().rstrip("*")       # "*": a median shown but not ranked (fewer than five matters)
    return None if text == "—" else float(text.replace(",", "").rstrip("%"))


def _differs(key: str, expected: Figure, shown_text: str) -> bool:
    shown = _number(shown_text)
    if expected.value is None or shown is None:
        return not (expected.value is None and shown is None)
    wanted = 100 * expected.value if key in RATES else expected.value
    return abs(shown - wanted) > 0.05 + 1e-9      # shown with at most one decimal: half a tenth is rounding


def _page(client, unit: OrgUnit, year: int, month: int):
    response = client.get(f"/reports/dashboard?unit={unit.id}&month={year:04d}-{month:02d}",
                          headers={"Accept-Language": "en"})
    assert response.status_code == 200, f"dashboard {unit.name} {year}-{month:02d}: {response.status_code}"
    return tinyhtml5.parse(response.get_data(as_text=True), namespace_html_elements=False)


def _tile(page, key: str) -> tuple[str, str]:
    """A measure tile's value and its parts ("9 / 10" for a rate)."""
    tile = page.find(f".//li[@data-measure='{key}']")
    assert tile is not None, f"the dashboard shows no tile for {key}"
    parts = tile.find(".//span[@class='measure-parts muted']")
    return ("".join(tile.find(f".//span[@data-testid='value-{key}']").itertext()),
            " ".join("".join(parts.itertext()).split()) if parts is not None else "")


def _table(page, key: str) -> dict[str, dict[str, str]]:
    """A dashboard table as {first cell: {column title: cell text}}."""
    section = page.find(f".//section[@data-testid='table-{key}']")
    titles = ["".join(th.itertext()).strip() for th in section.iter("th")]
    return {cells[0]: dict(zip(titles, cells)) for cells in (
        ["".join(td.itertext()).strip() for td in tr.iter("td")] for tr in section.find(".//tbody").iter("tr"))}


def _pdf_text(unit: OrgUnit, year: int, month: int, tmp_path) -> str:
    from reports.summary.services import render_monthly_summary   # imported here: desk's modules load first
    path = tmp_path / f"summary-{unit.id}-{year}-{month}.pdf"
    path.write_bytes(render_monthly_summary(unit=unit, year=year, month=month, locale="zh_Hans"))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _pdf_measure(text: str, key: str) -> tuple[str, str]:
    """The value in a measure's row of the measures table (after the cover page) and the line below it."""
    lines = text.split("\f", 1)[1].splitlines()
    pattern = re.compile(rf"(?<!\S){re.escape(PDF_LABELS[key])}\d*\s+(\S+)")     # the label, its footnote, the value
    for i, line in enumerate(lines):
        if match := pattern.search(line):
            return match.group(1), lines[i + 1].strip() if i + 1 < len(lines) else ""
    raise AssertionError(f"the PDF has no row labelled {PDF_LABELS[key]} ({key})")


def _pdf_backlog(text: str) -> list[tuple[int, int]]:
    """The two rows under the age columns (0-15 … 90+): still open, and of which overdue."""
    lines = text.splitlines()
    head = next(i for i, line in enumerate(lines) if "0-15" in line and "90+" in line)
    still_open, overdue = [[int(n) for n in re.findall(r"\d+", line)[-5:]] for line in lines[head + 1:]
                           if line.strip()][:2]
    return list(zip(still_open, overdue))


def _pdf_by_area(text: str, name: str) -> dict[str, int]:
    """An area's row of the by-area table: its name, then visits, new, accepted and concluded matters."""
    cells = next(cells for cells in map(str.split, text.splitlines())
                 if cells[:1] == [name] and len(cells) > 4 and cells[1].isdigit())
    return dict(zip(AREA_COLUMNS.values(), (int(c) for c in cells[1:5])))


# --- the tests -----------------------------------------------------------------------------------------------

@pytest.fixture
def demo(app, clock):
    """The small demo as of 10:00 on 3 December 2026: the city and its demo county (台山市), each with the
    client of an official of it."""
    clock("2026-12-03 10:00")
    load_demo(size="small", seed=7)
    city = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.level == Level.city))
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
    clients = {name: app.test_client() for name in ("official", "cityofficial")}
    for name, client in clients.items():
        assert client.post("/login", data={"username": name, "password": DEMO_PASSWORD}).status_code == 302, name
    return [(county, clients["official"]), (city, clients["cityofficial"])]


class Problems(list):
    """Every disagreement found, each naming the figure, the scope, the recount and what is shown."""

    def figure(self, key: str, where: str, expected: Figure, shown: str):
        if _differs(key, expected, shown):
            self.append(f"{key}, {where}: recount {expected.value!r}, shown {shown!r}")

    def same(self, what: str, expected, shown):
        if expected != shown:
            self.append(f"{what}: recount {expected!r}, shown {shown!r}")


def _check_page(problems: Problems, page, recount: Recount, unit: OrgUnit, year: int, month: int):
    """The tiles, the by-area table and the backlog of one month's dashboard."""
    where = f"{unit.name} {year}-{month:02d}, dashboard"
    for key, figure in recount.measures(unit, year, month).items():
        value, parts = _tile(page, key)
        problems.figure(key, where, figure, value)
        if key in RATES:
            problems.same(f"{key} parts, {where}", f"{figure.numerator:,} / {figure.denominator:,}", parts)
    by_area = _table(page, "by_town")
    for name, counts in recount.by_area(unit, year, month).items():
        problems.same(f"by area {name}, {where}", counts,
                      {key: int(_number(by_area[name][title])) for title, key in AREA_COLUMNS.items()})
    problems.same(f"backlog (open, overdue) by age, {where}", recount.backlog(unit, _month(year, month)[1]),
                  [(int(r["Still open"]), int(r["Of which overdue"])) for r in _table(page, "backlog").values()])


def _check_trend(problems: Problems, page, recount: Recount, unit: OrgUnit):
    """The twelve-month trend table (its months are counted by the day, apart from the single-month figures)."""
    for label, row in _table(page, "trend").items():
        figures = recount.measures(unit, int(label[:4]), int(label[5:]))
        for title, key in TREND_COLUMNS.items():
            problems.figure(key, f"{unit.name} {label}, dashboard trend", figures[key], row[title])


def _check_pdf(problems: Problems, text: str, recount: Recount, unit: OrgUnit, year: int, month: int):
    """The measures table, the by-area table and the backlog row of the monthly PDF."""
    where = f"{unit.name} {year}-{month:02d}, PDF"
    for key, figure in recount.measures(unit, year, month).items():
        value, below = _pdf_measure(text, key)
        problems.figure(key, where, figure, value)
        if key in RATES:
            shown = re.match(r"\s*(\d+)\s*/\s*(\d+)", below)
            problems.same(f"{key} parts, {where}", (figure.numerator, figure.denominator),
                          tuple(map(int, shown.groups())) if shown else below)
    for name, counts in recount.by_area(unit, year, month).items():
        problems.same(f"by area {name}, {where}", counts, _pdf_by_area(text, name))
    problems.same(f"backlog (open, overdue) by age, {where}", recount.backlog(unit, _month(year, month)[1]),
                  _pdf_backlog(text))


def test_dashboard_and_pdf_agree_with_a_recount_from_the_raw_tables(demo, tmp_path):
    """Each of the last twelve months on the dashboard, the twelve-month trend, and November's PDF, for the demo
    county and the city."""
    recount, problems = Recount(), Problems()
    for unit, client in demo:
        assert recount.measures(unit, 2026, 11)["concluded"].value >= 10, f"{unit.name}: too few matters to check"
        for year, month in MONTHS:
            page = _page(client, unit, year, month)
            _check_page(problems, page, recount, unit, year, month)
            if (year, month) == (2026, 11):
                _check_trend(problems, page, recount, unit)
                _check_pdf(problems, _pdf_text(unit, year, month, tmp_path), recount, unit, year, month)
    assert not problems, "the dashboard or the PDF disagrees with the recount:\n" + "\n".join(problems)

