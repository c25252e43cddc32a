"""Outreach requests and assignments, field intake, service records, mediation and agreements.

Sub-domains: ``assignments`` (requests and the members' assignments), ``field`` (intake on the spot,
service records, person-times), ``mediation`` (people's mediation and its agreement). They share the one
``outreach`` blueprint.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from desk.demo.seed import add_seeder
from desk.models import Role as R
from desk.nav import add_nav_item

bp = Blueprint("outreach", __name__)


def register(app) -> None:
    """The outreach area's tables, pages, jobs, navigation and demo data."""
    from outreach.assignments import demo, jobs as _assignment_jobs, views as _assignment_views  # noqa: F401
    from outreach.field import models as _field_models, views as _field_views  # noqa: F401  (tables, routes)
    from outreach.mediation import jobs as _mediation_jobs, views as _mediation_views  # noqa: F401
    from outreach.mediation import measures as _mediation_measures  # noqa: F401  (who mediated a case)

    app.register_blueprint(bp, url_prefix="/outreach")
    add_nav_item(app, "outreach.requests", _l("Outreach"), {R.receptionist, R.commander, R.admin, R.official})
    add_nav_item(app, "outreach.my_assignments", _l("My outreach"), {R.talent})
    add_seeder(app, "routing", demo.seed)
