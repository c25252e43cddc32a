"""Tables of outreach requests and the members' assignments to them."""
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import OrgUnit, PlaceMixin, Site, User
from desk.timeutil import utcnow
from referrals.talent.models import Talent

if TYPE_CHECKING:  # the service record is the field sub-domain's table
    from outreach.field.models import ServiceRecord


class ServiceKind(TitledEnum):
    legal = "legal"
    psychological = "psychological"
    social_work = "social_work"
    mediation = "mediation"
    policy = "policy"

    @staticmethod
    def __titles__():
        return {"legal": _l("Legal advice"), "psychological": _l("Psychological counseling"),
                "social_work": _l("Social work"), "mediation": _l("Mediation"),
                "policy": _l("Policy explanation")}


class RequestStatus(TitledEnum):
    open = "open"
    assigned = "assigned"
    done = "done"
    cancelled = "cancelled"

    @staticmethod
    def __titles__():
        return {"open": _l("Waiting to be taken on"), "assigned": _l("Assigned"), "done": _l("Served"),
                "cancelled": _l("Cancelled")}


class OutreachRequest(PlaceMixin, db.Model):
    """A village point, town station or the county center asks for a service on a day, at a place."""

    __tablename__ = "outreach_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind))
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    on_date: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time]
    end_time: Mapped[time]
    expected_people: Mapped[int] = mapped_column(default=1)
    languages: Mapped[str] = mapped_column(sa.String(120), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RequestStatus] = mapped_column(enum_column(RequestStatus), default=RequestStatus.open,
                                                  index=True)
    # The member who took it (set by the one-winner accept).
    talent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("talent.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    site: Mapped[Site | None] = relationship()
    requested_by: Mapped[User | None] = relationship()
    talent: Mapped[Talent | None] = relationship()
    assignments: Mapped[list["OutreachAssignment"]] = relationship(back_populates="request",
                                                                   order_by="OutreachAssignment.id")

    @property
    def place(self) -> OrgUnit | None:
        return db.session.get(OrgUnit, self.place_unit_id) if self.place_unit_id else None

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class AssignmentStatus(TitledEnum):
    offered = "offered"
    accepted = "accepted"
    declined = "declined"
    expired = "expired"
    cancelled = "cancelled"
    in_progress = "in_progress"
    done = "done"

    @staticmethod
    def __titles__():
        return {"offered": _l("Waiting to be taken on"), "accepted": _l("Taken on"), "declined": _l("Declined"),
                "expired": _l("Taken by someone else or expired"), "cancelled": _l("Cancelled"),
                "in_progress": _l("Checked in"), "done": _l("Done")}


class OutreachAssignment(db.Model):
    """One member asked to serve one request; of several offered at once, the first to accept takes it."""

    __tablename__ = "outreach_assignment"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("outreach_request.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent.id"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(enum_column(AssignmentStatus),
                                                     default=AssignmentStatus.offered, index=True)
    score: Mapped[float | None]
    offered_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    decline_reason: Mapped[str | None] = mapped_column(sa.Text)
    checked_in_at: Mapped[datetime | None]
    checked_out_at: Mapped[datetime | None]

    request: Mapped[OutreachRequest] = relationship(back_populates="assignments")
    talent: Mapped[Talent] = relationship()
    record: Mapped["ServiceRecord | None"] = relationship(back_populates="assignment", uselist=False)

    __table_args__ = (sa.UniqueConstraint("request_id", "talent_id"),)
