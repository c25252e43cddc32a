"""Measures, callbacks, dashboards, charts, monthly PDF summaries, exports and report jobs."""
from flask_babel import lazy_gettext as _l

from desk.demo.seed import add_seeder
from desk.home import add_role_home
from desk.models import Role as R
from desk.nav import add_nav_item


def register(app) -> None:
    """The reports area's tables, pages, jobs, navigation, home pages and demo data."""
    from reports import models  # noqa: F401  (its tables)
    from reports import demo, jobs  # noqa: F401  (jobs: @scheduled)
    from reports.views import bp

    app.register_blueprint(bp, url_prefix="/reports")
    add_nav_item(app, "reports.callbacks", _l("Callbacks"), {R.callback_staff})
    add_nav_item(app, "reports.dashboard", _l("Dashboard"), {R.official, R.commander, R.admin})
    add_nav_item(app, "reports.summaries", _l("Monthly summaries"), {R.official, R.admin})
    add_role_home(app, R.callback_staff, "reports.callbacks")
    add_role_home(app, R.official, "reports.dashboard")
    add_seeder(app, "follow_up", demo.seed)
