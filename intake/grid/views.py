"""Grid event pages: the list, the phone report form, the event page with its actions, photos, and the panel on
a case that came from an event. Routes live on the intake blueprint."""
import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from desk.access import get_in_scope, may_open, require_roles
from desk.audit import timeline
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import Case, Category, Role
from desk.panels import case_panel
from desk.params import id_arg
from intake import bp
from intake.grid import services as grid
from intake.grid.forms import CloseForm, ConvertForm, DispatchForm, RateEventForm, ReportEventForm, ResultForm
from intake.grid.models import DispatchTarget, EventStatus, GridEvent, GridEventPhoto

S = EventStatus
READERS = (Role.grid_member, Role.commander, Role.official, Role.admin, Role.talent, Role.department_officer)
ACTORS = (Role.grid_member, Role.commander, Role.talent)
PAGE = 50
ACTION_FORMS = {"dispatch": DispatchForm, "handle": ResultForm, "resolve": ResultForm, "close": CloseForm,
                "rate": RateEventForm, "convert": ConvertForm}


@bp.route("/grid/events")
@require_roles(*READERS)
def grid_events():
    status = request.args.get("status", "")
    if status and status not in {s.value for s in S}:
        abort(400)
    before = id_arg("before")
    stmt = sa.select(GridEvent).where(grid.visible_clause(current_user))
    if status:
        stmt = stmt.where(GridEvent.status == S(status))
    if before:
        stmt = stmt.where(GridEvent.id < before)
    rows = list(db.session.scalars(stmt.order_by(GridEvent.id.desc()).limit(PAGE + 1)))
    next_url = url_for("intake.grid_events", status=status or None, before=rows[PAGE - 1].id) \
        if len(rows) > PAGE else None
    return render_template("intake/grid/list.html", events=rows[:PAGE], status=status, S=S, next_url=next_url,
                           may_report=current_user.has_role(Role.grid_member))


def _report_choices(form: ReportEventForm) -> None:
    form.grid_id.choices = [("", "—")] + [(g.id, g.full_name) for g in grid.member_grids(current_user)]
    form.category_id.choices = [("", "—")] + [(c.id, c.name) for c in db.session.scalars(
        sa.select(Category).order_by(Category.code))]
    if form.grid_id.data is None and len(form.grid_id.choices) == 2:   # one grid: nothing to choose
        form.grid_id.data = form.grid_id.choices[1][0]


@bp.route("/grid/events/new", methods=["GET", "POST"])
@require_roles(Role.grid_member)
def grid_report():
    form = ReportEventForm()
    _report_choices(form)
    if form.validate_on_submit():
        try:
            event = grid.report_event(actor=current_user, kind=form.kind.data, grid_id=form.grid_id.data,
                                      category_id=form.category_id.data, description=form.description.data,
                                      photos=_uploads(form.photos), latitude=form.latitude.data,
                                      longitude=form.longitude.data)
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            flash(_("Event %(number)s reported.", number=event.number), "success")
            return redirect(url_for("intake.grid_event", event_id=event.id))
    status = 400 if form.errors else 200
    return render_template("intake/grid/report.html", form=form), status


def _uploads(field) -> list[tuple[str, bytes]]:
    files = [f for f in field.data or [] if getattr(f, "filename", "")]
    return [(f.filename, f.read()) for f in files]


@bp.route("/grid/events/<int:event_id>")
@require_roles(*READERS)
def grid_event(event_id):
    return _render_event(get_in_scope(GridEvent, event_id, current_user))


def _actions(event: GridEvent) -> dict:
    """The actions this user may take now, each with a blank form."""
    me, commander = current_user, grid.is_town_commander(current_user, event)
    order_done = event.order is not None and event.order.verified_at is not None
    possible = {
        "dispatch": commander and event.status == S.reported,
        "convert": commander and event.case_id is None and event.status in (S.reported, S.dispatched),
        "handle": event.status == S.dispatched and (
            (event.target == DispatchTarget.mediator and event.assignee_id == me.id)
            or (event.target == DispatchTarget.station and commander)),
        "resolve": event.status == S.reported and event.reporter_id == me.id,
        "close": commander and ((event.status == S.handled and event.target != DispatchTarget.department)
                                or (event.status in (S.dispatched, S.handled) and order_done)),
        "rate": event.status == S.closed and event.reporter_id == me.id,
    }
    return {name: ACTION_FORMS[name](formdata=None) for name, ok in possible.items() if ok}


