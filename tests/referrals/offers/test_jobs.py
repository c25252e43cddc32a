"""Offer expiry runs under the scheduler."""
from datetime import timedelta

from desk import scheduler
from desk.extensions import db
from desk.timeutil import freeze
from referrals.offers import services as offers
from referrals.offers.models import Referral, ReferralStatus
from tests.factories import make_case, make_talent


def test_offer_expiry_job(world):
    member = make_talent(world, skills=[world.category])
    referral = offers.refer_to_talent(make_case(world), member, actor=None)
    db.session.commit()
    later = referral.expires_at + timedelta(minutes=1)
    try:
        freeze(later)
        assert scheduler.run_job("offer_expiry", now=later).count == 1
    finally:
        freeze(None)
    assert db.session.get(Referral, referral.id).status == ReferralStatus.expired
