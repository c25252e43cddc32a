"""Scheduled jobs of callbacks: opening them for concluded cases, and closing the windows nobody rated in."""
from datetime import datetime

from desk.scheduler import scheduled
from reports.callbacks import services as callbacks


@scheduled("open_callbacks", "interval", minutes=15)
def open_callbacks(now: datetime) -> int:
    """A pending callback for every newly concluded case (the work list also runs this for its scope)."""
    return callbacks.open_callbacks_for_concluded(now)


@scheduled("callbacks_not_rated_in_time", "interval", minutes=60)
def callbacks_not_rated_in_time(now: datetime) -> int:
    """Callbacks whose window has passed count as "not rated in time"; old look-up counters are dropped."""
    callbacks.open_callbacks_for_concluded(now)
    expired = callbacks.expire_unrated(now)
    callbacks.forget_old_lookups(now)
    return expired