def _render_event(event: GridEvent, forms: dict | None = None, status: int = 200):
    actions = _actions(event)
    actions.update({k: v for k, v in (forms or {}).items() if k in actions})
    if "dispatch" in actions:
        _dispatch_choices(actions["dispatch"], event)
    return render_template("intake/grid/detail.html", event=event, actions=actions, S=S,
                           links={e: may_open(e, current_user) for e in ("referrals.order_detail", "intake.case_detail")},
                           history=timeline("grid_event", event.id),
                           report_photos=[p for p in event.photos if p.stage == "report"],
                           handling_photos=[p for p in event.photos if p.stage == "handling"]), status


def _dispatch_choices(form: DispatchForm, event: GridEvent) -> None:
    from referrals.orders.services import county_departments
    departments = county_departments(event.county_id)
    form.department_id.choices = [("", "—")] + [(d.id, d.name) for d in departments]
    form.talent_id.choices = [("", "—")] + [(t.id, t.name) for t in grid.mediators_of(event.county_id)]
    if form.department_id.data is None:   # suggest the category's usual department
        form.department_id.data = next((d.id for d in departments if d.code == event.category.department_code), None)
    if not form.contact_name.data:
        form.contact_name.data = event.reporter.display_name


@bp.route("/grid/events/<int:event_id>/<any(dispatch, handle, resolve, close, rate, convert):action>",
          methods=["POST"])
@require_roles(*ACTORS)
def grid_event_action(event_id, action):
    event = get_in_scope(GridEvent, event_id, current_user)
    form = ACTION_FORMS[action]()
    if action == "dispatch":
        _dispatch_choices(form, event)
    if action not in _actions(event):
        flash(_("This action is not available for this event now."), "error")
        return redirect(url_for("intake.grid_event", event_id=event.id))
    if not form.validate_on_submit():
        return _render_event(event, {action: form}, 400)
    try:
        _perform(event, action, form)
    except DomainError as err:
        db.session.rollback()
        event = get_in_scope(GridEvent, event_id, current_user)
        if show_on_form(form, err):
            return _render_event(event, {action: form}, 400)
        return redirect(url_for("intake.grid_event", event_id=event_id))
    db.session.commit()
    flash({"dispatch": _("Event dispatched."), "handle": _("Handling recorded."), "resolve": _("Closed on the spot."),
           "close": _("Event closed."), "rate": _("Thank you: rating saved."),
           "convert": _("The event is now a case.")}[action], "success")
    return redirect(url_for("intake.grid_event", event_id=event_id))


def _perform(event: GridEvent, action: str, form) -> None:
    if action == "dispatch":
        grid.dispatch_event(event, actor=current_user, target=form.target.data,
                            department_id=form.department_id.data, talent_id=form.talent_id.data,
                            instructions=form.instructions.data or "", contact_name=form.contact_name.data or "",
                            contact_phone=form.contact_phone.data or None)
    elif action == "handle":
        grid.handle_event(event, actor=current_user, result=form.result.data, photos=_uploads(form.photos))
    elif action == "resolve":
        grid.resolve_on_the_spot(event, actor=current_user, result=form.result.data, photos=_uploads(form.photos))
    elif action == "close":
        grid.close_event(event, actor=current_user, note=form.note.data or "")
    elif action == "rate":
        grid.rate_event(event, actor=current_user, rating=form.rating.data)
    else:
        grid.convert_event(event, actor=current_user, name=form.contact_name.data,
                           phone=form.contact_phone.data or None, id_number=form.id_number.data or None,
                           title=form.title.data or "")


@bp.route("/grid/events/<int:event_id>/photos/<int:photo_id>")
@require_roles(*READERS)
def grid_event_photo(event_id, photo_id):
    event = get_in_scope(GridEvent, event_id, current_user)
    photo = db.session.scalar(sa.select(GridEventPhoto).where(GridEventPhoto.id == photo_id,
                                                              GridEventPhoto.event_id == event.id))
    if photo is None:
        abort(404)
    try:
        with open(photo.path, "rb") as handle:
            data = handle.read()
    except OSError:
        abort(404)
    return Response(data, mimetype=photo.mime, headers={"Content-Disposition": f'inline; filename="photo-{photo.id}"'})


@case_panel
def _grid_event_panel(case: Case):
    """On a case that came from a grid event: the link back to the event."""
    events = [e for e in db.session.scalars(sa.select(GridEvent).where(GridEvent.case_id == case.id)
                                            .order_by(GridEvent.id)) if grid.may_see(current_user, e)]
    if not events:
        return None
    return Markup(render_template("intake/grid/_case_panel.html", events=events))
