"""Tables of what an outreach achieved: the service record and the cases registered in the field."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import enum_column
from desk.extensions import db
from desk.models import Case, PlaceMixin, Site
from desk.timeutil import utcnow
from outreach.assignments.models import OutreachAssignment, OutreachRequest, ServiceKind
from referrals.talent.models import Talent


class ServiceRecord(PlaceMixin, db.Model):
    """What one outreach achieved: people served (person-times, 人次), topics, outcome."""

    __tablename__ = "outreach_service_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("outreach_assignment.id"), unique=True)
    request_id: Mapped[int] = mapped_column(sa.ForeignKey("outreach_request.id"), index=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind))
    served_on: Mapped[date]
    people_served: Mapped[int]
    topics: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[str] = mapped_column(sa.Text, default="")
    # Outreach satisfaction (群众满意度): how many of the people served, asked at the end, rated the service
    # satisfied / basically satisfied / dissatisfied. Optional; all three 0 when nobody was asked.
    rated_satisfied: Mapped[int] = mapped_column(default=0, server_default="0")
    rated_basic: Mapped[int] = mapped_column(default=0, server_default="0")
    rated_dissatisfied: Mapped[int] = mapped_column(default=0, server_default="0")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[OutreachAssignment] = relationship(back_populates="record")
    request: Mapped[OutreachRequest] = relationship()
    talent: Mapped[Talent] = relationship()
    site: Mapped[Site | None] = relationship()

    __table_args__ = (sa.Index("ix_outreach_service_record_county_served", "county_id", "served_on"),)


class FollowUpCase(db.Model):
    """A case registered in the field during an assignment: the service record's follow-up cases."""

    __tablename__ = "outreach_followup_case"

    assignment_id: Mapped[int] = mapped_column(sa.ForeignKey("outreach_assignment.id", ondelete="CASCADE"),
                                               primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()

    __table_args__ = (sa.Index("ix_outreach_followup_case_case", "case_id"),)
