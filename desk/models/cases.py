"""Cases (matters), their parties, and visits (contacts) — the spine every area hangs on."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models.org import Category, Department, Level, OrgUnit, PlaceMixin, Site
from desk.models.people import Person
from desk.models.users import User
from desk.timeutil import utcnow


class CaseStatus(TitledEnum):
    registered = "registered"
    accepted = "accepted"
    not_accepted = "not_accepted"
    in_progress = "in_progress"
    concluded = "concluded"
    closed = "closed"
    under_review = "under_review"
    under_rereview = "under_rereview"
    final = "final"
    transferred = "transferred"

    @staticmethod
    def __titles__():
        return {"registered": _l("Registered"), "accepted": _l("Accepted"),
                "not_accepted": _l("Not accepted"), "in_progress": _l("In progress"),
                "concluded": _l("Concluded"), "closed": _l("Closed"), "under_review": _l("Under review"),
                "under_rereview": _l("Under re-review"), "final": _l("Concluded after re-review"),
                "transferred": _l("Transferred to the competent body")}


# A clock of the desk's is running: registration, handling, a review or a re-review.
OPEN_STATUSES = (CaseStatus.registered, CaseStatus.accepted, CaseStatus.in_progress, CaseStatus.under_review,
                 CaseStatus.under_rereview)
# Still being handled for the first time (orders, referrals and mediation are issued for these).
HANDLING_STATUSES = (CaseStatus.registered, CaseStatus.accepted, CaseStatus.in_progress)
# A written reply has been given at some stage.
REPLIED_STATUSES = (CaseStatus.concluded, CaseStatus.closed, CaseStatus.final)


class PetitionType(TitledEnum):
    suggestion = "suggestion"
    accusation = "accusation"
    demand = "demand"

    @staticmethod
    def __titles__():
        return {"suggestion": _l("Suggestion / opinion"), "accusation": _l("Report / accusation"),
                "demand": _l("Appeal / demand")}


class DemandBranch(TitledEnum):
    """The six branches of appeal/demand matters (2022 Regulations on Letters and Visits Work)."""

    litigation = "litigation"
    arbitration = "arbitration"
    party_member = "party_member"
    administrative = "administrative"
    violation = "violation"
    other = "other"

    @staticmethod
    def __titles__():
        return {"litigation": _l("Court, procuratorate or police procedure"),
                "arbitration": _l("Arbitration"), "party_member": _l("Party-member appeal"),
                "administrative": _l("Administrative reconsideration, ruling, licensing or penalty"),
                "violation": _l("Punish a violation or protect a right"),
                "other": _l("Other demand (handled under the 60-day clock)")}


class Route(TitledEnum):
    """Where a matter not heard on the petition track goes (诉访分离; accusations to the competent body)."""

    court = "court"
    procuratorate = "procuratorate"
    police = "police"
    arbitration = "arbitration"
    party_organ = "party_organ"
    reconsideration = "reconsideration"
    law_enforcement = "law_enforcement"
    discipline = "discipline"
    other = "other"

    @staticmethod
    def __titles__():
        return {"court": _l("People's court"), "procuratorate": _l("People's procuratorate"),
                "police": _l("Public security organ"), "arbitration": _l("Arbitration committee"),
                "party_organ": _l("Party organ"), "reconsideration": _l("Administrative reconsideration body"),
                "law_enforcement": _l("Law-enforcement body"),
                "discipline": _l("Discipline inspection and supervision organ"),
                "other": _l("Other competent body")}


# The routes of the five statutory branches not accepted on the petition track, and of accusations.
LITIGATION_ROUTES = (Route.court, Route.procuratorate, Route.police)
BRANCH_ROUTES = {
    DemandBranch.litigation: LITIGATION_ROUTES,
    DemandBranch.arbitration: (Route.arbitration,),
    DemandBranch.party_member: (Route.party_organ,),
    DemandBranch.administrative: (Route.reconsideration,),
    DemandBranch.violation: (Route.law_enforcement,),
}
ACCUSATION_ROUTES = (Route.discipline, Route.police, Route.procuratorate, Route.other)


class StageKind(TitledEnum):
    """The staged process: handling, then at most one review (复查) and one re-review (复核)."""

    handling = "handling"
    review = "review"
    rereview = "rereview"

    @staticmethod
    def __titles__():
        return {"handling": _l("Handling"), "review": _l("Review"), "rereview": _l("Re-review")}


class Outcome(TitledEnum):
    support = "support"
    explanation = "explanation"
    no_support = "no_support"

    @staticmethod
    def __titles__():
        return {"support": _l("Support"), "explanation": _l("Explanation"),
                "no_support": _l("No support")}


class Channel(TitledEnum):
    walk_in = "walk_in"
    phone = "phone"
    letter = "letter"
    online = "online"
    grid = "grid"
    hotline = "hotline"
    outreach = "outreach"

    @staticmethod
    def __titles__():
        return {"walk_in": _l("Walk-in"), "phone": _l("Phone"), "letter": _l("Letter"),
                "online": _l("Online"), "grid": _l("Grid report"),
                "hotline": _l("Hotline transfer"), "outreach": _l("Outreach")}


class CaseGrade(TitledEnum):
    """一般 / 较大 / 重大: group size, risk, sensitivity (DOMAIN.md); set at registration, raisable."""

    general = "general"
    major = "major"
    serious = "serious"

    @staticmethod
    def __titles__():
        return {"general": _l("General (一般)"), "major": _l("Major (较大)"), "serious": _l("Serious (重大)")}


GRADE_ORDER = [CaseGrade.general, CaseGrade.major, CaseGrade.serious]


class Case(PlaceMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(sa.String(24), unique=True)
    tracking_code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"))
    petition_type: Mapped[PetitionType] = mapped_column(enum_column(PetitionType))
    demand_branch: Mapped[DemandBranch | None] = mapped_column(enum_column(DemandBranch))
    title: Mapped[str] = mapped_column(sa.String(200))
    facts: Mapped[str] = mapped_column(sa.Text, default="")
    demand: Mapped[str] = mapped_column(sa.Text, default="")
    other_party: Mapped[str] = mapped_column(sa.String(200), default="")
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.registered)
    is_group: Mapped[bool] = mapped_column(default=False)
    head_count: Mapped[int] = mapped_column(default=1)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Statutory clocks: stored when each starts, so overdue queries are plain indexed SQL.
    received_on: Mapped[date]
    register_due: Mapped[date]
    notify_due: Mapped[date]
    decided_on: Mapped[date | None]
    accepted_on: Mapped[date | None]
    conclude_due: Mapped[date | None]
    extended_on: Mapped[date | None]
    extension_reason: Mapped[str | None] = mapped_column(sa.Text)
    extended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    not_accepted_reason: Mapped[str | None] = mapped_column(sa.Text)
    directed_to: Mapped[str | None] = mapped_column(sa.String(200))
    route: Mapped[Route | None] = mapped_column(enum_column(Route))
    litigation_track: Mapped[bool] = mapped_column(default=False)
    # The first written reply (the handling stage's); later stages never overwrite it.
    concluded_on: Mapped[date | None]
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    outcome_text: Mapped[str | None] = mapped_column(sa.Text)
    legal_basis: Mapped[str | None] = mapped_column(sa.Text)
    # The latest reply of any stage (callback rounds follow it) and the petitioner's window to ask for the
    # next stage (review or re-review), which runs from the reply's delivery.
    last_reply_on: Mapped[date | None]
    request_due: Mapped[date | None]
    closed_on: Mapped[date | None]
    # The running clock's due date (registration, handling, review or re-review), for "overdue / due soon".
    next_due: Mapped[date | None]

    # Routing and ownership (intake/routing)
    owner_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    handling_department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    level: Mapped[Level] = mapped_column(enum_column(Level), default=Level.town, server_default="town")
    grade: Mapped[CaseGrade] = mapped_column(enum_column(CaseGrade), default=CaseGrade.general,
                                             server_default="general")
    leader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    owner_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[owner_unit_id])
    handling_department: Mapped[Department | None] = relationship()
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])

    category: Mapped[Category] = relationship(lazy="joined")
    site: Mapped[Site | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    extended_by: Mapped[User | None] = relationship(foreign_keys=[extended_by_id])
    stages: Mapped[list["CaseStage"]] = relationship(back_populates="case", cascade="all, delete-orphan",
                                                     order_by="CaseStage.id")
    parties: Mapped[list["CaseParty"]] = relationship(back_populates="case", cascade="all, delete-orphan",
                                                      order_by="CaseParty.id")
    visits: Mapped[list["Visit"]] = relationship(back_populates="case", order_by="Visit.visited_at")

    __table_args__ = (
        sa.Index("ix_case_status_next_due", "status", "next_due"),
        sa.Index("ix_case_county_created", "county_id", "created_at"),
        sa.Index("ix_case_town_created", "town_id", "created_at"),
        # the case list filtered by status, newest first, in a county's or a town's scope (issue 19)
        sa.Index("ix_case_county_status_created", "county_id", "status", "created_at"),
        sa.Index("ix_case_town_status_created", "town_id", "status", "created_at"),
        # ... and in a city's, a village's or a grid's (migration c19list002)
        sa.Index("ix_case_city_created", "city_id", "created_at"),
        sa.Index("ix_case_city_status_created", "city_id", "status", "created_at"),
        sa.Index("ix_case_village_created", "village_id", "created_at"),
        sa.Index("ix_case_grid_created", "grid_id", "created_at"),
        sa.Index("ix_case_category_created", "category_id", "created_at"),
        # risk early warning: matters of a town and category in a window (same matter, spikes)
        sa.Index("ix_case_town_category_received", "town_id", "category_id", "received_on"),
    )

    @property
    def place(self) -> OrgUnit | None:
        return db.session.get(OrgUnit, self.place_unit_id) if self.place_unit_id else None

    @property
    def petitioners(self) -> list[Person]:
        return [p.person for p in self.parties if p.role == "petitioner"]

    def __str__(self) -> str:
        return self.reference


class CaseStage(db.Model):
    """One stage of the process with its own clock; rows are added, never rewritten (DOMAIN.md)."""

    __tablename__ = "case_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StageKind] = mapped_column(enum_column(StageKind))
    # The body that handles this stage: the handling unit, the level above it, the level above that.
    body_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"))
    body_name: Mapped[str] = mapped_column(sa.String(120), default="")
    request_reason: Mapped[str | None] = mapped_column(sa.Text)
    started_on: Mapped[date]
    due_on: Mapped[date]
    ended_on: Mapped[date | None]
    outcome: Mapped[Outcome | None] = mapped_column(enum_column(Outcome))
    opinion: Mapped[str | None] = mapped_column(sa.Text)
    legal_basis: Mapped[str | None] = mapped_column(sa.Text)
    delivered_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    case: Mapped[Case] = relationship(back_populates="stages")

    __table_args__ = (sa.UniqueConstraint("case_id", "kind"),
                      sa.Index("ix_case_stage_ended_started_case", "ended_on", "started_on", "case_id"))


class CaseParty(db.Model):
    __tablename__ = "case_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    # petitioner | representative (a group's elected representative, at most five)
    role: Mapped[str] = mapped_column(sa.String(16), default="petitioner")

    case: Mapped[Case] = relationship(back_populates="parties")
    person: Mapped[Person] = relationship(lazy="joined")

    __table_args__ = (sa.UniqueConstraint("case_id", "person_id"),)


class Visit(PlaceMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    visited_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_group: Mapped[bool] = mapped_column(default=False)
    head_count: Mapped[int] = mapped_column(default=1)
    is_repeat: Mapped[bool] = mapped_column(default=False)
    repeat_after_conclusion: Mapped[bool] = mapped_column(default=False)
    similarity: Mapped[float | None]
    # Guards against a double-submitted form creating two visits.
    submission_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    case: Mapped[Case] = relationship(back_populates="visits")
    person: Mapped[Person] = relationship()
    site: Mapped[Site | None] = relationship()
    received_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.Index("ix_visit_county_visited", "county_id", "visited_at"),
        sa.Index("ix_visit_town_visited", "town_id", "visited_at"),
        sa.Index("ix_visit_person_visited", "person_id", "visited_at"),   # risk early warning: frequent visits
    )
