"""Queue tickets: the waiting line of a site's rooms, which reception issues and rooms call."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models.cases import Visit
from desk.models.org import Room, Site
from desk.timeutil import utcnow


class TicketStatus(TitledEnum):
    waiting = "waiting"
    called = "called"
    serving = "serving"
    done = "done"
    no_show = "no_show"

    @staticmethod
    def __titles__():
        return {"waiting": _l("Waiting"), "called": _l("Called"), "serving": _l("Being served"),
                "done": _l("Done"), "no_show": _l("Did not show")}


class Ticket(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id"))
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visit.id"), unique=True)
    day: Mapped[date]
    number: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(12))
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus), default=TicketStatus.waiting)
    priority: Mapped[bool] = mapped_column(default=False)
    arrived_at: Mapped[datetime] = mapped_column(default=utcnow)
    called_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    site: Mapped[Site] = relationship()
    room: Mapped[Room] = relationship(lazy="joined")
    visit: Mapped[Visit | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("site_id", "day", "label"),
        sa.Index("ix_ticket_site_day_status", "site_id", "day", "status"),
    )

    def visible_to(self, user) -> bool:
        """A ticket carries no place of its own: it is in scope where its site is (desk.access.find_in_scope)."""
        from desk.access import in_scope  # desk.access imports the models: imported when first asked
        return in_scope(user, self.site.org_unit)

    @property
    def waiting_seconds(self) -> int | None:
        return int((self.called_at - self.arrived_at).total_seconds()) if self.called_at else None

    @property
    def service_seconds(self) -> int | None:
        if self.started_at and self.finished_at:
            return int((self.finished_at - self.started_at).total_seconds())
        return None
