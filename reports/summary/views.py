"""Monthly PDF summaries: on demand for any month and scope, and the archive of scheduled ones."""
from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa

from desk import prepared
from desk.access import in_scope, parse_id, require_roles
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.i18n import LANGUAGE_NAMES
from desk.models import Level, OrgUnit, Role
from desk.timeutil import local_today, utcnow
from desk.transactions import begin_write
from reports import bp
from reports.summary import services as summary
from reports.summary.forms import SummaryRequestForm
from reports.summary.models import MonthlySummary

READERS = (Role.official, Role.admin)


def _units_in_scope() -> list[OrgUnit]:
    unit = current_user.org_unit
    return list(db.session.scalars(sa.select(OrgUnit).where(
        getattr(OrgUnit, f"{unit.level.value}_id") == unit.id,
        OrgUnit.level.in_([Level.city, Level.county, Level.town])).order_by(OrgUnit.code)))


def _form(formdata=None) -> SummaryRequestForm:
    form = SummaryRequestForm(formdata=formdata)
    units = _units_in_scope()
    form.unit_id.choices = [(u.id, ("· " if u.level == Level.town else "") + u.name) for u in units]
    if formdata is None:
        year, month = summary.previous_month(utcnow())
        form.month.data = f"{year}-{month:02d}"
        form.unit_id.data = current_user.org_unit_id
    return form


def _filename(unit: OrgUnit, year: int, month: int, locale: str) -> str:
    return f"monthly-summary-{unit.code}-{year}-{month:02d}-{locale}.pdf"


def _pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


def _prepare(unit: OrgUnit, year: int, month: int, locale: str):
    """A summary rendered now takes seconds (its month's figures, then a dozen pages laid out): it is prepared
    in the background and the answer is the page that follows it and then downloads it."""
    title = _("Monthly summary %(month)s · %(area)s · %(language)s", month=f"{year}-{month:02d}", area=unit.name,
              language=LANGUAGE_NAMES.get(locale, locale))
    begin_write(keep=(current_user._get_current_object(), unit))   # a GET that writes: under the write lock
    row = prepared.ask("monthly_summary", user=current_user, title=title,
                       params={**summary.summary_params(unit, year, month, locale),
                               "back": url_for("reports.summaries")},
                       file_name=_filename(unit, year, month, locale), mimetype="application/pdf")
    db.session.commit()
    prepared.start(current_app._get_current_object(), row.id)
    return redirect(url_for("core.prepared_file", file_id=row.id), 303)


@bp.route("/summaries")
@require_roles(*READERS)
def summaries():
    return render_template("reports/summary/archive.html", form=_form(), rows=summary.archived_for(current_user),
                           today=local_today())


@bp.route("/summaries/pdf")
@require_roles(*READERS)
def summary_on_demand():
    """Render the summary for the chosen month, area and language now (not archived); when the month is archived,
    the copy says it was regenerated, and when the archived one was made."""
    form = _form(request.args)
    if not form.validate():
        return render_template("reports/summary/archive.html", form=form, rows=summary.archived_for(current_user),
                               today=local_today()), 400
    unit = db.session.get(OrgUnit, form.unit_id.data)
    if unit is None or not in_scope(current_user, unit):
        abort(404)
    year, month = form.year_month
    try:
        summary.validate(unit, year, month, form.locale.data)
    except DomainError as err:
        show_on_form(form, err)
        return render_template("reports/summary/archive.html", form=form, rows=summary.archived_for(current_user),
                               today=local_today()), 400
    return _prepare(unit, year, month, form.locale.data)


@bp.route("/summaries/<int:summary_id>.pdf")
@require_roles(*READERS)
def summary_download(summary_id):
    archived = db.session.get(MonthlySummary, summary_id) if parse_id(summary_id) else None
    if archived is None or not in_scope(current_user, archived.unit):
        abort(404)
    pdf = archived.pdf
    if pdf is None:   # claimed, not archived yet (the monthly job stores it): a fresh rendering, nothing written
        return _prepare(archived.unit, archived.year, archived.month, archived.locale)
    return _pdf_response(pdf, _filename(archived.unit, archived.year, archived.month, archived.locale))
