"""Where each role lands after login. Areas name their roles' home pages in their ``register(app)``."""
from flask import current_app

from desk.models import Role

# First match wins for a user holding several roles; endpoints that are not registered are skipped.
HOME_PRIORITY = [Role.receptionist, Role.commander, Role.department_officer, Role.talent, Role.callback_staff,
                 Role.official, Role.admin, Role.grid_member]
CORE_HOMES = {Role.admin: "admin.users"}


def add_role_home(app, role: Role, endpoint: str) -> None:
    """The page ``role`` lands on; the first area to name one for a role keeps it."""
    app.extensions.setdefault("desk.role_homes", {}).setdefault(role, endpoint)


def home_endpoint(user) -> str:
    homes = {**CORE_HOMES, **current_app.extensions.get("desk.role_homes", {})}
    for role in HOME_PRIORITY:
        endpoint = homes.get(role)
        if endpoint and user.has_role(role) and endpoint in current_app.view_functions:
            return endpoint
    return "core.home"
