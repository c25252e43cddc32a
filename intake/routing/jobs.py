"""Scheduled job of routing: a routing nobody objected to within 5 working days stands confirmed."""
from datetime import datetime

from desk.scheduler import scheduled
from desk.timeutil import to_local
from intake.routing.services import confirm_lapsed_routes


@scheduled("confirm_lapsed_routes", "interval", minutes=60)
def confirm_unanswered_routes(now: datetime) -> int:
    return confirm_lapsed_routes(to_local(now).date())
