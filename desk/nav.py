"""The navigation bar: one list, filtered by the user's roles and by the endpoints that exist."""
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from desk.models import Role

R = Role
# (endpoint, title, roles that see it). Areas add their pages here.
NAV = [
    ("intake.reception", _l("Reception"), {R.receptionist}),
    ("intake.queue_board", _l("Queue"), {R.receptionist}),
    ("intake.case_list", _l("Cases"), {R.receptionist, R.commander, R.official, R.callback_staff, R.admin}),
    ("referrals.my_work", _l("My work"), {R.talent}),
    ("referrals.room_boards", _l("Rooms"), {R.receptionist, R.commander, R.admin}),
    ("referrals.orders_home", _l("Orders"), {R.commander, R.official}),
    ("referrals.department_inbox", _l("Department inbox"), {R.department_officer}),
    ("outreach.requests", _l("Outreach"), {R.receptionist, R.commander, R.admin, R.official}),
    ("outreach.my_assignments", _l("My outreach"), {R.talent}),
    ("reports.callbacks", _l("Callbacks"), {R.callback_staff}),
    ("reports.dashboard", _l("Dashboard"), {R.official, R.commander, R.admin}),
    ("reports.summaries", _l("Monthly summaries"), {R.official, R.admin}),
    ("referrals.talent_list", _l("Talent pool"), {R.admin}),
    ("admin.users", _l("Users"), {R.admin}),
    ("admin.org_tree", _l("Org tree"), {R.admin}),
]


def navigation(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = user.roles
    return [{"url": url_for(endpoint), "title": title, "endpoint": endpoint}
            for endpoint, title, allowed in NAV
            if roles & allowed and endpoint in current_app.view_functions]
