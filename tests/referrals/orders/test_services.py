"""Dispatch orders: the full loop under a controlled clock, the state machine, who sees what, the sheet."""
import subprocess
from datetime import date, datetime, timedelta

import pytest

from desk.audit import timeline
from desk.errors import DomainError, IllegalTransition, NotAllowed
from desk.extensions import db
from desk.models import Role
from referrals.orders import services as orders
from referrals.orders.models import DispatchOrder, OrderPriority, OrderStatus as S
from tests.factories import make_case, make_user

MON = datetime(2026, 11, 23, 2, 0)      # Monday 23 November 2026, 10:00 in China
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def people(world):
    class People:
        commander = make_user(world, Role.commander, unit=world.town)
        officer = make_user(world, Role.department_officer, department=world.department)
        housing = make_user(world, Role.department_officer, department=world.other_department)
    db.session.commit()
    return People


def _issue(world, people, days=2, at=MON, co=()):
    return orders.issue_dispatch_order(make_case(world), actor=people.commander, department_id=world.department.id,
                                       co_department_ids=co, instructions="核实欠薪情况，督促企业支付工资",
                                       deadline_days=days, priority=OrderPriority.urgent, now=at)


def test_full_cycle_with_one_return_and_a_late_feedback(world, people, tmp_path):
    order = _issue(world, people, days=2)
    assert order.number == f"TS-ZL-2026-{1:04d}"
    assert order.sign_due_at == MON + timedelta(hours=24)
    # two working days after Monday: Wednesday 25 November, through the end of that day in China
    assert order.feedback_due_on == date(2026, 11, 25)
    assert order.feedback_due_at == datetime(2026, 11, 25, 16, 0)
    orders.sign_order(order, actor=people.officer, now=MON + timedelta(hours=3))
    orders.start_order(order, actor=people.officer)
    late = datetime(2026, 11, 26, 1, 0)  # Thursday morning: a day late
    assert orders.is_overdue(order, late)
    orders.report_order(order, actor=people.officer, text="已约谈企业负责人", staff_visits=2,
                        photos=[("site.png", PNG)], folder=str(tmp_path), now=late)
    assert order.status == S.reported and order.reported_at == late and order.reported_at > order.feedback_due_at
    assert not orders.is_overdue(order, late + timedelta(days=1))
    orders.return_order(order, actor=people.commander, reason="未附工资发放凭证")
    assert order.status == S.in_progress and order.returned_count == 1
    orders.report_order(order, actor=people.officer, text="工资已发放，附凭证", staff_visits=3,
                        now=late + timedelta(days=1))
    assert order.reported_at == late                     # the feedback clock stopped at the first report
    assert order.staff_visits == 5 and len(order.reports) == 2
    assert order.reports[0].evidence[0].mime == "image/png"
    orders.verify_order(order, actor=people.commander, now=late + timedelta(days=2),
                        ratings={"speed": 3, "handling": 4, "result": 5})
    assert order.status == S.verified and order.rating_average == pytest.approx(4.0)
    db.session.commit()
    history = timeline("dispatch_order", order.id)
    assert [e.action for e in history] == ["issue", "sign", "start", "report", "return", "report", "verify", "rate"]
    assert history[4].reason == "未附工资发放凭证" and history[4].from_state == "reported"
    assert history[3].detail["late"] is True


def test_same_day_and_calendar_aware_deadlines(world, people):
    friday = datetime(2026, 11, 27, 2, 0)
    same_day = _issue(world, people, days=0, at=friday)
    assert same_day.feedback_due_on == date(2026, 11, 27)
    next_day = _issue(world, people, days=1, at=friday)
    assert next_day.feedback_due_on == date(2026, 11, 30)  # the weekend is not counted
    saturday = _issue(world, people, days=0, at=datetime(2026, 11, 28, 2, 0))
    assert saturday.feedback_due_on == date(2026, 11, 30)  # same day on a rest day: the next working day
    numbers = [same_day.number, next_day.number, saturday.number]
    assert numbers == sorted(set(numbers))


@pytest.mark.parametrize("change,field", [
    ({"instructions": "  "}, "instructions"),
    ({"deadline_days": 11}, "deadline_days"),
    ({"deadline_days": -1}, "deadline_days"),
    ({"department_id": "far"}, "department_id"),
    ({"co_department_ids": ["far"]}, "co_department_ids"),
])
def test_issue_refuses_bad_input_with_the_field(world, people, change, field):
    args = {"actor": people.commander, "department_id": world.department.id, "instructions": "核查",
            "deadline_days": 2, "now": MON}
    args.update(change)
    for key in ("department_id",):
        if args[key] == "far":
            args[key] = world.far_department.id
    if args.get("co_department_ids") == ["far"]:
        args["co_department_ids"] = [world.far_department.id]
    with pytest.raises(DomainError) as err:
        orders.issue_dispatch_order(make_case(world), **args)
    assert err.value.field == field


@pytest.mark.parametrize("src,dst", [(s, d) for s in S for d in S if d not in orders.TRANSITIONS[s]])
def test_illegal_order_moves_are_refused(world, people, src, dst):
    order = _issue(world, people)
    order.status = src
    with pytest.raises(IllegalTransition):
        orders.ORDER_MACHINE.move(order, dst, actor=people.commander)
    assert order.status == src


