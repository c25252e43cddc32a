"""Every figure equals its drill-down: on the demo, for a county-month and the city, each measure of the
measures module (the headline tiles, the rows of every table that links) counts exactly the records its
drill-down lists — cases for case figures, visits for visit figures, queue tickets for the wait."""
import re

import pytest
import sqlalchemy as sa

from desk.demo.seed import DEMO_PASSWORD
from desk.extensions import db
from desk.models import Department, Level, OrgUnit, Ticket
from reports.dashboard import drill, measures as M
from reports.dashboard.outreach_measures import DRILLABLE
from tests.demo_snapshots import load_demo

RISK_FIGURES = ("raised", "yellow", "orange", "red", "acknowledged", "closed", "open_at_end", "unacknowledged_at_end")
# Counted from people served (a service record holds several people), not from records a list can show.
NOT_DRILLED = {"outreach_satisfaction"}


@pytest.fixture
def demo(app, clock):
    clock("2026-12-03 10:00")
    load_demo(size="small", seed=7)
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
    city = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.level == Level.city))
    return county, city


def _count(key, unit, start, end, part="numerator", **narrow) -> int:
    stmt = drill.drill_down(measure_key=key, unit=unit, start=start, end=end, part=part, **narrow)
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))


def _check_measure(m, unit, start, end, where, **narrow):
    """A count is its list's length; a rate's numerator and denominator are theirs; a median's n is its list's."""
    if m.kind == "rate":
        parts = [("numerator", m.numerator), ("denominator", m.denominator)]
    elif m.kind in ("days", "minutes"):
        parts = [("numerator", m.denominator)]
    else:
        parts = [("numerator", m.value)]
    for part, figure in parts:
        listed = _count(m.key, unit, start, end, part, **narrow)
        assert listed == (figure or 0), f"{where} {m.key} {part}: figure {figure}, drill-down lists {listed}"


def _check_report(unit, year, month) -> int:
    report = M.month_report(unit=unit, year=year, month=month)
    start, end, checked = report["start"], report["end"], 0
    for change in report["measures"] + report["outreach_measures"]:
        if change.measure.key in NOT_DRILLED:
            assert change.measure.key not in DRILLABLE
            continue
        _check_measure(change.measure, unit, start, end, f"{unit.name} {year}-{month}")
        checked += 1
    for row in report["by_town"]:
        child = db.session.get(OrgUnit, row["unit_id"])
        for m in M.summary(unit=child, start=start, end=end):
            if m.key != "median_wait":                 # the by-area rows do not show the wait
                assert row[m.key] == m.value, (child.name, m.key)
            _check_measure(m, child, start, end, child.name)
            checked += 1
    for row in report["by_category"]:
        for key in ("new_cases", "accepted", "concluded"):
            assert _count(key, unit, start, end, category_id=row["category_id"]) == row[key], (row["name"], key)
            checked += 1
    for row in report["top_issues"]:
        assert _count("new_cases", unit, start, end, category_id=row["category_id"]) == row["new_cases"]
        checked += 1
    for row in report["backlog"]:
        for key in ("open", "overdue"):
            measure = "backlog" if key == "open" else "overdue"
            assert _count(measure, unit, start, end, age_bucket=row["index"]) == row[key], (row["bucket"], key)
            checked += 1
    assert _count("overdue", unit, start, end) == sum(r["overdue"] for r in report["backlog"])
    for row in report["routes"]:
        assert _count(f"route_{row['route']}", unit, start, end) == row["total"], row["route"]
        checked += 1
    for row in report["channels"]:
        for key in ("visits", "new_cases", "concluded"):
            assert _count(f"channel_{row['channel']}_{key}", unit, start, end) == row[key], (row["channel"], key)
            checked += 1
    assert sum(r["visits"] for r in report["channels"]) == _count("visits", unit, start, end)
    grid = report["grid_events"]
    assert grid["total"]["reported"] > 0, "the demo has grid events in every month"
    for row in grid["areas"] + [dict(grid["total"], unit_id=unit.id, name=unit.name)]:
        area = db.session.get(OrgUnit, row["unit_id"])
        for key in ("reported", "closed", "handled", "on_time"):
            assert _count(f"grid_{key}", area, start, end) == row[key], (row["name"], key)
            checked += 1
        assert _count("grid_closure_rate", area, start, end, "denominator") == row["reported"]
        assert _count("grid_on_time_rate", area, start, end, "denominator") == row["handled"]
    assert sum(r["reported"] for r in grid["areas"]) == grid["total"]["reported"]
    assert sum(r["new_cases"] for r in report["channels"]) == _count("new_cases", unit, start, end)
    risk = report["risk"]
    assert risk["total"]["open_at_end"] > 0, "the demo has risk warnings open at the end of every month"
    for row in risk["kinds"] + [dict(risk["total"], kind=None)]:
        for key in RISK_FIGURES:
            measure = f"risk_{row['kind']}_{key}" if row["kind"] else f"risk_{key}"
            assert _count(measure, unit, start, end) == row[key], (row["kind"], key)
            checked += 1
    order_keys = ("issued", "signed_on_time", "fed_back_on_time", "returned", "verified", "overdue_at_end")
    for key in order_keys:
        assert _count(f"orders_{key}", unit, start, end) == report["order_totals"][key], ("orders", key)
        checked += 1
    for row in report["orders_by_department"]:
        for key in order_keys:
            listed = _count(f"orders_{key}", unit, start, end, department_id=row["department_id"])
            assert listed == row[key], (row["department"], key)
            checked += 1
    for row in report["trend"]:
        for key in ("visits", "new_cases", "concluded"):
            assert _count(key, unit, row["start"], row["end"]) == row[key], (row["month"], key)
            checked += 1
    return checked


