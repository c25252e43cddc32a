"""One clock for the whole desk, so tests and jobs can control "now".

Pages, services, jobs and the demo seeder read "now" and "today" here and nowhere else; the database
server's own now() is never used, so a frozen clock (tests, benchmarks, the demo's backdated history)
rules everything the desk writes and compares."""
from contextlib import contextmanager
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
_frozen: dict = {}


def utcnow() -> datetime:
    """Naive UTC now (stored that way in both databases)."""
    if "now" in _frozen:
        return _frozen["now"]
    return datetime.now(timezone.utc).replace(tzinfo=None)


def local_today() -> date:
    """Today's date in China, which is what statutory clocks count in."""
    return to_local(utcnow()).date()


def to_local(value: datetime) -> datetime:
    return value.replace(tzinfo=timezone.utc).astimezone(LOCAL)


def freeze(now: datetime | None) -> None:
    """Pin the clock (tests, benchmarks); None releases it."""
    if now is None:
        _frozen.pop("now", None)
    else:
        _frozen["now"] = now


def frozen_now() -> datetime | None:
    return _frozen.get("now")


@contextmanager
def frozen_at(now: datetime):
    """Pin the clock for a block, then put back whatever was there before (a frozen time or none)."""
    previous = _frozen.get("now")
    freeze(now)
    try:
        yield now
    finally:
        freeze(previous)


def utc_of_local(day: date, at: time) -> datetime:
    """The naive UTC moment of a local (China) wall-clock time on a day."""
    return datetime.combine(day, at, tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)
