"""Talent pool, matching, referrals to rooms and talent, dispatch orders to departments."""
