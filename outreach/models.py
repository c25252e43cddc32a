"""Tables of the outreach area: requests, assignments, service records, follow-up cases and mediation."""
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import Case, OrgUnit, PlaceMixin, Site, User
from desk.timeutil import utcnow
from referrals.talent.models import Talent


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
        return {"open": _l("Waiting for a member"), "assigned": _l("Assigned"), "done": _l("Served"),
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
        return {"offered": _l("Offered"), "accepted": _l("Taken on"), "declined": _l("Declined"),
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


class MediationStatus(TitledEnum):
    ongoing = "ongoing"
    agreement = "agreement"
    no_agreement = "no_agreement"
    terminated = "terminated"

    @staticmethod
    def __titles__():
        return {"ongoing": _l("Mediation under way"), "agreement": _l("Agreement reached"),
                "no_agreement": _l("No agreement"), "terminated": _l("Mediation terminated")}


class Mediation(PlaceMixin, db.Model):
    """People's mediation of a case, ending in an agreement (调解协议书), no agreement, or termination."""

    __tablename__ = "mediation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("talent.id"), index=True)
    started_on: Mapped[date]
    status: Mapped[MediationStatus] = mapped_column(enum_column(MediationStatus),
                                                    default=MediationStatus.ongoing, index=True)
    # No agreement / terminated: what happened, and the routes the parties were told about.
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    routes_told: Mapped[str | None] = mapped_column(sa.Text)
    # The agreement (People's Mediation Law art. 29): facts, points in dispute, responsibilities, terms,
    # how and by when it is carried out; copies: one per party plus one kept.
    number: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    facts: Mapped[str | None] = mapped_column(sa.Text)
    disputes: Mapped[str | None] = mapped_column(sa.Text)
    responsibilities: Mapped[str | None] = mapped_column(sa.Text)
    terms: Mapped[str | None] = mapped_column(sa.Text)
    performance_method: Mapped[str | None] = mapped_column(sa.Text)
    performance_deadline: Mapped[date | None]
    copies: Mapped[int] = mapped_column(default=3)
    agreed_on: Mapped[date | None]
    judicial_confirmation_due: Mapped[date | None] = mapped_column(index=True)
    ended_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    mediator: Mapped[Talent | None] = relationship()
    parties: Mapped[list["MediationParty"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="MediationParty.id")
    sessions: Mapped[list["MediationSession"]] = relationship(cascade="all, delete-orphan",
                                                              order_by="MediationSession.held_on")


class MediationParty(db.Model):
    """A party to the mediation as written in the agreement (side a: applicant, side b: respondent)."""

    __tablename__ = "mediation_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(sa.String(1))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    details: Mapped[str] = mapped_column(sa.String(300), default="")


class MediationSession(db.Model):
    """One sitting: when, where, who was there, and what each party said it wants."""

    __tablename__ = "mediation_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(200))
    parties_present: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"party": name, "position": text}, ...]
    positions: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
