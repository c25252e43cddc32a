"""Dispatch-order measures against hand-counted fixtures, including an empty period."""
from datetime import date, datetime, timedelta

import pytest

from desk.extensions import db
from desk.models import Role
from referrals.orders import services as orders
from referrals.orders.measures import order_measures, orders_by_department
from tests.factories import make_case, make_user

MON = datetime(2026, 11, 23, 2, 0)      # Monday 10:00 in China
NOW = datetime(2026, 11, 30, 2, 0)


@pytest.fixture
def fixtures(world):
    """A: on time, verified, rated 5/4/3; B: signed late, fed back late, returned once, verified, rated 2/2/2;
    C: never signed (overdue now); D: housing, signed, not due yet; E: another town, October; F: other county."""
    commander = make_user(world, Role.commander, unit=world.town)
    county_commander = make_user(world, Role.commander, unit=world.county)
    hrss = make_user(world, Role.department_officer, department=world.department)
    housing = make_user(world, Role.department_officer, department=world.other_department)

    def issue(department, days=2, at=MON, unit=None, by=commander):
        return orders.issue_dispatch_order(make_case(world, unit=unit), actor=by, department_id=department.id,
                                           instructions="核查并处理", deadline_days=days, now=at)

    a = issue(world.department)
    orders.sign_order(a, actor=hrss, now=MON + timedelta(hours=1))
    orders.start_order(a, actor=hrss)
    orders.report_order(a, actor=hrss, text="已处理", staff_visits=3, now=MON + timedelta(days=1))
    orders.verify_order(a, actor=commander, now=MON + timedelta(days=2),
                        ratings={"speed": 5, "handling": 4, "result": 3})

    b = issue(world.department)
    orders.sign_order(b, actor=hrss, now=MON + timedelta(hours=30))
    orders.start_order(b, actor=hrss)
    orders.report_order(b, actor=hrss, text="初步处理", staff_visits=2, now=MON + timedelta(days=3))
    orders.return_order(b, actor=commander, reason="未附照片")
    orders.report_order(b, actor=hrss, text="补充材料", staff_visits=1, now=MON + timedelta(days=4))
    orders.verify_order(b, actor=commander, now=MON + timedelta(days=5))
    orders.rate_order(b, actor=commander, speed=2, handling=2, result=2)

    issue(world.department)                                            # C
    d = issue(world.other_department, days=10)
    orders.sign_order(d, actor=housing, now=MON + timedelta(hours=2))
    issue(world.other_department, at=datetime(2026, 10, 12, 2, 0), unit=world.other_town,
          by=county_commander)                                         # E
    far_commander = make_user(world, Role.commander, unit=world.far_town)
    orders.issue_dispatch_order(make_case(world, unit=world.far_village), actor=far_commander,
                                department_id=world.far_department.id, instructions="x", deadline_days=1,
                                now=MON)                               # F
    db.session.commit()
    return world


def test_totals_for_the_county_in_november(fixtures):
    got = order_measures(unit=fixtures.county, start=date(2026, 11, 1), end=date(2026, 12, 1), now=NOW)
    assert got == {"issued": 4, "signed_on_time": 2, "fed_back_on_time": 1, "returned": 1, "verified": 2,
                   "overdue_now": 1, "overdue_at_end": 2, "staff_visits": 6}


def test_scope_and_period_narrow_the_count(fixtures):
    town = order_measures(unit=fixtures.other_town, start=date(2026, 10, 1), end=date(2026, 12, 1), now=NOW)
    assert town["issued"] == 1 and town["overdue_now"] == 1
    county = order_measures(unit=fixtures.county, start=date(2026, 10, 1), end=date(2026, 11, 1), now=NOW)
    assert county["issued"] == 1
    # end is exclusive: an order issued on 23 November (local) is not in a period ending that day
    assert order_measures(unit=fixtures.county, start=date(2026, 11, 1), end=date(2026, 11, 23), now=NOW)["issued"] == 0


