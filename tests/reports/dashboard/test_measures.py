"""Each measure against a hand-counted October 2026 in 台山市 (with 开平市 next door to stay out of it)."""
from datetime import date, datetime
import re

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import CaseStage, CaseStatus, Role, StageKind, Visit
from desk.models import Ticket
from reports.callbacks.models import Callback, CallbackStatus, Rating
from reports.dashboard import drill, measures as M
from tests.factories import make_case

S = CaseStatus
OCT = (date(2026, 10, 1), date(2026, 11, 1))


def _case(world, *, unit=None, received, register_due, decided=None, accepted=False, conclude_due=None,
          concluded=None, status=S.registered, category=None):
    case = make_case(world, unit=unit or world.village, received_on=received, category=category)
    case.register_due = register_due
    case.decided_on = decided
    case.accepted_on = decided if accepted else None
    case.conclude_due = conclude_due
    case.concluded_on = concluded
    case.status = status
    if accepted:   # the handling stage, as desk.cases writes it
        case.stages.append(CaseStage(kind=StageKind.handling, started_on=decided, due_on=conclude_due,
                                     ended_on=concluded))
    db.session.flush()
    return case


def _visit(world, case, at: datetime, *, repeat=False, after_conclusion=False, unit=None):
    visit = Visit(case=case, person=case.petitioners[0], channel=case.channel, visited_at=at, is_repeat=repeat,
                  repeat_after_conclusion=after_conclusion)
    visit.place_at(unit or world.village)
    db.session.add(visit)
    return visit


def _callback(world, case, status, rating=None, unit=None):
    cb = Callback(case_id=case.id, round=1, category_id=case.category_id, concluded_on=case.concluded_on,
                  due_on=case.concluded_on, rating=rating, status=status)
    cb.place_at(unit or world.village)
    db.session.add(cb)


def _ticket(world, site, day, arrived_minute, waited, number):
    room = site.rooms[0]
    arrived = datetime(day.year, day.month, day.day, 1, arrived_minute)
    ticket = Ticket(site_id=site.id, room_id=room.id, day=day, number=number, label=f"R-{number:03d}",
                    arrived_at=arrived,
                    called_at=None if waited is None else arrived.replace(minute=arrived_minute) + _minutes(waited))
    db.session.add(ticket)


def _minutes(n):
    from datetime import timedelta
    return timedelta(minutes=n)


