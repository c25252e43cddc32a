"""Administrators' page for the risk lists (intake.risk.lists): sensitive dates, words of extreme intent, and the
thresholds in force (read-only, from the RISK_* settings). Every administrator reads the lists; an
administrator of the city changes them. Each request: load, check, act, commit once, then tell the rules'
in-memory copy of the lists (``rules.lists_changed``)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from desk.access import parse_id, require_roles
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import Role
from desk.timeutil import local_today
from intake import bp
from intake.risk import lists, rules
from intake.risk.admin_forms import RiskTermForm, SensitiveDateForm
from intake.risk.models import RiskTerm, SensitiveDate

TERM_ACTIONS = ("deactivate", "reactivate", "remove")


def _entry(model, ident):
    """A row of one of the lists, or 404. The lists carry no place: every administrator may read every row
    (changing them is checked by the service, lists.may_change_lists), so the id is checked, not scoped."""
    number = parse_id(ident)
    row = db.session.get(model, number) if number is not None else None
    if row is None:
        abort(404)
    return row


def _page(*, date_form=None, term_form=None, status=200):
    rows = lists.sensitive_dates()
    return render_template(
        "intake/risk/lists.html", dates=rows, notes=lists.date_notes(r.id for r in rows), terms=lists.terms(),
        other_scripts=lists.other_scripts, thresholds=lists.threshold_rows(local_today()), today=local_today(),
        date_form=date_form or SensitiveDateForm(formdata=None), term_form=term_form or RiskTermForm(formdata=None),
        may_change=lists.may_change_lists(current_user), action_form=FlaskForm(), history=lists.history()), status


def _refuse_reader():
    if not lists.may_change_lists(current_user):
        abort(403)


def _changed(message: str):
    db.session.commit()
    rules.lists_changed()
    flash(message, "success")
    return redirect(url_for("intake.risk_lists"))


def _date_input(form: SensitiveDateForm) -> lists.DateInput:
    return lists.DateInput(name=form.name.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                           note=form.note.data or "")


@bp.route("/risk/lists")
@require_roles(Role.admin)
def risk_lists():
    return _page()


@bp.route("/risk/lists/dates", methods=["POST"])
@require_roles(Role.admin)
def add_sensitive_date():
    _refuse_reader()
    form = SensitiveDateForm()
    if form.validate_on_submit():
        try:
            row = lists.add_sensitive_date(actor=current_user, data=_date_input(form))
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            return _changed(_("%(name)s (%(first)s to %(last)s) is on the list of sensitive dates.", name=row.name,
                              first=row.starts_on.isoformat(), last=row.ends_on.isoformat()))
    return _page(date_form=form, status=400)


@bp.route("/risk/lists/dates/<date_id>", methods=["GET", "POST"])
@require_roles(Role.admin)
def edit_sensitive_date(date_id):
    row = _entry(SensitiveDate, date_id)
    _refuse_reader()
    form = SensitiveDateForm(obj=row)
    if not form.is_submitted():
        form.note.data = lists.date_notes([row.id]).get(row.id, "")
    elif form.validate():
        try:
            lists.edit_sensitive_date(row, actor=current_user, data=_date_input(form))
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            return _changed(_("The sensitive period %(name)s is saved.", name=row.name))
    return render_template("intake/risk/sensitive_date_form.html", form=form, row=row,
                           raised=lists.warnings_raised_during(row), remove_form=FlaskForm()), \
        400 if form.errors else 200


@bp.route("/risk/lists/dates/<date_id>/remove", methods=["POST"])
@require_roles(Role.admin)
def remove_sensitive_date(date_id):
    row = _entry(SensitiveDate, date_id)
    _refuse_reader()
    if not FlaskForm().validate_on_submit():
        abort(400)
    name = row.name
    try:
        lists.remove_sensitive_date(row, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(url_for("intake.risk_lists"))
    return _changed(_("%(name)s is taken off the list of sensitive dates.", name=name))


@bp.route("/risk/lists/terms", methods=["POST"])
@require_roles(Role.admin)
def add_risk_term():
    _refuse_reader()
    form = RiskTermForm()
    if form.validate_on_submit():
        try:
            row = lists.add_term(actor=current_user, term=form.term.data, level=form.level.data)
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            others = lists.other_scripts(row.term)
            message = _("“%(term)s” is on the list; it also matches %(others)s.", term=row.term,
                        others="、".join(others)) if others else _("“%(term)s” is on the list.", term=row.term)
            return _changed(message)
    return _page(term_form=form, status=400)


@bp.route("/risk/lists/terms/<term_id>/<any(deactivate, reactivate, remove):action>", methods=["POST"])
@require_roles(Role.admin)
def risk_term_action(term_id, action):
    row = _entry(RiskTerm, term_id)
    _refuse_reader()
    if not FlaskForm().validate_on_submit():
        abort(400)
    term = row.term
    try:
        if action == "remove":
            lists.remove_term(row, actor=current_user)
        else:
            lists.set_term_active(row, actor=current_user, active=action == "reactivate")
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(url_for("intake.risk_lists"))
    return _changed({"remove": _("“%(term)s” is taken off the list.", term=term),
                     "deactivate": _("“%(term)s” is switched off: it no longer raises warnings.", term=term),
                     "reactivate": _("“%(term)s” is switched on again.", term=term)}[action])
