"""The dashboard's tables, declared once: the page renders them and the CSV and XLSX exports write them.

A table is columns (key, title, kind, the measure a cell drills down to) and rows of plain values from
reports.dashboard.measures.month_report, so the screen and the files cannot show different numbers. No
personal data is in any table: overdue matters are listed by reference, category and place only.
"""
import io
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from desk.spreadsheets import SafeCsvWriter, safe_row

from reports.dashboard.definitions import DEFINITIONS
from reports.dashboard.outreach_measures import DRILLABLE
from reports.dashboard.risk import levels as risk_levels

FORMATS = ("csv", "xlsx")


@dataclass
class Column:
    key: str
    title: object
    kind: str = "count"         # text | count | rate | days | minutes | date | value (the row's _kind) | change
    drill: str | None = None    # measure key whose cases this cell lists
    part: str = "numerator"
    badge: str | None = None    # a risk level (yellow, orange, red): the heading is shown as its badge


@dataclass
class Table:
    key: str
    title: object
    columns: list[Column]
    rows: list[dict]
    definitions: list[str] = field(default_factory=list)
    available: bool = True      # False when the area that feeds it is not installed


def _month(report) -> str:
    return f"{report['year']:04d}-{report['month']:02d}"


def _change_table(key: str, title, changes, drillable=None) -> Table:
    """Measures with their previous month and same month last year; ``drillable`` limits the links."""
    rows = []
    for change in changes:
        m = change.measure
        row = {"title": m.title, "value": m.value, "numerator": m.numerator, "denominator": m.denominator,
               "previous": change.previous.value, "mom": change.mom, "last_year": change.last_year.value,
               "yoy": change.yoy, "_kind": m.kind, "_key": m.key, "_has_denominator": m.kind == "rate"}
        if drillable is None or m.key in drillable:
            row["_drill"] = {"measure": m.key}
        rows.append(row)
    return Table(key, title, [
        Column("title", _l("Measure"), "text"),
        Column("value", _l("This month"), "value", drill="*"),
        Column("numerator", _l("Numerator"), "count", drill="*"),
        Column("denominator", _l("Denominator / cases measured"), "count", drill="*", part="denominator"),
        Column("previous", _l("Previous month"), "value"),
        Column("mom", _l("Month on month"), "change"),
        Column("last_year", _l("Same month last year"), "value"),
        Column("yoy", _l("Year on year"), "change"),
    ], rows, [m.measure.definition for m in changes])


def _measures_table(report) -> Table:
    return _change_table("measures", _l("Measures"), report["measures"])


def _outreach_measures_table(report) -> Table:
    return _change_table("outreach_measures", _l("Outreach and mediation"), report["outreach_measures"],
                         drillable=DRILLABLE)


_FIGURES = [
    Column("visits", _l("Visits"), "count", drill="visits"),
    Column("new_cases", _l("New cases"), "count", drill="new_cases"),
    Column("accepted", _l("Accepted"), "count", drill="accepted"),
    Column("concluded", _l("Concluded"), "count", drill="concluded"),
    Column("closure_rate", _l("Closure rate"), "rate", drill="closure_rate"),
    Column("on_time_reply", _l("On-time reply"), "rate", drill="on_time_reply"),
    Column("satisfaction_rate", _l("Satisfaction rate"), "rate", drill="satisfaction_rate"),
    Column("repeat_rate", _l("Repeat-visit rate"), "rate", drill="repeat_rate"),
    Column("median_days", _l("Handling days (median)"), "days", drill="median_days"),
    Column("p90_days", _l("Handling days (90th percentile)"), "days", drill="p90_days"),
]
_FIGURE_DEFS = ["visits", "new_cases", "accepted", "concluded", "closure_rate", "on_time_reply",
                "satisfaction_rate", "repeat_rate", "median_days", "p90_days"]


BY_AREA_TITLES = {"city": _l("By county"), "county": _l("By town"), "town": _l("By village"),
                  "village": _l("By grid")}


def by_area_title(unit):
    """The table title: by town for a county, by county for the city, by village for a town."""
    return BY_AREA_TITLES.get(unit.level.value, _l("By town"))


def _by_town_table(report) -> Table:
    rows = [dict(r, _drill={"unit": r["unit_id"]}) for r in report["by_town"]]
    return Table("by_town", by_area_title(report["unit"]), [Column("name", _l("Area"), "text")] + _FIGURES, rows,
                 _FIGURE_DEFS)


def _by_category_table(report) -> Table:
    rows = [dict(r, _drill={"category": r["category_id"]}) for r in report["by_category"]]
    # visits are not split by category (a visit's matter can change category), so neither is the repeat rate
    figures = [c for c in _FIGURES if c.key not in ("visits", "repeat_rate")]
    return Table("by_category", _l("By category"),
                 [Column("name", _l("Category"), "text"), Column("share", _l("Share of new cases"), "rate")]
                 + figures, rows, [k for k in _FIGURE_DEFS[1:] if k != "repeat_rate"])


