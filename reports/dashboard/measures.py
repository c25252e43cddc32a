"""The measures, one source: every screen, export and the monthly PDF reads its figures from here.

Every figure is an SQL aggregate over indexed (place, date) ranges for one period [start, end) and one
org scope; only the small sorted columns needed for percentiles (one scope and period) come back to
Python. Definitions (DOMAIN.md) live in reports.dashboard.definitions, shown as footnotes by each figure.
"""
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, CaseStatus, Category, OrgUnit, Site, Ticket, Visit
from reports.callbacks.models import Callback, CallbackStatus, Rating
from reports.dashboard.arithmetic import change, percentile, percentile_of_counts, ratio
from reports.dashboard.backlog import AGE_BUCKETS, backlog_by_age, overdue_cases
from reports.dashboard.other_areas import orders, outreach_by_kind
from reports.dashboard import outreach_measures
from reports.dashboard.routes import routes_counted
from reports.dashboard.channels import channels_counted
from reports.dashboard.grid_events import grid_events
from reports.dashboard.risk import risk_counted
from reports.dashboard.definitions import DEFINITIONS
from reports.dashboard.scope import (_days, _minutes, child_level, count_if, month_bounds, scope, shift_month,
                                     utc as utc_of)

S = CaseStatus

# Indexes the measures need: each figure is a range over one date column inside a county (the city is its
# counties, see ``scope``). Declared here, next to the queries they serve; migration f1c0reports001.
MEASURE_INDEXES = [
    # The trailing columns make the counts index-only (no table lookups for a month's thousands of rows).
    sa.Index("ix_case_county_received", Case.county_id, Case.received_on),
    sa.Index("ix_case_county_decided", Case.county_id, Case.decided_on, Case.accepted_on),
    sa.Index("ix_case_county_concluded", Case.county_id, Case.concluded_on, Case.received_on),
    sa.Index("ix_case_county_register_due", Case.county_id, Case.register_due, Case.decided_on),
    sa.Index("ix_case_county_conclude_due", Case.county_id, Case.conclude_due, Case.concluded_on),
    sa.Index("ix_case_county_status_received", Case.county_id, Case.status, Case.received_on),
    sa.Index("ix_visit_county_visited_repeat", Visit.county_id, Visit.visited_at, Visit.is_repeat,
             Visit.repeat_after_conclusion),
    sa.Index("ix_callback_county_concluded_rating", Callback.county_id, Callback.concluded_on, Callback.status,
             Callback.rating, Callback.case_id),
]
# Below this many concluded matters a unit's median is shown but not ranked: one fast matter is no record.
MIN_CASES_TO_RANK = 5


@dataclass
class Measure:
    key: str
    value: float | int | None
    numerator: int | None = None
    denominator: int | None = None
    kind: str = "count"                  # "count" | "rate" | "days" | "minutes"
    title: object = None                 # lazy translated, from reports.dashboard.definitions
    definition: str = ""                 # key into reports.dashboard.definitions.DEFINITIONS

    def __post_init__(self):
        self.definition = self.definition or self.key
        if self.title is None:
            self.title = DEFINITIONS[self.definition].title


@dataclass
class MeasureChange:
    """A measure with the previous month's and the same month last year's figure."""

    measure: Measure
    previous: Measure
    last_year: Measure
    mom: float | None = field(init=False)   # month on month: points for rates, relative change for counts
    yoy: float | None = field(init=False)

    def __post_init__(self):
        self.mom = change(self.measure, self.previous)
        self.yoy = change(self.measure, self.last_year)


# --- the raw counts, optionally split by a key (a child unit, a category, a month) ---------------------------

class _Split:
    """How rows are split: not at all, by a column of the row, or by month buckets of the row's date."""

    def __init__(self, column_name: str | None = None, months: list[tuple[date, date]] | None = None):
        self.column_name, self.months = column_name, months

    def key(self, model, date_col, utc: bool):
        if self.column_name:
            return getattr(model, self.column_name)
        if self.months:
            bound = utc_of if utc else (lambda d: d)
            return sa.case(*[(date_col < bound(end), i) for i, (_s, end) in enumerate(self.months)],
                           else_=len(self.months))
        return sa.null()


