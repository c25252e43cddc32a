"""Administration: users, their roles and scope."""
from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Department, Level, OrgUnit, Role, User


def create_user(*, actor, username: str, password: str, display_name: str, org_unit: OrgUnit,
                roles, department: Department | None = None, site_id: int | None = None) -> User:
    """Create a login with roles, scoped to an org unit (and a department for department officers)."""
    username = username.strip()
    if db.session.scalar(db.select(User.id).where(User.username == username)):
        raise DomainError(_l("This username is taken."), field="username")
    _check_roles(roles, department)
    user = User(username=username, display_name=display_name.strip(), org_unit=org_unit,
                department=department, site_id=site_id)
    user.set_password(password)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    record_audit(actor=actor, entity="user", entity_id=user.id, action="create",
                 detail={"roles": sorted(str(r) for r in user.roles), "unit": org_unit.code})
    return user


def update_user(user: User, *, actor, display_name: str, org_unit: OrgUnit, roles,
                department: Department | None, active: bool, password: str | None = None) -> User:
    """Edit a login; a new password or deactivation ends the user's sessions."""
    _check_roles(roles, department)
    before = {"roles": sorted(str(r) for r in user.roles), "unit": user.org_unit.code, "active": user.active}
    user.display_name = display_name.strip()
    user.org_unit = org_unit
    user.department = department
    if user.active and not active:
        user.end_sessions()  # a deactivated login is logged out everywhere at once
    user.active = active
    user.set_roles(roles)
    if password:
        user.set_password(password)  # ends the sessions opened with the old password
    after = {"roles": sorted(str(Role(r)) for r in roles), "unit": org_unit.code, "active": active}
    record_audit(actor=actor, entity="user", entity_id=user.id, action="update",
                 detail={"before": before, "after": after, "password_reset": bool(password)})
    return user


def _check_roles(roles, department) -> None:
    if not roles:
        raise DomainError(_l("Choose at least one role."), field="roles")
    if Role.department_officer in {Role(r) for r in roles} and department is None:
        raise DomainError(_l("A department officer needs a department."), field="department_id")


def assign_grids(user: User, grid_ids, *, actor) -> User:
    """The grids a grid member serves: grids of the member's own county only (audited)."""
    wanted = sorted({int(i) for i in grid_ids})
    grids = list(db.session.scalars(db.select(OrgUnit).where(
        OrgUnit.level == Level.grid, OrgUnit.county_id == user.org_unit.county_id, OrgUnit.id.in_(wanted))))
    if len(grids) != len(wanted):
        raise DomainError(_l("Choose grids of the member's own county."), field="grid_ids")
    if sorted(g.id for g in user.grids) != wanted:
        user.grids = grids
        record_audit(actor=actor, entity="user", entity_id=user.id, action="update", detail={"grids": wanted})
    return user
