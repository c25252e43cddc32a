"""In the field, on a phone: register a complaint on the spot, record the service at the end; the members'
service history and the person-times measures."""
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa

from desk.access import get_in_scope, in_scope, require_roles, scope_clause
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.i18n import localize_text
from desk.models import Category, Channel, Level, OrgUnit, Role
from desk.timeutil import local_today
from outreach import bp
from outreach.assignments.views import READERS, my_assignment, my_talent
from outreach.field import services as field
from outreach.field.forms import FieldIntakeForm, MeasuresForm, ServiceRecordForm
from outreach.field.measures import person_times, talent_history as talent_history_records, totals
from referrals.talent.models import Talent


def _intake_choices(form: FieldIntakeForm, assignment) -> None:
    categories = list(db.session.scalars(sa.select(Category).order_by(Category.code)))
    names = {c.id: c.name for c in categories}
    # No silent default: the category starts empty and must be chosen (the place starts at the assignment's).
    form.category_id.choices = [("", _("Choose…"))] + [
        (c.id, f"{names[c.parent_id]} › {c.name}" if c.parent_id else c.name) for c in categories]
    req = assignment.request
    around = OrgUnit.town_id == req.town_id if req.town_id else OrgUnit.county_id == req.county_id
    places = list(db.session.scalars(sa.select(OrgUnit).where(
        around, OrgUnit.level.in_([Level.town, Level.village, Level.grid])).order_by(OrgUnit.code).limit(2000)))
    form.place_id.choices = [("", _("Choose…"))] + [(u.id, localize_text(u.name)) for u in places]


def _lookup(form: FieldIntakeForm, assignment) -> dict:
    """The desk's own look-up of earlier matters (ID number, else phone, else name in the town)."""
    candidates = field.prior_cases_for(
        assignment=assignment, id_number=form.id_number.data or None, phone=form.phone.data or None,
        name=form.name.data or None, category_id=form.category_id.data,
        text=f"{form.title.data or ''} {form.facts.data or ''}")
    visible = [c for c in candidates if in_scope(current_user, c.case)]
    return {"candidates": visible, "id_warning": form.id_number_warning(), "id_note": form.id_number_note(),
            "looked_up": True}


@bp.route("/a/<int:assignment_id>/intake", methods=["GET", "POST"])
@require_roles(Role.talent)
def field_intake(assignment_id):
    _talent, assignment = my_assignment(assignment_id)
    form = FieldIntakeForm()
    _intake_choices(form, assignment)
    if request.method == "GET":
        form.place_id.data = assignment.request.place_unit_id
    context = {"candidates": [], "id_warning": None, "id_note": None, "looked_up": False}
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
    return render_template("outreach/field/intake.html", form=form, assignment=assignment,
                           cases=field.follow_up_cases(assignment), **context)


@bp.route("/a/<int:assignment_id>/record", methods=["GET", "POST"])
@require_roles(Role.talent)
def record_service(assignment_id):
    _talent, assignment = my_assignment(assignment_id)
    if assignment.record is not None:
        return render_template("outreach/field/record_service.html", assignment=assignment, form=None,
                               cases=field.follow_up_cases(assignment))
    form = ServiceRecordForm()
    if request.method == "GET":
        form.people_served.data = assignment.request.expected_people
    if form.validate_on_submit():
        try:
            field.record_service(assignment, actor=current_user, people_served=form.people_served.data,
                                 topics=form.topics.data or "", outcome=form.outcome.data or "",
                                 ratings={name: getattr(form, name).data for name in field.RATING_FIELDS})
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            flash(_("Service recorded. Thank you."), "success")
            return redirect(url_for("outreach.my_assignments") + f"#assignment-{assignment.id}")
    return render_template("outreach/field/record_service.html", assignment=assignment, form=form,
                           cases=field.follow_up_cases(assignment))


@bp.route("/my/history")
@require_roles(Role.talent)
def my_history():
    talent = my_talent()
    return _history(talent)


@bp.route("/talent/<int:talent_id>/history")
@require_roles(*READERS)
def talent_history(talent_id):
    return _history(get_in_scope(Talent, talent_id, current_user))


def _history(talent: Talent):
    records = talent_history_records(talent.id)
    return render_template("outreach/field/history.html", talent=talent, records=records,
                           people=sum(r.people_served for r in records))


@bp.route("/measures")
@require_roles(*READERS)
def measures():
    form = MeasuresForm(request.args)
    units = db.session.scalars(sa.select(OrgUnit).where(
        scope_clause(OrgUnit, current_user), OrgUnit.level.in_([Level.city, Level.county, Level.town]))
        .order_by(OrgUnit.code).limit(500)).all()
    form.unit_id.choices = [(u.id, u.name) for u in units]
    if request.args and not form.validate():
        abort(400)
    today = local_today()
    start = form.start.data or today - timedelta(days=29)   # the last 30 days: "a month" on any date
    end_inclusive = form.end.data or today
    if end_inclusive < start:
        form.end.errors = [_("The end is before the start.")]
        rows = []
    else:
        unit = db.session.get(OrgUnit, form.unit_id.data) if form.unit_id.data else current_user.org_unit
        if unit is None or not in_scope(current_user, unit):
            abort(400)
        rows = person_times(unit=unit, start=start, end=end_inclusive + timedelta(days=1), by=form.by.data or "kind")
    form.start.data, form.end.data = start, end_inclusive
    return render_template("outreach/field/measures.html", form=form, rows=rows, total=totals(rows), by=form.by.data)
