"""Outreach assignments: the state machine, one winner under real concurrency, declines, cancel and
reschedule (audited, the members told), check-in and the day-before reminder."""
from datetime import date, datetime, time

import pytest
import sqlalchemy as sa

from desk.audit import timeline
from desk.errors import Conflict, DomainError, IllegalTransition
from desk.extensions import db
from desk.models import Notification
from desk.timeutil import freeze
from outreach.assignments import services as assignments
from outreach.assignments.jobs import outreach_reminders
from outreach.assignments.machines import (ASSIGNMENT_MACHINE, ASSIGNMENT_TRANSITIONS, REQUEST_MACHINE,
                                           REQUEST_TRANSITIONS)
from outreach.assignments.matching import rank_talent_for_request
from outreach.assignments.models import (AssignmentStatus as A, OutreachAssignment, OutreachRequest,
                                         RequestStatus as RS, ServiceKind)
from referrals.talent.models import Talent
from tests.concurrency import race
from tests.outreach.helpers import DAY, make_member, make_request


def _notices(user_id, kind=None):
    query = sa.select(Notification).where(Notification.user_id == user_id)
    if kind:
        query = query.where(Notification.kind == kind)
    return list(db.session.scalars(query))


@pytest.mark.parametrize("src,dst", [(s, d) for s in A for d in A if d not in ASSIGNMENT_TRANSITIONS[s]])
def test_illegal_assignment_moves_are_refused(world, staff, src, dst):
    request = make_request(world, staff)
    [assignment] = assignments.offer(request, [make_member(world)], actor=staff)
    assignment.status = src
    with pytest.raises(IllegalTransition):
        ASSIGNMENT_MACHINE.move(assignment, dst, actor=staff)
    assert assignment.status == src


@pytest.mark.parametrize("src,dst", [(s, d) for s in RS for d in RS if d not in REQUEST_TRANSITIONS[s]])
def test_illegal_request_moves_are_refused(world, staff, src, dst):
    request = make_request(world, staff)
    request.status = src
    with pytest.raises(IllegalTransition):
        REQUEST_MACHINE.move(request, dst, actor=staff)


def test_request_validation(world, staff):
    with pytest.raises(DomainError) as err:
        make_request(world, staff, start=time(11, 0), end=time(9, 0))
    assert err.value.field == "end_time"
    with pytest.raises(DomainError) as err:
        assignments.create_request(actor=staff, unit=world.village, site=None, kind=ServiceKind.legal,
                                   on_date=date(2026, 11, 1), start_time=time(9), end_time=time(10),
                                   expected_people=5, today=DAY)
    assert err.value.field == "on_date"


def test_ranking_fits_the_service_and_shows_components(world, staff):
    lawyer = make_member(world, "律师乙", role="lawyer", unit=world.village, languages="cantonese")
    mediator = make_member(world, "调解员甲", role="mediator")
    far = make_talent_in_other_county(world)
    request = make_request(world, staff, kind=ServiceKind.legal)
    ranking = rank_talent_for_request(request)
    names = [c.talent.name for c in ranking.ranked]
    assert names == ["律师乙"]  # mediator's role does not fit legal advice; the other county is not asked
    top = ranking.ranked[0]
    assert top.components == {"role": 1.0, "duty": 1.0, "language": 1.0, "load": 1.0, "distance": 1.0}
    assert top.score == pytest.approx(1.0)
    ranked_ids = [c.talent.id for c in ranking.ranked]
    assert mediator.id not in ranked_ids and far.id not in ranked_ids
    assignments.offer(request, [lawyer], actor=staff)
    assert rank_talent_for_request(request).ranked == [] and rank_talent_for_request(request).excluded["asked"] == 1


def make_talent_in_other_county(world):
    return make_member(world, "外县律师", role="lawyer", unit=world.far_village)


def test_offer_to_several_first_accept_wins_and_the_rest_are_told(world, staff, clock):
    members = [make_member(world, f"调解员{i}") for i in range(3)]
    request = make_request(world, staff)
    offered = assignments.offer(request, members, actor=staff)
    assert all(_notices(m.user_id, "offer") for m in members)
    assignments.accept(offered[1].id, talent=members[1], actor=members[1].user)
    db.session.refresh(request)
    assert request.status == RS.assigned and request.talent_id == members[1].id
    assert [a.status for a in request.assignments] == [A.expired, A.accepted, A.expired]
    for loser in (members[0], members[2]):
        assert len(_notices(loser.user_id, "offer_taken")) == 1
    assert _notices(staff.id, "outreach_changed")
    with pytest.raises(Conflict):
        assignments.accept(offered[0].id, talent=members[0], actor=members[0].user)
    with pytest.raises(DomainError):  # the same member cannot be asked twice
        assignments.offer(request, [members[0]], actor=staff)
    assert [e.action for e in timeline("outreach_request", request.id)] == ["create", "assign"]


