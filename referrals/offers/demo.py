"""Demo referrals in every state, including open offers waiting in the demo mediators' inboxes."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from desk.demo.seed import SeedContext, demo_county
from desk.extensions import db
from desk.models import Case, CaseStatus
from desk.timeutil import utcnow
from referrals.offers import services as offers
from referrals.talent.matching import rank_talent_for_case
from desk.models import AuditEntry
from referrals.offers.models import Referral, ReferralOutcome, ReferralStatus


def seed(ctx: SeedContext) -> None:
    rng, county = ctx.rng, demo_county(ctx)
    actor = ctx.users["reception"]
    demo = ctx.extra.get("demo_talent", {})
    mediator, mediator2 = demo.get("mediator"), demo.get("mediator2")
    open_cases = list(db.session.scalars(sa.select(Case).where(
        Case.county_id == county.id, Case.status.in_([CaseStatus.accepted, CaseStatus.in_progress]))
        .order_by(Case.id)))
    closed_cases = list(db.session.scalars(sa.select(Case).where(
        Case.county_id == county.id, Case.status.in_([CaseStatus.concluded, CaseStatus.closed]))
        .order_by(Case.id).limit(40)))
    try:
        for case in closed_cases:
            ranked = rank_talent_for_case(case, limit=3).ranked
            if ranked:
                _historic(case, ranked[0], rng)
        for n, case in enumerate(open_cases[:12]):
            _at(ctx, ctx.today - timedelta(days=rng.randint(1, 20)), rng)
            ranked = rank_talent_for_case(case, limit=3).ranked
            if not ranked:
                continue
            referral = offers.refer_to_talent(case, ranked[0].talent, actor=actor, score=ranked[0].score)
            if n % 4 == 0:
                offers.decline(referral, talent=ranked[0].talent, actor=actor, reason="本周外出培训，无法接案")
            elif n % 4 == 1:
                offers.expire_offers(utcnow() + timedelta(days=1), actor=None)
            else:
                offers.accept(referral.id, talent=ranked[0].talent, actor=actor)
                if n % 4 == 3:
                    offers.check_in(referral, actor=actor)
        # Fresh offers for the demo logins, made now so that they are still open when the demo starts:
        # one personal, one to their room.
        ctx.clock()
        fresh = [c for c in open_cases[12:] if not c.parties or True][:2]
        if mediator is not None and fresh:
            offers.refer_to_talent(fresh[0], mediator, actor=actor, score=0.8)
        if mediator is not None and mediator.room_id and len(fresh) > 1:
            offers.refer_to_room(fresh[1], mediator.room, actor=actor)
        if mediator2 is not None:
            mediator2.room_id = mediator.room_id if mediator is not None else mediator2.room_id
    finally:
        ctx.clock()
    db.session.flush()


def _historic(case, ranked, rng) -> None:
    """A finished referral of a case concluded long ago: recorded as history, with its audit trail."""
    start = datetime.combine(case.accepted_on or case.received_on, time(1, 0))
    referral = Referral(case_id=case.id, offered_to_id=ranked.talent.id, talent_id=ranked.talent.id,
                        status=ReferralStatus.done, score=ranked.score, offered_at=start,
                        expires_at=start + timedelta(hours=2), answered_at=start + timedelta(minutes=40),
                        checked_in_at=start + timedelta(days=1), done_at=start + timedelta(days=rng.randint(3, 20)),
                        outcome=rng.choice(list(ReferralOutcome)), outcome_note="经调解，双方就主要争议达成一致意见。")
    offers._copy_place(referral, case)
    db.session.add(referral)
    db.session.flush()
    for action, src, dst, at in [("offer", None, "offered", referral.offered_at),
                                 ("accept", "offered", "accepted", referral.answered_at),
                                 ("check_in", "accepted", "in_progress", referral.checked_in_at),
                                 ("done", "in_progress", "done", referral.done_at)]:
        db.session.add(AuditEntry(at=at, entity="referral", entity_id=referral.id, action=action,
                                  from_state=src, to_state=dst))


def _at(ctx, day, rng):
    ctx.clock(datetime.combine(day, time(1, 0)) + timedelta(minutes=rng.randint(0, 400)))
