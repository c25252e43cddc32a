"""Grid events: report, dispatch (department through a dispatch order, mediator, town station), handle, close,
rate, become a case; illegal moves refused; scope by grid, town and county."""
from datetime import datetime, timedelta

import pytest

from desk.audit import timeline
from desk.errors import DomainError, IllegalTransition, NotAllowed
from desk.extensions import db
from desk.admin.services import assign_grids
from desk.models import CaseStatus, Channel, Role
from intake.grid import services as grid
from intake.grid.models import DispatchTarget, EventRating, EventStatus as S
from referrals.orders import services as orders
from tests.factories import make_talent, make_user
from tests.intake.grid.helpers import PNG, REPORTED, grid_member, report, second_grid


@pytest.fixture
def people(world):
    member = grid_member(world)
    commander = make_user(world, Role.commander, unit=world.town)
    db.session.commit()
    return member, commander


def test_a_member_reports_an_event_in_their_grid_with_photos_and_location(world, people, tmp_path):
    member, _ = people
    event = report(world, member, photos=[("a.png", PNG)], tmp_path=tmp_path, latitude=22.25, longitude=112.79)
    db.session.commit()
    assert event.status == S.reported and event.grid_id == world.grid.id and event.town_id == world.town.id
    assert event.number.startswith("TS-WG-2026-") and event.latitude == 22.25
    assert [p.mime for p in event.photos] == ["image/png"] and event.photos[0].stage == "report"
    assert [(e.action, e.to_state) for e in timeline("grid_event", event.id)] == [("create", "reported")]


def test_a_member_reports_only_in_their_own_grids(world, people):
    member, _ = people
    other = second_grid(world)
    with pytest.raises(DomainError) as err:
        report(world, member, grid_unit=other)
    assert err.value.field == "grid_id"


@pytest.mark.parametrize("photos, message", [([("a.txt", b"hello, not a picture")], "a.txt"),
                                             ([("scan.pdf", b"%PDF-1.4 a pdf")], "scan.pdf"),
                                             ([(f"{i}.png", PNG) for i in range(7)], "6")])
def test_photos_are_checked_by_content_and_counted(world, people, photos, message):
    member, _ = people
    with pytest.raises(DomainError) as err:
        report(world, member, photos=photos)
    assert err.value.field == "photos" and message in str(err.value.message)


@pytest.mark.parametrize("lat, lng", [(91.0, 112.0), (22.0, 181.0), (22.0, None)])
def test_a_location_out_of_range_or_half_given_is_refused(world, people, lat, lng):
    member, _ = people
    with pytest.raises(DomainError) as err:
        report(world, member, latitude=lat, longitude=lng)
    assert err.value.field == "latitude"


def test_dispatch_to_the_town_station_then_handled_closed_and_rated(world, people, clock, app):
    member, commander = people
    clock(REPORTED)
    event = report(world, member)
    grid.dispatch_event(event, actor=commander, target=DispatchTarget.station, now=REPORTED)
    assert event.status == S.dispatched and event.dispatched_at == REPORTED
    # 7 calendar days from the local dispatch day, to the end of that day (China time)
    assert event.handle_due_at == datetime(2026, 11, 9, 16, 0)
    grid.handle_event(event, actor=commander, result="已调解，双方签字确认", photos=[("done.png", PNG)],
                      now=REPORTED + timedelta(days=2))
    assert event.status == S.handled and event.handled_on_time and event.photos[0].stage == "handling"
    grid.close_event(event, actor=commander, now=REPORTED + timedelta(days=3))
    grid.rate_event(event, actor=member, rating=EventRating.satisfied)
    db.session.commit()
    assert event.status == S.rated and event.rating == EventRating.satisfied
    assert [e.action for e in timeline("grid_event", event.id)] == ["create", "assign", "done", "close", "rate"]
    with pytest.raises(IllegalTransition):   # rated once
        grid.rate_event(event, actor=member, rating=EventRating.dissatisfied)


def test_dispatch_to_a_mediator_who_handles_it(world, people):
    member, commander = people
    mediator_user = make_user(world, Role.talent)
    talent = make_talent(world, user=mediator_user)
    event = report(world, member)
    with pytest.raises(DomainError) as err:
        grid.dispatch_event(event, actor=commander, target=DispatchTarget.mediator, talent_id=talent.id + 999)
    assert err.value.field == "talent_id"
    grid.dispatch_event(event, actor=commander, target=DispatchTarget.mediator, talent_id=talent.id)
    assert event.assignee_id == mediator_user.id and grid.may_see(mediator_user, event)
    other_mediator = make_user(world, Role.talent)
    assert not grid.may_see(other_mediator, event)
    with pytest.raises(NotAllowed):
        grid.handle_event(event, actor=other_mediator, result="x")
    with pytest.raises(DomainError) as err:
        grid.handle_event(event, actor=mediator_user, result="  ")
    assert err.value.field == "result"
    grid.handle_event(event, actor=mediator_user, result="上门调解成功")
    assert event.status == S.handled and event.handled_by_id == mediator_user.id


