"""The monthly summary PDF for officials, and its archive (one file per org unit, month and language).

Every figure comes from reports.dashboard.measures (and the charts from reports.dashboard.charts); this
module only lays them out. The archive is claimed by a conditional insert on (unit, year, month, locale),
so a job that runs twice, or two schedulers, still leave exactly one file per scope, month and language.
"""
import logging
import re
import time
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from babel.dates import format_skeleton
from flask import current_app
from markupsafe import Markup
from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l

from desk import prepared
from desk.access import in_scope
from desk.errors import DomainError
from desk.extensions import db
from desk.pdf import render_pdf_html, warm_engine
from desk.models import Level, OrgUnit
from desk.timeutil import to_local, utcnow
from desk.transactions import insert_ignoring_duplicates
from reports.dashboard import measures
from reports.dashboard.definitions import DEFINITIONS
from reports.dashboard.exports import by_area_title
from reports.dashboard.gather import gather_report
from reports.summary.models import MonthlySummary

log = logging.getLogger("reports.summary")
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per file is enough
LOCALES = ("zh_Hans", "en", "zh_Hant")
ARCHIVE_LOCALES = ("zh_Hans", "en")


# --- presentation helpers (figures are formatted by the dashboard's measure_value / measure_change filters,
# so the PDF shows exactly what the screen shows) -----------------------------------------------------------

def page_counter_css() -> str:
    """CSS ``content`` for "Page 3 of 9" in the current language, with the page counters in the right places."""
    from flask_babel import gettext
    text = gettext("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    parts = []
    for piece in re.split("([\x00\x01])", text):
        if piece == "\x00":
            parts.append("counter(page)")
        elif piece == "\x01":
            parts.append("counter(pages)")
        elif piece:
            parts.append('"' + piece.replace('"', "'") + '"')
    return " ".join(parts)


def css_string(text) -> Markup:
    """A quoted CSS string for the page margin boxes (raw text inside <style>: not HTML-escaped)."""
    text = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", " ")
    return Markup(f'"{text}"')


def month_title(year: int, month: int) -> str:
    return format_skeleton("yMMMM", date(year, month, 1), locale=get_locale())


def _charts(report: dict) -> dict:
    """The SVG charts of reports.dashboard.charts (drawn from the report's own rows) as data URIs for <img>."""
    try:
        from reports.dashboard import charts
    except ModuleNotFoundError as err:
        if err.name != "reports.charts":
            raise
        return {}
    result = {"trend": charts.svg_data_uri(charts.trend_svg(report["trend"])),
              "category_mix": charts.svg_data_uri(charts.category_mix_svg(report["by_category"]))}
    if report["by_town"]:
        # titled by the level below the unit: counties for the city, towns for a county
        title = str(by_area_title(report["unit"]))
        result["by_town"] = charts.svg_data_uri(charts.by_town_svg(report["by_town"], title=title))
    return result


# --- the PDF -------------------------------------------------------------------------------------------------

def validate(unit: OrgUnit, year: int, month: int, locale: str) -> None:
    """A DomainError naming the field when no summary can be made for this (unit, month, language)."""
    if locale not in LOCALES:
        raise DomainError(_l("Choose a language."), field="locale")
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise DomainError(_l("Choose a month."), field="month")
    if unit.level not in (Level.city, Level.county, Level.town):
        raise DomainError(_l("Monthly summaries are made for the city, a county or a town."), field="unit_id")


def render_html(*, unit: OrgUnit, year: int, month: int, now: datetime | None = None,
                archived_at: datetime | None = None) -> str:
    """The summary as HTML in the current locale (the PDF's source; also handy to look at in a browser).

    ``archived_at``: when the month's archived copy was made; a copy rendered later says it was regenerated."""
    report = gather_report(unit=unit, year=year, month=month)
    generated = to_local(now or utcnow())
    label = _l("Regenerated %(time)s (Beijing time)", time=generated.strftime("%Y-%m-%d %H:%M")) if archived_at \
        else _l("Generated %(time)s (Beijing time)", time=generated.strftime("%Y-%m-%d %H:%M"))
    keys = [m.measure.definition for m in report["measures"] + report["outreach_measures"]] + [
        "backlog", "overdue", "routes", "channels", "grid_events", "risk", "top_issues", "outreach", "orders"]
    notes = {key: n for n, key in enumerate(dict.fromkeys(k for k in keys if k in DEFINITIONS), 1)}
    # The app's jinja environment, not render_template: the scheduled job has no request (and no user) for
    # the page context processors, and the PDF needs none of them.
    return current_app.jinja_env.get_template("pdf/monthly_summary.html").render(
        r=report, unit=unit, title=month_title(year, month), year=year, month=month,
        generated=generated, generated_label=label, archived_at=to_local(archived_at) if archived_at else None,
        charts=_charts(report), page_counter=Markup(page_counter_css()), css=css_string, notes=notes,
        definitions=DEFINITIONS, child_level=measures.child_level(unit),
        last_day=report["end"] - timedelta(days=1), min_rank=measures.MIN_CASES_TO_RANK)


def render_monthly_summary(*, unit: OrgUnit, year: int, month: int, locale: str,
                           now: datetime | None = None, archived_at: datetime | None = None) -> bytes:
    """The monthly summary of ``unit`` for ``year``-``month`` as PDF bytes, in ``locale`` (see render_html)."""
    validate(unit, year, month, locale)
    warm_engine()   # a fresh process loads WeasyPrint and its fonts while the report's queries run
    with force_locale(locale):
        html = render_html(unit=unit, year=year, month=month, now=now, archived_at=archived_at)
        return render_pdf_html(html)


# --- made on demand, in the background -------------------------------------------------------------------------

def summary_params(unit: OrgUnit, year: int, month: int, locale: str) -> dict:
    return {"unit_id": unit.id, "year": year, "month": month, "pdf_locale": locale}


@prepared.kind("monthly_summary")
def prepare_summary(row, user, write, progress) -> None:
    """A summary asked for now: rendered from the current records (not archived); when the month is archived,
    the copy says it was regenerated and when the archived one was made."""
    params = row.params
    unit = db.session.get(OrgUnit, params["unit_id"])
    if unit is None or not in_scope(user, unit):   # the user's area changed since: nothing outside it
        raise PermissionError("out of scope")
    year, month, locale = params["year"], params["month"], params["pdf_locale"]
    write(render_monthly_summary(unit=unit, year=year, month=month, locale=locale,
                                 archived_at=archived_at(unit, year, month, locale)))
    progress(1, 1)


# --- the archive -----------------------------------------------------------------------------------------------

def claim(units: list[OrgUnit], year: int, month: int, locales=ARCHIVE_LOCALES) -> int:
    """Reserve one archive row per unit and language for the month (a second claim is a no-op)."""
    rows = [{"unit_id": u.id, "year": year, "month": month, "locale": loc, "size": 0}
            for u in units for loc in locales]
    return insert_ignoring_duplicates(MonthlySummary.__table__, rows)


def fill(summary: MonthlySummary, *, now: datetime) -> bool:
    """Render a claimed row's PDF and store it, unless someone else stored it first."""
    pdf = render_monthly_summary(unit=summary.unit, year=summary.year, month=summary.month,
                                 locale=summary.locale, now=now)
    table = MonthlySummary.__table__
    stored = db.session.execute(table.update().where(table.c.id == summary.id, table.c.pdf.is_(None))
                                .values(pdf=pdf, size=len(pdf), generated_at=now)).rowcount
    return stored == 1


def archive_units() -> list[OrgUnit]:
    """The city and every county: the scopes archived on the 1st of each month."""
    return list(db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level.in_([Level.city, Level.county]))
                                   .order_by(OrgUnit.code)))


