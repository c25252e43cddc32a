"""Dispatch orders: issue from a case, the department inbox, the order page and its actions, the order
sheet PDF, and the measures page. Routes live on the referrals blueprint."""
from datetime import timedelta

import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from desk.access import get_in_scope, require_roles, units_in_scope
from desk.audit import timeline
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.models import Case, Level, Role
from desk.params import id_arg
from desk.panels import case_panel
from desk.timeutil import local_today, utcnow
from referrals import bp
from referrals.orders import services as orders
from referrals.orders.documents import render_order_sheet
from referrals.orders.forms import MeasuresForm, OrderForm, RateForm, ReportForm, ReturnForm, VerifyForm
from referrals.orders.measures import order_measures as compute_measures, orders_by_department
from referrals.orders.models import DispatchOrder, OrderEvidence, OrderPriority, OrderReport, OrderStatus

S = OrderStatus
COMMANDERS = (Role.commander,)
WATCHERS = (Role.commander, Role.official)
READERS = (Role.commander, Role.official, Role.department_officer)
PAGE = 50


def _load(order_id: int, lock: bool = False) -> DispatchOrder:
    order = orders.get_visible(order_id, current_user, lock=lock)
    if order is None:
        abort(404)
    return order


def _department_choices(form: OrderForm, case: Case) -> None:
    departments = orders.county_departments(case.county_id)
    form.department_id.choices = [(d.id, d.name) for d in departments]
    form.co_department_ids.choices = [(d.id, d.name) for d in departments]
    if form.department_id.data is None:  # suggest the category's usual department
        usual = [d.id for d in departments if d.code == case.category.department_code]
        form.department_id.data = usual[0] if usual else None


@bp.route("/cases/<int:case_id>/orders/new", methods=["GET", "POST"])
@require_roles(*COMMANDERS)
def issue_order(case_id):
    case = get_in_scope(Case, case_id, current_user)
    form = OrderForm()
    _department_choices(form, case)
    if form.validate_on_submit():
        try:
            order = orders.issue_dispatch_order(
                case, actor=current_user, department_id=form.department_id.data,
                co_department_ids=form.co_department_ids.data or [], instructions=form.instructions.data,
                deadline_days=form.deadline_days.data, priority=OrderPriority(form.priority.data))
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            flash(_("Order %(number)s issued.", number=order.number), "success")
            return redirect(url_for("referrals.order_detail", order_id=order.id))
    return render_template("referrals/orders/issue.html", case=case, form=form)


@bp.route("/orders")
@require_roles(*WATCHERS)
def orders_home():
    status = request.args.get("status", "")
    if status and status not in {s.value for s in S} | {"overdue"}:
        abort(400)
    before = id_arg("before")
    now = utcnow()
    stmt = sa.select(DispatchOrder).where(orders.visible_clause(current_user))
    if status == "overdue":
        stmt = stmt.where(orders.overdue_clause(now))
    elif status:
        stmt = stmt.where(DispatchOrder.status == S(status))
    if before:
        stmt = stmt.where(DispatchOrder.id < before)
    rows = list(db.session.scalars(stmt.order_by(DispatchOrder.id.desc()).limit(PAGE + 1)))
    next_url = url_for("referrals.orders_home", status=status or None, before=rows[PAGE - 1].id) \
        if len(rows) > PAGE else None
    return render_template("referrals/orders/home.html", orders=rows[:PAGE], status=status, S=S, now=now,
                           is_overdue=orders.is_overdue, next_url=next_url)


@bp.route("/orders/inbox")
@require_roles(Role.department_officer)
def department_inbox():
    now = utcnow()
    rows = list(db.session.scalars(
        sa.select(DispatchOrder).where(orders.visible_clause(current_user),
                                       sa.or_(DispatchOrder.status != S.verified,
                                              DispatchOrder.verified_at >= now - timedelta(days=30)))
        .order_by(DispatchOrder.feedback_due_at, DispatchOrder.id).limit(200)))
    groups = [(_("To sign for"), [o for o in rows if o.status == S.issued]),
              (_("Being handled"), [o for o in rows if o.status in (S.signed, S.in_progress)]),
              (_("Awaiting verification"), [o for o in rows if o.status == S.reported]),
              (_("Closed in the last 30 days"), [o for o in rows if o.status == S.verified])]
    return render_template("referrals/orders/inbox.html", groups=groups, now=now, is_overdue=orders.is_overdue,
                           S=S)


@bp.route("/orders/<int:order_id>")
@require_roles(*READERS)
def order_detail(order_id):
    order = _load(order_id)
    return _render_detail(order)