def test_per_department_rates_and_ratings(fixtures):
    rows = {r["department_id"]: r for r in orders_by_department(unit=fixtures.county, start=date(2026, 11, 1),
                                                                end=date(2026, 12, 1), now=NOW)}
    hrss, housing = rows[fixtures.department.id], rows[fixtures.other_department.id]
    assert (hrss["issued"], hrss["signed_on_time"], hrss["fed_back_on_time"], hrss["returned"], hrss["verified"],
            hrss["overdue"], hrss["staff_visits"]) == (3, 1, 1, 1, 2, 1, 6)
    assert hrss["on_time_rate"] == pytest.approx(1 / 3)       # A on time; B late; C overdue, not fed back
    assert hrss["avg_rating"] == pytest.approx(3.0)           # (5+4+3 + 2+2+2) / 6
    assert hrss["department"] == fixtures.department.name_zh
    assert housing["issued"] == 1 and housing["signed_on_time"] == 1
    assert housing["on_time_rate"] is None and housing["avg_rating"] is None   # nothing due yet, nothing rated
    assert list(rows) == [fixtures.department.id, fixtures.other_department.id]


def test_an_empty_period_has_zeros_and_no_rows(fixtures):
    got = order_measures(unit=fixtures.county, start=date(2025, 1, 1), end=date(2025, 2, 1), now=NOW)
    assert set(got.values()) == {0}
    assert orders_by_department(unit=fixtures.county, start=date(2025, 1, 1), end=date(2025, 2, 1), now=NOW) == []


def test_overdue_at_the_end_of_a_month_is_rebuilt_from_history(world, clock):
    """G: due in October, reported in November: overdue at the end of October, not now. H: reported on time in
    October, returned on 30 October, reported again in November: feedback was owed at the end of October.
    I: signed on time, reported in time: never overdue. The PDF of October reads the same in December."""
    commander = make_user(world, Role.commander, unit=world.town)
    hrss = make_user(world, Role.department_officer, department=world.department)
    monday = datetime(2026, 10, 26, 2, 0)                       # Monday 26 October, 10:00 in China
    clock("2026-10-26 10:00")

    def issue():
        order = orders.issue_dispatch_order(make_case(world), actor=commander, department_id=world.department.id,
                                            instructions="核查", deadline_days=1, now=monday)
        orders.sign_order(order, actor=hrss, now=monday + timedelta(hours=1))
        orders.start_order(order, actor=hrss)
        return order

    g, h, i = issue(), issue(), issue()
    orders.report_order(h, actor=hrss, text="已处理", staff_visits=1, now=monday + timedelta(hours=5))
    orders.report_order(i, actor=hrss, text="已处理", staff_visits=1, now=monday + timedelta(hours=6))
    clock("2026-10-30 11:00")
    orders.return_order(h, actor=commander, reason="未附照片")
    clock("2026-11-03 09:00")
    orders.report_order(g, actor=hrss, text="迟到的反馈", staff_visits=1, now=datetime(2026, 11, 3, 1, 0))
    orders.report_order(h, actor=hrss, text="补充材料", staff_visits=1, now=datetime(2026, 11, 3, 1, 0))
    db.session.commit()

    december = datetime(2026, 12, 3, 2, 0)
    october = order_measures(unit=world.county, start=date(2026, 10, 1), end=date(2026, 11, 1), now=december)
    assert (october["issued"], october["overdue_now"], october["overdue_at_end"]) == (3, 0, 2)
    row, = orders_by_department(unit=world.county, start=date(2026, 10, 1), end=date(2026, 11, 1), now=december)
    assert (row["overdue"], row["overdue_at_end"]) == (0, 2)
    # at the end of November nothing was owed any more; an order issued in October still counts when overdue
    november = order_measures(unit=world.county, start=date(2026, 11, 1), end=date(2026, 12, 1), now=december)
    assert (november["issued"], november["overdue_at_end"]) == (0, 0)
    # the end of 26 October (before H's return, G's one-day limit not yet passed): nothing overdue
    assert order_measures(unit=world.county, start=date(2026, 10, 1), end=date(2026, 10, 27),
                          now=december)["overdue_at_end"] == 0


def test_an_old_order_overdue_at_the_end_has_a_row_of_its_own(fixtures):
    """E (other town, October, never signed) was overdue at the end of November though issued in October."""
    rows = {r["department_id"]: r for r in orders_by_department(unit=fixtures.other_town, start=date(2026, 11, 1),
                                                                end=date(2026, 12, 1), now=NOW)}
    assert [(r["issued"], r["overdue_at_end"]) for r in rows.values()] == [(0, 1)]