@pytest.fixture
def october(world):
    """Cases named by letter; the counts in each test are worked out by hand from these lines."""
    c = {}
    c["A"] = _case(world, received=date(2026, 10, 3), register_due=date(2026, 10, 18), decided=date(2026, 10, 5),
                   accepted=True, conclude_due=date(2026, 12, 4), concluded=date(2026, 10, 20), status=S.concluded)
    c["B"] = _case(world, received=date(2026, 10, 10), register_due=date(2026, 10, 25), decided=date(2026, 10, 12),
                   accepted=True, conclude_due=date(2026, 12, 11), status=S.in_progress)
    c["C"] = _case(world, received=date(2026, 9, 20), register_due=date(2026, 10, 5), decided=date(2026, 10, 8),
                   accepted=True, conclude_due=date(2026, 12, 7), concluded=date(2026, 10, 25), status=S.closed)
    c["D"] = _case(world, received=date(2026, 10, 15), register_due=date(2026, 10, 30), decided=date(2026, 10, 16),
                   status=S.not_accepted)
    c["E"] = _case(world, received=date(2026, 8, 1), register_due=date(2026, 8, 16), decided=date(2026, 8, 3),
                   accepted=True, conclude_due=date(2026, 10, 2), concluded=date(2026, 10, 10), status=S.concluded)
    c["F"] = _case(world, received=date(2026, 8, 5), register_due=date(2026, 8, 20), decided=date(2026, 8, 6),
                   accepted=True, conclude_due=date(2026, 10, 5), concluded=date(2026, 10, 4), status=S.closed)
    c["G"] = _case(world, unit=world.other_town, received=date(2026, 10, 20), register_due=date(2026, 11, 4))
    c["H"] = _case(world, unit=world.far_village, received=date(2026, 10, 5), register_due=date(2026, 10, 20),
                   decided=date(2026, 10, 6), accepted=True, conclude_due=date(2026, 12, 5),
                   concluded=date(2026, 10, 9), status=S.concluded)
    c["I"] = _case(world, received=date(2026, 11, 1), register_due=date(2026, 11, 16))
    c["J"] = _case(world, received=date(2026, 6, 1), register_due=date(2026, 6, 16), decided=date(2026, 6, 2),
                   accepted=True, conclude_due=date(2026, 8, 1), status=S.in_progress)
    c["K"] = _case(world, received=date(2026, 7, 1), register_due=date(2026, 7, 16), decided=date(2026, 7, 2),
                   accepted=True, conclude_due=date(2026, 8, 31), concluded=date(2026, 11, 5), status=S.concluded)
    c["L"] = _case(world, received=date(2026, 10, 28), register_due=date(2026, 11, 12), decided=date(2026, 11, 3),
                   status=S.not_accepted)
    c["M"] = _case(world, received=date(2025, 10, 15), register_due=date(2025, 10, 30), decided=date(2025, 10, 16),
                   status=S.not_accepted)
    # the desk's first matter, so that October 2025 is a whole month of records to compare with
    c["N"] = _case(world, received=date(2025, 9, 30), register_due=date(2025, 10, 15), decided=date(2025, 9, 30),
                   status=S.not_accepted)
    # Repeat visits: E after its conclusion, B, and C at 01:00 China time on 1 October (still 30 September in
    # UTC); one on 1 November China time (31 October in UTC) stays out of October.
    _visit(world, c["E"], datetime(2026, 10, 15, 3), repeat=True, after_conclusion=True)
    _visit(world, c["B"], datetime(2026, 10, 20, 3), repeat=True)
    _visit(world, c["C"], datetime(2026, 9, 30, 17), repeat=True)
    _visit(world, c["A"], datetime(2026, 10, 31, 20), repeat=True)
    _callback(world, c["A"], CallbackStatus.rated, Rating.satisfied)
    _callback(world, c["C"], CallbackStatus.rated, Rating.dissatisfied)
    _callback(world, c["E"], CallbackStatus.not_rated_in_time)
    _callback(world, c["F"], CallbackStatus.rated, Rating.basic)
    _callback(world, c["H"], CallbackStatus.rated, Rating.satisfied, unit=world.far_village)
    site = world.county_site
    _ticket(world, site, date(2026, 10, 10), 0, 4, 1)
    _ticket(world, site, date(2026, 10, 11), 0, 20, 2)
    _ticket(world, site, date(2026, 10, 12), 0, 30, 3)
    _ticket(world, site, date(2026, 10, 12), 5, None, 4)       # never called: left out
    _ticket(world, site, date(2026, 11, 1), 0, 50, 5)          # November
    _ticket(world, world.far_site, date(2026, 10, 12), 0, 90, 6)  # the other county
    db.session.commit()
    return c


def _summary(unit, start=OCT[0], end=OCT[1]):
    return {m.key: m for m in M.summary(unit=unit, start=start, end=end)}


def test_counts_and_rates_for_a_county_month(world, october):
    m = _summary(world.county)
    # Visits on 3, 10, 15, 20, 28 Oct (first visits of A, B, D, G, L) + repeats of E, B and C (1 Oct local).
    assert m["visits"].value == 8
    assert (m["repeat_rate"].numerator, m["repeat_rate"].denominator) == (3, 8)
    assert m["repeat_rate"].value == pytest.approx(3 / 8)
    assert m["repeat_after_conclusion"].value == 1
    assert m["new_cases"].value == 5                               # A, B, D, G, L
    assert m["accepted"].value == 3                                # A, B, C (D refused)
    assert m["concluded"].value == 4                               # A, C, E, F
    assert m["closure_rate"].value == pytest.approx(4 / 3)
    assert (m["timely_acceptance"].numerator, m["timely_acceptance"].denominator) == (3, 4)  # C decided late
    assert (m["on_time_reply"].numerator, m["on_time_reply"].denominator) == (1, 2)          # E late, F on time
    assert (m["satisfaction_rate"].numerator, m["satisfaction_rate"].denominator) == (2, 3)  # A, F of A, C, F
    assert (m["participation_rate"].numerator, m["participation_rate"].denominator) == (3, 4)
    assert m["not_rated_in_time"].value == 1
    assert m["median_days"].value == pytest.approx(47.5)            # 17, 35, 60, 70
    assert m["p90_days"].value == pytest.approx(67.0)
    assert m["median_days"].denominator == 4
    assert m["median_wait"].value == pytest.approx(20.0, abs=0.01)  # 4, 20, 30 minutes
    assert [x.key for x in M.summary(unit=world.county, start=OCT[0], end=OCT[1])][:2] == ["visits", "new_cases"]