def test_accept_only_by_the_member_addressed(world, staff):
    first, other = make_member(world, "甲"), make_member(world, "乙")
    [assignment] = assignments.offer(make_request(world, staff), [first], actor=staff)
    with pytest.raises(Conflict):
        assignments.accept(assignment.id, talent=other, actor=other.user)


def test_concurrent_accepts_have_exactly_one_winner(app, world, staff):
    members = [make_member(world, f"值班{i}") for i in range(10)]
    request = make_request(world, staff)
    offered = assignments.offer(request, members, actor=staff)
    pairs = [(a.id, m.id) for a, m in zip(offered, members)]
    request_id = request.id
    db.session.commit()
    db.session.close()  # hold no connection (nor SQLite's write lock) while the threads race
    results = race(app, [(lambda m=m: (db.session.get(Talent, m),),
                          lambda talent, a=a: assignments.accept(a, talent=talent, actor=None))
                         for a, m in pairs])
    assert results.count("won") == 1 and results.count("taken") == len(pairs) - 1
    db.session.expire_all()
    statuses = db.session.scalars(sa.select(OutreachAssignment.status)
                                  .where(OutreachAssignment.request_id == request_id)).all()
    assert statuses.count(A.accepted) == 1 and statuses.count(A.expired) == len(pairs) - 1
    assert db.session.get(OutreachRequest, request_id).status == RS.assigned


def test_decline_needs_a_reason_and_tells_the_requester(world, staff):
    member = make_member(world)
    [assignment] = assignments.offer(make_request(world, staff), [member], actor=staff)
    with pytest.raises(DomainError) as err:
        assignments.decline(assignment, talent=member, actor=member.user, reason="  ")
    assert err.value.field == "reason" and assignment.status == A.offered
    assignments.decline(assignment, talent=member, actor=member.user, reason="当天开庭")
    assert assignment.status == A.declined and assignment.decline_reason == "当天开庭"
    assert "当天开庭" in _notices(staff.id, "outreach_changed")[0].params["what"]


def test_cancel_is_audited_and_tells_the_assignee(world, staff, clock):
    member = make_member(world)
    request = make_request(world, staff)
    [assignment] = assignments.offer(request, [member], actor=staff)
    assignments.accept(assignment.id, talent=member, actor=member.user)
    db.session.refresh(request)
    with pytest.raises(DomainError):
        assignments.cancel_request(request, actor=staff, reason="")
    assignments.cancel_request(request, actor=staff, reason="台风停课")
    assert request.status == RS.cancelled and assignment.status == A.cancelled
    changed = _notices(member.user_id, "outreach_changed")
    assert len(changed) == 1 and "台风停课" in changed[0].params["what"]
    cancel = [e for e in timeline("outreach_request", request.id) if e.action == "cancel"]
    assert cancel and cancel[0].reason == "台风停课" and cancel[0].actor_id == staff.id
    assert [e.action for e in timeline("outreach_assignment", assignment.id)][-1] == "cancel"


def test_reschedule_is_audited_and_tells_the_assignee(world, staff, clock):
    member = make_member(world)
    request = make_request(world, staff)
    [assignment] = assignments.offer(request, [member], actor=staff)
    assignments.accept(assignment.id, talent=member, actor=member.user)
    db.session.refresh(request)
    with pytest.raises(DomainError) as err:
        assignments.reschedule(request, actor=staff, on_date=date(2026, 11, 27), start_time=time(15),
                               end_time=time(14), reason="改期", today=DAY)
    assert err.value.field == "end_time"
    assignments.reschedule(request, actor=staff, on_date=date(2026, 11, 27), start_time=time(14),
                           end_time=time(16), reason="村委会改期", today=DAY)
    assert request.on_date == date(2026, 11, 27) and request.status == RS.assigned
    entry = [e for e in timeline("outreach_request", request.id) if e.action == "reschedule"][0]
    assert entry.detail == {"from": "2026-11-25 09:00-11:30", "to": "2026-11-27 14:00-16:00"}
    assert entry.reason == "村委会改期"
    changed = _notices(member.user_id, "outreach_changed")
    assert len(changed) == 1 and "2026-11-27 14:00-16:00" in changed[0].params["what"]


