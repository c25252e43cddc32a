"""The officials' dashboard: who may open it, the figures it shows, drill-down, exports and charts."""
import csv
import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from desk.extensions import db
from desk.models import CaseStatus, Role
from reports.dashboard import charts, measures
from tests.reports.dashboard.test_measures import OCT, _case, october  # noqa: F401  (the hand-counted fixture)

S = CaseStatus
ARGS = "month=2026-10"


@pytest.fixture
def official(login_as, world):
    return login_as(Role.official, unit=world.county)


def test_dashboard_shows_the_measures_with_footnotes_and_charts(official, world, october):
    response = official.get(f"/reports/dashboard?{ARGS}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'data-testid="value-new_cases">\s*<a [^>]*>5</a>', html)
    assert re.search(r'data-testid="value-closure_rate">\s*<a [^>]*>133\.3%</a>', html)
    assert re.search(r'data-testid="value-on_time_reply">\s*<a [^>]*>50\.0%</a>', html)
    assert 'data-testid="footnotes"' in html and 'id="def-closure_rate"' in html
    for chart in ("category-mix", "trend", "by-town"):
        assert re.search(rf'<img src="data:image/svg\+xml;base64,[^"]+" alt="[^"]*" data-testid="chart-{chart}"', html)
    assert "/reports/dashboard/cases?" in html and "measure=new_cases" in html
    assert world.other_county.name not in html                     # not in the selector, not in the tables


def test_empty_month_shows_a_dash_not_an_error(official, october):
    html = official.get("/reports/dashboard?month=2026-03").get_data(as_text=True)
    assert re.search(r'data-testid="value-closure_rate">—<', html)
    assert re.search(r'data-testid="value-median_days">—<', html)


def test_default_is_last_full_month_and_users_unit(official, world):
    html = official.get("/reports/dashboard").get_data(as_text=True)
    assert world.county.name in html and 'name="month"' in html


def test_wrong_role_out_of_scope_and_bad_input(login_as, official, world, october):
    assert login_as(Role.receptionist).get("/reports/dashboard").status_code == 403
    assert login_as(Role.talent).get(f"/reports/dashboard/export?table=by_town&fmt=csv&{ARGS}").status_code == 403
    assert official.get(f"/reports/dashboard?unit={world.other_county.id}").status_code == 404
    assert official.get(f"/reports/dashboard?unit={world.city.id}").status_code == 404
    assert official.get(f"/reports/dashboard?unit={world.town.id}&{ARGS}").status_code == 200
    assert official.get("/reports/dashboard?month=2026-13").status_code == 400
    assert official.get("/reports/dashboard?month=0001-01").status_code == 400
    assert official.get("/reports/dashboard/export?table=trend&fmt=csv&month=9999-12").status_code == 400
    assert official.get("/reports/dashboard?unit=&month=").status_code == 200
    assert official.get("/reports/dashboard?unit=abc").status_code == 400
    assert official.get(f"/reports/dashboard/cases?measure=nonsense&{ARGS}").status_code == 404
    assert official.get(f"/reports/dashboard/cases?measure=visits&part=denominator&{ARGS}").status_code == 404
    assert official.get(f"/reports/dashboard/cases?measure=backlog&bucket=x&{ARGS}").status_code == 400
    assert official.get(f"/reports/dashboard/cases?measure=new_cases&unit={world.other_county.id}").status_code == 404
    assert official.get(f"/reports/dashboard/export?table=nope&fmt=csv&{ARGS}").status_code == 404
    assert official.get(f"/reports/dashboard/export?table=by_town&fmt=pdf&{ARGS}").status_code == 400
    city_official = login_as(Role.official, unit=world.city)
    assert city_official.get(f"/reports/dashboard?unit={world.other_county.id}&{ARGS}").status_code == 200


def test_commander_sees_the_towns_dashboard(login_as, world, october):
    commander = login_as(Role.commander, unit=world.town)
    html = commander.get(f"/reports/dashboard?{ARGS}").get_data(as_text=True)
    assert re.search(r'data-testid="value-new_cases">\s*<a [^>]*>4</a>', html)
    assert commander.get(f"/reports/dashboard?unit={world.county.id}").status_code == 404


def test_drill_down_lists_the_counted_cases_with_names_masked(official, world, october):
    response = official.get(f"/reports/dashboard/cases?measure=closure_rate&part=denominator&{ARGS}"
                            f"&unit={world.county.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = set(re.findall(r'href="/intake/cases/(\d+)"', html))
    assert shown == {str(october[x].id) for x in "ABC"}
    assert "陈大文" not in html and "陈**" in html
    backlog = official.get(f"/reports/dashboard/cases?measure=backlog&bucket=4&{ARGS}").get_data(as_text=True)
    assert set(re.findall(r'href="/intake/cases/(\d+)"', backlog)) == {str(october["J"].id), str(october["K"].id)}
    town = official.get(f"/reports/dashboard/cases?measure=new_cases&unit={world.other_town.id}&{ARGS}")
    assert set(re.findall(r'href="/intake/cases/(\d+)"', town.get_data(as_text=True))) == {str(october["G"].id)}


def _csv(response):
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def test_exports_carry_the_screens_numbers(official, world, october):
    rows = _csv(official.get(f"/reports/dashboard/export?table=by_town&fmt=csv&{ARGS}"))
    header, body = rows[0], {r[0]: r for r in rows[1:]}
    town = body[world.town.name]
    expected = {r["name"]: r for r in measures.by_town(unit=world.county, start=OCT[0], end=OCT[1])}[world.town.name]
    assert int(town[header.index(_title(official, "New cases"))]) == expected["new_cases"] == 4
    response = official.get(f"/reports/dashboard/export?table=measures&fmt=xlsx&{ARGS}")
    assert response.status_code == 200 and "spreadsheetml" in response.mimetype
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    summary = measures.summary(unit=world.county, start=OCT[0], end=OCT[1])
    for measure, row in zip(summary, values):
        assert row[0] == str(measure.title)
        if measure.value is None:
            assert row[1] is None
        else:
            assert row[1] == pytest.approx(measure.value, abs=1e-4), measure.key
    closure = next(row for row, m in zip(values, summary) if m.key == "closure_rate")
    assert (closure[2], closure[3]) == (4, 3)
    assert sheet.cell(row=3 + [m.key for m in summary].index("closure_rate"), column=2).number_format == "0.0%"


def _title(client, english):
    """Column titles follow the reader's language; the tests read them in Simplified Chinese."""
    from flask_babel import force_locale, gettext
    with force_locale("zh_Hans"):
        return gettext(english)


def test_exports_hold_no_personal_data(official, october):
    for table in ("overdue", "by_town", "by_category", "backlog", "top_issues", "trend", "measures"):
        for fmt in ("csv", "xlsx"):
            response = official.get(f"/reports/dashboard/export?table={table}&fmt={fmt}&{ARGS}")
            assert response.status_code == 200, (table, fmt)
            text = response.get_data(as_text=True) if fmt == "csv" else _xlsx_text(response.data)
            assert "陈大文" not in text
    overdue = _csv(official.get(f"/reports/dashboard/export?table=overdue&fmt=csv&{ARGS}"))
    assert [row[0] for row in overdue[1:]] == [october["J"].reference, october["K"].reference]


def _xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def test_the_page_makes_the_same_number_of_queries_for_more_data(app, official, world, october):
    """No N+1: twenty more overdue matters (each drawn in the overdue table) add no queries."""
    def count_queries():
        counter = {"n": 0}

        def before(*_args):
            counter["n"] += 1
        sa.event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert official.get(f"/reports/dashboard?{ARGS}").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", before)
        return counter["n"]
    first = count_queries()
    for n in range(20):
        received = date(2026, 5, 1) + timedelta(days=n)
        _case(world, unit=world.other_town if n % 2 else world.village, received=received,
              register_due=received + timedelta(days=15), decided=received + timedelta(days=1), accepted=True,
              conclude_due=received + timedelta(days=61), status=S.in_progress)
    db.session.commit()
    assert count_queries() == first


def test_charts_are_pygal_svg_with_a_cjk_font(world, october):
    rows = measures.by_category(unit=world.county, start=OCT[0], end=OCT[1])
    for svg in (charts.category_mix_svg(rows), charts.trend_svg(measures.trend(unit=world.county, year=2026,
                                                                                month=10)),
                charts.by_town_svg(measures.by_town(unit=world.county, start=OCT[0], end=OCT[1]))):
        assert svg.startswith("<svg") and 'class="pygal-chart' in svg and "Generated with pygal" in svg
        assert "Noto Sans CJK SC" in svg and "<script" not in svg
    assert world.town.name in charts.by_town_svg(measures.by_town(unit=world.county, start=OCT[0], end=OCT[1]))


def test_a_town_with_one_fast_case_is_shown_but_not_ranked(official, world):
    """One matter concluded on the day it came does not put its town at the top of the by-town table."""
    _case(world, unit=world.other_town, received=date(2026, 10, 9), register_due=date(2026, 10, 24),
          decided=date(2026, 10, 9), accepted=True, conclude_due=date(2026, 12, 8), concluded=date(2026, 10, 9),
          status=S.concluded)
    db.session.commit()
    html = official.get(f"/reports/dashboard?{ARGS}").get_data(as_text=True)
    table = html[html.index('id="table-by_town"'):html.index('id="table-by_category"')]
    assert re.search(r'<td class="num muted"\s+data-unranked title="[^"]+">(<a [^>]*>)?0\.0(</a>)?\*</td>', table)


def test_outreach_and_orders_tables_come_from_their_areas(official, world):
    """Outreach person-times by kind and dispatch orders by department, on screen and in the export."""
    from datetime import datetime

    from outreach.assignments.models import OutreachAssignment, ServiceKind
    from outreach.field.models import ServiceRecord
    from referrals.orders.services import issue_dispatch_order
    from tests.factories import make_user
    from tests.record_factories import _outreach_assignment
    assignment = db.session.get(OutreachAssignment, _outreach_assignment(world))
    record = ServiceRecord(assignment_id=assignment.id, request_id=assignment.request_id,
                           talent_id=assignment.talent_id, kind=ServiceKind.legal, served_on=date(2026, 10, 12),
                           people_served=7)
    record.place_at(world.village)
    db.session.add(record)
    commander = make_user(world, Role.commander, unit=world.town)
    issue_dispatch_order(_case(world, received=date(2026, 10, 9), register_due=date(2026, 10, 24)), actor=commander,
                         department_id=world.department.id, instructions="核查处理", deadline_days=2,
                         now=datetime(2026, 10, 10, 2))
    db.session.commit()
    html = official.get(f"/reports/dashboard?{ARGS}").get_data(as_text=True)
    outreach = html[html.index('id="table-outreach"'):html.index('id="table-orders"')]
    assert str(ServiceKind.legal.title) in outreach and ">7<" in outreach
    orders = _csv(official.get(f"/reports/dashboard/export?table=orders&fmt=csv&{ARGS}"))
    assert len(orders) == 2 and orders[1][0] == world.department.name_zh and orders[1][1] == "1"
    people = _csv(official.get(f"/reports/dashboard/export?table=outreach&fmt=csv&{ARGS}"))
    assert people[1][1:] == ["1", "7"]


def test_the_category_table_has_no_column_it_cannot_fill(world):
    from reports.dashboard import exports
    report = {"by_category": [], "unit": world.county}
    table = exports._by_category_table(report)
    assert "repeat_rate" not in [c.key for c in table.columns] and "visits" not in [c.key for c in table.columns]
    assert "accepted" in [c.key for c in table.columns]


def test_the_dashboard_says_when_figures_that_can_still_change_were_counted(world, login_as, clock):
    clock("2026-12-03 10:00")
    page = login_as(Role.official).get("/reports/dashboard?month=2026-11").get_data(as_text=True)
    assert re.search(r'data-testid="as-of">[^<]*截至 2026-12-03 10:00（北京时间）', page)
    assert 'data-measure="awaiting_rating"' in page
