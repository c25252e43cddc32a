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


MAX_ID = 2**31 - 1   # the id columns' range; anything larger names no row


def get_in_scope(model, ident, user):
    """Load a row the user may see, or 404 (never reveal that an out-of-scope record exists).

    ``ident`` may come straight from a request (path, query, form, hidden field, CSV column): anything
    that is not a whole number within the id range is a 404 too, never a database error."""
    row = find_in_scope(model, ident, user)
    if row is None:
        abort(404)
    return row


def parse_id(value) -> int | None:
    """A whole number within the id range, or None (a request's text is never trusted to be one)."""
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def find_in_scope(model, ident, user):
    """The row the user may see, or None: the same check as get_in_scope for services and forms."""
    number = parse_id(ident)
    row = db.session.get(model, number) if number is not None else None
    if row is None:
        return None
    visible = row.visible_to(user) if hasattr(row, "visible_to") else in_scope(user, row)
    return row if visible else None