def _render_detail(order: DispatchOrder, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    lead = current_user.has_role(Role.department_officer) and current_user.department_id == order.department_id
    commander = current_user.has_role(Role.commander) and \
        getattr(order, f"{current_user.org_unit.level.value}_id") == current_user.org_unit_id
    actions = {}
    if lead and order.status == S.issued:
        actions["sign"] = None
    if lead and order.status == S.signed:
        actions["start"] = None
    if lead and order.status == S.in_progress:
        actions["report"] = forms.get("report") or ReportForm(formdata=None)
    if commander and order.status == S.reported:
        actions["verify"] = forms.get("verify") or VerifyForm(formdata=None)
        actions["return"] = forms.get("return") or ReturnForm(formdata=None)
    if commander and order.status == S.verified and order.rated_at is None:
        actions["rate"] = forms.get("rate") or RateForm(formdata=None)
    return render_template("referrals/orders/detail.html", order=order, actions=actions, now=utcnow(),
                           overdue=orders.is_overdue(order, utcnow()),
                           history=timeline("dispatch_order", order.id)), status


ACTION_FORMS = {"report": ReportForm, "verify": VerifyForm, "return": ReturnForm, "rate": RateForm}


@bp.route("/orders/<int:order_id>/<any(sign, start, report, verify, return, rate):action>", methods=["POST"])
@require_roles(Role.commander, Role.department_officer)
def order_action(order_id, action):
    order = _load(order_id, lock=True)
    form = ACTION_FORMS[action]() if action in ACTION_FORMS else None
    if form is not None and not form.validate_on_submit():
        return _render_detail(order, {action: form}, 400)
    try:
        _perform(order, action, form)
    except DomainError as err:
        db.session.rollback()
        order = _load(order_id)
        if form is not None and err.field and hasattr(form, err.field):
            show_on_form(form, err)
            return _render_detail(order, {action: form}, 400)
        flash(str(err.message), "error")
        return redirect(url_for("referrals.order_detail", order_id=order_id))
    db.session.commit()
    flash({"sign": _("Signed for."), "start": _("Marked as being handled."), "report": _("Report sent."),
           "verify": _("Verified and closed."), "return": _("Returned to the department."),
           "rate": _("Rating saved.")}[action], "success")
    if action in ("sign", "start", "report"):
        return redirect(url_for("referrals.department_inbox") + f"#order-{order_id}")
    return redirect(url_for("referrals.order_detail", order_id=order_id))


def _perform(order: DispatchOrder, action: str, form) -> None:
    if action == "sign":
        orders.sign_order(order, actor=current_user)
    elif action == "start":
        orders.start_order(order, actor=current_user)
    elif action == "report":
        uploads = [f for f in form.photos.data or [] if getattr(f, "filename", "")]
        orders.report_order(order, actor=current_user, text=form.text.data, staff_visits=form.staff_visits.data,
                            photos=[(f.filename, f.read()) for f in uploads])
    elif action == "verify":
        orders.verify_order(order, actor=current_user, note=form.note.data or "",
                            ratings={"speed": form.rating_speed.data, "handling": form.rating_handling.data,
                                     "result": form.rating_result.data})
    elif action == "return":
        orders.return_order(order, actor=current_user, reason=form.reason.data)
    else:
        orders.rate_order(order, actor=current_user, speed=form.rating_speed.data,
                          handling=form.rating_handling.data, result=form.rating_result.data)


@bp.route("/orders/<int:order_id>/sheet.pdf")
@require_roles(*READERS)
def order_sheet(order_id):
    order = _load(order_id)
    return Response(render_order_sheet(order), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{order.number}.pdf"'})


@bp.route("/orders/<int:order_id>/evidence/<int:evidence_id>")
@require_roles(*READERS)
def order_evidence(order_id, evidence_id):
    order = _load(order_id)
    evidence = db.session.scalar(sa.select(OrderEvidence).join(OrderReport)
                                 .where(OrderEvidence.id == evidence_id, OrderReport.order_id == order.id))
    if evidence is None:
        abort(404)
    try:
        with open(evidence.path, "rb") as handle:
            data = handle.read()
    except OSError:
        abort(404)
    return Response(data, mimetype=evidence.mime,
                    headers={"Content-Disposition": f'inline; filename="evidence-{evidence.id}"'})


@bp.route("/orders/measures")
@require_roles(*WATCHERS)
def order_measures():
    form = MeasuresForm(request.args)
    towns = list(units_in_scope(current_user, Level.town)) \
        if current_user.org_unit.level in (Level.city, Level.county) else []
    form.town_id.choices = [("", _("All of %(unit)s", unit=current_user.org_unit.name))] + \
        [(t.id, t.name) for t in towns]
    form.validate()
    today = local_today()
    start = form.start.data if form.start.data and not form.start.errors else today.replace(day=1)
    end = form.end.data if form.end.data and not form.end.errors else today
    if end < start:
        form.end.errors = list(form.end.errors) + [_("The end date is before the start date.")]
        end = start
    unit = current_user.org_unit
    if form.town_id.data and not form.town_id.errors:
        unit = next((t for t in towns if t.id == form.town_id.data), None) or abort(400)
    end_exclusive = end + timedelta(days=1)
    totals = compute_measures(unit=unit, start=start, end=end_exclusive)
    departments = orders_by_department(unit=unit, start=start, end=end_exclusive)
    return render_template("referrals/orders/measures.html", form=form, unit=unit, start=start, end=end,
                           totals=totals, departments=departments)


@case_panel
def _orders_panel(case: Case):
    if not current_user.has_role(*WATCHERS):
        return None
    rows = list(db.session.scalars(sa.select(DispatchOrder).where(DispatchOrder.case_id == case.id)
                                   .order_by(DispatchOrder.issued_at)))
    can_issue = current_user.has_role(*COMMANDERS) and \
        case.status.value in ("registered", "accepted", "in_progress")
    if not rows and not can_issue:
        return None
    return Markup(render_template("referrals/orders/_case_panel.html", case=case, orders=rows,
                                  can_issue=can_issue, now=utcnow(), is_overdue=orders.is_overdue))
