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
