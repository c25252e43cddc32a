"""Tables of dispatch orders (基层发令、部门执行): a town commands, a county department executes."""
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import Department, PlaceMixin, User
from desk.timeutil import to_local, utcnow

__all__ = ["OrderStatus", "OrderPriority", "DispatchOrder", "dispatch_order_department", "OrderReport",
           "OrderEvidence"]


class OrderStatus(TitledEnum):
    issued = "issued"
    signed = "signed"
    in_progress = "in_progress"
    reported = "reported"
    verified = "verified"

    @staticmethod
    def __titles__():
        return {"issued": _l("Order issued"), "signed": _l("Signed for"), "in_progress": _l("Being handled"),
                "reported": _l("Reported back"), "verified": _l("Verified and closed")}


class OrderPriority(TitledEnum):
    normal = "normal"
    urgent = "urgent"
    critical = "critical"

    @staticmethod
    def __titles__():
        return {"normal": _l("Normal"), "urgent": _l("Urgent"), "critical": _l("Critical")}


# Co-handling departments (协办单位); the lead department is DispatchOrder.department_id.
dispatch_order_department = sa.Table(
    "dispatch_order_department", db.metadata,
    sa.Column("order_id", sa.ForeignKey("dispatch_order.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("department_id", sa.ForeignKey("department.id"), primary_key=True),
    sa.Index("ix_dispatch_order_department_department", "department_id"),
)


class DispatchOrder(PlaceMixin, db.Model):
    """One order from a town commander to a county department; deadlines stored when the clock starts."""

    __tablename__ = "dispatch_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(32), unique=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("department.id"), index=True)
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), default=OrderStatus.issued)
    priority: Mapped[OrderPriority] = mapped_column(enum_column(OrderPriority), default=OrderPriority.normal)
    instructions: Mapped[str] = mapped_column(sa.Text)
    deadline_days: Mapped[int] = mapped_column(default=3)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    sign_due_at: Mapped[datetime]
    signed_at: Mapped[datetime | None]
    feedback_due_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]
    verified_at: Mapped[datetime | None]
    returned_count: Mapped[int] = mapped_column(default=0)
    staff_visits: Mapped[int] = mapped_column(default=0)
    # Stamps that make each clock event fire once (set by a conditional UPDATE in the jobs).
    sign_reminded_at: Mapped[datetime | None]
    feedback_reminded_at: Mapped[datetime | None]
    overdue_at: Mapped[datetime | None]
    escalated_head_at: Mapped[datetime | None]
    escalated_county_at: Mapped[datetime | None]
    rating_speed: Mapped[int | None]
    rating_handling: Mapped[int | None]
    rating_result: Mapped[int | None]
    rated_at: Mapped[datetime | None]

    case = relationship("Case")
    issued_by: Mapped[User | None] = relationship()
    department: Mapped[Department] = relationship(lazy="joined")
    co_departments: Mapped[list[Department]] = relationship(secondary=dispatch_order_department,
                                                            order_by=Department.id)
    reports: Mapped[list["OrderReport"]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                        order_by="OrderReport.at")

    __table_args__ = (
        sa.Index("ix_dispatch_order_county_issued", "county_id", "issued_at"),
        sa.Index("ix_dispatch_order_department_status", "department_id", "status"),
        sa.Index("ix_dispatch_order_status_feedback_due", "status", "feedback_due_at"),
    )

    @property
    def feedback_due_on(self) -> date:
        """The local day the feedback is due by (the stored due is the end of that day)."""
        return to_local(self.feedback_due_at - timedelta(seconds=1)).date()

    @property
    def rating_average(self) -> float | None:
        if self.rated_at is None:
            return None
        return (self.rating_speed + self.rating_handling + self.rating_result) / 3

    def __str__(self) -> str:
        return self.number


class OrderReport(db.Model):
    """A department's report back (反馈): what was done, and staff-visits to the grassroots (人次)."""

    __tablename__ = "order_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("dispatch_order.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(sa.Text)
    staff_visits: Mapped[int] = mapped_column(default=0)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[DispatchOrder] = relationship(back_populates="reports")
    author: Mapped[User | None] = relationship()
    evidence: Mapped[list["OrderEvidence"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="OrderEvidence.id")


class OrderEvidence(db.Model):
    """A photo sent with a report; stored like intake attachments (outside static, by content hash)."""

    __tablename__ = "order_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("order_report.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(200))
    mime: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    path: Mapped[str] = mapped_column(sa.String(300))