NO_SPLIT = _Split()


def _rows(split: _Split, model, date_col, unit, start, end, columns: dict, *where, utc=False) -> list[tuple]:
    """(key, {name: aggregate}) pairs; a key may come more than once (the caller sums)."""
    lo, hi = (utc_of(start), utc_of(end)) if utc else (start, end)
    # Months over a date column: group by the day (at most 366 groups, straight off the index) and put the
    # days into months here, which is cheaper than a twelve-branch CASE evaluated on every row.
    by_day = bool(split.months) and not utc
    key = (date_col if by_day else split.key(model, date_col, utc)).label("k")
    stmt = sa.select(key, *[c.label(name) for name, c in columns.items()])
    stmt = stmt.where(scope(model, unit), date_col >= lo, date_col < hi, *where)
    if split is not NO_SPLIT:
        stmt = stmt.group_by(key)
    rows = db.session.execute(stmt)
    if by_day:
        starts = [month_start for month_start, _end in split.months]
        return [(bisect_right(starts, row.k) - 1, row._mapping) for row in rows]
    return [(row.k, row._mapping) for row in rows]


def _raw(unit: OrgUnit, start: date, end: date, split: _Split = NO_SPLIT, *, visits=True, waits=False) -> dict:
    """key -> {count name: number}, plus "days" ({handling days: matters}) and "waits" (sorted minutes)."""
    out: dict = defaultdict(lambda: defaultdict(int))

    def merge(rows):
        for k, mapping in rows:
            for name, value in mapping.items():
                if name != "k":
                    out[k][name] += int(value or 0)

    if visits:
        merge(_rows(split, Visit, Visit.visited_at, unit, start, end,
                    {"visits": sa.func.count(), "repeat_visits": count_if(Visit.is_repeat.is_(True)),
                     "repeat_after_conclusion": count_if(Visit.repeat_after_conclusion.is_(True))}, utc=True))
    merge(_rows(split, Case, Case.received_on, unit, start, end, {"new_cases": sa.func.count()}))
    # accepted_on is decided_on for an accepted case (desk.cases.accept_case): one index serves both.
    merge(_rows(split, Case, Case.decided_on, unit, start, end, {"accepted": count_if(Case.accepted_on.is_not(None))}))
    merge(_rows(split, Case, Case.concluded_on, unit, start, end, {"concluded": sa.func.count()}))
    merge(_rows(split, Case, Case.register_due, unit, start, end,
                {"register_due": sa.func.count(),
                 "decided_in_time": count_if(sa.and_(Case.decided_on.is_not(None), Case.decided_on <= Case.register_due))}))
    merge(_rows(split, Case, Case.conclude_due, unit, start, end,
                {"conclude_due": sa.func.count(),
                 "concluded_in_time": count_if(sa.and_(Case.concluded_on.is_not(None),
                                                 Case.concluded_on <= Case.conclude_due))}))
    # The first reply's callback: a matter counts once, in the month its first reply was given, as the
    # concluded count does (a rating after a review reply never pushes participation over 100%).
    first = Callback.round == 1
    rated = sa.and_(first, Callback.status == CallbackStatus.rated)
    merge(_rows(split, Callback, Callback.concluded_on, unit, start, end,
                {"rated": count_if(rated),
                 "rated_cases": sa.func.count(sa.distinct(sa.case((rated, Callback.case_id), else_=None))),
                 "satisfied": count_if(sa.and_(rated, Callback.rating.in_([Rating.satisfied, Rating.basic]))),
                 "not_rated_in_time": count_if(sa.and_(first, Callback.status == CallbackStatus.not_rated_in_time)),
                 "awaiting_rating": count_if(sa.and_(first, Callback.status == CallbackStatus.pending))}))
    days = _days(Case.concluded_on, Case.received_on).label("d")
    by_day = bool(split.months)                     # as in _rows: by the day, put into months here
    key = (Case.concluded_on if by_day else split.key(Case, Case.concluded_on, False)).label("k")
    # By month: grouped by the index's own columns (concluded, received), which SQLite reads in order and groups
    # as it goes; grouping by the computed days needed a sort of the year's rows (the trend's costliest query).
    # Each group is still one (day, days) pair: the days follow from the two dates.
    grouping = [days] if split is NO_SPLIT else [key, Case.received_on] if by_day else [key, days]
    starts = [month_start for month_start, _end in split.months or []]
    for k, d, n in db.session.execute(sa.select(key, days, sa.func.count()).where(
            scope(Case, unit), Case.concluded_on >= start, Case.concluded_on < end).group_by(*grouping)):
        if by_day:
            k = bisect_right(starts, k) - 1
        histogram = out[k].setdefault("days", {})
        histogram[int(d)] = histogram.get(int(d), 0) + n
    if waits:
        for k, minutes in _wait_minutes(unit, start, end):
            out[k].setdefault("waits", []).append(float(minutes))
    return out