def generate_month(year: int, month: int, *, now: datetime, units: list[OrgUnit] | None = None,
                   progress=None) -> int:
    """Claim and render the month's archive for ``units`` (default: the city and every county); commits
    after each file so a long batch keeps what it has made. Returns how many files were rendered."""
    units = archive_units() if units is None else units
    claim(units, year, month)
    db.session.commit()
    todo = list(db.session.scalars(
        sa.select(MonthlySummary).where(MonthlySummary.year == year, MonthlySummary.month == month,
                                        MonthlySummary.unit_id.in_([u.id for u in units]),
                                        MonthlySummary.pdf.is_(None))
        .order_by(MonthlySummary.unit_id, MonthlySummary.locale)))
    made = 0
    for number, summary in enumerate(todo, 1):
        started = time.perf_counter()
        if fill(summary, now=now):
            made += 1
            _announce(summary)
        db.session.commit()
        message = (f"monthly summary {number}/{len(todo)}: {summary.unit.code} {year}-{month:02d} "
                   f"{summary.locale} in {time.perf_counter() - started:.1f} s")
        log.info(message)
        if progress:
            progress(message)
    return made


def _announce(summary: MonthlySummary) -> None:
    """Tell the officials whose scope is this unit that its summary is ready (once per unit and month)."""
    from desk.models import Role, User, UserRole
    from desk.notify import notify
    if summary.locale != ARCHIVE_LOCALES[0]:
        return
    officials = db.session.scalars(sa.select(User.id).join(UserRole, UserRole.user_id == User.id).where(
        User.org_unit_id == summary.unit_id, User.active.is_(True), UserRole.role == Role.official))
    for user_id in officials:
        notify(user_id, "report_ready", title=f"{summary.unit.name} {summary.year}-{summary.month:02d}",
               link="/reports/summaries",
               dedupe_key=f"report_ready:{summary.unit_id}:{summary.year}-{summary.month:02d}:{user_id}")


def archived_at(unit: OrgUnit, year: int, month: int, locale: str) -> datetime | None:
    """When the month's summary of ``unit`` in ``locale`` was archived (None while it is not)."""
    return db.session.scalar(sa.select(MonthlySummary.generated_at).where(
        MonthlySummary.unit_id == unit.id, MonthlySummary.year == year, MonthlySummary.month == month,
        MonthlySummary.locale == locale, MonthlySummary.generated_at.is_not(None)))


def previous_month(now: datetime) -> tuple[int, int]:
    today = to_local(now).date()
    return measures.shift_month(today.year, today.month, -1)


def archived_for(user, *, limit: int = 120) -> list[MonthlySummary]:
    """Archived summaries of the user's unit and the units inside it, newest month first."""
    unit = user.org_unit
    inside = sa.select(OrgUnit.id).where(getattr(OrgUnit, f"{unit.level.value}_id") == unit.id)
    return list(db.session.scalars(
        sa.select(MonthlySummary).join(OrgUnit, OrgUnit.id == MonthlySummary.unit_id)
        .where(MonthlySummary.unit_id.in_(inside))
        .order_by(MonthlySummary.year.desc(), MonthlySummary.month.desc(), OrgUnit.code, MonthlySummary.locale)
        .limit(limit)))


