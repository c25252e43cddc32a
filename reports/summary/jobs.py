"""Scheduled jobs of the monthly summary: last month's PDFs on the 1st."""
from datetime import datetime

from desk.scheduler import scheduled
from reports.summary import services as summary


@scheduled("monthly_summaries", "cron", day=1, hour=6, minute=0)
def monthly_summaries(now: datetime) -> int:
    """On the 1st: last month's PDF summary for the city and every county, in each archived language.
    One archive per scope, month and language, however often it runs; progress goes to the log."""
    year, month = summary.previous_month(now)
    return summary.generate_month(year, month, now=now)