def _ticket_scope(unit: OrgUnit):
    return Ticket.site_id.in_(sa.select(Site.id).join(OrgUnit, OrgUnit.id == Site.org_unit_id)
                              .where(getattr(OrgUnit, f"{unit.level.value}_id") == unit.id))


def _wait_minutes(unit: OrgUnit, start: date, end: date):
    minutes = _minutes(Ticket.called_at, Ticket.arrived_at).label("m")
    return db.session.execute(sa.select(sa.null().label("k"), minutes)
                              .where(_ticket_scope(unit), Ticket.day >= start, Ticket.day < end,
                                     Ticket.called_at.is_not(None)).order_by(minutes)).all()


def _measures(raw: dict) -> list[Measure]:
    g = raw.get
    days, waits = raw.get("days", {}), raw.get("waits", [])
    measured = sum(days.values())
    return [
        Measure("visits", g("visits", 0)),
        Measure("new_cases", g("new_cases", 0)),
        Measure("accepted", g("accepted", 0)),
        Measure("concluded", g("concluded", 0)),
        Measure("closure_rate", ratio(g("concluded", 0), g("accepted", 0)), g("concluded", 0), g("accepted", 0),
                "rate"),
        Measure("timely_acceptance", ratio(g("decided_in_time", 0), g("register_due", 0)), g("decided_in_time", 0),
                g("register_due", 0), "rate"),
        Measure("on_time_reply", ratio(g("concluded_in_time", 0), g("conclude_due", 0)), g("concluded_in_time", 0),
                g("conclude_due", 0), "rate"),
        Measure("satisfaction_rate", ratio(g("satisfied", 0), g("rated", 0)), g("satisfied", 0), g("rated", 0),
                "rate"),
        Measure("participation_rate", ratio(g("rated_cases", 0), g("concluded", 0)), g("rated_cases", 0),
                g("concluded", 0), "rate"),
        Measure("not_rated_in_time", g("not_rated_in_time", 0)),
        Measure("awaiting_rating", g("awaiting_rating", 0)),
        Measure("repeat_rate", ratio(g("repeat_visits", 0), g("visits", 0)), g("repeat_visits", 0), g("visits", 0),
                "rate"),
        Measure("repeat_after_conclusion", g("repeat_after_conclusion", 0)),
        Measure("median_days", percentile_of_counts(days, 0.5), None, measured, "days"),
        Measure("p90_days", percentile_of_counts(days, 0.9), None, measured, "days"),
        Measure("median_wait", percentile(waits, 0.5), None, len(waits), "minutes"),
    ]


# --- the public API --------------------------------------------------------------------------------------

def summary(*, unit: OrgUnit, start: date, end: date) -> list[Measure]:
    """The headline measures for [start, end) inside ``unit``, in display order."""
    raw = _raw(unit, start, end, waits=True).get(None, {})
    return _measures(raw)


