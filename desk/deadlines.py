"""Every statutory clock, computed from one rule table (DOMAIN.md) and the working-day calendar."""
import calendar as _calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Mapping

from flask_babel import lazy_gettext as _l

from desk.workcalendar import WorkCalendar, default_calendar


class Unit(StrEnum):
    calendar_days = "calendar_days"
    working_days = "working_days"
    months = "months"


@dataclass(frozen=True)
class ClockRule:
    key: str
    limit: int
    unit: Unit
    title: object
    source: str


D, W, M = Unit.calendar_days, Unit.working_days, Unit.months
DEFAULT_RULES: dict[str, ClockRule] = {r.key: r for r in [
    ClockRule("register", 15, D, _l("Register and route"), "信访工作条例 第二十二条"),
    ClockRule("notify", 15, D, _l("Written notice to the petitioner"), "信访工作条例 第二十四条"),
    ClockRule("object_transfer", 5, W, _l("Object to a transferred matter"), "信访工作条例 第二十三条"),
    ClockRule("conclude", 60, D, _l("Handle and conclude"), "信访工作条例 第三十五条"),
    ClockRule("suggestion_reply", 60, D, _l("Answer the suggestion"), "信访工作条例 第三十一条"),
    ClockRule("extension", 30, D, _l("Extension"), "信访工作条例 第三十五条"),
    ClockRule("review_request", 30, D, _l("Request a review"), "信访工作条例 第三十五条"),
    ClockRule("review_reply", 30, D, _l("Review reply"), "信访工作条例 第三十五条"),
    ClockRule("rereview_request", 30, D, _l("Request a re-review"), "信访工作条例 第三十五条"),
    ClockRule("rereview_reply", 30, D, _l("Re-review opinion"), "信访工作条例 第三十五条"),
    ClockRule("mediation", 1, M, _l("People's mediation"), "人民调解法; 全国人民调解工作规范"),
    ClockRule("judicial_confirmation", 30, D, _l("Apply for judicial confirmation"), "人民调解法 第三十三条"),
]}


def rules_from_settings(overrides: Mapping[str, Mapping] | None) -> dict[str, ClockRule]:
    """The default table with setting overrides, e.g. {"conclude": {"limit": 90}}."""
    rules = dict(DEFAULT_RULES)
    for key, change in (overrides or {}).items():
        if key not in rules:
            raise ValueError(f"unknown clock rule {key!r}; known: {', '.join(sorted(rules))}")
        unknown = set(change) - {"limit", "unit"}
        if unknown:
            raise ValueError(f"clock rule {key!r}: unknown setting(s) {sorted(unknown)}")
        rule = rules[key]
        if "limit" in change:
            limit = change["limit"]
            if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
                raise ValueError(f"clock rule {key!r}: limit must be a whole number ≥ 0, not {limit!r}")
            rule = replace(rule, limit=limit)
        if "unit" in change:
            try:
                rule = replace(rule, unit=Unit(change["unit"]))
            except ValueError:
                raise ValueError(f"clock rule {key!r}: unit must be one of {[u.value for u in Unit]}") from None
        rules[key] = rule
    return rules


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, _calendar.monthrange(year, month)[1]))


def due_date(start, rule: ClockRule, calendar: WorkCalendar | None = None) -> date:
    """The event day is not counted; a limit ending on a rest day runs to the next working day."""
    calendar = calendar or default_calendar()
    start = _as_date(start)
    if rule.unit == Unit.working_days:
        return calendar.add_working_days(start, rule.limit)
    end = add_months(start, rule.limit) if rule.unit == Unit.months else start + timedelta(days=rule.limit)
    return calendar.next_working_day_on_or_after(end)


def extended_due_date(accepted_on: date, handling: ClockRule, extension: ClockRule,
                      calendar: WorkCalendar | None = None) -> date:
    """Acceptance + 60 + at most 30 days (信访工作条例 第三十五条): the extension runs from the statutory 60th day,
    not from a limit already carried past a holiday; only the end is moved to a working day."""
    calendar = calendar or default_calendar()
    statutory_end = _as_date(accepted_on) + timedelta(days=handling.limit)
    return due_date(statutory_end, extension, calendar)


def dispatch_due_date(start, working_days: int, calendar: WorkCalendar | None = None) -> date:
    """Dispatch orders: 0 (same day) to 10 working days; same day on a rest day means the next working day."""
    if not 0 <= working_days <= 10:
        raise ValueError("a dispatch order's limit is 0 to 10 working days")
    calendar = calendar or default_calendar()
    start = _as_date(start)
    if working_days == 0:
        return calendar.next_working_day_on_or_after(start)
    return calendar.add_working_days(start, working_days)


WORKDAY_OPENS, WORKDAY_CLOSES = time(8, 30), time(17, 30)   # office hours, China local time


def add_working_hours(start: datetime, hours: float, calendar: WorkCalendar | None = None) -> datetime:
    """``hours`` of office time (08:30–17:30 on working days) after the local wall-clock ``start``: time
    outside office hours and rest days (holidays, weekends; adjusted working days count) does not run; the
    result is never outside office hours (it may be the closing time itself)."""
    calendar = calendar or default_calendar()
    left = timedelta(hours=hours)
    day, at = start.date(), max(start.time().replace(tzinfo=None), WORKDAY_OPENS)
    while True:
        if calendar.is_working_day(day) and at < WORKDAY_CLOSES:
            room = datetime.combine(day, WORKDAY_CLOSES) - datetime.combine(day, at)
            if left <= room:
                return datetime.combine(day, at) + left
            left -= room
        day, at = day + timedelta(days=1), WORKDAY_OPENS


def days_left(due: date, today: date) -> int:
    return (due - today).days


def met_on_time(due: date, stopped: date) -> bool:
    return stopped <= due


def clock_state(due: date, today: date, stopped: date | None = None, soon_days: int = 3) -> str:
    """'done' once the clock stopped, else 'overdue', 'due_soon' or 'ok'."""
    if stopped is not None:
        return "done"
    left = days_left(due, today)
    if left < 0:
        return "overdue"
    return "due_soon" if left <= soon_days else "ok"
