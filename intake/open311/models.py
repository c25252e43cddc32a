"""API clients: one key per outside system, stored only as a keyed hash."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import enum_column
from desk.extensions import db
from desk.models import Channel, OrgUnit, User
from desk.timeutil import utcnow


class ApiClient(db.Model):
    """An outside system allowed to submit matters for ``unit`` (a county, or the whole city) as ``channel``."""
    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(sa.String(8))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    unit: Mapped[OrgUnit] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def visible_to(self, user) -> bool:
        """Seen by staff whose unit holds the client's unit (desk.access.find_in_scope asks this)."""
        unit = user.org_unit
        return getattr(self.unit, f"{unit.level.value}_id") == unit.id

    @classmethod
    def scoped(cls, user) -> sa.Select:
        """The clients ``user`` may see, newest first."""
        from desk.access import scope_clause
        return (sa.select(cls).join(OrgUnit, OrgUnit.id == cls.unit_id).where(scope_clause(OrgUnit, user))
                .order_by(cls.created_at.desc(), cls.id.desc()))

    def may_submit_for(self, county: OrgUnit) -> bool:
        return getattr(county, f"{self.unit.level.value}_id") == self.unit_id

    def __str__(self) -> str:
        return self.name