def test_every_figure_of_a_demo_county_month_and_the_city_equals_its_drill_down(demo, app):
    county, city = demo
    checked = _check_report(county, 2026, 11) + _check_report(city, 2026, 10)
    assert checked > 300
    # the page says what it lists: the visits figure lists visits (a repeat visit is a row of its own)
    visits = next(c.measure for c in M.summary_with_change(unit=county, year=2026, month=11)
                  if c.measure.key == "visits")
    repeats = next(c.measure for c in M.summary_with_change(unit=county, year=2026, month=11)
                   if c.measure.key == "repeat_rate")
    assert repeats.numerator > 0, "the demo month has repeat visits"
    client = app.test_client()
    client.post("/login", data={"username": "official", "password": DEMO_PASSWORD})
    page = client.get(f"/reports/dashboard/cases?unit={county.id}&month=2026-11&measure=visits").get_data(as_text=True)
    total = re.search(r'data-kind="visit" data-testid="drill-total">([^<]*)<', page).group(1)
    assert int(re.sub(r"\D", "", total)) == visits.value
    assert "次来访" in total
    # an order figure lists orders; a department of another county is not there to narrow to
    order = M.month_report(unit=county, year=2026, month=11, parts={"orders"})["orders_by_department"][0]
    page = client.get(f"/reports/dashboard/cases?unit={county.id}&month=2026-11&measure=orders_issued"
                      f"&department={order['department_id']}").get_data(as_text=True)
    assert re.search(r'data-kind="order" data-testid="drill-total">共 (\d+) 条派单指令<', page).group(1) == \
        str(order["issued"])
    far = db.session.scalar(sa.select(Department.id).where(Department.county_id != county.id))
    assert client.get(f"/reports/dashboard/cases?unit={county.id}&month=2026-11&measure=orders_issued"
                      f"&department={far}").status_code == 404
    assert client.get(f"/reports/dashboard/cases?unit={county.id}&month=2026-11&measure=visits"
                      f"&department={order['department_id']}").status_code == 404
    # a grid figure lists grid events, each linking to its event page; the dashboard shows the table
    grid = M.month_report(unit=county, year=2026, month=11, parts={"grid_events"})["grid_events"]
    town = grid["areas"][0]
    page = client.get(f"/reports/dashboard/cases?unit={town['unit_id']}&month=2026-11&measure=grid_closed"
                      ).get_data(as_text=True)
    total = re.search(r'data-kind="event" data-testid="drill-total">([^<]*)<', page).group(1)
    assert int(re.sub(r"\D", "", total)) == town["closed"]
    dashboard = client.get(f"/reports/dashboard?unit={county.id}&month=2026-11").get_data(as_text=True)
    assert 'data-testid="table-grid_events"' in dashboard and 'data-testid="table-channels"' in dashboard
    assert "measure=grid_on_time_rate" in dashboard and "measure=channel_walk_in_visits" in dashboard
    # and no demo wait is negative (a ticket is called after it was taken)
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Ticket).where(
        Ticket.called_at < Ticket.arrived_at))