def test_withdraw_reopens_the_request(world, staff, clock):
    member, other = make_member(world, "甲"), make_member(world, "乙")
    request = make_request(world, staff)
    [assignment] = assignments.offer(request, [member], actor=staff)
    assignments.accept(assignment.id, talent=member, actor=member.user)
    db.session.refresh(request)
    assignments.withdraw_assignee(request, actor=staff, reason="另有安排")
    assert request.status == RS.open and request.talent_id is None and assignment.status == A.cancelled
    assert _notices(member.user_id, "outreach_changed")
    assignments.offer(request, [other], actor=staff)


def test_check_in_only_on_the_day_then_out(world, staff):
    member = make_member(world)
    request = make_request(world, staff, on_date=date(2026, 11, 26))
    [assignment] = assignments.offer(request, [member], actor=staff)
    with pytest.raises(IllegalTransition):  # offered, not accepted
        assignments.check_in(assignment, actor=member.user, now=datetime(2026, 11, 26, 1, 0))
    assignments.accept(assignment.id, talent=member, actor=member.user)
    db.session.refresh(assignment)
    with pytest.raises(DomainError):
        assignments.check_in(assignment, actor=member.user, now=datetime(2026, 11, 25, 1, 0))
    with pytest.raises(DomainError):
        assignments.check_out(assignment, actor=member.user)
    assignments.check_in(assignment, actor=member.user, now=datetime(2026, 11, 26, 1, 0))
    assert assignment.status == A.in_progress and assignment.checked_in_at == datetime(2026, 11, 26, 1, 0)
    assignments.check_out(assignment, actor=member.user, now=datetime(2026, 11, 26, 4, 0))
    assert assignment.checked_out_at == datetime(2026, 11, 26, 4, 0)
    with pytest.raises(DomainError):
        assignments.check_out(assignment, actor=member.user)


def test_reminder_fires_once_the_day_before_and_again_after_a_reschedule(world, staff):
    member, unanswered = make_member(world, "甲"), make_member(world, "乙")
    request = make_request(world, staff, on_date=date(2026, 11, 26))
    offered = assignments.offer(request, [member], actor=staff)
    other_request = make_request(world, staff, on_date=date(2026, 11, 26))
    assignments.offer(other_request, [unanswered], actor=staff)  # not accepted: no reminder
    assignments.accept(offered[0].id, talent=member, actor=member.user)
    evening_before = datetime(2026, 11, 25, 10, 0)  # 18:00 in China
    assert outreach_reminders(datetime(2026, 11, 24, 10, 0)) == 0  # two days before: nothing yet
    assert outreach_reminders(evening_before) == 1
    assert outreach_reminders(evening_before) == 0
    assert len(_notices(member.user_id, "outreach_reminder")) == 1
    assert _notices(unanswered.user_id, "outreach_reminder") == []
    db.session.refresh(request)
    assignments.reschedule(request, actor=staff, on_date=date(2026, 11, 28), start_time=time(9),
                           end_time=time(10), reason="改期", today=date(2026, 11, 25))
    assert outreach_reminders(datetime(2026, 11, 27, 10, 0)) == 1
    assert len(_notices(member.user_id, "outreach_reminder")) == 2


def test_the_job_runs_through_the_scheduler(app, world, staff):
    from desk.scheduler import JOBS, run_job
    assert {"outreach_reminders", "judicial_confirmation_reminders"} <= set(JOBS)
    db.session.commit()
    freeze(datetime(2026, 11, 25, 10, 0))
    try:
        assert run_job("outreach_reminders").ok
    finally:
        freeze(None)


def test_unanswered_offers_expire_after_the_day(world, staff):
    from outreach.assignments.jobs import outreach_offer_expiry
    member, holder = make_member(world, "甲"), make_member(world, "乙")
    request = make_request(world, staff, on_date=date(2026, 11, 26))
    [waiting] = assignments.offer(request, [member], actor=staff)
    other = make_request(world, staff, on_date=date(2026, 11, 26))
    [taken] = assignments.offer(other, [holder], actor=staff)
    assignments.accept(taken.id, talent=holder, actor=None)
    db.session.refresh(taken)
    assert outreach_offer_expiry(datetime(2026, 11, 26, 10, 0)) == 0  # the day itself: still open
    assert outreach_offer_expiry(datetime(2026, 11, 27, 1, 0)) == 1
    assert waiting.status == A.expired and taken.status == A.accepted
    assert outreach_offer_expiry(datetime(2026, 11, 27, 2, 0)) == 0
    assert [e.action for e in timeline("outreach_assignment", waiting.id)] == ["offer", "expire"]
