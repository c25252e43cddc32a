"""Officials' dashboard: measures, charts, drill-down to cases, CSV and XLSX exports."""
from datetime import date

from flask import Response, abort, render_template, request, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa
import sqlalchemy.orm

from desk.access import get_in_scope, in_scope, may_open, require_roles
from desk.extensions import db
from desk.params import MAX_ID, id_arg
from desk.models import LEVEL_ORDER, Case, CaseParty, Category, Department, OrgUnit, Person, Role, Ticket, Visit
from desk.timeutil import local_today, to_local, utcnow
from reports import bp
from reports.dashboard import charts, drill, exports, measures, outreach_measures, risk
from reports.dashboard.definitions import DEFINITIONS
from reports.dashboard.gather import gather_report
from reports.dashboard.forms import DashboardForm
from reports.dashboard.scope import unit_names

VIEWERS = (Role.official, Role.commander, Role.admin)
DRILL_PAGE = 100
MIN_YEAR, MAX_YEAR = 2000, 2100      # a month outside this is a typing slip (and year 0 has no previous month)


# --- parsing the selection (month and scope) ------------------------------------------------------------

def _units(user) -> list[OrgUnit]:
    """The user's unit and the units up to two levels inside it (the selector; deeper units work by URL)."""
    unit = user.org_unit
    levels = LEVEL_ORDER[LEVEL_ORDER.index(unit.level):LEVEL_ORDER.index(unit.level) + 3]
    return list(db.session.scalars(sa.select(OrgUnit).where(
        getattr(OrgUnit, f"{unit.level.value}_id") == unit.id, OrgUnit.level.in_(levels)).order_by(OrgUnit.code)))


def _default_month(today: date) -> tuple[int, int]:
    """The last full month."""
    return measures.shift_month(today.year, today.month, -1)


def _selection(form: DashboardForm):
    """(unit, year, month) from the form, or abort: 404 for a unit outside the user's scope."""
    unit = current_user.org_unit
    if form.unit.data:
        if not 0 < form.unit.data <= MAX_ID:
            abort(404)
        unit = db.session.get(OrgUnit, form.unit.data)
        if unit is None or not in_scope(current_user, unit):
            abort(404)
    year, month = (form.month.data.year, form.month.data.month) if form.month.data else _default_month(local_today())
    return unit, year, month


def _parse(form_class=DashboardForm):
    form = form_class(request.args)
    form.unit.choices = [(u.id, ("\u3000" * (LEVEL_ORDER.index(u.level) - LEVEL_ORDER.index(
        current_user.org_unit.level))) + u.name) for u in _units(current_user)]
    valid = form.validate()
    if valid and form.month.data and not MIN_YEAR <= form.month.data.year <= MAX_YEAR:
        form.month.errors = [_("Choose a month between %(first)s and %(last)s.", first=MIN_YEAR, last=MAX_YEAR)]
        valid = False
    return form, valid


def _args(unit, year, month, **extra) -> dict:
    return {"unit": unit.id, "month": f"{year:04d}-{month:02d}", **extra}


# --- formatting shared by the page, the drill-down and 7b's PDF -------------------------------------------

@bp.app_template_filter("measure_value")
def measure_value(value, kind: str = "count") -> str:
    """A figure as shown: "—" when there is no denominator, rates as percentages, days with one decimal."""
    if value is None or value == "":
        return "—"
    if kind == "rate":
        return format_percent(value, "#,##0.0%")
    if kind in ("days", "minutes"):
        return format_decimal(value, "#,##0.0")
    if isinstance(value, (int, float)):
        return format_decimal(value)
    return str(value)


@bp.app_template_filter("measure_change")
def measure_change(value, kind: str = "count") -> str:
    """Change: relative for counts (+12.5%), percentage points for rates (+3.0 pp), plain for days."""
    if value is None:
        return "—"
    if kind == "count":
        return format_percent(value, "+#,##0.0%;-#,##0.0%")
    if kind == "rate":
        return _("%(points)s pp", points=format_decimal(value * 100, "+#,##0.0;-#,##0.0"))
    return format_decimal(value, "+#,##0.0;-#,##0.0")


# --- pages ----------------------------------------------------------------------------------------------

@bp.route("/dashboard")
@require_roles(*VIEWERS)
def dashboard():
    form, valid = _parse()
    if not valid:
        return render_template("reports/dashboard/overview.html", form=form, report=None), 400
    unit, year, month = _selection(form)
    report = gather_report(unit=unit, year=year, month=month)
    tables = exports.dashboard_tables(report)
    form.unit.data, form.month.data = unit.id, date(year, month, 1)
    svgs = {"category_mix": charts.category_mix_svg(report["by_category"]),
            "trend": charts.trend_svg(report["trend"]),
            "by_town": charts.by_town_svg(report["by_town"], title=str(tables["by_town"].title))}
    notes = list(dict.fromkeys(k for t in tables.values() for k in t.definitions))
    return render_template("reports/dashboard/overview.html", form=form, report=report, tables=tables,
                           charts={k: charts.svg_data_uri(v) for k, v in svgs.items()},
                           args=_args(unit, year, month), footnotes=[DEFINITIONS[k] for k in notes],
                           footnote_number={k: i for i, k in enumerate(notes, 1)},
                           min_rank=measures.MIN_CASES_TO_RANK, outreach_drillable=outreach_measures.DRILLABLE,
                           counted_at=to_local(utcnow()))


def _mask_name(name: str) -> str:
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


