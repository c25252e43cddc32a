"""The navigation bar: one list, filtered by the user's roles and by the endpoints that exist.

Each area adds its pages in its ``register(app)``; the desk adds its own administration pages last.
"""
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from desk.models import Role

# Work pages first, in the order the areas register them; then the administration pages.
SECTIONS = ("work", "admin")


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    title: object
    roles: frozenset
    section: str = "work"


# The desk's own pages, after every area's.
CORE_NAV = [
    NavItem("admin.users", _l("Users"), frozenset({Role.admin}), "admin"),
    NavItem("admin.org_tree", _l("Org tree"), frozenset({Role.admin}), "admin"),
    NavItem("admin.holidays", _l("Holidays"), frozenset({Role.admin}), "admin"),
]


def add_nav_item(app, endpoint: str, title, roles, *, section: str = "work") -> None:
    """A page in the navigation bar of ``app`` for users holding any of ``roles``."""
    if section not in SECTIONS:
        raise ValueError(f"unknown navigation section {section!r}")
    app.extensions.setdefault("desk.nav", []).append(NavItem(endpoint, title, frozenset(roles), section))


def nav_items(app) -> list[NavItem]:
    items = app.extensions.get("desk.nav", []) + CORE_NAV
    return sorted(items, key=lambda item: SECTIONS.index(item.section))  # stable: registration order within


def navigation(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = user.roles
    return [{"url": url_for(item.endpoint), "title": item.title, "endpoint": item.endpoint}
            for item in nav_items(current_app)
            if roles & item.roles and item.endpoint in current_app.view_functions]
