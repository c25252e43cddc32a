"""Scheduled jobs of referral offers: an offer nobody answered in time expires."""
from datetime import datetime

from desk.scheduler import scheduled
from referrals.offers.services import expire_offers


@scheduled("offer_expiry", "interval", minutes=1)
def offer_expiry(now: datetime) -> int:
    return expire_offers(now)
