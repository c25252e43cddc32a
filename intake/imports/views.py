"""The administrator's imports: upload an export, follow its progress, read the result; the history."""
import os
import tempfile

import sqlalchemy as sa
from flask import current_app, jsonify, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from desk.access import find_in_scope, get_in_scope, require_roles, scope_clause, units_in_scope
from desk.extensions import db
from desk.models import Level, OrgUnit, Role
from intake import bp
from intake.imports import services
from intake.imports.forms import EventImportForm
from intake.imports.models import ImportRun
from intake.imports.samples import SAMPLE_DIR, SAMPLE_FILES

HISTORY_ROWS = 50


@bp.route("/imports", methods=["GET", "POST"])
@require_roles(Role.admin)
def import_events():
    form = EventImportForm()
    form.set_counties(units_in_scope(current_user, Level.county))
    if form.validate_on_submit():
        county = find_in_scope(OrgUnit, form.county_id.data, current_user)
        data = form.file.data.read()
        if county is None or county.level != Level.county:
            form.county_id.errors.append(_("Choose a county of your area."))
        elif not data:
            form.file.errors.append(_("The file is empty."))
        elif b"\x00" in data[:4096] and not data.startswith(b"PK\x03\x04"):
            form.file.errors.append(_("Choose a CSV file or an XLSX workbook."))
        else:
            run = services.open_run(source=form.source.data, county=county, actor=current_user,
                                    file_name=form.file.data.filename or "")
            db.session.commit()
            path = _keep_upload(data)
            services.start_background_import(current_app._get_current_object(), run_id=run.id, path=path,
                                             actor_id=current_user.id)
            return redirect(url_for("intake.import_run", run_id=run.id))
    runs = db.session.scalars(sa.select(ImportRun).where(scope_clause(ImportRun, current_user))
                              .order_by(ImportRun.id.desc()).limit(HISTORY_ROWS)).all()
    return render_template("intake/imports/import.html", form=form, runs=runs, samples=SAMPLE_FILES)


def _keep_upload(data: bytes) -> str:
    """A private copy for the background import (which removes it), outside any served folder."""
    handle, path = tempfile.mkstemp(prefix="import-", suffix=".upload")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    return path


@bp.route("/imports/<int:run_id>")
@require_roles(Role.admin)
def import_run(run_id):
    run = get_in_scope(ImportRun, run_id, current_user)
    problems = [(row, column, _(msgid, **values)) for row, column, msgid, values in run.problems]
    return render_template("intake/imports/run.html", run=run, problems=problems, counts=services.counts(run))


@bp.route("/imports/<int:run_id>/status")
@require_roles(Role.admin)
def import_status(run_id):
    run = get_in_scope(ImportRun, run_id, current_user)
    return jsonify(status=run.status.value, status_title=str(run.status.title), finished=run.finished,
                   checked=run.checked, written=run.written, **services.counts(run))


@bp.route("/imports/sample/<any('12345', '110', grid):source>")
@require_roles(Role.admin)
def import_sample(source):
    name = SAMPLE_FILES[source]
    return send_file(SAMPLE_DIR / name, as_attachment=True, download_name=name)


