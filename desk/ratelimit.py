"""Fixed-window rate limits kept in the database, so every web worker counts against the same window.

Used where no login slows a client down: the citizens' online form (per client address and per phone) and
the Open311 API (per API key). A window is ``per`` long from its first hit; the counter's key is a keyed
hash (desk/crypto.py), so neither an address nor a phone number is stored."""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from desk.crypto import lookup_hash
from desk.errors import DomainError
from desk.extensions import db
from desk.models import RateCounter
from desk.timeutil import utcnow


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``per`` for one value of one kind (e.g. 5 reports per hour per phone)."""
    count: int
    per: timedelta


class RateLimited(DomainError):
    """Too many hits in the window; ``retry_after`` is the number of seconds until the window ends."""

    def __init__(self, retry_after: int, field: str | None = None):
        super().__init__(_l("Too many requests: please try again in %(minutes)s minutes.",
                            minutes=max(1, -(-retry_after // 60))), field=field)
        self.retry_after = retry_after


def counter_key(kind: str, value: str | None) -> str:
    return lookup_hash(f"rate\x1f{kind}\x1f{value or '-'}")


def hit(kind: str, value: str | None, limit: Limit, *, now: datetime | None = None,
        field: str | None = None) -> int:
    """Count one hit and return the count in the current window; raise RateLimited past the limit.

    One statement (insert, or on conflict restart an expired window or add one), so two workers hitting at
    once both count."""
    now = now or utcnow()
    key = counter_key(kind, value)
    table = RateCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql if dialect == "postgresql" else sqlite).insert(table)
    expired = table.c.window_start <= now - limit.per
    statement = insert.values(key=key, window_start=now, count=1).on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"window_start": sa.case((expired, now), else_=table.c.window_start),
              "count": sa.case((expired, 1), else_=table.c.count + 1)},
    ).returning(table.c.count, table.c.window_start)
    count, started = db.session.execute(statement).one()
    if count > limit.count:
        retry_after = int((started + limit.per - now).total_seconds()) + 1
        raise RateLimited(max(retry_after, 1), field=field)
    return count


def forget_old_counters(*, older_than: timedelta, now: datetime | None = None) -> int:
    """Delete counters whose window started long ago (a scheduled clean-up); returns how many."""
    now = now or utcnow()
    result = db.session.execute(sa.delete(RateCounter).where(RateCounter.window_start < now - older_than))
    return result.rowcount or 0