def summary_with_change(*, unit: OrgUnit, year: int, month: int) -> list[MeasureChange]:
    """Each headline measure for the month, with month-on-month and year-on-year change."""
    now = summary(unit=unit, **_bounds(year, month))
    first = db.session.scalar(sa.select(sa.func.min(Case.received_on)).where(scope(Case, unit)))
    prev, last_year = (_compared(unit, *ym, first) for ym in (shift_month(year, month, -1), (year - 1, month)))
    return [MeasureChange(a, b, c) for a, b, c in zip(now, prev, last_year)]


def _compared(unit: OrgUnit, year: int, month: int, first: date | None) -> list[Measure]:
    """An earlier month's measures, or blanks ("—") when the desk's records do not cover all of it: a change
    against a partial month (the desk's first) would mislead."""
    bounds = _bounds(year, month)
    measured = summary(unit=unit, **bounds)
    if first is None or first > bounds["start"]:
        return [Measure(m.key, None, None, None, m.kind, m.title, m.definition) for m in measured]
    return measured


def _bounds(year: int, month: int) -> dict:
    start, end = month_bounds(year, month)
    return {"start": start, "end": end}


def _table_row(raw: dict) -> dict:
    row = {m.key: m.value for m in _measures(raw)}
    row["concluded_n"] = sum(raw.get("days", {}).values())
    row["ranked"] = row["concluded_n"] >= MIN_CASES_TO_RANK
    return row


def by_town(*, unit: OrgUnit, start: date, end: date) -> list[dict]:
    """One row per unit one level down (towns of a county, counties of the city, villages of a town).

    A unit with fewer than MIN_CASES_TO_RANK concluded matters has ``ranked`` False: its median is shown,
    never used to rank it above units with a real record."""
    level = child_level(unit)
    if level is None:
        return []
    children = db.session.execute(sa.select(OrgUnit.id, OrgUnit.name).where(
        OrgUnit.parent_id == unit.id, OrgUnit.level == level).order_by(OrgUnit.code)).all()
    raw = _raw(unit, start, end, _Split(f"{level.value}_id"))
    rows = []
    for unit_id, name in children:
        row = _table_row(raw.get(unit_id, {}))
        row.update(unit_id=unit_id, name=name)
        rows.append(row)
    return rows


def _category_roots() -> dict[int, Category]:
    categories = {c.id: c for c in db.session.scalars(sa.select(Category))}
    return {cid: categories.get(c.parent_id, c) if c.parent_id else c for cid, c in categories.items()}


def category_ids(category_id: int) -> list[int]:
    """A category and its subcategories (a top-level category's figures include its children)."""
    return [category_id] + list(db.session.scalars(sa.select(Category.id).where(Category.parent_id == category_id)))


def by_category(*, unit: OrgUnit, start: date, end: date) -> list[dict]:
    """One row per top-level category with new matters or conclusions in the period, most new matters first
    (then most concluded, then by category code)."""
    raw = _raw(unit, start, end, _Split("category_id"), visits=False)
    roots = _category_roots()
    merged: dict[int, dict] = {}
    for category_id, counts in raw.items():
        root = roots.get(category_id)
        if root is None:
            continue
        target = merged.setdefault(root.id, {"days": {}})
        for name, value in counts.items():
            if name == "days":
                for d, n in value.items():
                    target["days"][d] = target["days"].get(d, 0) + n
            else:
                target[name] = target.get(name, 0) + value
    total = sum(c.get("new_cases", 0) for c in merged.values())
    rows = []
    for root_id, counts in merged.items():
        row = _table_row(counts)
        root = next(r for r in roots.values() if r.id == root_id)
        row.update(category_id=root_id, name=root.name, code=root.code,
                   share=ratio(counts.get("new_cases", 0), total))
        rows.append(row)
    # ties by category code, not by name: the Chinese and English summaries list them in one order
    rows.sort(key=lambda r: (-(r["new_cases"] or 0), -(r["concluded"] or 0), r["code"]))
    return rows


