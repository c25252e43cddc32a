"""Routing pages: the panel on the case page and its actions, the routed cases a department officer sees,
one routing's page (the case's basic facts and the answer: object or confirm)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
import sqlalchemy as sa

from desk.access import get_in_scope, parse_id, require_roles
from desk.audit import timeline
from desk.errors import DomainError, NotAllowed, show_on_form
from desk.extensions import db
from desk.models import OPEN_STATUSES, Case, CaseGrade, Department, Level, Role
from desk.panels import case_panel
from desk.timeutil import local_today
from intake import bp
from intake.routing import services as routing
from intake.routing.forms import AnswerForm, EmptyForm, EscalateForm, GradeForm, LeaderForm, RouteForm
from intake.routing.models import CaseRoute, ExternalBody, RouteKind, RouteStatus

VIEWERS = (Role.receptionist, Role.commander, Role.admin, Role.official, Role.callback_staff)
DESK = routing.DESK_ACTORS
PAGE = 100


def _department_choices(case: Case) -> list:
    departments = db.session.scalars(sa.select(Department).where(Department.county_id == case.county_id)
                                     .order_by(Department.code))
    return [("", "—")] + [(d.id, d.name) for d in departments]


def _leader_choices(case: Case) -> list:
    return [("", "—")] + [(u.id, u.display_name) for u in routing.leader_candidates(case)]


def _forms(case: Case, routes: list[CaseRoute], override: dict | None = None) -> dict:
    """The action forms this user may use on this case now (a submitted one keeps what was typed)."""
    override = override or {}
    forms = {}
    is_open = case.status in OPEN_STATUSES
    if current_user.has_role(*DESK) and is_open:
        if not any(r.status in (RouteStatus.pending, RouteStatus.confirmed) for r in routes):
            forms["route"] = override.get("route") or RouteForm(formdata=None, prefix="route")
            forms["route"].department_id.choices = _department_choices(case)
        if case.level in routing.NEXT_LEVEL:
            forms["escalate"] = override.get("escalate") or EscalateForm(formdata=None, prefix="escalate")
        forms["grade"] = override.get("grade") or GradeForm(formdata=None, prefix="grade", grade=case.grade.value)
    if current_user.has_role(*routing.LEADER_ASSIGNERS) and case.level == Level.county:
        forms["leader"] = override.get("leader") or LeaderForm(formdata=None, prefix="leader")
        forms["leader"].leader_id.choices = _leader_choices(case)
    return forms


def _context(case: Case, override: dict | None = None) -> dict:
    routes = routing.routes_of(case)
    return {"case": case, "routes": routes, "forms": _forms(case, routes, override),
            "deadline": routing.route_deadline(case, routes), "today": local_today(),
            "effective": routing.effective_status}


@case_panel
def _routing_panel(case: Case):
    if not current_user.has_role(*VIEWERS):
        return None
    return Markup(render_template("intake/routing/_case_panel.html", **_context(case)))


@bp.route("/cases/<int:case_id>/routing")
@require_roles(*VIEWERS)
def case_routing(case_id):
    case = get_in_scope(Case, case_id, current_user)
    return render_template("intake/routing/case.html", history=timeline("case", case.id), **_context(case))


FORMS = {"route": RouteForm, "escalate": EscalateForm, "grade": GradeForm, "leader": LeaderForm}


def _perform(case: Case, action: str, form) -> str:
    if action == "route":
        route = routing.route_case(case, actor=current_user, kind=RouteKind(form.kind.data),
                                   department_id=form.department_id.data, body_kind=(
                                       ExternalBody(form.body_kind.data) if form.body_kind.data else None),
                                   body_name=form.body_name.data or "", reason=form.reason.data)
        return _("Routed to %(body)s; it may object until %(day)s.", body=route.target_name,
                 day=route.objection_due.isoformat())
    if action == "escalate":
        routing.escalate_case(case, actor=current_user, reason=form.reason.data)
        return _("Escalated to the %(level)s level.", level=case.level.title)
    if action == "grade":
        routing.change_grade(case, actor=current_user, grade=CaseGrade(form.grade.data), reason=form.reason.data or "")
        return _("Grade set to %(grade)s.", grade=case.grade.title)
    routing.assign_leader(case, actor=current_user, leader_id=form.leader_id.data)
    return _("Leader assigned.")


@bp.route("/cases/<int:case_id>/routing/<any(route, escalate, grade, leader):action>", methods=["POST"])
@require_roles(*(DESK + routing.LEADER_ASSIGNERS))
def routing_action(case_id, action):
    case = get_in_scope(Case, case_id, current_user)
    allowed = routing.LEADER_ASSIGNERS if action == "leader" else DESK
    if not current_user.has_role(*allowed):
        abort(403)
    form = FORMS[action](prefix=action)
    if action == "route":
        form.department_id.choices = _department_choices(case)
    if action == "leader":
        form.leader_id.choices = _leader_choices(case)
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields; nothing you typed has been lost."), "error")
        return _render_case(case, action, form)
    try:
        message = _perform(case, action, form)
    except NotAllowed:
        db.session.rollback()
        abort(403)
    except DomainError as err:
        db.session.rollback()
        show_on_form(form, err)
        return _render_case(db.session.get(Case, case_id), action, form)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("intake.case_detail", case_id=case.id))


def _render_case(case: Case, action: str, form):
    return render_template("intake/routing/case.html", history=timeline("case", case.id),
                           **_context(case, {action: form})), 400


# --- the receiving department ---------------------------------------------------------------------

def _load_route(route_id) -> CaseRoute:
    """An officer sees only routings to their own department; desk staff those of cases in their scope."""
    number = parse_id(route_id)
    if number is None:
        abort(404)
    route = None
    if current_user.has_role(Role.department_officer) and current_user.department_id:
        route = db.session.scalar(sa.select(CaseRoute).where(CaseRoute.id == number,
                                                             CaseRoute.department_id == current_user.department_id))
    if route is None and current_user.has_role(*VIEWERS):
        route = db.session.get(CaseRoute, number)
        if route is not None:
            get_in_scope(Case, route.case_id, current_user)
    if route is None:
        abort(404)
    return route


@bp.route("/routes")
@require_roles(Role.department_officer)
def routed_cases():
    rows = list(db.session.scalars(
        sa.select(CaseRoute).where(CaseRoute.department_id == current_user.department_id)
        .order_by(CaseRoute.routed_at.desc(), CaseRoute.id.desc()).limit(PAGE))) \
        if current_user.department_id else []
    today = local_today()
    pending = [r for r in rows if routing.effective_status(r, today) == RouteStatus.pending]
    answered = [r for r in rows if r not in pending]
    return render_template("intake/routing/list.html", pending=pending, answered=answered, today=today,
                           effective=routing.effective_status)


def _render_route(route: CaseRoute, forms: dict | None = None, status: int = 200):
    today = local_today()
    forms = forms or {}
    actions = {}
    if routing.may_answer(route, current_user) and routing.effective_status(route, today) == RouteStatus.pending:
        actions = {"object": forms.get("object") or AnswerForm(formdata=None, prefix="object"),
                   "confirm": forms.get("confirm") or EmptyForm(formdata=None, prefix="confirm")}
    return render_template("intake/routing/route.html", route=route, case=route.case, actions=actions,
                           today=today, status=routing.effective_status(route, today),
                           history=timeline("case_route", route.id)), status


@bp.route("/routes/<int:route_id>")
@require_roles(Role.department_officer, *VIEWERS)
def route_detail(route_id):
    return _render_route(_load_route(route_id))


@bp.route("/routes/<int:route_id>/<any(object, confirm):action>", methods=["POST"])
@require_roles(Role.department_officer, *DESK)
def route_action(route_id, action):
    route = _load_route(route_id)
    if not routing.may_answer(route, current_user):
        abort(403)
    form = AnswerForm(prefix="object") if action == "object" else EmptyForm(prefix="confirm")
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields; nothing you typed has been lost."), "error")
        return _render_route(route, {action: form}, 400)
    try:
        if action == "object":
            routing.object_to_route(route, actor=current_user, reason=form.reason.data)
        else:
            routing.confirm_route(route, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        show_on_form(form, err)
        return _render_route(db.session.get(CaseRoute, route.id), {action: form}, 400)
    db.session.commit()
    flash(_("Objection sent: the matter goes back to %(owner)s.",
            owner=route.from_unit.name if route.from_unit else "—") if action == "object"
          else _("Routing confirmed: your department handles the matter."), "success")
    return redirect(url_for("intake.route_detail", route_id=route.id))
