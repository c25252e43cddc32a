"""The dashboard's risk early warning panel against a hand-counted October: per kind, raised in the month and of
them yellow / orange / red by the level reached by the month's end, acknowledged and closed in the month, open at
its end and not acknowledged then — all rebuilt from dated history (a warning closed, or raised to red, in
November still counts as open, or orange, in October). Every figure equals its drill-down; the page, the level
badges, the drill-down's rows and the exports."""
import csv
import io
import re
from datetime import date

import openpyxl
import pytest

from desk.extensions import db
from desk.models import Role
from intake.risk.models import RiskKind, RiskLevel, RiskWarning
from intake.risk.services import Signal, acknowledge_warning, close_warning, raise_or_attach
from reports.dashboard import drill, measures
from tests.factories import make_case, make_user

FIGURES = ("raised", "yellow", "orange", "red", "acknowledged", "closed", "open_at_end", "unacknowledged_at_end")
OCT_START, OCT_END = date(2026, 10, 1), date(2026, 11, 1)
# Hand-counted for 台山市, October 2026 (see the fixture): kind -> FIGURES.
EXPECTED = {
    "group_visit": (1, 1, 0, 0, 1, 1, 1, 0),
    "same_matter": (1, 1, 0, 0, 1, 1, 0, 0),
    "frequent": (1, 0, 1, 0, 0, 0, 1, 1),
    "after_rereview": (0, 0, 0, 0, 0, 0, 0, 0),
    "spike": (0, 0, 0, 0, 0, 0, 0, 0),
    "extreme_words": (1, 0, 0, 1, 0, 0, 1, 1),
}
TOTAL = (4, 2, 1, 1, 2, 2, 3, 2)


class History:
    """Warnings raised, raised in level, acknowledged and closed through the services, each at its moment."""

    def __init__(self, world, clock):
        self.world, self.clock = world, clock
        self.official = make_user(world, Role.official, unit=world.county)

    def raise_(self, when, kind, level, *, unit=None, subject=None, case=None, place=None):
        self.clock(when)
        case = case or make_case(self.world, unit=unit or self.world.village)
        visit = case.visits[0]
        day = date.fromisoformat(when[:10])
        signal = Signal(kind, subject or f"v{visit.id}", {f"v{visit.id}": (case.id, visit.id)}, 6, 5, level, day,
                        day, place or case, case_id=None if place is not None else case.id)
        warning = raise_or_attach(signal)
        db.session.flush()
        return warning

    def acknowledge(self, when, warning):
        self.clock(when)
        acknowledge_warning(warning=warning, actor=self.official, note="已安排镇领导接访")

    def close(self, when, warning):
        self.clock(when)
        close_warning(warning=warning, actor=self.official, outcome="defused", note="已化解")


@pytest.fixture
def october(world, clock):
    return build_october(world, clock)


def build_october(world, clock) -> dict:
    """The warnings of the hand-counted October, by name:

    W1 group visit: raised 25 Sep, acknowledged 28 Sep, closed 5 Oct (open at the start, closed in October).
    W2 group visit, yellow: raised 3 Oct, acknowledged 4 Oct, open at the end.
    W3 frequent: yellow on 10 Oct, orange on 20 Oct, red on 3 Nov; acknowledged 2 Nov, closed 5 Nov — in
       October it was orange, unacknowledged and open at the end.
    W4 words, red, in 大江镇: raised 31 Oct 23:30 (Beijing time: still October).
    W5 spike of 台城街道 (no case): raised 1 Nov 00:10 (Beijing time: November, though still 31 Oct in UTC).
    W6 group visit in 开平市: never 台山's.
    W7 same matter: raised 12 Oct, acknowledged 13 Oct, closed 14 Oct."""
    h = History(world, clock)
    w1 = h.raise_("2026-09-25 09:00", RiskKind.group_visit, RiskLevel.yellow)
    h.acknowledge("2026-09-28 09:00", w1)
    h.close("2026-10-05 09:00", w1)
    w2 = h.raise_("2026-10-03 09:00", RiskKind.group_visit, RiskLevel.yellow)
    h.acknowledge("2026-10-04 09:00", w2)
    w3 = h.raise_("2026-10-10 09:00", RiskKind.frequent, RiskLevel.yellow, subject="p-hand-made")
    assert h.raise_("2026-10-20 09:00", RiskKind.frequent, RiskLevel.orange, subject="p-hand-made") == w3  # rises
    h.acknowledge("2026-11-02 09:00", w3)
    assert h.raise_("2026-11-03 09:00", RiskKind.frequent, RiskLevel.red, subject="p-hand-made") == w3
    h.close("2026-11-05 09:00", w3)
    w4 = h.raise_("2026-10-31 23:30", RiskKind.extreme_words, RiskLevel.red, unit=world.other_town)
    w5 = h.raise_("2026-11-01 00:10", RiskKind.spike, RiskLevel.yellow, place=world.town,
                  subject=f"t{world.town.id}:k{world.category.id}:2026-11-01")
    w6 = h.raise_("2026-10-15 09:00", RiskKind.group_visit, RiskLevel.yellow, unit=world.far_village)
    w7 = h.raise_("2026-10-12 09:00", RiskKind.same_matter, RiskLevel.yellow)
    h.acknowledge("2026-10-13 09:00", w7)
    h.close("2026-10-14 09:00", w7)
    db.session.commit()
    clock("2026-11-20 10:00")
    assert w3.level == RiskLevel.red and w3.closed_at is not None      # today's status is not October's
    return {"w1": w1, "w2": w2, "w3": w3, "w4": w4, "w5": w5, "w6": w6, "w7": w7}


