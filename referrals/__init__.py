"""Talent pool, matching, referrals to rooms and talent, dispatch orders to departments."""
from flask_babel import lazy_gettext as _l

from desk.cli import desk_cli
from desk.demo.seed import add_seeder
from desk.home import add_role_home
from desk.models import Role as R
from desk.nav import add_nav_item


def register(app) -> None:
    """The referrals area's tables, pages, jobs, navigation, home pages, demo data and commands."""
    from referrals import models  # noqa: F401  (its tables)
    from referrals import demo, jobs, order_demo, order_jobs, referral_demo  # noqa: F401  (jobs: @scheduled)
    from referrals.talent_views import import_talent_command
    from referrals.views import bp

    app.register_blueprint(bp, url_prefix="/referrals")
    add_nav_item(app, "referrals.my_work", _l("My work"), {R.talent})
    add_nav_item(app, "referrals.room_boards", _l("Rooms"), {R.receptionist, R.commander, R.admin})
    add_nav_item(app, "referrals.orders_home", _l("Orders"), {R.commander, R.official})
    add_nav_item(app, "referrals.department_inbox", _l("Department inbox"), {R.department_officer})
    add_nav_item(app, "referrals.talent_list", _l("Talent pool"), {R.admin}, section="admin")
    add_role_home(app, R.commander, "referrals.orders_home")
    add_role_home(app, R.department_officer, "referrals.department_inbox")
    add_role_home(app, R.talent, "referrals.my_work")
    add_seeder(app, "pool", demo.seed)
    add_seeder(app, "routing", referral_demo.seed)
    add_seeder(app, "routing", order_demo.seed)
    desk_cli.add_command(import_talent_command)
