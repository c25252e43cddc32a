"""Who may do what, and where: role checks for views and scope filters for queries (one place)."""
from functools import wraps

from flask import abort, current_app
from flask_login import current_user, login_required

from desk.extensions import db
from desk.models import Level, OrgUnit, Role


def require_roles(*roles: Role):
    """Login plus at least one of ``roles``; the roles are kept on the view for the access test."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        wrapped.allowed_roles = frozenset(roles)
        return wrapped
    return decorator


def may_open(endpoint: str, user) -> bool:
    """Whether ``user`` holds a role the endpoint's view admits: pages link only where the user may go."""
    view = current_app.view_functions.get(endpoint)
    roles = getattr(view, "allowed_roles", None)
    return view is not None and (roles is None or user.has_role(*roles))


def public(view):
    """Mark a view as open to anonymous visitors (login page, health check, citizen portal)."""
    view.is_public = True
    return view


def unit_column(model, level: Level):
    return getattr(model, f"{level.value}_id")


def scope_clause(model, user):
    """SQL condition: the row's place lies inside the user's org unit (rows carry ancestor columns)."""
    unit = user.org_unit
    return unit_column(model, unit.level) == unit.id


def in_scope(user, row) -> bool:
    """Python twin of scope_clause for one loaded row (anything with PlaceMixin columns)."""
    unit = user.org_unit
    return getattr(row, f"{unit.level.value}_id") == unit.id


def units_in_scope(user, level: Level):
    """Org units of ``level`` inside the user's scope, by name."""
    return db.session.scalars(
        db.select(OrgUnit).where(OrgUnit.level == level, scope_clause(OrgUnit, user)).order_by(OrgUnit.code))


def get_in_scope(model, ident: int, user):
    """Load a row the user may see, or 404 (never reveal that an out-of-scope record exists)."""
    row = db.session.get(model, ident)
    if row is None or not in_scope(user, row):
        abort(404)
    return row
