"""Outreach requests and assignments, field intake, service records, mediation and agreements."""
from flask_babel import lazy_gettext as _l

from desk.demo.seed import add_seeder
from desk.models import Role as R
from desk.nav import add_nav_item


def register(app) -> None:
    """The outreach area's tables, pages, jobs, navigation and demo data."""
    from outreach import models  # noqa: F401  (its tables)
    from outreach import demo, jobs  # noqa: F401  (jobs: @scheduled)
    from outreach.views import bp

    app.register_blueprint(bp, url_prefix="/outreach")
    add_nav_item(app, "outreach.requests", _l("Outreach"), {R.receptionist, R.commander, R.admin, R.official})
    add_nav_item(app, "outreach.my_assignments", _l("My outreach"), {R.talent})
    add_seeder(app, "routing", demo.seed)
