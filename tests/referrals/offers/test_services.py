"""Referrals: the state machine, one winner, expiry and declines passing the case on, the case following."""
from datetime import datetime

import pytest

from desk.audit import timeline
from desk.errors import Conflict, DomainError, IllegalTransition
from desk.extensions import db
from desk.models import Case, CaseStatus, Role
from desk.timeutil import freeze
from referrals.offers import services as offers
from referrals.offers.models import Referral, ReferralOutcome, ReferralStatus as R
from referrals.talent.models import Talent
from tests.concurrency import race
from tests.factories import make_case, make_talent, make_user


@pytest.fixture
def clock():
    freeze(datetime(2026, 11, 23, 2, 0))
    yield
    freeze(None)


def test_accept_check_in_and_finish_move_the_case(world, clock):
    staff = make_user(world, Role.receptionist)
    member = make_talent(world, skills=[world.category])
    case = make_case(world)
    referral = offers.refer_to_talent(case, member, actor=staff)
    offers.accept(referral.id, talent=member, actor=staff)
    assert case.status == CaseStatus.in_progress and member.open_load == 1
    offers.check_in(referral, actor=staff)
    offers.finish(referral, actor=staff, outcome=ReferralOutcome.agreement, note="达成协议")
    db.session.refresh(member)
    assert member.open_load == 0
    assert [e.action for e in timeline("referral", referral.id)] == ["offer", "accept", "check_in", "done"]


@pytest.mark.parametrize("src,dst", [(s, d) for s in R for d in R if d not in offers.TRANSITIONS[s]])
def test_illegal_referral_moves_are_refused(world, src, dst):
    referral = offers.refer_to_talent(make_case(world), make_talent(world), actor=None)
    referral.status = src
    with pytest.raises(IllegalTransition):
        offers.REFERRAL_MACHINE.move(referral, dst, actor=None)


def test_second_accept_is_already_taken(world, clock):
    room_members = [make_talent(world, f"值班{i}", skills=[world.category]) for i in range(2)]
    room = world.county_site.rooms[0]
    for member in room_members:
        member.room_id = room.id
    referral = offers.refer_to_room(make_case(world), room, actor=None)
    offers.accept(referral.id, talent=room_members[0], actor=None)
    with pytest.raises(Conflict):
        offers.accept(referral.id, talent=room_members[1], actor=None)
    assert db.session.get(Referral, referral.id).talent_id == room_members[0].id


def test_expired_offer_goes_to_the_next_candidate_once(world, clock):
    first = make_talent(world, "第一", skills=[world.category], unit=world.village)
    second = make_talent(world, "第二", skills=[world.category])
    case = make_case(world)
    referral = offers.refer_to_talent(case, first, actor=None)
    freeze(datetime(2026, 11, 23, 3, 0))
    assert offers.expire_offers(datetime(2026, 11, 23, 3, 0)) == 0       # not yet: 2 hours to answer
    freeze(datetime(2026, 11, 23, 5, 0))
    assert offers.expire_offers(datetime(2026, 11, 23, 5, 0)) == 1
    assert offers.expire_offers(datetime(2026, 11, 23, 5, 0)) == 0       # idempotent
    assert referral.status == R.expired
    follow_up = db.session.scalars(db.select(Referral).where(Referral.case_id == case.id,
                                                             Referral.id != referral.id)).one()
    assert follow_up.offered_to_id == second.id and follow_up.status == R.offered
    with pytest.raises(Conflict):
        offers.accept(referral.id, talent=first, actor=None)


def test_decline_needs_a_reason_and_passes_it_on(world, clock):
    first = make_talent(world, "第一", skills=[world.category], unit=world.village)
    second = make_talent(world, "第二", skills=[world.category])
    case = make_case(world)
    referral = offers.refer_to_talent(case, first, actor=None)
    with pytest.raises(DomainError):
        offers.decline(referral, talent=first, actor=None, reason=" ")
    offers.decline(referral, talent=first, actor=None, reason="出差")
    assert db.session.scalars(db.select(Referral.offered_to_id).where(Referral.status == R.offered)).all() == [second.id]


def test_concurrent_accepts_have_exactly_one_winner(app, world):
    members = [make_talent(world, f"值班{i}", skills=[world.category]) for i in range(12)]
    room = world.county_site.rooms[0]
    for member in members:
        member.room_id = room.id
    referral = offers.refer_to_room(make_case(world), room, actor=None)
    referral_id, member_ids = referral.id, [m.id for m in members]
    db.session.commit()
    db.session.close()  # hold no connection (nor SQLite's write lock) while the threads race
    results = race(app, [(lambda m=m: (db.session.get(Talent, m),),
                          lambda talent: offers.accept(referral_id, talent=talent, actor=None))
                         for m in member_ids])
    assert results.count("won") == 1 and results.count("taken") == len(member_ids) - 1
    db.session.expire_all()
    assert db.session.get(Case, db.session.get(Referral, referral_id).case_id).status == CaseStatus.in_progress