def trend(*, unit: OrgUnit, year: int, month: int, months: int = 12) -> list[dict]:
    """One row per month, oldest first, ending with ``year``-``month``."""
    periods = [month_bounds(*shift_month(year, month, -i)) for i in range(months - 1, -1, -1)]
    raw = _raw(unit, periods[0][0], periods[-1][1], _Split(months=periods))
    rows = []
    for i, (start, end) in enumerate(periods):
        row = _table_row(raw.get(i, {}))
        row.update(month=f"{start:%Y-%m}", start=start, end=end)
        rows.append(row)
    return rows


def top_issues(*, unit: OrgUnit, start: date, end: date, limit: int = 10) -> list[dict]:
    """The issues (categories as recorded, e.g. unpaid wages) with the most new matters in the period. Equal
    counts share a rank, and a tie at the cut is kept whole; ties are ordered by category code in every language."""
    counts = db.session.execute(sa.select(Case.category_id, sa.func.count()).where(
        scope(Case, unit), Case.received_on >= start, Case.received_on < end).group_by(Case.category_id)).all()
    total = sum(n for _id, n in counts)
    categories = {c.id: c for c in db.session.scalars(sa.select(Category).where(
        Category.id.in_([r[0] for r in counts])))} if counts else {}
    ordered = sorted(counts, key=lambda r: (-r[1], categories[r[0]].code))
    cut = ordered[limit - 1][1] if len(ordered) >= limit else 0
    parents = {c.id: c for c in db.session.scalars(sa.select(Category).where(
        Category.id.in_([c.parent_id for c in categories.values() if c.parent_id])))} if categories else {}
    result = []
    for category_id, n in (r for r in ordered if r[1] >= cut):
        category, parent = categories[category_id], parents.get(categories[category_id].parent_id)
        result.append({"rank": 1 + sum(1 for _c, m in ordered if m > n), "category_id": category_id,
                       "name": category.name, "group": parent.name if parent else "", "new_cases": n,
                       "share": ratio(n, total)})
    return result


def month_report(*, unit: OrgUnit, year: int, month: int, parts=None) -> dict:
    """Everything the dashboard and the monthly summary show for one unit and month, computed once.

    ``parts`` limits the work to some keys (an export of one table computes only that table)."""
    start, end = month_bounds(year, month)
    period = {"unit": unit, "start": start, "end": end}
    makers = {
        "measures": lambda: summary_with_change(unit=unit, year=year, month=month),
        "by_town": lambda: by_town(**period),
        "by_category": lambda: by_category(**period),
        "trend": lambda: trend(unit=unit, year=year, month=month),
        "top_issues": lambda: top_issues(**period),
        "backlog": lambda: backlog_by_age(unit=unit, on=end),
        "overdue": lambda: overdue_cases(unit=unit, on=end),
        "outreach": lambda: outreach_by_kind(**period),
        "outreach_measures": lambda: outreach_measures.figures_with_change(unit=unit, year=year, month=month),
        "orders": lambda: orders(**period),
        "routes": lambda: routes_counted(**period),
        "channels": lambda: channels_counted(**period),
        "grid_events": lambda: grid_events(**period),
        "risk": lambda: risk_counted(**period),
    }
    report = {"unit": unit, "year": year, "month": month, "start": start, "end": end}
    for key, make in makers.items():
        if parts is None or key in parts:
            report[key] = make()
    if "orders" in report:
        report["order_totals"], report["orders_by_department"] = report.pop("orders")
    return report


__all__ = ["AGE_BUCKETS", "MIN_CASES_TO_RANK", "Measure", "MeasureChange", "backlog_by_age", "by_category",
           "by_town", "category_ids", "month_bounds", "month_report", "outreach_by_kind",
           "orders", "overdue_cases", "percentile", "percentile_of_counts", "ratio", "shift_month", "summary",
           "summary_with_change", "top_issues", "trend"]
