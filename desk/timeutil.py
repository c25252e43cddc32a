"""One clock for the whole desk, so tests and jobs can control "now"."""
from datetime import date, datetime, timezone
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
