"""Scheduled jobs of the reports area: opening and expiring callbacks, and the monthly PDF summaries."""
from datetime import datetime

from desk.scheduler import scheduled
from reports import callbacks, summary


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


@scheduled("monthly_summaries", "cron", day=1, hour=6, minute=0)
def monthly_summaries(now: datetime) -> int:
    """On the 1st: last month's PDF summary for the city and every county, in each archived language.
    One archive per scope, month and language, however often it runs; progress goes to the log."""
    year, month = summary.previous_month(now)
    return summary.generate_month(year, month, now=now)
