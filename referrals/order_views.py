"""Dispatch orders: issue, department inbox, verify, measures."""
from referrals.views import bp  # noqa: F401