def test_other_county_and_town_scope(world, october):
    far = _summary(world.other_county)
    assert (far["new_cases"].value, far["concluded"].value, far["visits"].value) == (1, 1, 1)
    assert far["satisfaction_rate"].value == 1.0
    assert far["median_wait"].value == pytest.approx(90.0, abs=0.01)
    town = _summary(world.town)
    assert town["new_cases"].value == 4                            # G is in the other town
    city = _summary(world.city)
    assert city["new_cases"].value == 6 and city["concluded"].value == 5


def test_empty_month_divides_by_nothing(world, october):
    m = _summary(world.county, date(2026, 3, 1), date(2026, 4, 1))
    assert m["visits"].value == 0 and m["new_cases"].value == 0
    for key in ("closure_rate", "timely_acceptance", "on_time_reply", "satisfaction_rate", "participation_rate",
                "repeat_rate", "median_days", "p90_days", "median_wait"):
        assert m[key].value is None, key


def test_month_on_month_and_year_on_year(world, october):
    changes = {c.measure.key: c for c in M.summary_with_change(unit=world.county, year=2026, month=10)}
    new = changes["new_cases"]
    assert (new.measure.value, new.previous.value, new.last_year.value) == (5, 1, 1)   # C in Sept, M in Oct 2025
    assert new.mom == pytest.approx(4.0) and new.yoy == pytest.approx(4.0)
    repeat = changes["repeat_rate"]
    assert repeat.previous.value == 0.0                            # one visit in September, not a repeat
    assert repeat.mom == pytest.approx(3 / 8)
    assert repeat.yoy == pytest.approx(3 / 8)
    assert changes["closure_rate"].mom is None                     # nothing accepted in September


def test_percentiles_are_not_moved_by_one_fast_case(world):
    for received, concluded, unit in [(date(2026, 10, 1), date(2026, 11, 10), world.village),
                                      (date(2026, 10, 11), date(2026, 11, 10), world.village),
                                      (date(2026, 11, 10), date(2026, 11, 10), world.other_town)]:
        _case(world, unit=unit, received=received, register_due=received, decided=received, accepted=True,
              conclude_due=date(2026, 12, 30), concluded=concluded, status=S.concluded)
    db.session.commit()
    m = _summary(world.county, date(2026, 11, 1), date(2026, 12, 1))
    assert m["median_days"].value == 30                            # 0, 30, 40: the four-minute case is not it
    towns = {row["name"]: row for row in M.by_town(unit=world.county, start=date(2026, 11, 1),
                                                   end=date(2026, 12, 1))}
    fast = towns[world.other_town.name]
    assert fast["median_days"] == 0 and fast["ranked"] is False
    assert towns[world.town.name]["ranked"] is False and towns[world.town.name]["median_days"] == 35
    assert M.percentile([1, 2, 3, 4], 0.9) == pytest.approx(3.7)    # as percentile_cont(0.9)


def test_by_town_by_category_and_top_issues(world, october):
    towns = {row["name"]: row for row in M.by_town(unit=world.county, start=OCT[0], end=OCT[1])}
    assert set(towns) == {world.town.name, world.other_town.name}
    assert towns[world.town.name]["new_cases"] == 4 and towns[world.other_town.name]["new_cases"] == 1
    assert towns[world.town.name]["concluded"] == 4
    counties = {row["name"]: row["new_cases"] for row in M.by_town(unit=world.city, start=OCT[0], end=OCT[1])}
    assert counties == {world.county.name: 5, world.other_county.name: 1}
    categories = M.by_category(unit=world.county, start=OCT[0], end=OCT[1])
    assert [(r["name"], r["new_cases"], r["share"]) for r in categories] == [(world.category.name, 5, 1.0)]
    top = M.top_issues(unit=world.county, start=OCT[0], end=OCT[1])
    assert [(r["rank"], r["category_id"], r["new_cases"]) for r in top] == [(1, world.category.id, 5)]


