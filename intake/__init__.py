"""Walk-in reception, queue tickets, repeat-visit detection, citizen portal, channel imports.

Sub-domains: ``reception`` (the walk-in form and repeat-visit look-up), ``cases`` (case pages, notices,
attachments, clock reminders), ``queue`` (calling tickets), ``routing`` (转送/交办, owner, levels, grade),
``channels`` (landing a matter from a channel beyond the desk), ``imports`` (12345 hotline, 110 and grid
platform exports), ``grid`` (grid events reported by grid members), ``online`` (citizens report online),
``risk`` (risk early warning). They share the one ``intake`` blueprint; ``open311`` (the GeoReport v2 API) has
its own under /open311/v2, its key administration is on ``intake``.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from desk.demo.seed import add_seeder
from desk.home import add_role_home
from desk.models import Role as R
from desk.nav import add_nav_item

bp = Blueprint("intake", __name__)


def register(app) -> None:
    """The intake area's tables, pages, jobs, navigation, home page and demo data."""
    from intake.reception import views as _reception_views  # noqa: F401  (routes)
    from intake.cases import demo, jobs, models, views as _case_views  # noqa: F401  (tables, @scheduled, routes)
    from intake.queue import views as _queue_views  # noqa: F401  (routes)
    from intake.routing import demo as routing_demo, jobs as _routing_jobs, models as _routing_models  # noqa: F401
    from intake.routing import views as _routing_views  # noqa: F401  (routes, case panel)
    from intake.imports import cli as imports_cli, demo as imports_demo, models as _import_models  # noqa: F401
    from intake.imports import views as _import_views  # noqa: F401  (routes)
    from desk.cli import desk_cli
    from intake.grid import demo as grid_demo, jobs as _grid_jobs, models as _grid_models  # noqa: F401
    from intake.grid import views as _grid_views  # noqa: F401  (routes, case panel)
    from intake.online import demo as online_demo, views as _online_views  # noqa: F401  (public routes)
    from intake.open311 import admin as _open311_admin, demo as open311_demo, models as _open311_models  # noqa: F401
    from intake.open311.views import bp as open311_bp
    from intake.risk import demo as risk_demo, jobs as _risk_jobs, models as _risk_models  # noqa: F401
    from intake.risk import views as _risk_views  # noqa: F401  (routes)
    from intake.risk import admin as _risk_admin  # noqa: F401  (the risk lists' routes)

    app.register_blueprint(bp, url_prefix="/intake")
    app.register_blueprint(open311_bp, url_prefix="/open311/v2")
    add_nav_item(app, "intake.reception", _l("Reception"), {R.receptionist})
    add_nav_item(app, "intake.queue_board", _l("Queue"), {R.receptionist})
    add_nav_item(app, "intake.case_list", _l("Cases"),
                 {R.receptionist, R.commander, R.official, R.callback_staff, R.admin})
    add_nav_item(app, "intake.routed_cases", _l("Routed cases"), {R.department_officer})
    add_nav_item(app, "intake.import_events", _l("Imports"), {R.admin}, section="admin")
    add_nav_item(app, "intake.grid_events", _l("Grid events"), {R.grid_member, R.commander})
    add_nav_item(app, "intake.risk_warnings", _l("Risk warnings"), {R.official, R.commander, R.admin})
    add_nav_item(app, "intake.api_clients", _l("API clients"), {R.admin}, section="admin")
    add_nav_item(app, "intake.risk_lists", _l("Risk lists"), {R.admin}, section="admin")
    add_role_home(app, R.receptionist, "intake.reception")
    add_role_home(app, R.grid_member, "intake.grid_events")
    add_seeder(app, "cases", demo.seed)
    add_seeder(app, "follow_up", routing_demo.seed)
    add_seeder(app, "follow_up", demo.seed_prepared_export)
    add_seeder(app, "follow_up", imports_demo.seed)
    desk_cli.add_command(imports_cli.import_events_command)
    add_seeder(app, "follow_up", grid_demo.seed)
    add_seeder(app, "follow_up", online_demo.seed)
    add_seeder(app, "follow_up", open311_demo.seed)
    add_seeder(app, "pool", risk_demo.seed_terms)     # the default words before any demo matter, as migrated
    add_seeder(app, "follow_up", risk_demo.seed)
