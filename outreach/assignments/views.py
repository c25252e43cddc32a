"""Outreach requests (staff) and assignments (members, phone pages). Thin: parse, authorize, call one
service, commit once, render."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa
import sqlalchemy.orm

from desk.access import get_in_scope, in_scope, require_roles, scope_clause
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import Level, OrgUnit, Role, Site
from desk.params import id_arg
from desk.timeutil import local_today
from outreach import bp
from outreach.assignments import services as assignments
from outreach.assignments.forms import DeclineForm, OfferForm, ReasonForm, RequestForm, RescheduleForm
from outreach.assignments.matching import EXCLUSION_TITLES, TITLES, WEIGHTS, rank_talent_for_request
from outreach.assignments.models import (AssignmentStatus, OutreachAssignment, OutreachRequest, RequestStatus,
                                         ServiceKind)
from outreach.field import services as field
from outreach.field.models import ServiceRecord
from outreach.mediation.models import Mediation
from referrals.talent.models import LANGUAGES, Talent
from referrals.talent.rotation import duty_state

REQUESTERS = (Role.receptionist, Role.commander, Role.admin)
READERS = REQUESTERS + (Role.official,)
PAGE = 100


def my_talent() -> Talent:
    talent = db.session.scalar(sa.select(Talent).where(Talent.user_id == current_user.id))
    if talent is None:
        abort(404)
    return talent


def _status_filter() -> RequestStatus | None:
    value = request.args.get("status") or ""
    if not value:
        return None
    try:
        return RequestStatus(value)
    except ValueError:
        abort(400)


@bp.route("/")
@require_roles(*READERS)
def requests():
    status = _status_filter()
    query = sa.select(OutreachRequest).where(scope_clause(OutreachRequest, current_user))
    if status:
        query = query.where(OutreachRequest.status == status)
    before = id_arg("before")
    if before:
        query = query.where(OutreachRequest.id < before)
    # each row's site and member read with the page, not one by one
    rows = list(db.session.scalars(query.options(sa.orm.selectinload(OutreachRequest.site),
                                                 sa.orm.selectinload(OutreachRequest.talent))
                                   .order_by(OutreachRequest.id.desc()).limit(PAGE + 1)))
    next_url = url_for("outreach.requests", status=status.value if status else None, before=rows[PAGE - 1].id) \
        if len(rows) > PAGE else None
    return render_template("outreach/assignments/requests.html", rows=rows[:PAGE], status=status,
                           statuses=RequestStatus, next_url=next_url,
                           can_request=current_user.has_role(*REQUESTERS))


def _request_choices(form: RequestForm) -> None:
    units = db.session.scalars(sa.select(OrgUnit).where(
        scope_clause(OrgUnit, current_user), OrgUnit.level.in_([Level.county, Level.town, Level.village]))
        .order_by(OrgUnit.code).limit(3000)).all()
    form.unit_id.choices = [(u.id, ("　" * [Level.county, Level.town, Level.village].index(u.level)) + u.name)
                            for u in units]
    sites = db.session.scalars(sa.select(Site).join(Site.org_unit).where(scope_clause(OrgUnit, current_user))
                               .order_by(Site.name).limit(3000)).all()
    form.site_id.choices = [(0, "—")] + [(s.id, s.name) for s in sites]


@bp.route("/new", methods=["GET", "POST"])
@require_roles(*REQUESTERS)
def new_request():
    form = RequestForm()
    _request_choices(form)
    if request.method == "GET":
        form.unit_id.data = current_user.org_unit_id
        form.site_id.data = current_user.site_id or 0
        form.on_date.data = local_today()
    if form.validate_on_submit():
        unit = db.session.get(OrgUnit, form.unit_id.data)
        site = db.session.get(Site, form.site_id.data) if form.site_id.data else None
        if unit is None or not in_scope(current_user, unit):
            abort(400)
        if site is not None and not in_scope(current_user, site.org_unit):
            abort(400)
        try:
            made = assignments.create_request(
                actor=current_user, unit=unit, site=site, kind=ServiceKind(form.kind.data), on_date=form.on_date.data,
                start_time=form.start_time.data, end_time=form.end_time.data,
                expected_people=form.expected_people.data, languages=form.languages.data or [],
                notes=form.notes.data or "", today=local_today())
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            flash(_("Request saved. Choose who to offer it to."), "success")
            return redirect(url_for("outreach.request_detail", request_id=made.id))
    return render_template("outreach/assignments/request_form.html", form=form)


@bp.route("/<int:request_id>")
@require_roles(*READERS)
def request_detail(request_id):
    item = get_in_scope(OutreachRequest, request_id, current_user)
    ranking = rank_talent_for_request(item, limit=15) if item.status == RequestStatus.open else None
    record = db.session.scalar(sa.select(ServiceRecord).where(ServiceRecord.request_id == item.id))
    followups = field.follow_up_cases(record.assignment) if record else []
    return render_template("outreach/assignments/request_detail.html", item=item, ranking=ranking, record=record,
                           followups=followups,
                           TITLES=TITLES, WEIGHTS=WEIGHTS, EXCLUSION_TITLES=EXCLUSION_TITLES, LANGUAGES=LANGUAGES,
                           can_act=current_user.has_role(*REQUESTERS), offer_form=OfferForm(),
                           reason_form=ReasonForm(), reschedule_form=RescheduleForm(obj=item), A=AssignmentStatus,
                           RS=RequestStatus)


@bp.route("/<int:request_id>/<any(offer, cancel, withdraw, reschedule):action>", methods=["POST"])
@require_roles(*REQUESTERS)
def request_action(request_id, action):
    item = get_in_scope(OutreachRequest, request_id, current_user)
    try:
        if action == "offer":
            ids = [int(v) for v in request.form.getlist("talent_ids") if v.isdecimal()]
            talents = list(db.session.scalars(sa.select(Talent).where(Talent.id.in_(ids)))) if ids else []
            if len(talents) != len(set(ids)):
                abort(400)
            assignments.offer(item, talents, actor=current_user)
            message = _("Offered to %(n)s member(s). The first to accept takes it.", n=len(talents))
        elif action == "reschedule":
            form = RescheduleForm()
            if not form.validate_on_submit():
                raise DomainError(_("Enter the new date, the time window and the reason."))
            assignments.reschedule(item, actor=current_user, on_date=form.on_date.data,
                                   start_time=form.start_time.data, end_time=form.end_time.data,
                                   reason=form.reason.data, today=local_today())
            message = _("Rescheduled; the members were told.")
        else:
            reason = request.form.get("reason", "")
            service = assignments.cancel_request if action == "cancel" else assignments.withdraw_assignee
            service(item, actor=current_user, reason=reason)
            message = _("Cancelled; the members were told.")
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("outreach.request_detail", request_id=item.id))


@bp.route("/my")
@require_roles(Role.talent)
def my_assignments():
    talent = my_talent()
    rows = list(db.session.scalars(assignments.visible_to(talent).limit(100)))
    mediations = list(db.session.scalars(sa.select(Mediation).where(Mediation.mediator_id == talent.id)
                                         .order_by(Mediation.started_on.desc()).limit(20)))
    return render_template("outreach/assignments/my_assignments.html", talent=talent, rows=rows, A=AssignmentStatus,
                           mediations=mediations,
                           decline_form=DeclineForm(), today=local_today(), LANGUAGES=LANGUAGES,
                           duty=duty_state(talent, local_today()))


def my_assignment(assignment_id: int) -> tuple[Talent, OutreachAssignment]:
    """The signed-in member's own assignment, in their scope, or 404."""
    talent = my_talent()
    assignment = db.session.get(OutreachAssignment, assignment_id)
    if assignment is None or assignment.talent_id != talent.id or not in_scope(current_user, assignment.request):
        abort(404)
    return talent, assignment


@bp.route("/a/<int:assignment_id>/<any(accept, decline, check_in, check_out):action>", methods=["POST"])
@require_roles(Role.talent)
def assignment_action(assignment_id, action):
    talent, assignment = my_assignment(assignment_id)
    try:
        if action == "accept":
            assignments.accept(assignment.id, talent=talent, actor=current_user)
            message = _("Accepted. The outreach is yours.")
        elif action == "decline":
            assignments.decline(assignment, talent=talent, actor=current_user, reason=request.form.get("reason", ""))
            message = _("Declined.")
        elif action == "check_in":
            assignments.check_in(assignment, actor=current_user)
            message = _("Checked in.")
        else:
            assignments.check_out(assignment, actor=current_user)
            message = _("Checked out. Now record the service.")
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("outreach.my_assignments") + f"#assignment-{assignment_id}")