def _trend_table(report) -> Table:
    rows = [dict(r, _drill={"month": r["month"]}) for r in report["trend"]]
    return Table("trend", _l("Twelve-month trend"), [Column("month", _l("Month"), "text")] + _FIGURES, rows,
                 _FIGURE_DEFS)


def _backlog_table(report) -> Table:
    rows = [dict(r, _drill={"bucket": r["index"]}) for r in report["backlog"]]
    return Table("backlog", _l("Backlog by age"), [
        Column("bucket", _l("Days since receipt"), "text"),
        Column("open", _l("Still open"), "count", drill="backlog"),
        Column("overdue", _l("Of which overdue"), "count", drill="overdue"),
    ], rows, ["backlog", "overdue"])


def _top_issues_table(report) -> Table:
    rows = [dict(r, _drill={"category": r["category_id"]}) for r in report["top_issues"]]
    return Table("top_issues", _l("Top issues"), [
        Column("rank", _l("Rank"), "text"), Column("name", _l("Issue"), "text"),
        Column("group", _l("Category"), "text"),
        Column("new_cases", _l("New cases"), "count", drill="new_cases"),
        Column("share", _l("Share of new cases"), "rate"),
    ], rows, ["top_issues"])


def _overdue_table(report) -> Table:
    return Table("overdue", _l("Overdue at the end of the month"), [
        Column("reference", _l("Reference"), "case"), Column("category", _l("Category"), "text"),
        Column("town", _l("Place"), "text"), Column("received_on", _l("Received"), "date"),
        Column("due", _l("Due"), "date"), Column("days_overdue", _l("Days overdue"), "count"),
        Column("status", _l("Status"), "text"),
    ], report["overdue"], ["overdue"])


def _outreach_table(report) -> Table:
    rows = report["outreach"]
    return Table("outreach", _l("Outreach by kind"), [
        Column("label", _l("Service kind"), "text"), Column("services", _l("Services"), "count"),
        Column("people", _l("Person-times"), "count"),
    ], rows or [], ["outreach"], available=rows is not None)


def _orders_table(report) -> Table:
    rows = [dict(r, _drill={"department": r["department_id"]}) for r in report["orders_by_department"]]
    return Table("orders", _l("Dispatch orders by department"), [
        Column("department", _l("Department"), "text"),
        Column("issued", _l("Issued"), "count", drill="orders_issued"),
        Column("signed_on_time", _l("Signed on time"), "count", drill="orders_signed_on_time"),
        Column("fed_back_on_time", _l("Fed back on time"), "count", drill="orders_fed_back_on_time"),
        Column("on_time_rate", _l("On-time feedback rate"), "rate"),
        Column("returned", _l("Returned"), "count", drill="orders_returned"),
        Column("verified", _l("Verified"), "count", drill="orders_verified"),
        Column("overdue_at_end", _l("Overdue at the end of the month"), "count", drill="orders_overdue_at_end"),
        Column("staff_visits", _l("Staff visits (person-times)"), "count"),
        Column("avg_rating", _l("Average rating"), "days"),
    ], rows, ["orders"], available=report["order_totals"] is not None)


def _routes_table(report) -> Table:
    rows = [dict(r, label=f"{r['label']} ⚖" if r["litigation"] else r["label"], _key=f"route_{r['route']}",
                 _drill={}) for r in report["routes"]]
    return Table("routes", _l("Matters sent on another route"), [
        Column("label", _l("Route"), "text"), Column("not_accepted", _l("Not accepted"), "count"),
        Column("transferred", _l("Transferred"), "count"), Column("total", _l("Total"), "count", drill="*"),
    ], rows, ["routes"])


def _channels_table(report) -> Table:
    rows = [dict(r, _key=f"channel_{r['channel']}", _drill={}) for r in report["channels"]]
    return Table("channels", _l("By channel"), [
        Column("label", _l("Channel"), "text"), Column("visits", _l("Visits"), "count", drill="*_visits"),
        Column("new_cases", _l("New cases"), "count", drill="*_new_cases"),
        Column("concluded", _l("Concluded"), "count", drill="*_concluded"),
    ], rows, ["channels"])


def _grid_events_table(report) -> Table:
    figures = report["grid_events"]
    rows = []
    if figures is not None:
        rows = [dict(r, _drill={"unit": r["unit_id"]}) for r in figures["areas"]]
        rows.append(dict(figures["total"], name=_l("Total"), _drill={}))
    return Table("grid_events", _l("Grid events"), [
        Column("name", _l("Area"), "text"),
        Column("reported", _l("Reported"), "count", drill="grid_reported"),
        Column("closed", _l("Closed"), "count", drill="grid_closed"),
        Column("closure_rate", _l("Closure rate"), "rate", drill="grid_closure_rate"),
        Column("handled", _l("Handled"), "count", drill="grid_handled"),
        Column("on_time", _l("Handled on time"), "count", drill="grid_on_time"),
        Column("on_time_rate", _l("On-time handling rate"), "rate", drill="grid_on_time_rate"),
    ], rows if figures and figures["total"]["reported"] else [], ["grid_events"], available=figures is not None)