def test_trend_has_twelve_months_with_the_same_numbers(world, october):
    rows = M.trend(unit=world.county, year=2026, month=10)
    assert [r["month"] for r in rows][0] == "2025-11" and rows[-1]["month"] == "2026-10" and len(rows) == 12
    october_row = rows[-1]
    m = _summary(world.county)
    for key in ("visits", "new_cases", "accepted", "concluded", "closure_rate", "repeat_rate", "median_days"):
        assert october_row[key] == m[key].value, key
    assert rows[-2]["new_cases"] == 1                              # C in September


def test_backlog_and_overdue_at_the_period_end(world, october):
    backlog = {row["bucket"]: (row["open"], row["overdue"]) for row in M.backlog_by_age(unit=world.county,
                                                                                         on=OCT[1])}
    # Open at 1 Nov: G and L (refused only on 3 Nov) are young, B 22 days, J and K (concluded 5 Nov) old.
    assert backlog == {"0-15": (2, 0), "16-30": (1, 0), "31-60": (0, 0), "61-90": (0, 0), "90+": (2, 2)}
    overdue = M.overdue_cases(unit=world.county, on=OCT[1])
    assert [r["reference"] for r in overdue] == [october["J"].reference, october["K"].reference]
    assert overdue[0]["days_overdue"] == 91 and "name" not in overdue[0]     # on 31 October, as the case page


def test_the_report_at_a_month_end_reads_as_the_case_page_on_its_last_day(world, login_as, clock):
    """Due on 31 October, still open: the case page of 31 October says 0 days left (due soon), and so the report
    for October has it open and not yet overdue; the case page of 30 November says 30 days overdue, as the
    report for November does."""
    case = _case(world, received=date(2026, 10, 16), register_due=date(2026, 10, 31))
    db.session.commit()
    client = login_as(Role.official, unit=world.county)

    def case_page_days_left(day):
        clock(f"{day} 10:00")
        page = client.get(f"/intake/cases/{case.id}").get_data(as_text=True)
        clocks = page[page.index('data-testid="clocks"'):]
        return int(re.search(r'<td class="num">(-?\d+)</td>', clocks).group(1))

    assert case_page_days_left("2026-10-31") == 0
    october = M.backlog_by_age(unit=world.county, on=date(2026, 11, 1))
    assert [(r["open"], r["overdue"]) for r in october if r["open"]] == [(1, 0)]    # 15 days old on 31 October
    assert october[0]["open"] == 1 and not M.overdue_cases(unit=world.county, on=date(2026, 11, 1))
    assert case_page_days_left("2026-11-30") == -30
    november, = M.overdue_cases(unit=world.county, on=date(2026, 12, 1))
    assert (november["due"], november["days_overdue"]) == (date(2026, 10, 31), 30)
    assert [r["open"] for r in M.backlog_by_age(unit=world.county, on=date(2026, 12, 1))] == [0, 0, 1, 0, 0]


def _ids(stmt):
    return set(db.session.scalars(stmt))


@pytest.mark.parametrize("key,part,letters", [
    ("new_cases", "numerator", "ABDGL"),
    ("closure_rate", "numerator", "ACEF"),
    ("closure_rate", "denominator", "ABC"),
    ("timely_acceptance", "numerator", "ABD"),
    ("on_time_reply", "denominator", "EF"),
    ("satisfaction_rate", "numerator", "AF"),
    ("participation_rate", "numerator", "ACF"),
    ("not_rated_in_time", "numerator", "E"),
    ("median_days", "numerator", "ACEF"),
    ("backlog", "numerator", "BGLJK"),
    ("overdue", "numerator", "JK"),
])
def test_drill_down_lists_exactly_the_counted_cases(world, october, key, part, letters):
    stmt = drill.drill_down(measure_key=key, unit=world.county, start=OCT[0], end=OCT[1], part=part)
    assert _ids(stmt) == {october[x].id for x in letters}


