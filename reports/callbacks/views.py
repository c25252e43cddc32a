"""Satisfaction callbacks (回访): the work list, recording a rating, the citizen's own rating."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
import sqlalchemy as sa

from desk.access import get_in_scope, public, require_roles, units_in_scope
from desk.audit import record_audit, timeline
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import Case, Level, Role, full_names
from desk.panels import case_panel
from desk.timeutil import local_today, utcnow
from desk.transactions import begin_write
from reports import bp
from reports.callbacks import services as callbacks
from reports.callbacks.forms import CallbackFilterForm, CallbackForm, CitizenRatingForm, ReopenForm, TrackForm
from reports.callbacks.models import Callback, CallbackStatus

STAFF = (Role.callback_staff,)


@bp.route("/callbacks", endpoint="callbacks")
@require_roles(*STAFF)
def callbacks_list():
    form = CallbackFilterForm(request.args)
    towns = list(units_in_scope(current_user, Level.town))
    form.town_id.choices = [("", _("All towns"))] + [(t.id, t.name) for t in towns]
    town_id = form.town_id.data if form.town_id.data in {t.id for t in towns} else None
    # A GET writes nothing: newly concluded matters the job has not reached yet are counted and opened by a POST.
    waiting = callbacks.open_callbacks_for_concluded(utcnow(), unit=current_user.org_unit, dry_run=True)
    today = local_today()
    rows = callbacks.work_list(current_user, today, town_id=town_id)
    return render_template("reports/callbacks/work_list.html", form=form, rows=rows,
                           places=full_names(c.case.place_unit_id for c in rows),
                           recent=callbacks.recently_recorded(current_user), today=today, waiting=waiting)


@bp.route("/callbacks/open", methods=["POST"])
@require_roles(*STAFF)
def open_callbacks():
    """Open the callbacks of matters concluded since the job last ran, in the user's area (idempotent)."""
    begin_write()
    callbacks.open_callbacks_for_concluded(utcnow(), unit=current_user.org_unit)
    db.session.commit()
    return redirect(url_for("reports.callbacks"))


def _render_record(callback: Callback, form=None, reopen_form=None, status: int = 200):
    today = local_today()
    return render_template("reports/callbacks/record.html", callback=callback, case=callback.case,
                           form=form or CallbackForm(formdata=None),
                           reopen_form=reopen_form or ReopenForm(formdata=None),
                           review=callbacks.review_window(callback, today), today=today,
                           entries=timeline("callback", callback.id)), status


@bp.route("/callbacks/<int:callback_id>", methods=["GET", "POST"])
@require_roles(*STAFF)
def callback_record(callback_id):
    callback = get_in_scope(Callback, callback_id, current_user)
    if request.method == "GET":
        return _render_record(callback)
    form = CallbackForm()
    if not form.validate_on_submit():
        return _render_record(callback, form, status=400)
    try:
        callbacks.record_callback(callback, actor=current_user, rating=form.rating.data or "",
                                  channel=form.channel.data or "", comment=form.comment.data or "", now=utcnow())
    except DomainError as err:
        db.session.rollback()
        show_on_form(form, err)
        return _render_record(db.session.get(Callback, callback_id), form, status=400)
    db.session.commit()
    flash(_("Rating recorded: %(rating)s.", rating=callback.rating.title), "success")
    return redirect(url_for("reports.callback_record", callback_id=callback.id))


@bp.route("/callbacks/<int:callback_id>/reopen", methods=["POST"])
@require_roles(*STAFF)
def callback_reopen(callback_id):
    callback = get_in_scope(Callback, callback_id, current_user)
    form = ReopenForm()
    if not form.validate_on_submit():
        return _render_record(callback, reopen_form=form, status=400)
    try:
        callbacks.reopen_after_dissatisfaction(callback, actor=current_user, reason=form.reason.data or "",
                                               on=local_today())
    except DomainError as err:
        db.session.rollback()
        show_on_form(form, err)
        return _render_record(db.session.get(Callback, callback_id), reopen_form=form, status=400)
    db.session.commit()
    flash(_("Saved: %(status)s.", status=callback.case.status.title), "success")
    return redirect(url_for("reports.callback_record", callback_id=callback.id))


@bp.route("/callbacks/<int:callback_id>/phone", methods=["POST"])
@require_roles(*STAFF)
def callback_reveal_phone(callback_id):
    """The petitioners' full phone numbers, for making the call; every reveal is audited."""
    callback = get_in_scope(Callback, callback_id, current_user)
    people = callback.case.petitioners
    for person in people:
        record_audit(actor=current_user, entity="person", entity_id=person.id, action="reveal_phone",
                     detail={"callback": callback.id})
    db.session.commit()
    return render_template("reports/callbacks/phone.html", callback=callback, people=people)


# --- the citizen's page (no login) ----------------------------------------------------------------------------

def _lookup_allowed() -> bool:
    allowed = callbacks.count_lookup(request.remote_addr or "", utcnow())
    db.session.commit()
    return allowed


@bp.route("/track", methods=["GET", "POST"])
@public
def track():
    """Follow a matter by the tracking code on the notice; rate it once it is concluded."""
    form = TrackForm()
    if request.method == "GET" or not form.validate_on_submit():
        return render_template("reports/callbacks/track.html", form=form), 200 if request.method == "GET" else 400
    if not _lookup_allowed():
        flash(_("Too many look-ups from this connection. Please try again in an hour."), "error")
        return render_template("reports/callbacks/track.html", form=form), 429
    try:
        matter = callbacks.track(form.code.data or "", now=utcnow())
    except DomainError as err:
        form.code.errors = [err.message]
        return render_template("reports/callbacks/track.html", form=form), 200
    rating_form = CitizenRatingForm(formdata=None, code=callbacks.normalize_code(form.code.data))
    return render_template("reports/callbacks/track_status.html", matter=matter, rating_form=rating_form,
                           S=CallbackStatus)


@bp.route("/track/rate", methods=["POST"])
@public
def track_rate():
    form = CitizenRatingForm()
    if not form.validate_on_submit():
        abort(400)
    if not _lookup_allowed():
        flash(_("Too many look-ups from this connection. Please try again in an hour."), "error")
        return render_template("reports/callbacks/track.html", form=TrackForm(formdata=None)), 429
    now = utcnow()
    try:
        callbacks.rate_by_tracking_code(form.code.data or "", rating=form.rating.data or "",
                                        comment=form.comment.data or "", now=now)
    except DomainError as err:
        db.session.rollback()
        if err.field == "code":
            track_form = TrackForm(formdata=None)
            track_form.code.errors = [err.message]
            return render_template("reports/callbacks/track.html", form=track_form), 200
        try:
            matter = callbacks.track(form.code.data or "", now=now)
        except DomainError:
            abort(400)
        show_on_form(form, err)
        return render_template("reports/callbacks/track_status.html", matter=matter, rating_form=form,
                               S=CallbackStatus), 400
    db.session.commit()
    matter = callbacks.track(form.code.data, now=now)
    return render_template("reports/callbacks/track_status.html", matter=matter, rating_form=None, S=CallbackStatus,
                           thanked=True)


@case_panel
def _callbacks_panel(case: Case):
    if not current_user.has_role(Role.callback_staff, Role.official, Role.receptionist, Role.admin):
        return None
    rows = list(db.session.scalars(sa.select(Callback).where(Callback.case_id == case.id).order_by(Callback.round)))
    if not rows:
        return None
    return Markup(render_template("reports/callbacks/_case_panel.html", case=case, rows=rows,
                                  can_record=current_user.has_role(Role.callback_staff)))
