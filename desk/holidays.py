"""Official holidays for a new year (DOMAIN.md): an administrator enters the State Council's schedule of
days off and adjusted working days (调休) before ``chinesecalendar`` ships it; the entered days take
precedence in the work calendar of every process at once.

Every change writes a new random stamp into the counter table; each process's calendar compares it with
the stamp it holds (one indexed read per job run, and per request at most once a second:
``sync_calendar``) and reloads on a difference. The process that made the change uses it at once; another
web worker within the second (CALENDAR_CHECK_SECONDS). A random stamp, not a count: a rolled-back change,
or another database, never matches the stamp a calendar has loaded.
"""
import random
import re
import time
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.extensions import db
from desk.models import CalendarDay, Counter, DayKind
from desk.workcalendar import WorkCalendar, default_calendar

STAMP_KEY = "workcalendar:stamp"
FIRST_YEAR, LAST_YEAR = 2000, 2100
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
# "2027-02-06 至 2027-02-13 春节", "2027/2/6 ~ 2027/2/13", "2027-01-01 元旦"
_LINE = re.compile(rf"^\s*{_DATE}(?:\s*(?:\.\.|~|～|至|到|—|–|-)\s*{_DATE})?\s*(.*?)\s*$")
MAX_RANGE_DAYS = 15


@dataclass(frozen=True)
class EnteredDay:
    day: date
    kind: DayKind
    name: str | None


class ScheduleErrors(Exception):
    """Errors by form field ("days_off", "working_days"), each a list of translated messages."""

    def __init__(self, errors: dict[str, list]):
        super().__init__(errors)
        self.errors = errors


def parse_schedule(year: int, days_off: str, working_days: str) -> list[EnteredDay]:
    """The lines an administrator typed, as days; raises ScheduleErrors naming each bad line."""
    errors: dict[str, list] = {}
    entered: dict[date, EnteredDay] = {}
    for field, kind, text in (("days_off", DayKind.day_off, days_off or ""),
                              ("working_days", DayKind.working, working_days or "")):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                days, name = _parse_line(line, year)
            except ValueError as err:
                errors.setdefault(field, []).append(_l("Line %(n)s: %(problem)s", n=number, problem=err.args[0]))
                continue
            for day in days:
                other = entered.get(day)
                if other is not None and other.kind != kind:
                    errors.setdefault(field, []).append(_l(
                        "Line %(n)s: %(day)s is entered both as a day off and as a working day.",
                        n=number, day=day.isoformat()))
                    continue
                entered[day] = EnteredDay(day, kind, name or (other.name if other else None))
    if errors:
        raise ScheduleErrors(errors)
    return sorted(entered.values(), key=lambda e: e.day)


def _parse_line(line: str, year: int) -> tuple[list[date], str | None]:
    match = _LINE.match(line)
    if not match:
        raise ValueError(_l("start with a date such as %(example)s.", example=f"{year}-10-01"))
    first = _date(match.group(1, 2, 3))
    last = _date(match.group(4, 5, 6)) if match.group(4) else first
    if last < first:
        raise ValueError(_l("the range ends before it starts."))
    if (last - first).days >= MAX_RANGE_DAYS:
        raise ValueError(_l("a range is at most %(n)s days.", n=MAX_RANGE_DAYS))
    for day in (first, last):
        if day.year != year:
            raise ValueError(_l("%(day)s is not in %(year)s.", day=day.isoformat(), year=year))
    name = match.group(7)[:40] or None
    return [first + timedelta(days=i) for i in range((last - first).days + 1)], name


def _date(parts) -> date:
    try:
        return date(*(int(p) for p in parts))
    except ValueError:
        raise ValueError(_l("%(text)s is not a date.", text="-".join(parts))) from None


def year_days(year: int) -> list[CalendarDay]:
    return list(db.session.scalars(db.select(CalendarDay).where(CalendarDay.year == year)
                                   .order_by(CalendarDay.day)))


