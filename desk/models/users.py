"""Users, their roles and their scope."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models.org import Department, OrgUnit


class Role(TitledEnum):
    receptionist = "receptionist"
    talent = "talent"
    commander = "commander"
    department_officer = "department_officer"
    callback_staff = "callback_staff"
    official = "official"
    admin = "admin"
    grid_member = "grid_member"

    @staticmethod
    def __titles__():
        return {"receptionist": _l("Receptionist"), "talent": _l("Talent (mediator, lawyer, counselor)"),
                "commander": _l("Town commander"), "department_officer": _l("Department officer"),
                "callback_staff": _l("Callback staff"), "official": _l("Official"),
                "admin": _l("Administrator"), "grid_member": _l("Grid member")}


class UserRole(db.Model):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)


# The grids a grid member serves (a member may serve several): part of the user's scope.
grid_membership = sa.Table(
    "grid_membership", db.metadata,
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("grid_id", sa.ForeignKey("org_unit.id"), primary_key=True),
    sa.Index("ix_grid_membership_grid", "grid_id"),
)


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(80))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    org_unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(sa.ForeignKey("department.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"))
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    active: Mapped[bool] = mapped_column(default=True)
    # Unused since login throttling moved to desk/auth/throttle.py (per typed name and address, never a lock on
    # the account); kept until templates/admin/users.html stops reading locked_until, then dropped.
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Part of the id a session stores (get_id); moving it on ends every session saved before.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")
    department: Mapped[Department | None] = relationship()
    site = relationship("Site")
    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    grids: Mapped[list[OrgUnit]] = relationship(secondary=grid_membership, order_by=OrgUnit.code)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return self.active

    def get_id(self) -> str:  # Flask-Login: what the session stores; desk/__init__.py _load_user checks it
        return f"{self.id}:{self.session_epoch or 0}"

    def end_sessions(self) -> None:
        """Log out everywhere: every session cookie saved so far stops working (logout, new password,
        deactivation)."""
        self.session_epoch = (self.session_epoch or 0) + 1

    @property
    def roles(self) -> set[Role]:
        return {r.role for r in self.role_rows}

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        self.role_rows = [r for r in self.role_rows if r.role in wanted]
        have = self.roles
        self.role_rows.extend(UserRole(role=r) for r in wanted - have)

    def has_role(self, *roles) -> bool:
        return bool(self.roles & set(roles))

    def set_password(self, password: str) -> None:
        """A new password ends the sessions opened with the old one."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __str__(self) -> str:
        return self.display_name
