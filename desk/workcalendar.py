"""China's working-day calendar: the days an administrator entered for a year (desk.holidays) first, then
official holidays and adjusted working days (调休) from ``chinesecalendar``; for a year neither knows,
weekends plus fixed-date holidays, said out loud."""
import logging
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

log = logging.getLogger("desk.workcalendar")


class WorkCalendar:
    def __init__(self):
        self._fallback_years: set[int] = set()
        self._fallback_holidays: dict[int, set[date]] = {}
        self._cache: dict[date, bool] = {}
        self._entered: dict[date, bool] = {}       # day -> is a working day, as an administrator entered it
        self._entered_years: frozenset[int] = frozenset()
        self.stamp: int | None = None              # the entered days' version this calendar holds
        self.checked_until = 0.0                   # monotonic time until which a request need not compare it

    def use_entered(self, days: dict[date, bool], stamp: int | None = None) -> None:
        """Replace the entered days (all years) and forget every cached answer: the clocks use them at once."""
        self._entered = dict(days)
        self._entered_years = frozenset(d.year for d in days)
        self._cache.clear()
        self.stamp = stamp
        self.checked_until = 0.0

    @property
    def fallback_years(self) -> frozenset[int]:
        return frozenset(self._fallback_years - self._entered_years)

    def uses_fallback(self, year: int) -> bool:
        if year in self._entered_years:
            return False
        if year not in self._fallback_years:
            self.is_working_day(date(year, 6, 1))  # probe once; records the year if unknown
        return year in self._fallback_years

    def fallback_notice(self, d: date):
        if self.uses_fallback(d.year):
            return _l("The official holiday schedule for %(year)s is not known yet; working days are estimated "
                      "from weekends and fixed-date holidays.", year=d.year)
        return None

    def is_working_day(self, d: date) -> bool:
        cached = self._cache.get(d)
        if cached is None:
            official = self._entered.get(d)
            if official is None and d.year in self._entered_years:
                # the administrator entered this year's schedule; a day not in it is an ordinary day
                official = self._official(d, quiet=True)
                official = d.weekday() < 5 if official is None else official
            if official is None:
                official = self._official(d)
            cached = self._cache[d] = self._fallback(d) if official is None else official
        return cached

    def is_rest_day(self, d: date) -> bool:
        return not self.is_working_day(d)

    def next_working_day_on_or_after(self, d: date) -> date:
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def add_working_days(self, start: date, n: int) -> date:
        """The day of the event is not counted; n=0 is the same day."""
        d = start
        while n > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, d = 0, start
        while d < end:
            d += timedelta(days=1)
            count += self.is_working_day(d)
        return count

    def _official(self, d: date, quiet: bool = False) -> bool | None:
        if d.year in self._fallback_years:
            return None
        import chinese_calendar
        try:
            return chinese_calendar.is_workday(d)
        except NotImplementedError:
            if quiet:
                return None
            self._fallback_years.add(d.year)
            log.warning("chinesecalendar has no data for %s; falling back to weekends and fixed-date holidays",
                        d.year)
            return None

    def _fallback(self, d: date) -> bool:
        if d.year not in self._fallback_holidays:
            import holidays
            self._fallback_holidays[d.year] = set(holidays.China(years=d.year).keys())
        return d.weekday() < 5 and d not in self._fallback_holidays[d.year]


_DEFAULT: list[WorkCalendar] = []


def default_calendar() -> WorkCalendar:
    """The shared calendar (its per-day cache makes adding working days take microseconds)."""
    if not _DEFAULT:
        _DEFAULT.append(WorkCalendar())
    return _DEFAULT[0]


def fallback_notices(*values) -> list:
    """The fallback notice for each year among the dates shown (dates, naive-UTC datetimes, lists of them,
    None), once per year, for templates' ``calendar_notice`` macro."""
    from desk.timeutil import to_local
    years: set[int] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if value is None or isinstance(value, str):
            continue
        if isinstance(value, datetime):
            years.add(to_local(value).year)
        elif isinstance(value, date):
            years.add(value.year)
        elif isinstance(value, (list, tuple, set, frozenset)) or hasattr(value, "__iter__"):
            stack.extend(value)
    calendar = default_calendar()
    return [calendar.fallback_notice(date(year, 1, 1)) for year in sorted(years) if calendar.uses_fallback(year)]