def test_visit_figures_drill_down_to_visits_not_cases(world, october):
    """A repeat visit is a row of its own: the list has as many rows as the figure counts."""
    figures = {m.key: m for m in M.summary(unit=world.county, start=OCT[0], end=OCT[1])}
    repeats = _ids(drill.drill_down(measure_key="repeat_rate", unit=world.county, start=OCT[0], end=OCT[1]))
    visits = _ids(drill.drill_down(measure_key="visits", unit=world.county, start=OCT[0], end=OCT[1]))
    assert drill.record_kind("visits") == drill.record_kind("repeat_rate") == "visit"
    assert len(repeats) == figures["repeat_rate"].numerator and len(visits) == figures["visits"].value
    assert repeats < visits
    rows = db.session.scalars(sa.select(Visit).where(Visit.id.in_(repeats))).all()
    assert {v.case_id for v in rows} == {october[x].id for x in "BCE"} and all(v.is_repeat for v in rows)
    with pytest.raises(KeyError):     # visits are not split by category
        drill.drill_down(measure_key="visits", unit=world.county, start=OCT[0], end=OCT[1],
                         category_id=world.category.id)


def test_drill_down_narrows_and_refuses(world, october):
    young = drill.drill_down(measure_key="backlog", unit=world.county, start=OCT[0], end=OCT[1], age_bucket=0)
    assert _ids(young) == {october["G"].id, october["L"].id}
    other = drill.drill_down(measure_key="new_cases", unit=world.county, start=OCT[0], end=OCT[1],
                         category_id=world.other_category.id)
    assert _ids(other) == set()
    with pytest.raises(KeyError):
        drill.drill_down(measure_key="visits", unit=world.county, start=OCT[0], end=OCT[1], part="denominator")
    with pytest.raises(KeyError):
        drill.drill_down(measure_key="nonsense", unit=world.county, start=OCT[0], end=OCT[1])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback)) == 5


def test_top_issues_keep_a_tie_at_the_cut_and_share_ranks(world):
    """wages 3; noise 1; housing 1 (code before noise's): the top 2 are three rows ranked 1, 2, 2, by code."""
    from desk.models import Category
    housing = Category(code="0000-housing", parent_id=world.other_category.parent_id, name_zh="住房", name_en="Housing")
    db.session.add(housing)
    db.session.flush()
    for category, n in ((world.category, 3), (world.other_category, 1), (housing, 1)):
        for _ in range(n):
            make_case(world, received_on=date(2026, 10, 5), category=category)
    top = M.top_issues(unit=world.county, start=OCT[0], end=OCT[1], limit=2)
    assert [(r["rank"], r["category_id"], r["new_cases"]) for r in top] == [
        (1, world.category.id, 3), (2, housing.id, 1), (2, world.other_category.id, 1)]


def test_no_change_against_a_month_the_desk_did_not_cover_whole(world):
    """The desk's first matter came on 15 Oct 2025: October 2025 is partial, so no year-on-year change."""
    _case(world, received=date(2025, 10, 15), register_due=date(2025, 10, 30))
    _case(world, received=date(2026, 10, 5), register_due=date(2026, 10, 20))
    changes = {c.measure.key: c for c in M.summary_with_change(unit=world.county, year=2026, month=10)}
    assert changes["new_cases"].last_year.value is None and changes["new_cases"].yoy is None
    assert changes["new_cases"].measure.value == 1


def test_tied_categories_keep_one_order_in_every_language(world):
    """Two groups with a case each: ordered by code (B before A here), whatever their names sort to."""
    from flask_babel import force_locale
    from desk.models import Category
    groups = [Category(code=code, name_zh=zh, name_en=en) for code, zh, en in
              (("9001", "乙类", "B group"), ("9000", "甲类", "Z group"))]
    db.session.add_all(groups)
    db.session.flush()
    for group in groups:
        leaf = Category(code=f"{group.code}-1", parent_id=group.id, name_zh="事项", name_en="Issue")
        db.session.add(leaf)
        db.session.flush()
        make_case(world, received_on=date(2026, 10, 5), category=leaf)
    orders = set()
    for locale in ("en", "zh_Hans", "zh_Hant"):
        with force_locale(locale):
            orders.add(tuple(r["category_id"] for r in M.by_category(unit=world.county, start=OCT[0], end=OCT[1])))
    assert orders == {(groups[1].id, groups[0].id)}
