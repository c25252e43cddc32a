"""Scheduled work of risk early warning: the scan for trends and for anything the registration check missed."""
from datetime import datetime

from desk.scheduler import scheduled
from desk.timeutil import to_local
from intake.risk.scan import run_risk_scan


@scheduled("risk_warnings_scan", "interval", minutes=60)
def risk_warnings_scan(now: datetime) -> int:
    """Every signal over the whole database for today; a second run raises nothing new (the run's commit is
    the scheduler's)."""
    return sum(run_risk_scan(to_local(now).date()).values())
