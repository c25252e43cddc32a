"""Scheduled work of grid events: department events follow their dispatch orders."""
from datetime import datetime

from desk.scheduler import scheduled
from intake.grid.services import follow_department_orders


@scheduled("grid_events_follow_orders", "interval", minutes=10)
def grid_events_follow_orders(now: datetime) -> int:
    """An event dispatched to a department is handled when the department reported back on the order and
    closed when the commander verified it (the run's commit is the scheduler's)."""
    return follow_department_orders()
