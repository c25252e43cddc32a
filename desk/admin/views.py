from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from flask_wtf import FlaskForm

from desk import holidays as calendar_days
from desk.access import get_in_scope, in_scope, require_roles, scope_clause
from desk.admin import services
from desk.admin.forms import HolidayScheduleForm, UserForm
from desk.audit import timeline
from desk.errors import DomainError
from desk.extensions import db
from desk.models import CalendarDay, DayKind, Department, Level, OrgUnit, Role, Site, User
from desk.params import id_arg
from desk.timeutil import local_today
from desk.workcalendar import default_calendar

bp = Blueprint("admin", __name__)
PAGE = 50


def _unit_choices():
    units = db.session.scalars(db.select(OrgUnit).where(
        scope_clause(OrgUnit, current_user), OrgUnit.level.in_([Level.city, Level.county, Level.town, Level.village]))
        .order_by(OrgUnit.code).limit(3000))
    return [(u.id, f"{'　' * (list(Level).index(u.level))}{u.name}") for u in units]


def _department_choices():
    depts = db.session.scalars(db.select(Department).join(OrgUnit, Department.county_id == OrgUnit.id)
                               .where(scope_clause(OrgUnit, current_user)).order_by(Department.county_id,
                                                                                     Department.id))
    return [(0, "—")] + [(d.id, f"{d.county.name} {d.name}") for d in depts]


def _form(obj=None):
    form = UserForm(obj=obj)
    form.org_unit_id.choices = _unit_choices()
    form.department_id.choices = _department_choices()
    return form


def _resolve(form):
    unit = db.session.get(OrgUnit, form.org_unit_id.data)
    if unit is None or not in_scope(current_user, unit):
        abort(400)
    department = db.session.get(Department, form.department_id.data) if form.department_id.data else None
    return unit, department


@bp.route("/users")
@require_roles(Role.admin)
def users():
    query = request.args.get("q", "").strip()
    after = id_arg("after")
    stmt = db.select(User).join(OrgUnit, User.org_unit_id == OrgUnit.id).where(scope_clause(OrgUnit, current_user))
    if query:
        stmt = stmt.where(db.or_(User.username.contains(query), User.display_name.contains(query)))
    if after:
        stmt = stmt.where(User.id > after)
    rows = list(db.session.scalars(stmt.order_by(User.id).limit(PAGE + 1)))
    next_after = rows[PAGE - 1].id if len(rows) > PAGE else None
    return render_template("admin/users.html", users=rows[:PAGE], q=query, next_after=next_after)


