"""Statutory clocks and the working-day calendar: holidays, adjusted working days, unknown years."""
import logging
from datetime import date

import pytest

from desk import deadlines
from desk.deadlines import DEFAULT_RULES, Unit, due_date, rules_from_settings
from desk.workcalendar import WorkCalendar

CAL = WorkCalendar()


def test_national_day_holiday_and_adjusted_working_days():
    assert not CAL.is_working_day(date(2024, 10, 1))
    assert not CAL.is_working_day(date(2024, 10, 7))
    assert CAL.is_working_day(date(2024, 9, 29))   # a Sunday made a working day (调休)
    assert CAL.is_working_day(date(2024, 10, 12))  # a Saturday made a working day
    assert not CAL.is_working_day(date(2024, 10, 13))


def test_limit_ending_on_a_holiday_runs_to_the_next_working_day():
    # 15 days from 16 Sep 2024 end on 1 Oct, National Day: the limit runs to 8 Oct.
    assert due_date(date(2024, 9, 16), DEFAULT_RULES["register"], CAL) == date(2024, 10, 8)


def test_limit_ending_on_a_weekend_runs_to_monday():
    assert due_date(date(2024, 11, 1), DEFAULT_RULES["register"], CAL) == date(2024, 11, 18)  # 16 Nov is Saturday


def test_the_event_day_is_not_counted():
    assert due_date(date(2024, 11, 4), DEFAULT_RULES["register"], CAL) == date(2024, 11, 19)


def test_working_days_across_spring_festival_2025():
    # 5 working days from Friday 24 Jan 2025: 26 Jan (Sunday) is an adjusted working day,
    # 28 Jan – 4 Feb are the holiday, 8 Feb (Saturday) is worked.
    assert CAL.add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)
    assert CAL.add_working_days(date(2025, 1, 24), 0) == date(2025, 1, 24)


def test_unknown_year_falls_back_without_crashing(caplog):
    calendar = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="desk.workcalendar"):
        assert not calendar.is_working_day(date(2099, 10, 1))
        assert not calendar.is_working_day(date(2099, 1, 1))
        assert not calendar.is_working_day(date(2099, 3, 7))   # Saturday
        assert calendar.is_working_day(date(2099, 3, 9))       # Monday
        calendar.is_working_day(date(2099, 3, 10))
    assert calendar.uses_fallback(2099)
    assert sum("2099" in r.getMessage() for r in caplog.records) == 1
    assert calendar.fallback_notice(date(2099, 5, 5)) is not None
    assert calendar.fallback_notice(date(2024, 5, 5)) is None


def test_months_clamp_to_month_end():
    assert deadlines.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert due_date(date(2025, 1, 31), DEFAULT_RULES["mediation"], CAL) == date(2025, 2, 28)


def test_dispatch_deadlines():
    assert deadlines.dispatch_due_date(date(2024, 10, 8), 0, CAL) == date(2024, 10, 8)
    assert deadlines.dispatch_due_date(date(2024, 10, 5), 0, CAL) == date(2024, 10, 8)  # holiday: next working day
    assert deadlines.dispatch_due_date(date(2024, 9, 27), 3, CAL) == date(2024, 10, 8)
    with pytest.raises(ValueError):
        deadlines.dispatch_due_date(date(2024, 9, 27), 11, CAL)


def test_settings_override_rules():
    rules = rules_from_settings({"conclude": {"limit": 90}, "register": {"unit": "working_days"}})
    assert rules["conclude"].limit == 90 and rules["register"].unit == Unit.working_days
    assert due_date(date(2024, 9, 27), rules["register"], CAL) == CAL.add_working_days(date(2024, 9, 27), 15)
    for bad in ({"nope": {"limit": 1}}, {"conclude": {"limit": -1}}, {"conclude": {"unit": "weeks"}},
                {"conclude": {"days": 3}}):
        with pytest.raises(ValueError):
            rules_from_settings(bad)


def test_clock_states():
    assert deadlines.clock_state(date(2024, 5, 10), date(2024, 5, 1)) == "ok"
    assert deadlines.clock_state(date(2024, 5, 10), date(2024, 5, 8)) == "due_soon"
    assert deadlines.clock_state(date(2024, 5, 10), date(2024, 5, 11)) == "overdue"
    assert deadlines.clock_state(date(2024, 5, 10), date(2024, 5, 11), stopped=date(2024, 5, 9)) == "done"