def test_services_refuse_out_of_turn_actions(world, people, tmp_path):
    with pytest.raises(NotAllowed):   # a commander of another town, and an officer, cannot issue for this case
        orders.issue_dispatch_order(make_case(world), actor=make_user(world, Role.commander, unit=world.other_town),
                                    department_id=world.department.id, instructions="x", deadline_days=1)
    with pytest.raises(NotAllowed):
        orders.issue_dispatch_order(make_case(world), actor=people.officer, department_id=world.department.id,
                                    instructions="x", deadline_days=1)
    order = _issue(world, people)
    with pytest.raises(IllegalTransition):
        orders.report_order(order, actor=people.officer, text="x", staff_visits=1, now=MON)
    with pytest.raises(NotAllowed):
        orders.sign_order(order, actor=people.housing)       # not the lead department
    with pytest.raises(NotAllowed):
        orders.sign_order(order, actor=people.commander)
    orders.sign_order(order, actor=people.officer, now=MON)
    orders.start_order(order, actor=people.officer)
    with pytest.raises(DomainError) as err:
        orders.report_order(order, actor=people.officer, text="x", staff_visits=1, now=MON,
                            photos=[("scan.pdf", b"%PDF-1.4 ...")], folder=str(tmp_path))
    assert err.value.field == "photos" and order.status == S.in_progress
    with pytest.raises(DomainError):
        orders.rate_order(order, actor=people.commander, speed=3, handling=3, result=3)
    orders.report_order(order, actor=people.officer, text="已处理", staff_visits=1, now=MON)
    with pytest.raises(NotAllowed):
        orders.verify_order(order, actor=make_user(world, Role.commander, unit=world.other_town))
    with pytest.raises(DomainError) as err:
        orders.return_order(order, actor=people.commander, reason=" ")
    assert err.value.field == "reason"
    with pytest.raises(DomainError) as err:
        orders.verify_order(order, actor=people.commander, ratings={"speed": 6, "handling": 3, "result": 3})
    assert err.value.field == "rating_speed" and order.status == S.reported


def test_a_rating_is_given_once(world, people):
    """Before the fix a second rating overwrote the first."""
    order = _issue(world, people)
    orders.sign_order(order, actor=people.officer, now=MON)
    orders.start_order(order, actor=people.officer)
    orders.report_order(order, actor=people.officer, text="已处理", staff_visits=1, now=MON)
    orders.verify_order(order, actor=people.commander, ratings={"speed": 4, "handling": 5, "result": 4})
    db.session.commit()
    with pytest.raises(DomainError):
        orders.rate_order(order, actor=people.commander, speed=1, handling=1, result=1)
    db.session.rollback()
    db.session.expire_all()
    assert (order.rating_speed, order.rating_handling, order.rating_result) == (4, 5, 4)
    assert [e.action for e in timeline("dispatch_order", order.id)].count("rate") == 1


def test_an_officer_sees_only_their_departments_orders(world, people, login_as):
    mine = _issue(world, people)
    theirs = orders.issue_dispatch_order(make_case(world), actor=people.commander,
                                         department_id=world.other_department.id, instructions="住建核查",
                                         deadline_days=3, now=MON)
    shared = _issue(world, people, co=[world.other_department.id])
    db.session.commit()
    hrss = login_as(Role.department_officer, department=world.department)
    housing = login_as(Role.department_officer, department=world.other_department)
    inbox = hrss.get("/referrals/orders/inbox").get_data(as_text=True)
    assert mine.number in inbox and shared.number in inbox and theirs.number not in inbox
    assert hrss.get(f"/referrals/orders/{theirs.id}").status_code == 404
    assert hrss.get(f"/referrals/orders/{theirs.id}/sheet.pdf").status_code == 404
    assert hrss.post(f"/referrals/orders/{theirs.id}/sign").status_code == 404
    assert hrss.get(f"/referrals/orders/{mine.id}").status_code == 200
    other = housing.get("/referrals/orders/inbox").get_data(as_text=True)
    assert theirs.number in other and shared.number in other and mine.number not in other
    page = housing.get(f"/referrals/orders/{shared.id}")
    assert page.status_code == 200 and 'data-testid="do-sign"' not in page.get_data(as_text=True)
    assert housing.post(f"/referrals/orders/{shared.id}/sign").status_code == 302   # refused with a message
    assert db.session.get(DispatchOrder, shared.id).status == S.issued
    far = login_as(Role.department_officer, unit=world.other_county, department=world.far_department)
    assert mine.number not in far.get("/referrals/orders/inbox").get_data(as_text=True)


def test_order_sheet_pdf_has_the_order_and_an_embedded_cjk_font(world, people, login_as, tmp_path):
    order = _issue(world, people, days=3)
    db.session.commit()
    client = login_as(Role.commander, unit=world.town)
    response = client.get(f"/referrals/orders/{order.id}/sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    path = tmp_path / "sheet.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    squashed = "".join(text.split())
    assert order.number in squashed
    assert "人力资源和社会保障局" in squashed
    assert "核实欠薪情况，督促企业支付工资" in squashed
    assert "2026年11月26日" in squashed          # three working days after Monday 23 November
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)
