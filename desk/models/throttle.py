"""Failed-login counters for login throttling (desk/auth/throttle.py)."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from desk.extensions import db


class LoginThrottle(db.Model):
    """One counter per typed username and client address, and one per client address alone.

    ``key`` is a keyed hash (desk/crypto.py ``lookup_hash``) of the counter's kind and values: neither the
    address nor the name typed is stored."""
    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime | None] = mapped_column(index=True)
    blocked_until: Mapped[datetime | None]


class RateCounter(db.Model):
    """A fixed-window request counter (desk/ratelimit.py): online reports per client address and per phone,
    Open311 calls per API key. ``key`` is a keyed hash of the counter's kind and value, never the value."""
    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(default=0)
