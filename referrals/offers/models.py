"""Tables of referrals: a case offered to a room or a member of the talent pool, and its progress notes."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import PlaceMixin, Room
from desk.timeutil import utcnow
from referrals.talent.models import Talent


class ReferralStatus(TitledEnum):
    offered = "offered"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    in_progress = "in_progress"
    done = "done"

    @staticmethod
    def __titles__():
        return {"offered": _l("Waiting to be taken on"), "accepted": _l("Taken on"), "declined": _l("Declined"),
                "expired": _l("Expired"), "in_progress": _l("Checked in"), "done": _l("Done")}


class ReferralOutcome(TitledEnum):
    agreement = "agreement"
    no_agreement = "no_agreement"
    advice = "advice"
    transferred = "transferred"

    @staticmethod
    def __titles__():
        return {"agreement": _l("Mediated: agreement reached"), "no_agreement": _l("No agreement"),
                "advice": _l("Advice given"), "transferred": _l("Transferred elsewhere")}


class Referral(PlaceMixin, db.Model):
    """A case offered to a room (whoever is on duty there) or to one member of the talent pool."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    offered_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("talent.id"), index=True)
    talent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("talent.id"), index=True)
    status: Mapped[ReferralStatus] = mapped_column(enum_column(ReferralStatus), default=ReferralStatus.offered,
                                                   index=True)
    score: Mapped[float | None]
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    checked_in_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    outcome: Mapped[ReferralOutcome | None] = mapped_column(enum_column(ReferralOutcome))
    outcome_note: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    case = relationship("Case")
    room: Mapped[Room | None] = relationship()
    offered_to: Mapped[Talent | None] = relationship(foreign_keys=[offered_to_id])
    talent: Mapped[Talent | None] = relationship(foreign_keys=[talent_id])
    notes: Mapped[list["ReferralNote"]] = relationship(cascade="all, delete-orphan", order_by="ReferralNote.at")


class ReferralNote(db.Model):
    __tablename__ = "referral_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(sa.ForeignKey("referral.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(sa.Text)
