"""Scheduled jobs of the referrals area: offer expiry."""
from datetime import datetime

from desk.scheduler import scheduled
from referrals.offers import expire_offers


@scheduled("offer_expiry", "interval", minutes=1)
def offer_expiry(now: datetime) -> int:
    return expire_offers(now)
