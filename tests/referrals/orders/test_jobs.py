"""Order clocks: reminders, overdue and escalation each fire once, also with two runs interleaved."""
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import Notification, Role
from desk.scheduler import JOBS, run_job
from referrals.orders import jobs as order_jobs, services as orders
from referrals.orders.models import DispatchOrder
from tests.factories import make_case, make_user

MON = datetime(2026, 11, 23, 2, 0)      # Monday 10:00 in China; sign due Tuesday 02:00, feedback due Wed 16:00 UTC


@pytest.fixture
def setup(world):
    class S:
        commander = make_user(world, Role.commander, unit=world.town)
        officer = make_user(world, Role.department_officer, department=world.department)
        officer2 = make_user(world, Role.department_officer, department=world.department)
        housing = make_user(world, Role.department_officer, department=world.other_department)
        county_commander = make_user(world, Role.commander, unit=world.county)
        official = make_user(world, Role.official, unit=world.county)
        far_official = make_user(world, Role.official, unit=world.other_county)
    S.order = orders.issue_dispatch_order(make_case(world), actor=S.commander, department_id=world.department.id,
                                          instructions="核查", deadline_days=2, now=MON)
    db.session.commit()
    return S


def _kinds(user_id=None, kind=None):
    stmt = sa.select(Notification.kind, Notification.user_id).where(Notification.kind.like("order_%"),
                                                                     Notification.kind != "order_issued")
    if user_id is not None:
        stmt = stmt.where(Notification.user_id == user_id)
    if kind is not None:
        stmt = stmt.where(Notification.kind == kind)
    return sorted(db.session.execute(stmt).all())


def _run(now):
    fired = order_jobs.run_order_clocks(now)
    db.session.commit()
    return fired


def test_sign_reminder_fires_once_before_the_deadline(setup):
    assert _run(MON + timedelta(hours=19)) == 0                       # 5 hours left: too early (4-hour notice)
    assert _run(MON + timedelta(hours=21)) == 1
    assert _run(MON + timedelta(hours=22)) == 0
    assert _kinds() == sorted([("order_sign_due", setup.officer.id), ("order_sign_due", setup.officer2.id)])
    assert db.session.get(DispatchOrder, setup.order.id).sign_reminded_at == MON + timedelta(hours=21)


def test_feedback_reminder_fires_once_and_not_after_the_report(setup, world):
    orders.sign_order(setup.order, actor=setup.officer, now=MON + timedelta(hours=1))
    db.session.commit()
    due = setup.order.feedback_due_at
    assert _run(due - timedelta(hours=3)) == 1
    assert _run(due - timedelta(hours=2)) == 0
    assert _kinds(kind="order_feedback_due") == sorted([("order_feedback_due", setup.officer.id),
                                                        ("order_feedback_due", setup.officer2.id)])
    reported = orders.issue_dispatch_order(make_case(world), actor=setup.commander, department_id=world.department.id,
                                           instructions="核查", deadline_days=2, now=MON)
    orders.sign_order(reported, actor=setup.officer, now=MON)
    orders.start_order(reported, actor=setup.officer)
    orders.report_order(reported, actor=setup.officer, text="已处理", staff_visits=1, now=MON)
    db.session.commit()
    assert order_jobs.due_events("feedback_reminder", due - timedelta(hours=1)) == []


def test_overdue_and_escalations_fire_once_each(setup):
    order_id, due = setup.order.id, setup.order.sign_due_at
    # not signed by its sign-for deadline: overdue at once, head after 24 h, county after 72 h
    assert _run(due + timedelta(minutes=5)) == 1
    assert _kinds(kind="order_overdue") == sorted([("order_overdue", setup.commander.id),
                                                   ("order_overdue", setup.officer.id),
                                                   ("order_overdue", setup.officer2.id)])
    assert _run(due + timedelta(hours=23)) == 0
    assert _run(due + timedelta(hours=25)) == 1                        # head escalation
    assert _run(due + timedelta(hours=26)) == 0
    assert _kinds(kind="order_escalated") == sorted([("order_escalated", setup.officer.id),
                                                     ("order_escalated", setup.officer2.id)])
    assert _run(due + timedelta(hours=80)) == 1                        # county escalation
    assert _run(due + timedelta(hours=90)) == 0
    county = [u for k, u in _kinds(kind="order_escalated") if u not in (setup.officer.id, setup.officer2.id)]
    assert sorted(county) == sorted([setup.county_commander.id, setup.official.id])   # not the town, not 开平
    order = db.session.get(DispatchOrder, order_id)
    assert order.overdue_at == due + timedelta(minutes=5)
    assert order.escalated_head_at == due + timedelta(hours=25)
    assert order.escalated_county_at == due + timedelta(hours=80)
    assert _kinds(user_id=setup.housing.id) == [] and _kinds(user_id=setup.far_official.id) == []


def test_two_interleaved_runs_fire_each_event_once(setup):
    now = setup.order.sign_due_at + timedelta(hours=100)
    # process A finds the due events, process B runs the whole job, then A tries to fire what it found
    found = order_jobs.due_events("overdue", now)
    assert found == [setup.order.id]
    assert _run(now) == 1                      # B: overdue (escalations need the delay from overdue_at)
    assert [order_jobs.fire("overdue", i, now) for i in found] == [False]
    later = now + timedelta(hours=100)
    found_head = order_jobs.due_events("escalate_head", later)
    found_county = order_jobs.due_events("escalate_county", later)
    assert _run(later) == 2
    assert order_jobs.fire("escalate_head", found_head[0], later) is False
    assert order_jobs.fire("escalate_county", found_county[0], later) is False
    db.session.commit()
    counts = db.session.execute(sa.select(Notification.kind, sa.func.count()).where(
        Notification.kind.in_(["order_overdue", "order_escalated"])).group_by(Notification.kind)).all()
    assert dict(counts) == {"order_overdue": 3, "order_escalated": 4}


def test_a_signed_order_in_time_is_not_escalated(setup):
    orders.sign_order(setup.order, actor=setup.officer, now=MON + timedelta(hours=2))
    db.session.commit()
    assert _run(setup.order.sign_due_at + timedelta(hours=35)) == 1   # only the feedback reminder is due
    assert _kinds(kind="order_overdue") == []


def test_the_scheduled_job_is_registered_and_runs_under_its_lease(setup, app):
    assert "order_clocks" in JOBS
    run = run_job("order_clocks", now=setup.order.sign_due_at + timedelta(minutes=1))
    assert run.ok and run.count == 1
    assert run_job("order_clocks", now=setup.order.sign_due_at + timedelta(minutes=2)).count == 0
