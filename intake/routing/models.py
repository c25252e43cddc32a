"""The routings of a case: every transfer or assignment (转送/交办) is a row; nothing is overwritten."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import Case, Department, OrgUnit, Route, User
from desk.timeutil import utcnow


class RouteKind(TitledEnum):
    transfer = "transfer"
    assign = "assign"

    @staticmethod
    def __titles__():
        return {"transfer": _l("Transfer (转送)"), "assign": _l("Assign (交办)")}


# Bodies outside the county departments a matter can be routed to: the same list as the routes of matters not
# heard on the petition track (desk.models.Route), so a body is named one way everywhere.
ExternalBody = Route


class RouteStatus(TitledEnum):
    pending = "pending"
    objected = "objected"
    confirmed = "confirmed"

    @staticmethod
    def __titles__():
        return {"pending": _l("Awaiting the receiving body"), "objected": _l("Objected: outside its remit"),
                "confirmed": _l("Confirmed")}


class CaseRoute(db.Model):
    __tablename__ = "case_route"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    kind: Mapped[RouteKind] = mapped_column(enum_column(RouteKind))
    # Exactly one target: a county department, or an external body (its kind and name).
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    body_kind: Mapped[ExternalBody | None] = mapped_column(enum_column(ExternalBody))
    body_name: Mapped[str] = mapped_column(sa.String(200), default="")
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[RouteStatus] = mapped_column(enum_column(RouteStatus), default=RouteStatus.pending)
    # Who owned the matter when it was routed (首接负责): it comes back there on an objection.
    from_unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_unit.id"))
    from_department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"))
    routed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    routed_at: Mapped[datetime] = mapped_column(default=utcnow)
    routed_on: Mapped[date]
    objection_due: Mapped[date]
    objected_on: Mapped[date | None]
    objected_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    objection_reason: Mapped[str | None] = mapped_column(sa.Text)
    confirmed_on: Mapped[date | None]
    # None when the routing was confirmed because no objection came within the limit.
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    case: Mapped[Case] = relationship()
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    from_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[from_unit_id])
    from_department: Mapped[Department | None] = relationship(foreign_keys=[from_department_id])
    routed_by: Mapped[User | None] = relationship(foreign_keys=[routed_by_id])
    objected_by: Mapped[User | None] = relationship(foreign_keys=[objected_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    __table_args__ = (sa.Index("ix_case_route_status_due", "status", "objection_due"),)

    @property
    def target_name(self) -> str:
        if self.department is not None:
            return self.department.name
        return f"{self.body_kind.title if self.body_kind else ''} · {self.body_name}"
