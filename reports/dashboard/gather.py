"""A month's report computed in parallel: the dashboard and the monthly PDF read the same figures faster.

measures.month_report's parts in three groups of about equal cost at city scale, computed side by side: each
group on its own connection (SQLite and PostgreSQL both run a query outside the GIL), merged into one report.
At 1,000,000 cases the city's month costs about 1.5 s one part after another (tests/bench/bench_pages.py)."""
from concurrent.futures import ThreadPoolExecutor

from flask import current_app
from flask_babel import force_locale, get_locale

from desk.extensions import db, write_intent
from desk.models import OrgUnit
from reports.dashboard import measures

PART_GROUPS = ({"trend"}, {"measures", "backlog", "outreach_measures"},
               {"overdue", "by_town", "by_category", "top_issues", "outreach", "orders", "routes", "channels",
                "grid_events", "risk"})


def gather_report(*, unit: OrgUnit, year: int, month: int) -> dict:
    """measures.month_report for the unit and month, its parts computed in parallel (same figures, less wait)."""
    app = current_app._get_current_object()
    locale = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    unit_id = unit.id

    def part(keys: set) -> dict:
        with app.app_context(), force_locale(locale):
            write_intent.set(False)   # read only: a reader never queues for the SQLite write lock
            return measures.month_report(unit=db.session.get(OrgUnit, unit_id), year=year, month=month, parts=keys)

    with ThreadPoolExecutor(max_workers=len(PART_GROUPS), thread_name_prefix="report") as pool:
        pieces = list(pool.map(part, PART_GROUPS))
    report = {}
    for piece in pieces:
        report.update(piece)
    report["unit"] = unit   # the caller's own instance, not a worker session's
    return report