def test_dispatch_to_a_department_lands_a_case_and_follows_its_order(world, people, clock):
    member, commander = people
    officer = make_user(world, Role.department_officer, department=world.department)
    clock(REPORTED)
    event = report(world, member)
    with pytest.raises(DomainError) as err:
        grid.dispatch_event(event, actor=commander, target=DispatchTarget.department,
                            department_id=world.department.id, instructions="核查", contact_name="")
    assert err.value.field == "contact_name"
    with pytest.raises(DomainError) as err:
        grid.dispatch_event(event, actor=commander, target=DispatchTarget.department,
                            department_id=world.far_department.id, instructions="核查", contact_name="陈大文")
    assert err.value.field == "department_id"
    grid.dispatch_event(event, actor=commander, target=DispatchTarget.department, department_id=world.department.id,
                        instructions="核查工资拖欠", contact_name="陈大文", now=REPORTED)
    db.session.commit()
    order, case = event.order, event.case
    assert event.status == S.dispatched and order.case_id == case.id and case.channel == Channel.grid
    assert case.status == CaseStatus.registered and grid.may_see(officer, event)
    assert not grid.may_see(make_user(world, Role.department_officer, department=world.other_department), event)
    assert grid.follow_order(event) is False   # nothing reported yet
    with pytest.raises(DomainError):
        grid.handle_event(event, actor=officer, result="x")
    orders.sign_order(order, actor=officer, now=REPORTED + timedelta(hours=1))
    orders.start_order(order, actor=officer)
    orders.report_order(order, actor=officer, text="已责令企业补发工资", staff_visits=2,
                        now=REPORTED + timedelta(days=1))
    assert grid.follow_department_orders() == 1
    assert event.status == S.handled and event.handled_at == REPORTED + timedelta(days=1)
    assert event.result == "已责令企业补发工资" and event.handled_by_id == officer.id
    with pytest.raises(DomainError):   # the order is not verified yet
        grid.close_event(event, actor=commander)
    orders.verify_order(order, actor=commander, now=REPORTED + timedelta(days=2))
    grid.close_event(event, actor=commander)
    assert event.status == S.closed and event.closed_at == REPORTED + timedelta(days=2)


def test_an_event_that_is_a_petition_becomes_a_linked_case(world, people):
    member, commander = people
    event = report(world, member)
    with pytest.raises(DomainError) as err:
        grid.convert_event(event, actor=commander, name=" ")
    assert err.value.field == "contact_name"
    grid.convert_event(event, actor=commander, name="李四", phone="13800138000", title="宅基地纠纷")
    db.session.commit()
    assert event.status == S.converted and event.case.title == "宅基地纠纷"
    assert event.case.channel == Channel.grid and event.case.petitioners[0].name == "李四"
    with pytest.raises(DomainError):
        grid.convert_event(event, actor=commander, name="李四")


def test_resolved_on_the_spot_by_the_member(world, people):
    member, commander = people
    event = report(world, member)
    with pytest.raises(NotAllowed):
        grid.resolve_on_the_spot(event, actor=grid_member(world), result="x")
    grid.resolve_on_the_spot(event, actor=member, result="当场劝解，双方和解", now=REPORTED + timedelta(hours=1))
    assert event.status == S.closed and event.closed_at == event.handled_at and event.handled_on_time


@pytest.mark.parametrize("move", ["handle", "close", "rate"])
def test_illegal_moves_from_reported_are_refused(world, people, move):
    member, commander = people
    event = report(world, member)
    with pytest.raises(IllegalTransition):
        if move == "handle":
            event.target = DispatchTarget.station
            grid.handle_event(event, actor=commander, result="x")
        elif move == "close":
            grid.close_event(event, actor=commander)
        else:
            grid.rate_event(event, actor=member, rating=EventRating.basic)
    assert event.status == S.reported


def test_a_closed_event_cannot_be_dispatched_or_converted(world, people):
    member, commander = people
    event = report(world, member)
    grid.resolve_on_the_spot(event, actor=member, result="已处理")
    with pytest.raises(DomainError):
        grid.dispatch_event(event, actor=commander, target=DispatchTarget.station)
    with pytest.raises(DomainError):
        grid.convert_event(event, actor=commander, name="李四")


def test_scope_other_grid_other_town_other_county(world, people):
    member, commander = people
    event = report(world, member)
    db.session.commit()
    other_grid_member = grid_member(world, second_grid(world))
    far_member = make_user(world, Role.grid_member, unit=world.other_county)
    other_commander = make_user(world, Role.commander, unit=world.other_town)
    far_commander = make_user(world, Role.commander, unit=world.far_town)
    county_official = make_user(world, Role.official, unit=world.county)
    assert grid.may_see(member, event) and grid.may_see(commander, event) and grid.may_see(county_official, event)
    for outsider in (other_grid_member, far_member, other_commander, far_commander):
        assert not grid.may_see(outsider, event)
        assert event not in db.session.scalars(db.select(type(event)).where(grid.visible_clause(outsider))).all()
    with pytest.raises(NotAllowed):
        grid.dispatch_event(event, actor=other_commander, target=DispatchTarget.station)
    with pytest.raises(NotAllowed):
        grid.rate_event(event, actor=other_grid_member, rating=EventRating.basic)
    with pytest.raises(NotAllowed):
        grid.report_event(actor=commander, kind="other", grid_id=world.grid.id, category_id=world.category.id,
                          description="x")


def test_a_member_of_the_same_grid_sees_a_colleagues_event(world, people):
    member, _ = people
    colleague = grid_member(world)
    event = report(world, member)
    assert grid.may_see(colleague, event)


def test_an_administrator_assigns_grids_of_the_members_county_only(world):
    member = make_user(world, Role.grid_member, unit=world.town)
    from tests.factories import _unit
    from desk.models import Level
    far_grid = _unit("44078300100101", "东华第1网格", Level.grid, world.far_village)
    with pytest.raises(DomainError) as err:
        assign_grids(member, [world.grid.id, far_grid.id], actor=None)
    assert err.value.field == "grid_ids"
    assign_grids(member, [world.grid.id], actor=None)
    assert [g.id for g in grid.member_grids(member)] == [world.grid.id]
