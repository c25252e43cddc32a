"""A callback's rating feeds the matching's "past satisfaction" of every member who handled the matter,
once per callback (DOMAIN.md: satisfied + basically satisfied count as satisfied)."""
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from desk import cases
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Outcome
from desk.timeutil import freeze
from outreach.mediation.models import Mediation, MediationStatus
from referrals.offers import services as offers
from referrals.offers.models import Referral, ReferralStatus
from referrals.talent import matching
from referrals.talent.models import TalentCategoryStat
from reports.callbacks import services as callbacks
from reports.callbacks.models import Callback
from tests.factories import make_case, make_talent

NOW = datetime(2026, 11, 20, 2, 0)      # 10:00 in China on 20 November


@pytest.fixture(autouse=True)
def clock():
    freeze(NOW)
    yield
    freeze(None)


def stat(member, category) -> tuple[int, int] | None:
    row = db.session.get(TalentCategoryStat, (member.id, category.id), populate_existing=True)
    return (row.rated, row.satisfied) if row else None


def handled_case(world, *, mediator=None, referred=None, other_referrals=()):
    """A case accepted on 1 Nov, mediated and/or referred (checked in), concluded on 10 Nov, callback open."""
    case = make_case(world, received_on=date(2026, 10, 30))
    cases.accept_case(case, actor=None, on=date(2026, 11, 1))
    if referred is not None:
        referral = offers.refer_to_talent(case, referred, actor=None)
        offers.accept(referral.id, talent=referred, actor=None)
        offers.check_in(referral, actor=None)
    for member, status in other_referrals:     # offers never acted on
        referral = Referral(case_id=case.id, offered_to_id=member.id, status=status, offered_at=NOW,
                            expires_at=NOW + timedelta(hours=2),
                            talent_id=member.id if status == ReferralStatus.accepted else None)
        offers._copy_place(referral, case)
        db.session.add(referral)
    if mediator is not None:
        db.session.add(Mediation(case_id=case.id, mediator_id=mediator.id, started_on=date(2026, 11, 3),
                                 status=MediationStatus.agreement, ended_on=date(2026, 11, 8)))
    db.session.flush()
    if case.status.value == "accepted":
        cases.start_work(case, actor=None, reason="调解")
    cases.conclude_case(case, actor=None, outcome=Outcome.support, opinion="支持其合理诉求。", on=date(2026, 11, 10))
    callbacks.open_callbacks_for_concluded(NOW, case_id=case.id)
    db.session.flush()
    return case, db.session.scalar(sa.select(Callback).where(Callback.case_id == case.id))


def test_a_rating_moves_the_mediator_up_the_ranking_and_leaves_others_neutral(world):
    first = make_talent(world, "甲", skills=[world.category])
    second = make_talent(world, "乙", skills=[world.category])
    _case, callback = handled_case(world, mediator=second)
    fresh = make_case(world, title="新的欠薪纠纷")
    before = matching.rank_talent_for_case(fresh).ranked
    assert [r.talent.name for r in before] == ["甲", "乙"]              # a tie, broken by id
    assert [r.components["satisfaction"] for r in before] == [0.5, 0.5]

    callbacks.record_callback(callback, actor=None, rating="satisfied", channel="phone", now=NOW)
    db.session.flush()

    after = matching.rank_talent_for_case(fresh).ranked
    assert [r.talent.name for r in after] == ["乙", "甲"]
    components = {r.talent.name: r.components["satisfaction"] for r in after}
    assert components == {"乙": pytest.approx(2 / 3), "甲": 0.5}     # (1 + 1) / (1 + 2); unrated stays 0.5
    assert stat(second, world.category) == (1, 1) and stat(first, world.category) is None
    assert after[0].score - after[1].score == pytest.approx(matching.WEIGHTS["satisfaction"] * (2 / 3 - 0.5),
                                                             abs=1e-3)


def test_only_members_who_acted_are_rated_and_each_once(world):
    worker = make_talent(world, "办案人", skills=[world.category])
    declined = make_talent(world, "拒绝者", skills=[world.category])
    idle = make_talent(world, "接而未办", skills=[world.category])
    _case, callback = handled_case(world, referred=worker, mediator=worker,          # two parts, one member
                                   other_referrals=[(declined, ReferralStatus.declined),
                                                    (idle, ReferralStatus.accepted)])
    callbacks.record_callback(callback, actor=None, rating="basic", channel="phone", now=NOW)
    db.session.flush()
    assert stat(worker, world.category) == (1, 1)          # basically satisfied counts as satisfied
    assert stat(declined, world.category) is None and stat(idle, world.category) is None


def test_saving_the_rating_again_does_not_count_twice(world):
    member = make_talent(world, "调解员", skills=[world.category])
    case, callback = handled_case(world, mediator=member)
    callbacks.record_callback(callback, actor=None, rating="dissatisfied", channel="phone", comment="补偿太少",
                              now=NOW)
    db.session.commit()
    with pytest.raises(DomainError):
        callbacks.record_callback(callback, actor=None, rating="satisfied", channel="sms", now=NOW)
    db.session.rollback()
    with pytest.raises(DomainError):
        callbacks.rate_by_tracking_code(case.tracking_code, rating="satisfied", now=NOW)
    db.session.rollback()
    assert stat(member, world.category) == (1, 0)
    fresh = make_case(world, title="新的欠薪纠纷")
    ranked = matching.rank_talent_for_case(fresh).ranked[0]
    assert ranked.components["satisfaction"] == pytest.approx(1 / 3)


def test_the_citizens_own_rating_counts_too(world):
    member = make_talent(world, "调解员", skills=[world.category])
    case, _callback = handled_case(world, referred=member)
    callbacks.rate_by_tracking_code(case.tracking_code, rating="satisfied", now=NOW)
    db.session.flush()
    assert stat(member, world.category) == (1, 1)


def test_a_second_member_counted_at_once_does_not_lose_the_first(world):
    member = make_talent(world, "调解员", skills=[world.category])
    matching.record_talent_rating(member.id, world.category.id, True)
    matching.record_talent_rating(member.id, world.category.id, False)
    matching.record_talent_rating(member.id, world.category.id, True)
    assert stat(member, world.category) == (3, 2)
