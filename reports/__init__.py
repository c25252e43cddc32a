"""Measures, callbacks, dashboards, charts, monthly PDF summaries, exports and report jobs.

Sub-domains: ``callbacks`` (satisfaction callbacks and the citizen's rating), ``dashboard`` (measures,
scope, backlog, drill-down, charts, exports, definitions), ``summary`` (the monthly PDF archive). They
share the one ``reports`` blueprint.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from desk.demo.seed import add_seeder
from desk.home import add_role_home
from desk.models import Role as R
from desk.nav import add_nav_item
from desk.warmup import add_warmer

bp = Blueprint("reports", __name__)


def register(app) -> None:
    """The reports area's tables, pages, jobs, navigation, home pages and demo data."""
    from reports.dashboard import views as _dashboard_views  # noqa: F401  (routes)
    from reports.callbacks import demo, jobs as _callback_jobs, views as _callback_views  # noqa: F401
    from reports.summary import jobs as _summary_jobs, views as _summary_views  # noqa: F401

    app.register_blueprint(bp, url_prefix="/reports")
    add_nav_item(app, "reports.callbacks", _l("Callbacks"), {R.callback_staff})
    add_nav_item(app, "reports.dashboard", _l("Dashboard"), {R.official, R.commander, R.admin})
    add_nav_item(app, "reports.summaries", _l("Monthly summaries"), {R.official, R.admin})
    add_role_home(app, R.callback_staff, "reports.callbacks")
    add_role_home(app, R.official, "reports.dashboard")
    add_seeder(app, "follow_up", demo.seed)
    from reports.dashboard.warm import warm_dashboard
    add_warmer(app, warm_dashboard)
