"""Core pages: the front door, the health check, a generic home, notifications, error pages."""
from flask import Blueprint, Response, jsonify, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import text

from desk import notify, prepared
from desk.access import get_in_scope, public
from desk.extensions import db
from desk.home import home_endpoint
from desk.models import FileStatus, PreparedFile
from desk.timeutil import utcnow

bp = Blueprint("core", __name__)


@bp.route("/")
@public
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(url_for(home_endpoint(current_user)))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # the check must answer even when the database is down
        db.session.rollback()
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return jsonify(status="ok" if status == 200 else "degraded", database=database,
                   backend=db.engine.dialect.name), status


@bp.route("/home")
@login_required
def home():
    return render_template("desk/home.html")


@bp.route("/notifications")
@login_required
def notifications():
    """Reading the list changes nothing (a GET never writes); "mark all read" is a POST."""
    return render_template("desk/notifications.html", items=notify.recent_for(current_user))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_notifications_read():
    notify.mark_read(current_user)
    db.session.commit()
    return redirect(url_for("core.notifications"))


@bp.route("/files/<int:file_id>")
@login_required
def prepared_file(file_id):
    """A file being prepared for its user: the progress, then the download; the user's other recent files."""
    row = get_in_scope(PreparedFile, file_id, current_user)
    return render_template("desk/prepared_file.html", file=row, status=prepared.status_of(row, utcnow()),
                           recent=[f for f in prepared.recent_for(current_user) if f.id != row.id])


@bp.route("/files/<int:file_id>/status")
@login_required
def prepared_file_status(file_id):
    row = get_in_scope(PreparedFile, file_id, current_user)
    status = prepared.status_of(row, utcnow())
    return jsonify(status=status.value, title=str(status.title), done=row.done, total=row.total,
                   ready=status == FileStatus.ready, finished=status in (FileStatus.ready, FileStatus.failed),
                   download=url_for("core.prepared_file_download", file_id=row.id))


@bp.route("/files/<int:file_id>/download")
@login_required
def prepared_file_download(file_id):
    """The file; a browser that accepts gzip gets the stored parts as they are (Content-Encoding: gzip)."""
    row = get_in_scope(PreparedFile, file_id, current_user)
    if row.status != FileStatus.ready:
        return redirect(url_for("core.prepared_file", file_id=row.id))
    compressed = "gzip" in request.accept_encodings
    headers = {"Content-Disposition": f'attachment; filename="{row.file_name}"', "Cache-Control": "private, no-store",
               "Content-Length": str(row.stored if compressed else row.size), "Vary": "Accept-Encoding"}
    if compressed:
        headers["Content-Encoding"] = "gzip"
    return Response(stream_with_context(prepared.content(row.id, compressed=compressed)), mimetype=row.mimetype,
                    headers=headers)


def render_error(code: int, title: str, message: str):
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register_error_pages(app) -> None:
    pages = {
        400: (lambda: _("Bad request"), lambda: _("The request could not be understood. Please go back and try again.")),
        403: (lambda: _("Not allowed"), lambda: _("You do not have permission to see this page.")),
        404: (lambda: _("Not found"), lambda: _("This page or record does not exist, or is outside your area.")),
        405: (lambda: _("Not allowed"), lambda: _("This action is not available here.")),
        413: (lambda: _("File too large"), lambda: _("The upload is larger than the limit.")),
        500: (lambda: _("Something went wrong"), lambda: _("The error has been logged. Please try again later.")),
    }
    for code, (title, message) in pages.items():
        def handler(error, code=code, title=title, message=message):
            if code == 500:
                db.session.rollback()
            return render_error(code, title(), message())
        app.register_error_handler(code, handler)
