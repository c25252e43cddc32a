"""Mediation of a case: its panel on the case page, its own page (sessions, outcome), the agreement PDF."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
import sqlalchemy as sa

from desk.access import find_in_scope, get_in_scope, may_open, parse_id, require_roles
from desk.audit import timeline
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import OPEN_STATUSES, Case, PetitionType, Role
from desk.panels import case_panel
from desk.timeutil import local_today
from outreach import bp
from outreach.assignments.models import OutreachAssignment
from outreach.field.models import FollowUpCase
from outreach.mediation import services as service
from outreach.mediation.documents import render_agreement
from outreach.mediation.forms import (AgreementForm, EndMediationForm, ExtendMediationForm, PartyForm, SessionForm,
                                      StartMediationForm)
from outreach.mediation.models import Mediation, MediationParty, MediationStatus
from referrals.talent.models import Talent, TalentRole

MEDIATORS = (Role.talent, Role.receptionist, Role.commander, Role.admin)
ACTION_TITLES = {"start": _l("Mediation started"), "add_party": _l("Party added"), "session": _l("Session recorded"),
                 "agreement": _l("Agreement recorded"), "no_agreement": _l("No agreement"),
                 "terminated": _l("Mediation terminated"), "consent": _l("Consent to mediate recorded"),
                 "extend": _l("Mediation extended with both sides' consent"),
                 "party_details": _l("Party's details updated")}
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
    staff = current_user.has_role(Role.receptionist, Role.commander, Role.admin) and case.status in OPEN_STATUSES
    # An accusation is never mediated: staff see why instead of the start form.
    accusation = staff and case.petition_type == PetitionType.accusation
    can_start = staff and not accusation and (
        mediation is None or mediation.status in (MediationStatus.no_agreement, MediationStatus.terminated))
    if mediation is None and outreach is None and not can_start and not accusation:
        return None
    form = _start_form(case, formdata=None) if can_start else None
    return Markup(render_template("outreach/mediation/_case_panel.html", case=case, mediation=mediation,
                                  outreach=outreach, form=form, accusation=accusation))


def _start_form(case: Case, **kwargs) -> StartMediationForm:
    form = StartMediationForm(**kwargs)
    form.mediator_id.choices = _mediators(case)
    if kwargs.get("formdata", True) is None:
        today = local_today()
        form.started_on.data = form.consent_a_on.data = form.consent_b_on.data = today
        form.consent_a_by.data = "、".join(p.name for p in case.petitioners)
        form.consent_b_by.data = case.other_party
        form.committee.data = service.default_committee(case)
    return form


@bp.route("/cases/<int:case_id>/mediation", methods=["POST"])
@require_roles(Role.receptionist, Role.commander, Role.admin)
def start_mediation(case_id):
    case = get_in_scope(Case, case_id, current_user)
    form = _start_form(case)
    if form.validate_on_submit():
        mediator = find_in_scope(Talent, form.mediator_id.data, current_user) if form.mediator_id.data else None
        try:
            mediation = service.start_mediation(case, actor=current_user, mediator=mediator, on=form.started_on.data,
                                                consents=form.consents(), committee=form.committee.data or "")
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            return redirect(url_for("outreach.mediation_detail", mediation_id=mediation.id))
    # The case page belongs to intake: the refused form is shown on its own page, with what was typed.
    return render_template("outreach/mediation/start.html", case=case, form=form), 400


def _party_of(mediation: Mediation, ident) -> MediationParty | None:
    """A party id from the request, resolved only among the parties of this (already scoped) mediation."""
    number = parse_id(ident)
    return next((p for p in mediation.parties if p.id == number), None)


def _forms(mediation: Mediation, edit_party: MediationParty | None = None, **override) -> dict:
    agreement = AgreementForm(formdata=None, obj=mediation)
    if mediation.status == MediationStatus.ongoing:
        agreement.facts.data = agreement.facts.data or mediation.case.facts
        agreement.agreed_on.data = agreement.agreed_on.data or local_today()
    party_form = PartyForm(formdata=None, obj=edit_party)
    if edit_party is not None:
        party_form.party_id.data = str(edit_party.id)
        party_form.sex.data = edit_party.sex or ""
        party_form.id_number.data = party_form.phone.data = ""  # never shown in full (DESIGN.md, personal data)
    extend_form = ExtendMediationForm(formdata=None)
    extend_form.consent_a_on.data = extend_form.consent_b_on.data = local_today()
    extend_form.consent_a_by.data = "、".join(p.name for p in mediation.parties if p.side == "a")
    extend_form.consent_b_by.data = "、".join(p.name for p in mediation.parties if p.side == "b")
    forms = {"party_form": party_form, "session_form": SessionForm(formdata=None),
             "agreement_form": agreement, "end_form": EndMediationForm(formdata=None), "extend_form": extend_form}
    if not override.get("session_form"):
        forms["session_form"].held_on.data = local_today()
        forms["session_form"].place.data = mediation.case.site.name if mediation.case.site else ""
        forms["session_form"].parties_present.data = "、".join(p.name for p in mediation.parties)
    forms["end_form"].ended_on.data = local_today()
    forms.update(override)
    return forms


def _page(mediation: Mediation, edit_party: MediationParty | None = None, **override):
    missing = {p.id: [service.DETAIL_TITLES[f] for f in service.missing_details(p)] for p in mediation.parties}
    return render_template("outreach/mediation/detail.html", m=mediation, case=mediation.case,
                           can_act=_may_act(mediation), due=service.usual_completion(mediation),
                           missing=missing, copies=service.copies_needed(mediation), edit_party=edit_party,
                           case_link=may_open("intake.case_detail", current_user),
                           history=timeline("mediation", mediation.id), ACTION_TITLES=ACTION_TITLES,
                           **_forms(mediation, edit_party, **override))


@bp.route("/mediations/<int:mediation_id>")
@require_roles(*READERS)
def mediation_detail(mediation_id):
    mediation = _readable(mediation_id)
    edit_party = None
    if request.args.get("party"):
        edit_party = _party_of(mediation, request.args.get("party"))
        if edit_party is None:
            abort(404)
    return _page(mediation, edit_party)


@bp.route("/mediations/<int:mediation_id>/<any(party, session, agreement, end, extend):action>", methods=["POST"])
@require_roles(*MEDIATORS)
def mediation_action(mediation_id, action):
    mediation = _readable(mediation_id)
    if not _may_act(mediation):
        abort(403)
    form_class = {"party": PartyForm, "session": SessionForm, "agreement": AgreementForm, "end": EndMediationForm,
                  "extend": ExtendMediationForm}
    form = form_class[action]()
    party = None
    if action == "party" and form.party_id.data:
        party = _party_of(mediation, form.party_id.data)
        if party is None:
            abort(404)
    if not form.validate_on_submit():
        return _page(mediation, party, **{f"{action}_form": form}), 400
    try:
        if action == "party" and party is not None:
            service.update_party(mediation, party, actor=current_user, **form.details_kwargs())
        elif action == "party":
            service.add_party(mediation, actor=current_user, side=form.side.data, **form.details_kwargs())
        elif action == "extend":
            service.extend_mediation(mediation, actor=current_user, new_due=form.new_due.data,
                                     consents=form.consents())
        elif action == "session":
            service.record_session(mediation, actor=current_user, held_on=form.held_on.data, place=form.place.data,
                                   parties_present=form.parties_present.data, positions=form.positions(),
                                   note=form.note.data or "")
        elif action == "agreement":
            service.record_agreement(
                mediation, actor=current_user, facts=form.facts.data, disputes=form.disputes.data,
                responsibilities=form.responsibilities.data, terms=form.terms.data,
                performance_method=form.performance_method.data, performance_deadline=form.performance_deadline.data,
                agreed_on=form.agreed_on.data)
        else:
            service.end_without_agreement(mediation, actor=current_user, status=MediationStatus(form.status.data),
                                          outcome=form.outcome.data, routes_told=form.routes_told.data,
                                          on=form.ended_on.data)
    except DomainError as err:
        db.session.rollback()
        show_on_form(form, err)
        return _page(mediation, party, **{f"{action}_form": form}), 400
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
