"""The order form's co-handling departments (checkboxes in the page, never the lead department) and the
verification ratings (marked required, the 1–5 scale explained)."""
import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from desk.errors import DomainError
from desk.extensions import db
from desk.models import Role
from referrals.orders import services as orders
from referrals.orders.models import DispatchOrder
from tests.factories import make_case, make_user


@pytest.fixture
def commander(login_as, world):
    client = login_as(Role.commander, unit=world.town)
    client.user.locale = "zh_Hans"
    db.session.commit()
    return client


def _items(page: str) -> dict[int, str]:
    box = re.search(r'<fieldset [^>]*data-testid="co-departments".*?</fieldset>', page, re.S).group(0)
    items = re.finditer(r'<li data-value="(\d+)"[^>]*>.*?</li>', box, re.S)
    return {int(m.group(1)): m.group(0) for m in items}


def test_the_lead_department_is_not_offered_as_a_co_department(world, commander):
    case = make_case(world)
    db.session.commit()
    page = commander.get(f"/referrals/cases/{case.id}/orders/new").get_data(as_text=True)
    items = _items(page)
    assert set(items) == {world.department.id, world.other_department.id}   # this county's, as checkboxes
    assert all('type="checkbox" name="co_department_ids"' in li for li in items.values())
    assert "hidden" in items[world.department.id].split(">")[0]              # the suggested lead: out of view
    assert "hidden" not in items[world.other_department.id].split(">")[0]
    assert "<select multiple" not in page and 'id="co_department_ids"' not in page.split("<fieldset")[0]
    assert "js/order-form.js" in page


def test_a_lead_department_ticked_as_a_co_department_is_refused(world, commander):
    case = make_case(world)
    db.session.commit()
    response = commander.post(f"/referrals/cases/{case.id}/orders/new", data={
        "department_id": str(world.other_department.id),
        "co_department_ids": [str(world.other_department.id), str(world.department.id)],
        "instructions": "请核查欠薪情况并反馈", "deadline_days": "2", "priority": "normal"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "牵头部门不能同时作为协办部门" in page
    assert 'id="co_department_ids-error"' in page and "请核查欠薪情况并反馈" in page
    items = _items(page)                                     # the new lead is the one now out of view
    assert "hidden" in items[world.other_department.id].split(">")[0]
    assert db.session.scalar(sa.select(sa.func.count(DispatchOrder.id))) == 0


def test_the_service_refuses_the_lead_as_a_co_department_too(world):
    commander = make_user(world, Role.commander, unit=world.town)
    with pytest.raises(DomainError) as refused:
        orders.issue_dispatch_order(make_case(world), actor=commander, department_id=world.department.id,
                                    co_department_ids=[world.department.id], instructions="核查", deadline_days=1,
                                    now=datetime(2026, 11, 23, 2, 0))
    assert refused.value.field == "co_department_ids"


def test_the_three_ratings_are_marked_required_with_the_scale(world, commander, login_as):
    order = orders.issue_dispatch_order(make_case(world), actor=commander.user, department_id=world.department.id,
                                        instructions="核查", deadline_days=2, now=datetime(2026, 11, 23, 2, 0))
    officer = make_user(world, Role.department_officer, department=world.department)
    orders.sign_order(order, actor=officer, now=datetime(2026, 11, 23, 3, 0))
    orders.start_order(order, actor=officer)
    orders.report_order(order, actor=officer, text="已处理", staff_visits=1)
    db.session.commit()
    page = commander.get(f"/referrals/orders/{order.id}").get_data(as_text=True)
    verify = re.search(r'<form [^>]*data-testid="action-verify".*?</form>', page, re.S).group(0)
    assert "三项均为必填" in verify and "1 = 很差" in verify and "5 = 很好" in verify
    for name, label in (("rating_speed", "办理速度（必填）"), ("rating_handling", "办理态度（必填）"),
                        ("rating_result", "办理结果（必填）")):
        select = re.search(r'<select [^>]*name="%s"[^>]*>' % name, verify).group(0)
        assert "required" in select and 'aria-describedby="verify-scale"' in select
        assert label in verify
    assert '<option value="1">1 · 很差</option>' in verify and '<option value="5">5 · 很好</option>' in verify
