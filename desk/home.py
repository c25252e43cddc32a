"""Where each role lands after login. Areas add their home pages here, in priority order."""
from flask import current_app

from desk.models import Role

# First match wins for a user holding several roles; endpoints that are not registered are skipped.
ROLE_HOMES = [
    (Role.receptionist, "intake.reception"),
    (Role.commander, "referrals.orders_home"),
    (Role.department_officer, "referrals.department_inbox"),
    (Role.talent, "referrals.my_work"),
    (Role.callback_staff, "reports.callbacks"),
    (Role.official, "reports.dashboard"),
    (Role.admin, "admin.users"),
]


def home_endpoint(user) -> str:
    for role, endpoint in ROLE_HOMES:
        if user.has_role(role) and endpoint in current_app.view_functions:
            return endpoint
    return "core.home"
