"""Warm a fresh process in the background, so the first page opened after a restart does not pay for it.

Measured (tests/bench/bench_dashboard_first_load.py, issue 16): the first dashboard of a fresh process took
about twice the next one: compiling the templates (the dashboard's macros are large), compiling some 60 SQL
statements that SQLAlchemy then caches, configuring the mappers and loading the locale data. None of that
depends on who asks, so a thread does it once right after the application starts. The first PDF's share
(importing WeasyPrint, loading the fonts) runs in a thread of its own, desk/pdf.py's warm_engine."""
import logging
import threading
import time

from babel import Locale
from sqlalchemy.orm import configure_mappers

from desk.extensions import db
from desk.pdf import warm_engine

log = logging.getLogger(__name__)


def add_warmer(app, warm) -> None:
    """``warm()`` runs once, in an application context, while the process warms up (each area adds its own)."""
    app.extensions.setdefault("desk.warmers", []).append(warm)


def warm_up(app) -> float:
    """Do the first-request work now; returns the seconds it took. A failing step is logged, never raised."""
    started = time.perf_counter()
    warm_engine()   # WeasyPrint and its fonts, in a thread of their own (desk/pdf.py)
    with app.app_context():
        configure_mappers()
        for locale in app.config["LOCALES"]:
            Locale.parse(locale).datetime_formats  # noqa: B018  (loads the CLDR data of the locale)
        for name in app.jinja_env.list_templates(filter_func=lambda n: n.endswith(".html")):
            app.jinja_env.get_template(name)
        for warm in app.extensions.get("desk.warmers", []):
            try:
                warm()
            except Exception as err:  # e.g. a database not migrated yet: the pages will say so themselves
                log.warning("warm-up step %s skipped: %s", getattr(warm, "__name__", warm), str(err).splitlines()[0])
            finally:
                db.session.remove()
    took = time.perf_counter() - started
    log.info("warmed up in %.1f s", took)
    return took


def start_warm_up(app) -> threading.Thread:
    """Warm up in a daemon thread (requests are served meanwhile); the thread is kept in app.extensions."""
    thread = threading.Thread(target=warm_up, args=(app,), name="desk-warm-up", daemon=True)
    app.extensions["desk.warm_up"] = thread
    thread.start()
    return thread