def schedule_text(rows, kind: DayKind) -> str:
    """The entered days of one kind as the lines an administrator would type (consecutive days with one
    name as a range), so the form shows the year's schedule as it stands."""
    lines, run = [], []
    for row in (r for r in rows if r.kind == kind):
        if run and (row.day - run[-1].day).days == 1 and row.name == run[-1].name:
            run.append(row)
            continue
        if run:
            lines.append(_range_line(run))
        run = [row]
    if run:
        lines.append(_range_line(run))
    return "\n".join(lines)


def _range_line(run) -> str:
    days = run[0].day.isoformat() + (f" 至 {run[-1].day.isoformat()}" if len(run) > 1 else "")
    return f"{days} {run[0].name}" if run[0].name else days


def entered_years() -> list[int]:
    return list(db.session.scalars(db.select(CalendarDay.year).distinct().order_by(CalendarDay.year)))


def enter_schedule(*, actor, year: int, days: list[EnteredDay]) -> list[CalendarDay]:
    """Replace the year's entered days with ``days`` (audited); this process's calendar uses them at once."""
    before = {row.day: row for row in year_days(year)}
    actor_id = getattr(actor, "id", None)     # None: the command line, recorded as the system
    after = {e.day: e for e in days}
    for day, row in before.items():
        if day not in after:
            db.session.delete(row)
    for day, e in after.items():
        row = before.get(day)
        if row is None:
            db.session.add(CalendarDay(day=day, year=year, kind=e.kind, name=e.name, entered_by_id=actor_id))
        elif (row.kind, row.name) != (e.kind, e.name):
            row.kind, row.name, row.entered_by_id = e.kind, e.name, actor_id
    db.session.flush()
    record_audit(actor=actor, entity="calendar_year", entity_id=year, action="enter_schedule", detail={
        "days_off": sorted(d.isoformat() for d, e in after.items() if e.kind == DayKind.day_off),
        "working": sorted(d.isoformat() for d, e in after.items() if e.kind == DayKind.working),
        "removed": sorted(d.isoformat() for d in before if d not in after)})
    _changed()
    return year_days(year)


def delete_calendar_day(row: CalendarDay, *, actor) -> None:
    """Remove one entered day (audited); the calendar falls back to the other sources for it."""
    record_audit(actor=actor, entity="calendar_year", entity_id=row.year, action="remove_day",
                 detail={"day": row.day.isoformat(), "kind": row.kind.value, "name": row.name})
    db.session.delete(row)
    db.session.flush()
    _changed()


def _changed() -> None:
    stamp = random.randint(1, 2**31 - 1)
    table = Counter.__table__
    if not db.session.execute(table.update().where(table.c.key == STAMP_KEY).values(value=stamp)).rowcount:
        db.session.execute(table.insert().values(key=STAMP_KEY, value=stamp))
    sync_calendar()


def sync_calendar(calendar: WorkCalendar | None = None, *, unless_checked_within: float = 0.0) -> None:
    """Reload the entered days into ``calendar`` if another change was made since it last looked; with
    ``unless_checked_within``, not if it looked that many seconds ago or less."""
    calendar = calendar or default_calendar()
    now = time.monotonic()
    if unless_checked_within and now < calendar.checked_until:
        return
    stamp = db.session.scalar(db.select(Counter.value).where(Counter.key == STAMP_KEY))
    if stamp != calendar.stamp:
        rows = db.session.execute(db.select(CalendarDay.day, CalendarDay.kind))
        calendar.use_entered({day: kind == DayKind.working for day, kind in rows}, stamp)
    calendar.checked_until = now + unless_checked_within


def init_app(app) -> None:
    """Every request sees the entered days as they were at most CALENDAR_CHECK_SECONDS ago (one indexed read
    of the stamp that often in each process)."""
    window = app.config["CALENDAR_CHECK_SECONDS"]

    @app.before_request
    def _sync():
        sync_calendar(unless_checked_within=window)
