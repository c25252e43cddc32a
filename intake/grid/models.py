"""Tables of grid events (网格事件): what a grid member reports from the street, and which grids a member serves."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import Category, Department, OrgUnit, PlaceMixin, User
from desk.timeutil import utcnow

__all__ = ["EventKind", "EventStatus", "DispatchTarget", "EventRating", "GridEvent", "GridEventPhoto"]


class EventKind(TitledEnum):
    dispute = "dispute"
    safety = "safety"
    sanitation = "sanitation"
    livelihood = "livelihood"
    petition_sign = "petition_sign"
    other = "other"

    @staticmethod
    def __titles__():
        return {"dispute": _l("Dispute or conflict"), "safety": _l("Safety hazard"),
                "sanitation": _l("Environment and sanitation"), "livelihood": _l("Livelihood request"),
                "petition_sign": _l("Early sign of a petition"), "other": _l("Other")}


class EventStatus(TitledEnum):
    reported = "reported"
    dispatched = "dispatched"
    handled = "handled"
    closed = "closed"
    rated = "rated"
    converted = "converted"

    @staticmethod
    def __titles__():
        return {"reported": _l("Reported"), "dispatched": _l("Dispatched"), "handled": _l("Handled"),
                "closed": _l("Closed"), "rated": _l("Closed and rated"), "converted": _l("Became a case")}


class DispatchTarget(TitledEnum):
    department = "department"
    mediator = "mediator"
    station = "station"

    @staticmethod
    def __titles__():
        return {"department": _l("A county department (dispatch order)"), "mediator": _l("A mediator"),
                "station": _l("The town station")}


class EventRating(TitledEnum):
    """The desk's satisfaction words (as the callbacks use them)."""
    satisfied = "satisfied"
    basic = "basic"
    dissatisfied = "dissatisfied"

    @staticmethod
    def __titles__():
        return {"satisfied": _l("Satisfied"), "basic": _l("Basically satisfied"),
                "dissatisfied": _l("Dissatisfied")}


class GridEvent(PlaceMixin, db.Model):
    """One event in a grid. The dated history (dispatched_at, handled_at, closed_at) feeds the measures."""

    __tablename__ = "grid_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.reported)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))
    description: Mapped[str] = mapped_column(sa.Text)
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Dispatch: to a department (through a case and its dispatch order), a mediator's user, or the town station.
    target: Mapped[DispatchTarget | None] = mapped_column(enum_column(DispatchTarget))
    dispatched_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    dispatched_at: Mapped[datetime | None]
    handle_due_at: Mapped[datetime | None]
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("dispatch_order.id"))
    instructions: Mapped[str | None] = mapped_column(sa.Text)
    # Handling and closing.
    result: Mapped[str | None] = mapped_column(sa.Text)
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    handled_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    closed_at: Mapped[datetime | None]
    rating: Mapped[EventRating | None] = mapped_column(enum_column(EventRating))
    rated_at: Mapped[datetime | None]
    # The case this event became (a petition), or the case its dispatch order hangs on.
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case.id"), index=True)
    converted_at: Mapped[datetime | None]

    category: Mapped[Category] = relationship(lazy="joined")
    grid: Mapped[OrgUnit | None] = relationship(foreign_keys="GridEvent.grid_id", lazy="joined")
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    department: Mapped[Department | None] = relationship()
    case = relationship("Case")
    order = relationship("DispatchOrder")
    photos: Mapped[list["GridEventPhoto"]] = relationship(back_populates="event", cascade="all, delete-orphan",
                                                          order_by="GridEventPhoto.id")

    __table_args__ = (
        sa.Index("ix_grid_event_town_reported", "town_id", "reported_at"),
        sa.Index("ix_grid_event_county_reported", "county_id", "reported_at"),
        sa.Index("ix_grid_event_grid_reported", "grid_id", "reported_at"),
    )

    def visible_to(self, user) -> bool:
        """desk.access.find_in_scope asks this; the SQL twin is intake.grid.services.visible_clause."""
        from intake.grid.services import may_see
        return may_see(user, self)

    @property
    def handled_on_time(self) -> bool | None:
        if self.handled_at is None or self.handle_due_at is None:
            return None
        return self.handled_at <= self.handle_due_at

    def __str__(self) -> str:
        return self.number


class GridEventPhoto(db.Model):
    """A photo of the report or of the handling; stored by content hash outside static, like attachments."""

    __tablename__ = "grid_event_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("grid_event.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(sa.String(16))   # "report" or "handling"
    filename: Mapped[str] = mapped_column(sa.String(200))
    mime: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    path: Mapped[str] = mapped_column(sa.String(300))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[GridEvent] = relationship(back_populates="photos")