def _risk_table(report) -> Table:
    figures = report["risk"]
    rows = []
    if figures is not None:
        rows = [dict(r, _key=f"risk_{r['kind']}", _drill={}) for r in figures["kinds"]]
        rows.append(dict(figures["total"], _key="risk", _drill={}))
    return Table("risk", _l("Risk early warnings"), [
        Column("label", _l("Kind of warning"), "text"),
        Column("raised", _l("Warnings raised"), "count", drill="*_raised"),
        *[Column(level.value, level.title, "count", drill=f"*_{level.value}", badge=level.value)
          for level in risk_levels()],
        Column("acknowledged", _l("Acknowledged"), "count", drill="*_acknowledged"),
        Column("closed", _l("Dealt with and closed"), "count", drill="*_closed"),
        Column("open_at_end", _l("Open at the end"), "count", drill="*_open_at_end"),
        Column("unacknowledged_at_end", _l("Of which not acknowledged"), "count", drill="*_unacknowledged_at_end"),
    ], rows, ["risk"], available=figures is not None)


BUILDERS = {"measures": _measures_table, "outreach_measures": _outreach_measures_table, "by_town": _by_town_table, "by_category": _by_category_table,
            "trend": _trend_table, "backlog": _backlog_table, "top_issues": _top_issues_table,
            "overdue": _overdue_table, "outreach": _outreach_table, "orders": _orders_table,
            "routes": _routes_table, "channels": _channels_table, "grid_events": _grid_events_table,
            "risk": _risk_table}


def dashboard_tables(report) -> dict[str, Table]:
    return {key: build(report) for key, build in BUILDERS.items()}


def table_definitions(table: Table):
    return [DEFINITIONS[k] for k in dict.fromkeys(table.definitions) if k in DEFINITIONS]


# --- files --------------------------------------------------------------------------------------------------

def cell_value(table_column: Column, row: dict):
    """The exported value: numbers stay numbers (rates as fractions), text is translated, None is empty."""
    value = row.get(table_column.key)
    if value is None:
        return None
    if table_column.kind in ("rate", "value", "change") or isinstance(value, float):
        return round(float(value), 4) if isinstance(value, (int, float)) else value
    if table_column.kind in ("text", "case"):
        return str(value)
    return value


def _number_format(column: Column, row: dict) -> str | None:
    kind = row.get("_kind") if column.kind == "value" else column.kind
    if column.kind == "change":
        kind = "rate" if row.get("_kind") in ("count", "rate") else "days"
    return {"rate": "0.0%", "days": "0.0", "minutes": "0.0", "date": "yyyy-mm-dd"}.get(kind)


def filename(table: Table, report, fmt: str) -> str:
    unit = report["unit"]
    return f"{table.key}-{unit.code}-{_month(report)}.{fmt}"


def to_csv(table: Table) -> str:
    """UTF-8 with a BOM so spreadsheet programs read Chinese; rates as fractions (0.375 is 37.5%)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = SafeCsvWriter(buffer)
    writer.writerow([str(c.title) for c in table.columns])
    for row in table.rows:
        writer.writerow(["" if (v := cell_value(c, row)) is None else
                         (v.isoformat() if hasattr(v, "isoformat") else v) for c in table.columns])
    return buffer.getvalue()


def to_xlsx(table: Table, report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.key[:31]
    sheet.append(safe_row([str(table.title), f"{report['unit'].name} {_month(report)}"]))
    sheet.append([str(c.title) for c in table.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(safe_row(cell_value(c, row) for c in table.columns))
        for column, cell in zip(table.columns, sheet[sheet.max_row]):
            number_format = _number_format(column, row)
            if number_format and cell.value is not None:
                cell.number_format = number_format
    notes = table_definitions(table)
    if notes:
        sheet.append([])
        for note in notes:
            sheet.append(safe_row([f"{note.title}: {note.text}"]))
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(table_key: str, fmt: str, report) -> tuple[bytes, str, str]:
    """(content, mimetype, filename); KeyError for an unknown table, ValueError for an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    table = BUILDERS[table_key](report)
    if fmt == "csv":
        return to_csv(table).encode("utf-8"), "text/csv; charset=utf-8", filename(table, report, fmt)
    return (to_xlsx(table, report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename(table, report, fmt))


__all__ = ["BUILDERS", "Column", "FORMATS", "Table", "dashboard_tables", "export", "to_csv", "to_xlsx"]
