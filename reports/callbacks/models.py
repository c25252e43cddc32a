"""Tables of satisfaction callbacks (回访): one per concluded case and round, with its rating."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import Case, Category, PlaceMixin, User


class Rating(TitledEnum):
    """The rating scale for a concluded matter (DOMAIN.md: satisfaction and other measures)."""

    satisfied = "satisfied"
    basic = "basic"
    dissatisfied = "dissatisfied"

    @staticmethod
    def __titles__():
        return {"satisfied": _l("Satisfied"), "basic": _l("Basically satisfied"),
                "dissatisfied": _l("Dissatisfied")}


class CallbackStatus(TitledEnum):
    pending = "pending"
    rated = "rated"
    not_rated_in_time = "not_rated_in_time"

    @staticmethod
    def __titles__():
        return {"pending": _l("Awaiting callback"), "rated": _l("Rated"),
                "not_rated_in_time": _l("Not rated in time")}


class CallbackChannel(TitledEnum):
    phone = "phone"
    sms = "sms"
    visit = "visit"
    online = "online"
    tracking_code = "tracking_code"

    @staticmethod
    def __titles__():
        return {"phone": _l("Phone call"), "sms": _l("Text message"), "visit": _l("Home or office visit"),
                "online": _l("Online"), "tracking_code": _l("Citizen, by tracking code")}


class Callback(PlaceMixin, db.Model):
    """One satisfaction callback per conclusion of a case (a case concluded again after review gets round 2).

    ``concluded_on`` and ``category_id`` are copied from the case so the satisfaction and participation
    measures are plain indexed aggregates over this table.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    round: Mapped[int] = mapped_column(default=1)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))
    concluded_on: Mapped[date]
    # The last day of the rating window (CALLBACK_WINDOW_DAYS after conclusion).
    due_on: Mapped[date]
    rating: Mapped[Rating | None] = mapped_column(enum_column(Rating))
    channel: Mapped[CallbackChannel | None] = mapped_column(enum_column(CallbackChannel))
    comment: Mapped[str | None] = mapped_column(sa.Text)
    rated_at: Mapped[datetime | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    status: Mapped[CallbackStatus] = mapped_column(enum_column(CallbackStatus), default=CallbackStatus.pending)

    case: Mapped[Case] = relationship()
    category: Mapped[Category] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("case_id", "round"),
        sa.Index("ix_callback_county_concluded", "county_id", "concluded_on"),
        sa.Index("ix_callback_status_due", "status", "due_on"),
        # the work list (pending, soonest due) and the recently recorded list in a county's or a town's scope
        sa.Index("ix_callback_county_status_due", "county_id", "status", "due_on"),
        sa.Index("ix_callback_town_status_due", "town_id", "status", "due_on"),
        sa.Index("ix_callback_county_status_rated", "county_id", "status", "rated_at"),
        sa.Index("ix_callback_town_status_rated", "town_id", "status", "rated_at"),
    )