def _rows(report) -> dict:
    risk = report["risk"]
    return {**{row["kind"]: tuple(row[f] for f in FIGURES) for row in risk["kinds"]},
            "total": tuple(risk["total"][f] for f in FIGURES)}


def _listed(key, unit, start=OCT_START, end=OCT_END) -> set[int]:
    return set(db.session.scalars(drill.drill_down(measure_key=key, unit=unit, start=start, end=end)))


def test_the_hand_counted_october_from_dated_history(october, world):
    rows = _rows(measures.month_report(unit=world.county, year=2026, month=10, parts={"risk"}))
    assert rows == {**EXPECTED, "total": TOTAL}
    # open at the end = open at the start + raised − closed (W1 was open on 1 October)
    assert TOTAL[FIGURES.index("open_at_end")] == 1 + TOTAL[0] - TOTAL[FIGURES.index("closed")]
    town = _rows(measures.month_report(unit=world.town, year=2026, month=10, parts={"risk"}))
    assert town["extreme_words"] == (0,) * 8 and town["total"][0] == 3           # W4 is 大江镇's
    city = _rows(measures.month_report(unit=world.city, year=2026, month=10, parts={"risk"}))
    assert city["group_visit"][0] == 2 and city["total"][0] == 5                 # and W6, 开平市's
    november = _rows(measures.month_report(unit=world.county, year=2026, month=11, parts={"risk"}))
    assert november["spike"] == (1, 1, 0, 0, 0, 0, 1, 1)                          # W5 counts in November
    assert november["frequent"] == (0, 0, 0, 0, 1, 1, 0, 0)                       # W3: acknowledged and closed


def test_every_risk_figure_lists_exactly_its_warnings(october, world):
    w = october
    report = measures.month_report(unit=world.county, year=2026, month=10, parts={"risk"})
    for row in report["risk"]["kinds"] + [dict(report["risk"]["total"], kind=None)]:
        for figure in FIGURES:
            key = f"risk_{row['kind']}_{figure}" if row["kind"] else f"risk_{figure}"
            assert drill.record_kind(key) == "warning"
            assert len(_listed(key, world.county)) == row[figure], (key, row[figure])
    assert _listed("risk_frequent_orange", world.county) == {w["w3"].id}
    assert _listed("risk_frequent_red", world.county) == set()
    assert _listed("risk_closed", world.county) == {w["w1"].id, w["w7"].id}
    assert _listed("risk_open_at_end", world.county) == {w["w2"].id, w["w3"].id, w["w4"].id}
    assert _listed("risk_unacknowledged_at_end", world.county) == {w["w3"].id, w["w4"].id}
    assert _listed("risk_raised", world.county, date(2026, 11, 1), date(2026, 12, 1)) == {w["w5"].id}
    with pytest.raises(KeyError):
        drill.drill_down(measure_key="risk_raised", unit=world.county, start=OCT_START, end=OCT_END,
                         category_id=world.category.id)


