"""Risk warnings counted for a scope unit and a period [start, end) of local days, per kind of warning, from each
warning's dated history — never from its status today, so a month's figures read the same whenever they are
counted:

- raised: warnings raised in the period (by ``raised_at``);
- yellow / orange / red: of those, by the level the warning had reached at the period's end (a level only
  rises, as evidence joins; the audit rows of raising and of each rise carry the level and its moment);
- acknowledged: warnings acknowledged in the period (by ``acknowledged_at``), whenever raised;
- closed: warnings closed in the period (by ``closed_at``), whenever raised;
- open at the end: raised before the period's end and not closed by then;
- not acknowledged at the end: of those, not yet acknowledged by then.

So open at the end = open at the start + raised − closed, for every kind. ``warning_ids`` selects the warnings
behind each figure, so a drill-down lists exactly the number shown.
"""
from datetime import date, datetime, time

import sqlalchemy as sa

from desk.access import unit_column
from desk.extensions import db
from desk.models import AuditEntry, OrgUnit
from desk.timeutil import utc_of_local
from intake.risk.models import RiskKind, RiskLevel, RiskWarning

W = RiskWarning
LEVELS = tuple(level.value for level in RiskLevel)
FIGURES = ("raised", *LEVELS, "acknowledged", "closed", "open_at_end", "unacknowledged_at_end")


def _moment(day: date) -> datetime:
    return utc_of_local(day, time(0))


def level_at(end_at: datetime):
    """SQL: the warning's level at ``end_at`` — the level on its latest raise or level-rise audit row before
    then (services.raise_or_attach writes one each time), else its level now (a row entered by hand)."""
    recorded = (sa.select(AuditEntry.detail["level"].as_string())
                .where(AuditEntry.entity == "risk_warning", AuditEntry.entity_id == W.id,
                       AuditEntry.action.in_(("raise", "raise_level")), AuditEntry.at < end_at)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(1).scalar_subquery())
    return sa.func.coalesce(recorded, W.level)


def _conditions(figure: str, start_at: datetime, end_at: datetime) -> list:
    raised = [W.raised_at >= start_at, W.raised_at < end_at]
    if figure == "raised":
        return raised
    if figure in LEVELS:
        return [*raised, level_at(end_at) == figure]
    if figure == "acknowledged":
        return [W.acknowledged_at >= start_at, W.acknowledged_at < end_at]
    if figure == "closed":
        return [W.closed_at >= start_at, W.closed_at < end_at]
    open_at_end = [W.raised_at < end_at, sa.or_(W.closed_at.is_(None), W.closed_at >= end_at)]
    if figure == "open_at_end":
        return open_at_end
    if figure == "unacknowledged_at_end":
        return [*open_at_end, sa.or_(W.acknowledged_at.is_(None), W.acknowledged_at >= end_at)]
    raise KeyError(figure)


def _scope(unit: OrgUnit):
    return unit_column(W, unit.level) == unit.id


def warning_figures(*, unit: OrgUnit, start: date, end: date) -> list[dict]:
    """One row per kind of warning (every kind, zeros included) with its FIGURES, in one grouped query."""
    start_at, end_at = _moment(start), _moment(end)

    def count(figure):
        return sa.func.coalesce(sa.func.sum(sa.case((sa.and_(*_conditions(figure, start_at, end_at)), 1),
                                                    else_=0)), 0).label(figure)

    # Every figure concerns a warning raised before the end and not closed before the start.
    stmt = (sa.select(W.kind, *[count(f) for f in FIGURES])
            .where(_scope(unit), W.raised_at < end_at, sa.or_(W.closed_at.is_(None), W.closed_at >= start_at))
            .group_by(W.kind))
    counted = {row.kind: row for row in db.session.execute(stmt)}
    return [{"kind": kind.value, "label": kind.title,
             **{f: int(getattr(counted[kind], f)) if kind in counted else 0 for f in FIGURES}} for kind in RiskKind]


def warning_ids(*, unit: OrgUnit, start: date, end: date, figure: str, kind: RiskKind | str | None = None):
    """A SELECT of the ids of the warnings behind one figure (of one kind, or of all); KeyError for an unknown
    figure or kind."""
    if figure not in FIGURES:
        raise KeyError(figure)
    stmt = sa.select(W.id).where(_scope(unit), *_conditions(figure, _moment(start), _moment(end)))
    if kind is not None:
        try:
            stmt = stmt.where(W.kind == RiskKind(kind))
        except ValueError:
            raise KeyError(kind) from None
    return stmt


def levels_at(ids, end: date) -> dict[int, RiskLevel]:
    """The level each of some warnings had reached at the end of a period (for a drill-down's page of rows)."""
    ids = list(ids)
    if not ids:
        return {}
    level = level_at(_moment(end)).label("level")
    return {warning_id: RiskLevel(value)
            for warning_id, value in db.session.execute(sa.select(W.id, level).where(W.id.in_(ids)))}
