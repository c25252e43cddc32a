"""Walk-in reception, queue tickets, repeat-visit detection, citizen portal, channel imports."""
from flask_babel import lazy_gettext as _l

from desk.demo.seed import add_seeder
from desk.home import add_role_home
from desk.models import Role as R
from desk.nav import add_nav_item


def register(app) -> None:
    """The intake area's tables, pages, navigation, home page and demo data."""
    from intake import models  # noqa: F401  (its tables)
    from intake import demo
    from intake.views import bp

    app.register_blueprint(bp, url_prefix="/intake")
    add_nav_item(app, "intake.reception", _l("Reception"), {R.receptionist})
    add_nav_item(app, "intake.queue_board", _l("Queue"), {R.receptionist})
    add_nav_item(app, "intake.case_list", _l("Cases"), {R.receptionist, R.commander, R.official, R.callback_staff, R.admin})
    add_role_home(app, R.receptionist, "intake.reception")
    add_seeder(app, "cases", demo.seed)