@bp.route("/dashboard/cases")
@require_roles(*VIEWERS)
def drill_down():
    """The records behind one figure of the dashboard — cases, visits, queue tickets, dispatch orders, grid events
    or risk warnings (drill.record_kind) — names masked, each linking to its case page."""
    form, valid = _parse()
    key, part = request.args.get("measure", ""), request.args.get("part", "numerator")
    category_id, before, bucket = id_arg("category"), id_arg("before"), _bucket_arg()
    department = get_in_scope(Department, request.args["department"], current_user) \
        if "department" in request.args else None
    if not valid:
        abort(400)
    unit, year, month = _selection(form)
    start, end = measures.month_bounds(year, month)
    if key not in drill.DRILLS:
        abort(404)
    if category_id is not None and db.session.get(Category, category_id) is None:
        abort(404)
    try:
        stmt = drill.drill_down(measure_key=key, unit=unit, start=start, end=end, part=part,
                                category_id=category_id, age_bucket=bucket,
                                department_id=department.id if department else None)
    except KeyError:
        abort(404)
    kind = drill.record_kind(key)
    model = _order_model() if kind == "order" else _event_model() if kind == "event" else \
        _warning_model() if kind == "warning" else {"case": Case, "visit": Visit, "ticket": Ticket}[kind]
    ids = stmt.subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(ids))
    page = sa.select(model).where(model.id.in_(sa.select(ids.c[0])))
    if before:
        page = page.where(model.id < before)
    # the page's matters (and a visit's visitor, a ticket's visit) read with it, not one row at a time
    loads = [sa.orm.selectinload(getattr(model, name)) for name in ("case", "person") if hasattr(model, name)]
    if kind == "ticket":
        loads.append(sa.orm.selectinload(Ticket.visit).selectinload(Visit.case))
    rows = list(db.session.scalars(page.options(*loads).order_by(model.id.desc()).limit(DRILL_PAGE + 1)))
    more = len(rows) > DRILL_PAGE
    rows = rows[:DRILL_PAGE]
    cases = [c for c in (_case_of(kind, row) for row in rows) if c is not None]
    names = _petitioner_names([c.id for c in cases]) if kind == "case" else \
        {v.id: _mask_name(v.person.name) for v in rows} if kind == "visit" else {}
    places = unit_names({c.town_id for c in cases} | {c.county_id for c in cases})
    if kind == "warning":       # a warning on a town's new matters has no case: it names its own place
        places.update(unit_names({w.town_id for w in rows} | {w.county_id for w in rows}))
    args = _args(unit, year, month)
    keep = {k: v for k, v in request.args.items() if k not in ("before", "unit", "month")}
    return render_template(
        "reports/dashboard/drill_down.html", kind=kind, rows=rows, total=total, names=names, places=places,
        unit=unit, start=start, end=end, part=part, args=args,
        definition=DEFINITIONS.get(key) or (DEFINITIONS["risk"] if kind == "warning" else None),
        category=db.session.get(Category, category_id) if category_id else None, department=department,
        opens_orders=may_open("referrals.order_detail", current_user),
        opens_events=may_open("intake.grid_event", current_user),
        opens_warnings=may_open("intake.risk_warning", current_user),
        levels_then=risk.levels_at([w.id for w in rows], end) if kind == "warning" else {},
        bucket=measures.AGE_BUCKETS[bucket][0] if bucket is not None else None,
        next_url=url_for("reports.drill_down", **args, **keep, before=rows[-1].id) if more else None)


def _event_model():
    from intake.grid.models import GridEvent
    return GridEvent


def _warning_model():
    from intake.risk.models import RiskWarning
    return RiskWarning


def _order_model():
    from referrals.orders.models import DispatchOrder
    return DispatchOrder


def _case_of(kind: str, row):
    """The case a listed record belongs to (a ticket may have none: the visitor left before being served)."""
    if kind == "case":
        return row
    if kind in ("visit", "order", "event", "warning"):
        return row.case
    return row.visit.case if row.visit else None


def _bucket_arg() -> int | None:
    """The index of a backlog age bucket: not a number is 400, a bucket that does not exist 404."""
    value = request.args.get("bucket", "")
    if value == "":
        return None
    if not (value.isascii() and value.isdigit()):
        abort(400)
    if int(value) >= len(measures.AGE_BUCKETS):
        abort(404)
    return int(value)


def _petitioner_names(case_ids: list[int]) -> dict[int, str]:
    """Masked petitioner names for a page of cases, in one query."""
    names: dict[int, list[str]] = {}
    if case_ids:
        for case_id, name in db.session.execute(
                sa.select(CaseParty.case_id, Person.name).join(Person, Person.id == CaseParty.person_id)
                .where(CaseParty.case_id.in_(case_ids), CaseParty.role == "petitioner").order_by(CaseParty.id)):
            names.setdefault(case_id, []).append(_mask_name(name))
    return {k: "、".join(v) for k, v in names.items()}


@bp.route("/dashboard/export")
@require_roles(*VIEWERS)
def export():
    """One dashboard table as CSV or XLSX: ?table=by_town&fmt=xlsx (plus the dashboard's month and scope)."""
    form, valid = _parse()
    table, fmt = request.args.get("table", ""), request.args.get("fmt", "csv")
    if table not in exports.BUILDERS:
        abort(404)
    if fmt not in exports.FORMATS or not valid:
        abort(400)
    unit, year, month = _selection(form)
    report = measures.month_report(unit=unit, year=year, month=month, parts={table})
    content, mimetype, name = exports.export(table, fmt, report)
    return Response(content, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
