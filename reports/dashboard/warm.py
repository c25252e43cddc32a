"""The dashboard's share of warming a fresh process (desk/warmup.py): its SQL, tables and charts once."""
import sqlalchemy as sa

from desk.extensions import db
from desk.models import Level, OrgUnit
from desk.timeutil import local_today
from reports.dashboard import charts, exports, measures


def warm_dashboard() -> None:
    """One county's last full month, as the dashboard computes it: the statements compiled here are cached by
    SQLAlchemy for every unit and month (they differ only in their parameters), and the chart library loads."""
    unit = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.level == Level.county).order_by(OrgUnit.code).limit(1))
    if unit is None:
        return
    today = local_today()
    year, month = measures.shift_month(today.year, today.month, -1)
    report = measures.month_report(unit=unit, year=year, month=month)
    tables = exports.dashboard_tables(report)
    charts.category_mix_svg(report["by_category"])
    charts.trend_svg(report["trend"])
    charts.by_town_svg(report["by_town"], title=str(tables["by_town"].title))