@bp.route("/users/new", methods=["GET", "POST"])
@require_roles(Role.admin)
def new_user():
    form = _form()
    if form.validate_on_submit():
        unit, department = _resolve(form)
        if not form.password.data:
            form.password.errors.append(_("Set a password for the new user."))
        else:
            try:
                services.create_user(actor=current_user, username=form.username.data,
                                     password=form.password.data, display_name=form.display_name.data,
                                     org_unit=unit, roles=form.roles.data, department=department)
            except DomainError as err:
                db.session.rollback()
                getattr(form, err.field or "username").errors.append(err.message)
            else:
                db.session.commit()
                flash(_("User created."), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@require_roles(Role.admin)
def edit_user(user_id):
    user = db.session.get(User, user_id)
    if user is None or not in_scope(current_user, user.org_unit):
        abort(404)
    form = _form(obj=user)
    if request.method == "GET":
        form.roles.data = [r.value for r in user.roles]
        form.department_id.data = user.department_id or 0
        form.grid_ids.data = [g.id for g in user.grids]
    del form.username  # usernames do not change
    _grid_choices(form, user)
    if form.validate_on_submit():
        unit, department = _resolve(form)
        try:
            services.update_user(user, actor=current_user, display_name=form.display_name.data, org_unit=unit,
                                 roles=form.roles.data, department=department, active=form.active.data,
                                 password=form.password.data or None)
            if Role.grid_member.value in form.roles.data or user.grids:
                services.assign_grids(user, form.grid_ids.data if Role.grid_member.value in form.roles.data
                                      else [], actor=current_user)
        except DomainError as err:
            db.session.rollback()
            getattr(form, err.field or "display_name").errors.append(err.message)
        else:
            db.session.commit()
            if user.id == current_user.id and user.active:
                login_user(user)  # an administrator who set their own password keeps this session
            flash(_("User saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, entries=timeline("user", user.id))


def _grid_choices(form, user: User) -> None:
    """Only a grid member serves grids: the choice shows for them, among the grids of their county."""
    if not user.has_role(Role.grid_member) and Role.grid_member.value not in (form.roles.data or []):
        del form.grid_ids
        form.grid_ids = None
        return
    grids = db.session.scalars(db.select(OrgUnit).where(OrgUnit.level == Level.grid,
                                                        OrgUnit.county_id == user.org_unit.county_id)
                               .order_by(OrgUnit.code).limit(2000))
    form.grid_ids.choices = [(g.id, g.full_name) for g in grids]


@bp.route("/org")
@require_roles(Role.admin)
def org_tree():
    parent_id = id_arg("unit") or current_user.org_unit_id
    parent = db.session.get(OrgUnit, parent_id)
    if parent is None or not in_scope(current_user, parent):
        abort(404)
    children = list(db.session.scalars(db.select(OrgUnit).where(OrgUnit.parent_id == parent.id)
                                       .order_by(OrgUnit.code)))
    sites = list(db.session.scalars(db.select(Site).where(Site.org_unit_id == parent.id)))
    departments = list(db.session.scalars(db.select(Department).where(Department.county_id == parent.id)))
    return render_template("admin/org_tree.html", unit=parent, children=children, sites=sites,
                           departments=departments)


@bp.route("/holidays", methods=["GET", "POST"])
@require_roles(Role.admin)
def holidays():
    """Official holidays for a new year: the State Council's schedule, entered before chinesecalendar has it."""
    form = HolidayScheduleForm()
    year = form.year.data if form.is_submitted() else (id_arg("year") or local_today().year + 1)
    if not form.is_submitted() and 2000 <= year <= 2100:
        rows = calendar_days.year_days(year)
        form.year.data = year
        form.days_off.data = calendar_days.schedule_text(rows, DayKind.day_off)
        form.working_days.data = calendar_days.schedule_text(rows, DayKind.working)
    if form.validate_on_submit() and current_user.org_unit.level != Level.city:
        form.year.errors.append(_("The national holiday schedule is entered by an administrator of the city."))
    elif form.validate_on_submit():
        try:
            days = calendar_days.parse_schedule(form.year.data, form.days_off.data, form.working_days.data)
        except calendar_days.ScheduleErrors as err:
            for name, messages in err.errors.items():
                getattr(form, name).errors.extend(messages)
        else:
            calendar_days.enter_schedule(actor=current_user, year=form.year.data, days=days)
            db.session.commit()
            flash(_("The %(year)s schedule is saved; deadlines use it from now on.", year=form.year.data),
                  "success")
            return redirect(url_for("admin.holidays", year=form.year.data))
    shown = year if isinstance(year, int) and 2000 <= year <= 2100 else None
    return render_template("admin/holidays.html", form=form, year=shown,
                           rows=calendar_days.year_days(shown) if shown else [],
                           years=calendar_days.entered_years(), delete_form=FlaskForm(),
                           fallback=shown is not None and default_calendar().uses_fallback(shown),
                           entries=timeline("calendar_year", shown) if shown else [])


@bp.route("/holidays/days/<day_id>/delete", methods=["POST"])
@require_roles(Role.admin)
def delete_holiday(day_id):
    row = get_in_scope(CalendarDay, day_id, current_user)   # national days: a city administrator's
    if not FlaskForm().validate_on_submit():
        abort(400)
    year = row.year
    calendar_days.delete_calendar_day(row, actor=current_user)
    db.session.commit()
    flash(_("The day is removed from the %(year)s schedule.", year=year), "success")
    return redirect(url_for("admin.holidays", year=year))
