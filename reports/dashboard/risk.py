"""Risk early warnings on the dashboard and in the monthly summary (intake.risk.measures): per kind of warning,
raised in the period and of them yellow / orange / red, acknowledged, closed, and open at the period's end, each
rebuilt from the warnings' dated history; every figure links to its warnings."""
from datetime import date

from flask_babel import lazy_gettext as _l

from desk.models import OrgUnit

def _measures():
    try:
        from intake.risk import measures
    except ModuleNotFoundError as err:
        if err.name not in ("intake.risk", "intake.risk.measures"):
            raise
        return None
    return measures


def risk_counted(*, unit: OrgUnit, start: date, end: date) -> dict | None:
    """{"kinds": a row per kind of warning (zeros included), "total": the sums}; None while risk early warning
    is not installed."""
    measures = _measures()
    if measures is None:
        return None
    kinds = measures.warning_figures(unit=unit, start=start, end=end)
    total = {f: sum(row[f] for row in kinds) for f in measures.FIGURES}
    return {"kinds": kinds, "total": dict(total, kind="", label=_l("Total"))}


def levels() -> list:
    """The warning levels, yellow to red (none while risk early warning is not installed)."""
    measures = _measures()
    return [] if measures is None else list(measures.RiskLevel)


def levels_at(ids, end: date) -> dict:
    """The level each listed warning had reached at ``end`` (the drill-down shows it beside today's)."""
    return _measures().levels_at(ids, end)


def _ids(figure: str, kind: str | None):
    def ids(unit: OrgUnit, start: date, end: date):
        return _measures().warning_ids(unit=unit, start=start, end=end, figure=figure, kind=kind)
    return ids


def _drills() -> dict:
    """risk_<figure> for all kinds, risk_<kind>_<figure> for one (reports.dashboard.drill)."""
    measures = _measures()
    if measures is None:
        return {}
    drills = {f"risk_{figure}": (_ids(figure, None), None) for figure in measures.FIGURES}
    for kind in measures.RiskKind:
        drills.update({f"risk_{kind.value}_{figure}": (_ids(figure, kind.value), None)
                       for figure in measures.FIGURES})
    return drills


DRILLS = _drills()
