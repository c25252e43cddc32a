"""In the field, on a phone: register a complaint on the spot, record the service at the end."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa

from desk.access import in_scope, require_roles
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.i18n import localize_text
from desk.models import Category, Channel, Level, OrgUnit, Role
from outreach import field
from outreach.forms import FieldIntakeForm, ServiceRecordForm
from outreach.views import bp, my_assignment


def _intake_choices(form: FieldIntakeForm, assignment) -> None:
    categories = list(db.session.scalars(sa.select(Category).order_by(Category.code)))
    names = {c.id: c.name for c in categories}
    form.category_id.choices = [(c.id, f"{names[c.parent_id]} › {c.name}" if c.parent_id else c.name)
                                for c in categories]
    req = assignment.request
    around = OrgUnit.town_id == req.town_id if req.town_id else OrgUnit.county_id == req.county_id
    places = list(db.session.scalars(sa.select(OrgUnit).where(
        around, OrgUnit.level.in_([Level.town, Level.village, Level.grid])).order_by(OrgUnit.code).limit(2000)))
    form.place_id.choices = [(u.id, localize_text(u.name)) for u in places]


def _lookup(form: FieldIntakeForm, assignment) -> dict:
    """The desk's own look-up of earlier matters (ID number, else phone, else name in the town)."""
    candidates = field.prior_cases_for(
        assignment=assignment, id_number=form.id_number.data or None, phone=form.phone.data or None,
        name=form.name.data or None, category_id=form.category_id.data,
        text=f"{form.title.data or ''} {form.facts.data or ''}")
    visible = [c for c in candidates if in_scope(current_user, c.case)]
    return {"candidates": visible, "id_warning": form.id_number_warning(), "looked_up": True}


@bp.route("/a/<int:assignment_id>/intake", methods=["GET", "POST"])
@require_roles(Role.talent)
def field_intake(assignment_id):
    _talent, assignment = my_assignment(assignment_id)
    form = FieldIntakeForm()
    _intake_choices(form, assignment)
    if request.method == "GET":
        form.place_id.data = assignment.request.place_unit_id
    context = {"candidates": [], "id_warning": None, "looked_up": False}
    if request.method == "POST" and request.form.get("action") == "lookup":
        form.validate()  # field errors shown, everything typed kept
        context.update(_lookup(form, assignment))
    elif form.validate_on_submit():
        context.update(_lookup(form, assignment))
        undecided = any(c.likely_same for c in context["candidates"]) and not form.repeat_decision.data
        try:
            if undecided:
                raise DomainError(_("This may be a matter that came before: choose “same matter” or “new matter”."),
                                  field="repeat_decision")
            visit = field.register_in_field(assignment, actor=current_user, data=form.visit_input(user=current_user,
                                                                              channel=Channel.outreach))
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            if visit.is_repeat:
                flash(_("Registered as a repeat visit on case %(reference)s.", reference=visit.case.reference),
                      "warning")
            else:
                flash(_("Registered: case %(reference)s.", reference=visit.case.reference), "success")
            return redirect(url_for("outreach.field_intake", assignment_id=assignment.id))
    return render_template("outreach/field_intake.html", form=form, assignment=assignment,
                           cases=field.follow_up_cases(assignment), **context)


@bp.route("/a/<int:assignment_id>/record", methods=["GET", "POST"])
@require_roles(Role.talent)
def record_service(assignment_id):
    _talent, assignment = my_assignment(assignment_id)
    if assignment.record is not None:
        return render_template("outreach/record_service.html", assignment=assignment, form=None,
                               cases=field.follow_up_cases(assignment))
    form = ServiceRecordForm()
    if request.method == "GET":
        form.people_served.data = assignment.request.expected_people
    if form.validate_on_submit():
        try:
            field.record_service(assignment, actor=current_user, people_served=form.people_served.data,
                                 topics=form.topics.data or "", outcome=form.outcome.data or "")
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            flash(_("Service recorded. Thank you."), "success")
            return redirect(url_for("outreach.my_assignments") + f"#assignment-{assignment.id}")
    return render_template("outreach/record_service.html", assignment=assignment, form=form,
                           cases=field.follow_up_cases(assignment))
