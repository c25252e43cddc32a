"""The audit trail: one row per state change or sensitive read."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.extensions import db
from desk.models.users import User
from desk.timeutil import utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    entity: Mapped[str] = mapped_column(sa.String(32))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(sa.String(40))
    from_state: Mapped[str | None] = mapped_column(sa.String(32))
    to_state: Mapped[str | None] = mapped_column(sa.String(32))
    reason: Mapped[str | None] = mapped_column(sa.Text)
    detail: Mapped[dict | None] = mapped_column(sa.JSON)

    actor: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (sa.Index("ix_audit_entity", "entity", "entity_id", "at"),)

    # What a history page shows: the recorded codes in the reader's language (desk.audit keeps the words).
    @property
    def action_title(self):
        from desk.audit import action_title
        return action_title(self.entity, self.action)

    @property
    def from_title(self):
        from desk.audit import state_title
        return state_title(self.entity, self.from_state)

    @property
    def to_title(self):
        from desk.audit import state_title
        return state_title(self.entity, self.to_state)


class Notification(db.Model):
    """An in-app notice (reminders, offers); dedupe_key makes every job's notice fire once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(40))
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    link: Mapped[str | None] = mapped_column(sa.String(200))
    read_at: Mapped[datetime | None]
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)

    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)
