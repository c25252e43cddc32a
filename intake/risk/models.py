"""Tables of risk early warning (风险预警): the warnings with their evidence, and the two lists administrators
keep (sensitive dates, words of extreme intent). DOMAIN.md, "Risk early warning"."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import Case, Category, PlaceMixin, Person, User, Visit
from desk.timeutil import utcnow

__all__ = ["RiskKind", "RiskLevel", "RiskStatus", "RiskOutcome", "RiskWarning", "RiskEvidence", "SensitiveDate",
           "RiskTerm"]


class RiskKind(TitledEnum):
    group_visit = "group_visit"
    same_matter = "same_matter"
    frequent = "frequent"
    after_rereview = "after_rereview"
    spike = "spike"
    extreme_words = "extreme_words"

    @staticmethod
    def __titles__():
        return {"group_visit": _l("Group visit"), "same_matter": _l("Many people on the same matter"),
                "frequent": _l("Frequent visits by one person"), "after_rereview": _l("Back after re-review"),
                "spike": _l("Sudden rise in new matters"), "extreme_words": _l("Words of extreme intent")}


class RiskLevel(TitledEnum):
    """黄 / 橙 / 红, in rising order."""
    yellow = "yellow"
    orange = "orange"
    red = "red"

    @staticmethod
    def __titles__():
        return {"yellow": _l("Yellow"), "orange": _l("Orange"), "red": _l("Red")}

    @property
    def rank(self) -> int:
        return list(RiskLevel).index(self)


class RiskStatus(TitledEnum):
    open = "open"
    acknowledged = "acknowledged"
    closed = "closed"

    @staticmethod
    def __titles__():
        return {"open": _l("Awaiting acknowledgement"), "acknowledged": _l("Acknowledged"),
                "closed": _l("Dealt with and closed")}


class RiskOutcome(TitledEnum):
    defused = "defused"
    handled_as_case = "handled_as_case"
    no_risk = "no_risk"

    @staticmethod
    def __titles__():
        return {"defused": _l("Risk defused"), "handled_as_case": _l("Followed up in the case handling"),
                "no_risk": _l("No real risk found")}


class RiskWarning(PlaceMixin, db.Model):
    """One warning: a signal (kind) about a subject (a visit, a person, a matter, a town and category, a case)
    in one episode. ``key`` = kind:subject:episode is unique, so a second raiser (the job run twice, or the job
    and a registration at once) inserts nothing and adds its evidence to the one warning instead."""

    __tablename__ = "risk_warning"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    kind: Mapped[RiskKind] = mapped_column(enum_column(RiskKind))
    subject: Mapped[str] = mapped_column(sa.String(80))
    level: Mapped[RiskLevel] = mapped_column(enum_column(RiskLevel))
    status: Mapped[RiskStatus] = mapped_column(enum_column(RiskStatus), default=RiskStatus.open)
    # The figure behind the warning (people, visits, new matters, words found) and the threshold it reached.
    measure: Mapped[int] = mapped_column(default=0)
    threshold: Mapped[int] = mapped_column(default=0)
    sensitive_date_id: Mapped[int | None] = mapped_column(sa.ForeignKey("risk_sensitive_date.id",
                                                                        ondelete="SET NULL"))
    detail: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id"))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    case_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case.id"), index=True)
    window_start: Mapped[date]
    window_end: Mapped[date]
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    leader_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    notified_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    acknowledge_note: Mapped[str | None] = mapped_column(sa.Text)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    outcome: Mapped[RiskOutcome | None] = mapped_column(enum_column(RiskOutcome))
    outcome_note: Mapped[str | None] = mapped_column(sa.Text)

    category: Mapped[Category | None] = relationship()
    person: Mapped[Person | None] = relationship()
    case: Mapped[Case | None] = relationship()
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    sensitive_date: Mapped["SensitiveDate | None"] = relationship()
    evidence: Mapped[list["RiskEvidence"]] = relationship(back_populates="warning", cascade="all, delete-orphan",
                                                          order_by="RiskEvidence.id")

    __table_args__ = (
        sa.Index("ix_risk_warning_kind_subject", "kind", "subject"),
        sa.Index("ix_risk_warning_town_raised", "town_id", "raised_at"),
        sa.Index("ix_risk_warning_county_raised", "county_id", "raised_at"),
        sa.Index("ix_risk_warning_status_leader", "status", "leader_id"),
    )

    @property
    def number(self) -> str:
        return self.number_of(self.id)

    @staticmethod
    def number_of(warning_id: int) -> str:
        return f"YJ{warning_id:06d}"

    def __str__(self) -> str:
        return self.number


class RiskEvidence(db.Model):
    """A case or visit behind a warning; ``item`` ("c<case id>" or "v<visit id>") is unique per warning."""

    __tablename__ = "risk_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(sa.ForeignKey("risk_warning.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(sa.String(24))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("visit.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    warning: Mapped[RiskWarning] = relationship(back_populates="evidence")
    case: Mapped[Case] = relationship()
    visit: Mapped[Visit | None] = relationship()

    __table_args__ = (sa.UniqueConstraint("warning_id", "item", name="uq_risk_evidence_warning_item"),)


class SensitiveDate(db.Model):
    """A sensitive period (敏感节点) administrators keep: while it lasts every threshold is lowered."""

    __tablename__ = "risk_sensitive_date"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __str__(self) -> str:
        return self.name


class RiskTerm(db.Model):
    """A word of extreme intent (自残、堵路、进京…), kept in either script; matched in both."""

    __tablename__ = "risk_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(sa.String(40), unique=True)
    level: Mapped[RiskLevel] = mapped_column(enum_column(RiskLevel), default=RiskLevel.orange)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __str__(self) -> str:
        return self.term