def test_the_panel_on_the_dashboard_with_badges_and_links(october, world, login_as):
    official = login_as(Role.official)
    page = official.get(f"/reports/dashboard?unit={world.county.id}&month=2026-10").get_data(as_text=True)
    panel = page[page.index('data-testid="table-risk"'):]
    panel = panel[:panel.index("</section>")]
    for level, word in (("yellow", "黄色"), ("orange", "橙色"), ("red", "红色")):
        assert f'<span class="level {level}">{word}</span>' in panel
    rows = re.findall(r"<tr><td[^>]*>([^<]+)</td>(.*?)</tr>", panel, re.S)
    shown = {name.strip(): [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                                          cells, re.S)]
             for name, cells in rows}
    assert shown["同一人频繁来访"] == ["1", "0", "1", "0", "0", "0", "1", "1"]
    assert shown["合计"] == [str(n) for n in TOTAL]
    assert "measure=risk_frequent_orange" in panel and "measure=risk_open_at_end" in panel
    assert "measure=risk_spike_raised" not in panel                  # a zero links nowhere
    assert 'data-testid="risk-as-of"' not in page                    # October is over
    assert re.search(r'id="def-risk"><strong>风险预警</strong>', page)
    current = official.get(f"/reports/dashboard?unit={world.county.id}&month=2026-11").get_data(as_text=True)
    assert 'data-testid="risk-as-of"' in current and "2026-11-20 10:00" in current


def test_the_drill_down_lists_the_warnings_with_their_level_then(october, world, login_as):
    official = login_as(Role.official)
    page = official.get(f"/reports/dashboard/cases?unit={world.county.id}&month=2026-10"
                        f"&measure=risk_unacknowledged_at_end").get_data(as_text=True)
    assert re.search(r'data-kind="warning" data-testid="drill-total">共 2 条风险预警<', page)
    assert re.search(r"<h1>风险预警", page) and "预警编号" in page               # not "cases"
    rows = re.findall(r'<tr data-testid="warning-row">(.*?)</tr>', page, re.S)
    assert len(rows) == 2
    w3 = next(r for r in rows if october["w3"].number in r)
    assert '<span class="level orange">橙色</span>' in w3 and "现为红色" in w3      # orange then, red now
    assert f'/intake/risk/warnings/{october["w3"].id}' in w3 and october["w3"].case.reference in w3
    november = official.get(f"/reports/dashboard/cases?unit={world.county.id}&month=2026-11"
                            f"&measure=risk_spike_raised").get_data(as_text=True)
    [spike] = re.findall(r'<tr data-testid="warning-row">(.*?)</tr>', november, re.S)
    assert october["w5"].number in spike and "台城街道" in spike                    # no case: its own place
    assert official.get(f"/reports/dashboard/cases?unit={world.county.id}&month=2026-10"
                        f"&measure=risk_nonsense_raised").status_code == 404
    outsider = login_as(Role.official, unit=world.other_county)
    assert outsider.get(f"/reports/dashboard/cases?unit={world.county.id}&month=2026-10"
                        f"&measure=risk_raised").status_code == 404


def test_the_exports_hold_the_same_figures(october, world, login_as):
    official = login_as(Role.official)
    args = f"unit={world.county.id}&month=2026-10&table=risk"
    response = official.get(f"/reports/dashboard/export?{args}&fmt=csv")
    assert response.status_code == 200 and 'filename="risk-440781-2026-10.csv"' in response.headers[
        "Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert lines[0][:5] == ["预警类型", "发出预警", "黄色", "橙色", "红色"]
    assert lines[-1] == ["合计", *map(str, TOTAL)]
    book = openpyxl.load_workbook(io.BytesIO(official.get(f"/reports/dashboard/export?{args}&fmt=xlsx").data))
    sheet = book.active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert ("同一人频繁来访", *EXPECTED["frequent"]) in values
    assert any(row[0] and str(row[0]).startswith("风险预警:") for row in values)    # the definition under it


def test_warnings_without_a_level_rise_audit_count_at_their_level(october, world):
    """A warning entered without its audit rows (by hand, or before the audit existed) counts at its level."""
    case = make_case(world)
    db.session.add(RiskWarning(key="hand:1", kind=RiskKind.group_visit, subject="hand", level=RiskLevel.red,
                               window_start=date(2026, 10, 9), window_end=date(2026, 10, 9),
                               raised_at=october["w2"].raised_at, case_id=case.id, city_id=world.city.id,
                               county_id=world.county.id, town_id=world.town.id))
    db.session.commit()
    rows = _rows(measures.month_report(unit=world.county, year=2026, month=10, parts={"risk"}))
    assert rows["group_visit"][:4] == (2, 1, 0, 1)
