"""Referrals to rooms and talent: offers, the member's inbox, room boards, outcomes."""
