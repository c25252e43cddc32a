"""The records behind a figure: every number on the dashboard links to the list of what it counts — cases for
case figures, visits for visit figures (a repeat visit is a row of its own), queue tickets for the wait."""
from datetime import date

import sqlalchemy as sa

from desk.models import Case, OrgUnit, Ticket, Visit
from reports.callbacks.models import Callback, CallbackStatus, Rating
from reports.dashboard.backlog import AGE_BUCKETS, _age_bucket, _open_branches, _overdue_at
from reports.dashboard import channels, grid_events, outreach_measures, risk, routes
from reports.dashboard.measures import _ticket_scope, category_ids
from reports.dashboard.scope import scope, utc


# measure key -> (numerator builder, denominator builder or None). Each builder returns a SELECT of the ids of
# the records the figure counts (RECORDS: cases unless named) for (unit, start, end).
def _cases(unit, *where):
    return sa.select(Case.id).where(scope(Case, unit), *where)


def _visits(unit, start, end, *where):
    return sa.select(Visit.id).where(scope(Visit, unit), Visit.visited_at >= utc(start), Visit.visited_at < utc(end),
                                     *where)


def _waits(unit, start, end):
    return sa.select(Ticket.id).where(_ticket_scope(unit), Ticket.day >= start, Ticket.day < end,
                                      Ticket.called_at.is_not(None))


def _callback_cases(unit, start, end, *where):
    return sa.select(Case.id).where(Case.id.in_(
        sa.select(Callback.case_id).where(scope(Callback, unit), Callback.round == 1, Callback.concluded_on >= start,
                                          Callback.concluded_on < end, *where)))


def _between(col, start, end):
    return sa.and_(col >= start, col < end)


def _open_at(unit, on, *where):
    return _cases(unit, sa.or_(*_open_branches(on)), *where)


_RATED = Callback.status == CallbackStatus.rated
DRILLS = {
    "visits": (lambda u, s, e: _visits(u, s, e), None),
    "repeat_rate": (lambda u, s, e: _visits(u, s, e, Visit.is_repeat.is_(True)), lambda u, s, e: _visits(u, s, e)),
    "repeat_after_conclusion": (lambda u, s, e: _visits(u, s, e, Visit.repeat_after_conclusion.is_(True)), None),
    "new_cases": (lambda u, s, e: _cases(u, _between(Case.received_on, s, e)), None),
    "accepted": (lambda u, s, e: _cases(u, _between(Case.decided_on, s, e), Case.accepted_on.is_not(None)), None),
    "concluded": (lambda u, s, e: _cases(u, _between(Case.concluded_on, s, e)), None),
    "closure_rate": (lambda u, s, e: _cases(u, _between(Case.concluded_on, s, e)),
                     lambda u, s, e: _cases(u, _between(Case.decided_on, s, e), Case.accepted_on.is_not(None))),
    "timely_acceptance": (lambda u, s, e: _cases(u, _between(Case.register_due, s, e), Case.decided_on.is_not(None),
                                                 Case.decided_on <= Case.register_due),
                          lambda u, s, e: _cases(u, _between(Case.register_due, s, e))),
    "on_time_reply": (lambda u, s, e: _cases(u, _between(Case.conclude_due, s, e), Case.concluded_on.is_not(None),
                                             Case.concluded_on <= Case.conclude_due),
                      lambda u, s, e: _cases(u, _between(Case.conclude_due, s, e))),
    "satisfaction_rate": (lambda u, s, e: _callback_cases(u, s, e, _RATED,
                                                          Callback.rating.in_([Rating.satisfied, Rating.basic])),
                          lambda u, s, e: _callback_cases(u, s, e, _RATED)),
    "participation_rate": (lambda u, s, e: _callback_cases(u, s, e, _RATED),
                           lambda u, s, e: _cases(u, _between(Case.concluded_on, s, e))),
    "not_rated_in_time": (lambda u, s, e: _callback_cases(u, s, e,
                                                          Callback.status == CallbackStatus.not_rated_in_time), None),
    "median_days": (lambda u, s, e: _cases(u, _between(Case.concluded_on, s, e)), None),
    "p90_days": (lambda u, s, e: _cases(u, _between(Case.concluded_on, s, e)), None),
    "awaiting_rating": (lambda u, s, e: _callback_cases(u, s, e, Callback.status == CallbackStatus.pending), None),
    "median_wait": (_waits, None),
    "backlog": (lambda u, s, e: _open_at(u, e), None),
    "overdue": (lambda u, s, e: _open_at(u, e, _overdue_at(e)), None),
    **outreach_measures.DRILLS,
    **routes.DRILLS,
    **channels.DRILLS,
    **grid_events.DRILLS,
    **risk.DRILLS,
}


# What a drill-down lists, when not cases.
RECORDS = {"visits": "visit", "repeat_rate": "visit", "repeat_after_conclusion": "visit", "median_wait": "ticket",
           **{key: "visit" for key in channels.VISIT_DRILLS}, **{key: "event" for key in grid_events.DRILLS},
           **{key: "warning" for key in risk.DRILLS}}


def _order_drills() -> dict:
    """The dispatch-order figures' lists (referrals.orders.measures), when that area is installed."""
    try:
        from referrals.orders.measures import DRILLS as ORDER_DRILLS
    except ModuleNotFoundError as err:
        if err.name not in ("referrals.orders.measures", "referrals.orders", "referrals"):
            raise
        return {}
    return ORDER_DRILLS


DRILLS.update(_order_drills())
RECORDS.update({key: "order" for key in _order_drills()})


def record_kind(measure_key: str) -> str:
    """"case", "visit", "ticket", "order", "event" (a grid event) or "warning" (a risk warning): the kind of record
    whose ids ``drill_down`` returns."""
    return RECORDS.get(measure_key, "case")


def drill_down(*, measure_key: str, unit: OrgUnit, start: date, end: date, part: str = "numerator",
               category_id: int | None = None, age_bucket: int | None = None, department_id: int | None = None):
    """A SELECT of the ids behind a figure (its numerator, or its denominator for a rate): of the records
    ``record_kind`` names.

    Raises KeyError for an unknown measure or a part the measure does not have. ``category_id`` narrows to a
    category and its subcategories; ``age_bucket`` (backlog and overdue) to one AGE_BUCKETS row at ``end``;
    ``department_id`` (dispatch orders) to one lead department."""
    numerator, denominator = DRILLS[measure_key]
    if part == "numerator":
        builder = numerator
    elif part == "denominator" and denominator is not None:
        builder = denominator
    else:
        raise KeyError(part)
    stmt = builder(unit, start, end)
    if category_id is not None:
        if record_kind(measure_key) != "case":     # visits and tickets are not split by category
            raise KeyError(category_id)
        stmt = stmt.where(Case.category_id.in_(category_ids(category_id)))
    if age_bucket is not None:
        if measure_key not in ("backlog", "overdue") or not 0 <= age_bucket < len(AGE_BUCKETS):
            raise KeyError(age_bucket)
        stmt = stmt.where(_age_bucket(end) == age_bucket)
    if department_id is not None:
        if record_kind(measure_key) != "order":
            raise KeyError(department_id)
        from referrals.orders.models import DispatchOrder
        stmt = stmt.where(DispatchOrder.department_id == department_id)
    return stmt
