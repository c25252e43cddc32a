"""Mediation of a case: its panel on the case page, its own page (sessions, outcome), the agreement PDF."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
import sqlalchemy as sa

from desk.access import find_in_scope, get_in_scope, may_open, require_roles
from desk.audit import timeline
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import OPEN_STATUSES, Case, Role
from desk.panels import case_panel
from desk.timeutil import local_today
from outreach import bp
from outreach.assignments.models import OutreachAssignment
from outreach.field.models import FollowUpCase
from outreach.mediation import services as service
from outreach.mediation.documents import render_agreement
from outreach.mediation.forms import AgreementForm, EndMediationForm, PartyForm, SessionForm, StartMediationForm
from outreach.mediation.models import Mediation, MediationStatus
from referrals.talent.models import Talent, TalentRole

MEDIATORS = (Role.talent, Role.receptionist, Role.commander, Role.admin)
ACTION_TITLES = {"start": _l("Mediation started"), "add_party": _l("Party added"), "session": _l("Session recorded"),
                 "agreement": _l("Agreement recorded"), "no_agreement": _l("No agreement"),
                 "terminated": _l("Mediation terminated")}
READERS = MEDIATORS + (Role.official,)


def _may_act(mediation_or_case) -> bool:
    """Staff act on any mediation in their scope; a member only on one they mediate."""
    if current_user.has_role(Role.receptionist, Role.commander, Role.admin):
        return True
    mediator = getattr(mediation_or_case, "mediator", None)
    return bool(current_user.has_role(Role.talent) and mediator and mediator.user_id == current_user.id)


def _readable(mediation_id) -> Mediation:
    """The mediation through the scoped loader; a member who is not staff reads only those they mediate
    (the parties' names and positions are theirs to see, not every member's)."""
    mediation = get_in_scope(Mediation, mediation_id, current_user)
    staff = current_user.has_role(Role.receptionist, Role.commander, Role.admin, Role.official)
    if not staff and not (mediation.mediator and mediation.mediator.user_id == current_user.id):
        abort(404)
    return mediation


def _mediators(case: Case) -> list[tuple[int, str]]:
    rows = db.session.scalars(sa.select(Talent).where(
        Talent.county_id == case.county_id, Talent.active.is_(True),
        Talent.role.in_([TalentRole.mediator, TalentRole.lawyer, TalentRole.judge])).order_by(Talent.name).limit(500))
    return [(0, "—")] + [(t.id, f"{t.name} · {t.role.title}") for t in rows]


@case_panel
def _mediation_panel(case: Case):
    mediation = service.mediation_of(case)
    outreach = db.session.scalar(sa.select(OutreachAssignment).join(
        FollowUpCase, FollowUpCase.assignment_id == OutreachAssignment.id).where(FollowUpCase.case_id == case.id))
    can_start = (current_user.has_role(Role.receptionist, Role.commander, Role.admin) and case.status in OPEN_STATUSES
                 and (mediation is None or mediation.status in (MediationStatus.no_agreement,
                                                                MediationStatus.terminated)))
    if mediation is None and outreach is None and not can_start:
        return None
    form = None
    if can_start:
        form = StartMediationForm(formdata=None)
        form.mediator_id.choices = _mediators(case)
        form.started_on.data = local_today()
    return Markup(render_template("outreach/mediation/_case_panel.html", case=case, mediation=mediation,
                                  outreach=outreach, form=form))


@bp.route("/cases/<int:case_id>/mediation", methods=["POST"])
@require_roles(Role.receptionist, Role.commander, Role.admin)
def start_mediation(case_id):
    case = get_in_scope(Case, case_id, current_user)
    form = StartMediationForm()
    form.mediator_id.choices = _mediators(case)
    if not form.validate_on_submit():
        flash(_("Choose the mediator and the start date."), "error")
        return redirect(url_for("intake.case_detail", case_id=case.id))
    mediator = find_in_scope(Talent, form.mediator_id.data, current_user) if form.mediator_id.data else None
    try:
        mediation = service.start_mediation(case, actor=current_user, mediator=mediator, on=form.started_on.data)
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(url_for("intake.case_detail", case_id=case.id))
    db.session.commit()
    return redirect(url_for("outreach.mediation_detail", mediation_id=mediation.id))


def _forms(mediation: Mediation, **override) -> dict:
    agreement = AgreementForm(formdata=None, obj=mediation)
    if mediation.status == MediationStatus.ongoing:
        agreement.facts.data = agreement.facts.data or mediation.case.facts
        agreement.agreed_on.data = agreement.agreed_on.data or local_today()
        agreement.copies.data = mediation.copies
    forms = {"party_form": PartyForm(formdata=None), "session_form": SessionForm(formdata=None),
             "agreement_form": agreement, "end_form": EndMediationForm(formdata=None)}
    if not override.get("session_form"):
        forms["session_form"].held_on.data = local_today()
        forms["session_form"].place.data = mediation.case.site.name if mediation.case.site else ""
        forms["session_form"].parties_present.data = "、".join(p.name for p in mediation.parties)
    forms["end_form"].ended_on.data = local_today()
    forms.update(override)
    return forms


def _page(mediation: Mediation, **override):
    return render_template("outreach/mediation/detail.html", m=mediation, case=mediation.case,
                           can_act=_may_act(mediation), due=service.usual_completion(mediation),
                           case_link=may_open("intake.case_detail", current_user),
                           history=timeline("mediation", mediation.id), ACTION_TITLES=ACTION_TITLES,
                           **_forms(mediation, **override))


@bp.route("/mediations/<int:mediation_id>")
@require_roles(*READERS)
def mediation_detail(mediation_id):
    return _page(_readable(mediation_id))


@bp.route("/mediations/<int:mediation_id>/<any(party, session, agreement, end):action>", methods=["POST"])
@require_roles(*MEDIATORS)
def mediation_action(mediation_id, action):
    mediation = _readable(mediation_id)
    if not _may_act(mediation):
        abort(403)
    form_class = {"party": PartyForm, "session": SessionForm, "agreement": AgreementForm, "end": EndMediationForm}
    form = form_class[action]()
    if not form.validate_on_submit():
        return _page(mediation, **{f"{action}_form": form}), 400
    try:
        if action == "party":
            service.add_party(mediation, actor=current_user, side=form.side.data, name=form.name.data,
                              details=form.details.data or "")
        elif action == "session":
            service.record_session(mediation, actor=current_user, held_on=form.held_on.data, place=form.place.data,
                                   parties_present=form.parties_present.data, positions=form.positions(),
                                   note=form.note.data or "")
        elif action == "agreement":
            service.record_agreement(
                mediation, actor=current_user, facts=form.facts.data, disputes=form.disputes.data,
                responsibilities=form.responsibilities.data, terms=form.terms.data,
                performance_method=form.performance_method.data, performance_deadline=form.performance_deadline.data,
                agreed_on=form.agreed_on.data, copies=form.copies.data)
        else:
            service.end_without_agreement(mediation, actor=current_user, status=MediationStatus(form.status.data),
                                          outcome=form.outcome.data, routes_told=form.routes_told.data,
                                          on=form.ended_on.data)
    except DomainError as err:
        db.session.rollback()
        show_on_form(form, err)
        return _page(mediation, **{f"{action}_form": form}), 400
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("outreach.mediation_detail", mediation_id=mediation.id))


@bp.route("/mediations/<int:mediation_id>/agreement.pdf")
@require_roles(*READERS)
def agreement_pdf(mediation_id):
    mediation = _readable(mediation_id)
    if mediation.status != MediationStatus.agreement:
        abort(404)
    pdf = render_agreement(mediation, locale=request.args.get("lang") if request.args.get("lang") in
                           ("zh_Hans", "zh_Hant", "en") else None)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{mediation.number}.pdf"'})
