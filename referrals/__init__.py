"""Talent pool, matching, referrals to rooms and talent, dispatch orders to departments.

Sub-domains: ``talent`` (the pool, rotation, matching, import), ``offers`` (referrals to rooms and
members), ``orders`` (dispatch orders to departments). They share the one ``referrals`` blueprint.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from desk.cli import desk_cli
from desk.demo.seed import add_seeder
from desk.home import add_role_home
from desk.models import Role as R
from desk.nav import add_nav_item

bp = Blueprint("referrals", __name__)


def register(app) -> None:
    """The referrals area's tables, pages, jobs, navigation, home pages, demo data and commands."""
    from referrals.talent import cli, demo as talent_demo, models as _talent_models  # noqa: F401  (tables)
    from referrals.offers import demo as offers_demo, jobs as _offers_jobs, views as _offers_views  # noqa: F401
    from referrals.talent import views as _talent_views  # noqa: F401  (routes)
    from referrals.orders import demo as orders_demo, jobs as _orders_jobs, views as _orders_views  # noqa: F401

    app.register_blueprint(bp, url_prefix="/referrals")
    add_nav_item(app, "referrals.my_work", _l("My work"), {R.talent})
    add_nav_item(app, "referrals.room_boards", _l("Rooms"), {R.receptionist, R.commander, R.admin})
    add_nav_item(app, "referrals.orders_home", _l("Orders"), {R.commander, R.official})
    add_nav_item(app, "referrals.department_inbox", _l("Department inbox"), {R.department_officer})
    add_nav_item(app, "referrals.talent_list", _l("Talent pool"), {R.admin}, section="admin")
    add_role_home(app, R.commander, "referrals.orders_home")
    add_role_home(app, R.department_officer, "referrals.department_inbox")
    add_role_home(app, R.talent, "referrals.my_work")
    add_seeder(app, "pool", talent_demo.seed)
    add_seeder(app, "routing", offers_demo.seed)
    add_seeder(app, "routing", orders_demo.seed)
    desk_cli.add_command(cli.import_talent_command)
