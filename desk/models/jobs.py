"""Scheduler bookkeeping: a lease per job so two scheduler processes never run one job at once."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from desk.extensions import db
from desk.timeutil import utcnow


class JobLock(db.Model):
    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    holder: Mapped[str | None] = mapped_column(sa.String(80))
    locked_until: Mapped[datetime | None]


class JobRun(db.Model):
    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    ok: Mapped[bool | None]
    # "ran", "skipped: locked", or the error's class name (never personal data).
    outcome: Mapped[str] = mapped_column(sa.String(200), default="")
    count: Mapped[int] = mapped_column(default=0)
