"""Login throttling: growing delays after repeated failed logins, counted per typed username and client
address, and per client address alone; never a lock on the account itself.

An attacker elsewhere slows down only their own address, so the owner still logs in at their own device.
A delayed attempt is refused before any account is looked up or any password checked, with the same
answer whatever the username, known or not. Counters are keyed by a keyed hash (desk/crypto.py): neither
the address nor the name typed is stored.
"""
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from desk.audit import record_audit
from desk.crypto import lookup_hash
from desk.extensions import db
from desk.models import LoginThrottle

ACCOUNT, ADDRESS = "account", "address"


@dataclass(frozen=True)
class Limits:
    """Free failures per kind of counter, the first and the largest delay, and when a quiet counter is
    forgotten (the LOGIN_* settings in desk/config.py)."""
    free: dict
    first_delay: int
    max_delay: int
    forget: timedelta

    @classmethod
    def from_config(cls, config) -> "Limits":
        return cls(free={ACCOUNT: config["LOGIN_FREE_FAILURES_PER_ACCOUNT"],
                         ADDRESS: config["LOGIN_FREE_FAILURES_PER_ADDRESS"]},
                   first_delay=config["LOGIN_FIRST_DELAY_SECONDS"], max_delay=config["LOGIN_MAX_DELAY_SECONDS"],
                   forget=timedelta(minutes=config["LOGIN_THROTTLE_FORGET_MINUTES"]))

    def delay(self, kind: str, failures: int) -> int:
        """Seconds the next attempt waits after ``failures`` failures: none while free, then doubling, capped."""
        extra = failures - self.free[kind]
        if extra <= 0:
            return 0
        return min(self.first_delay * 2 ** min(extra - 1, 40), self.max_delay)


def counter_keys(username: str, address: str | None) -> dict[str, str]:
    """The two counters an attempt touches: (name typed, address) and (address)."""
    address = address or "-"
    name = (username or "").strip().casefold()
    return {ACCOUNT: lookup_hash(f"login-account\x1f{name}\x1f{address}"),
            ADDRESS: lookup_hash(f"login-address\x1f{address}")}


def seconds_to_wait(keys: dict[str, str], now: datetime, limits: Limits) -> int:
    """How long this attempt must wait (0: it may go ahead).

    A counter already past its free failures is locked (PostgreSQL) until this attempt ends, so parallel
    attempts from one address take turns and each sees the delay the previous one set. (SQLite takes its
    write lock for every login anyway.)"""
    table = LoginThrottle.__table__
    rows = db.session.execute(sa.select(table).where(table.c.key.in_(keys.values()))).all()
    kinds = {key: kind for kind, key in keys.items()}
    hot = [row.key for row in rows if _fresh(row, now, limits) and row.failures >= limits.free[kinds[row.key]]]
    if hot:
        rows = db.session.execute(sa.select(table).where(table.c.key.in_(hot)).with_for_update()).all()
    waits = [(row.blocked_until - now).total_seconds() for row in rows
             if row.blocked_until is not None and row.blocked_until > now]
    return math.ceil(max(waits)) if waits else 0


def record_failure(keys: dict[str, str], now: datetime, limits: Limits, *, user_id: int | None) -> None:
    """Count a failed attempt on both counters; each past its free failures delays the next attempt.
    The first delay of a run is audited (which counter, how many failures; never the address or name)."""
    table = LoginThrottle.__table__
    _forget_old(now, limits)
    for kind, key in keys.items():
        _insert_if_missing(table, key)
        stale = sa.or_(table.c.last_failure_at.is_(None), table.c.last_failure_at < now - limits.forget)
        failures = db.session.execute(
            table.update().where(table.c.key == key)
            .values(failures=sa.case((stale, 1), else_=table.c.failures + 1), last_failure_at=now)
            .returning(table.c.failures)).scalar_one()
        delay = limits.delay(kind, failures)
        if delay:
            db.session.execute(table.update().where(table.c.key == key)
                               .values(blocked_until=now + timedelta(seconds=delay)))
        if failures == limits.free[kind] + 1:
            record_audit(actor=None, entity="login_throttle", entity_id=user_id if kind == ACCOUNT and user_id else 0,
                         action="throttle", detail={"counter": kind, "failures": failures, "delay_seconds": delay})


def record_success(keys: dict[str, str]) -> None:
    """The owner got in from this address: their (name, address) counter starts again."""
    table = LoginThrottle.__table__
    db.session.execute(table.delete().where(table.c.key == keys[ACCOUNT]))


def _fresh(row, now: datetime, limits: Limits) -> bool:
    return row.last_failure_at is not None and row.last_failure_at >= now - limits.forget


def _forget_old(now: datetime, limits: Limits) -> None:
    """Counters quiet for longer than the forget period count as zero anyway; drop them."""
    table = LoginThrottle.__table__
    db.session.execute(table.delete().where(
        table.c.last_failure_at < now - limits.forget,
        sa.or_(table.c.blocked_until.is_(None), table.c.blocked_until <= now)))


def _insert_if_missing(table, key: str) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    db.session.execute(insert(table).values(key=key, failures=0).on_conflict_do_nothing())
