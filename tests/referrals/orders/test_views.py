"""Order pages over HTTP: issuing from a case, bad input shown next to the field, the loop, measures."""
import io
from datetime import datetime

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import Role
from referrals.orders import services as orders
from referrals.orders.models import DispatchOrder, OrderStatus as S
from tests.factories import make_case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture
def town_commander(login_as, world):
    return login_as(Role.commander, unit=world.town)


def _count():
    return db.session.scalar(sa.select(sa.func.count(DispatchOrder.id)))


def test_case_page_offers_the_order_panel_to_a_commander(world, town_commander):
    case = make_case(world)
    db.session.commit()
    page = town_commander.get(f"/intake/cases/{case.id}").get_data(as_text=True)
    assert 'data-testid="orders-panel"' in page and f"/referrals/cases/{case.id}/orders/new" in page


def test_issue_form_suggests_the_category_department(world, town_commander):
    case = make_case(world)
    db.session.commit()
    page = town_commander.get(f"/referrals/cases/{case.id}/orders/new").get_data(as_text=True)
    assert f'<option selected value="{world.department.id}">' in page or \
        f'value="{world.department.id}" selected' in page
    assert f'<option value="{world.far_department.id}">' not in page          # only this county's departments


@pytest.mark.parametrize("form,field", [
    ({"deadline_days": "abc"}, "deadline_days"),
    ({"deadline_days": "11"}, "deadline_days"),
    ({"instructions": ""}, "instructions"),
    ({"department_id": "far"}, "department_id"),
    ({"department_id": "x"}, "department_id"),
    ({"co_department_ids": "far"}, "co_department_ids"),
    ({"priority": "whenever"}, "priority"),
])
def test_bad_issue_input_shows_errors_and_keeps_the_text(world, town_commander, form, field):
    case = make_case(world)
    db.session.commit()
    data = {"department_id": str(world.department.id), "instructions": "请核查欠薪情况并反馈", "deadline_days": "2",
            "priority": "normal"}
    data.update({k: str(world.far_department.id) if v == "far" else v for k, v in form.items()})
    response = town_commander.post(f"/referrals/cases/{case.id}/orders/new", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'id="field-{field}"' in html and f'{field}-error' in html
    if form.get("instructions", "x"):
        assert "请核查欠薪情况并反馈" in html
    assert _count() == 0


def test_the_loop_over_http(world, town_commander, login_as, tmp_path, app):
    app.instance_path = str(tmp_path)
    case = make_case(world)
    db.session.commit()
    response = town_commander.post(f"/referrals/cases/{case.id}/orders/new", data={
        "department_id": world.department.id, "co_department_ids": [world.other_department.id],
        "instructions": "请核查欠薪情况并反馈", "deadline_days": "3", "priority": "urgent"})
    assert response.status_code == 302
    order = db.session.scalars(sa.select(DispatchOrder)).one()
    assert [d.id for d in order.co_departments] == [world.other_department.id]
    officer = login_as(Role.department_officer, department=world.department)
    assert order.number in officer.get("/referrals/orders/inbox").get_data(as_text=True)
    assert officer.post(f"/referrals/orders/{order.id}/sign").status_code == 302
    assert officer.post(f"/referrals/orders/{order.id}/sign").status_code == 302  # second click: refused, no 500
    assert officer.post(f"/referrals/orders/{order.id}/start").status_code == 302
    bad = officer.post(f"/referrals/orders/{order.id}/report", data={"text": "已处理", "staff_visits": "-2"},
                       content_type="multipart/form-data")
    assert bad.status_code == 400 and "staff_visits-error" in bad.get_data(as_text=True)
    pdf = officer.post(f"/referrals/orders/{order.id}/report", content_type="multipart/form-data", data={
        "text": "已处理，附照片", "staff_visits": "2", "photos": [(io.BytesIO(b"%PDF-1.4 x"), "scan.pdf")]})
    assert pdf.status_code == 400 and "photos-error" in pdf.get_data(as_text=True)
    assert "已处理，附照片" in pdf.get_data(as_text=True)
    assert "请重新选择" in pdf.get_data(as_text=True) and "您填写的内容均已保留" not in pdf.get_data(as_text=True)
    good = officer.post(f"/referrals/orders/{order.id}/report", content_type="multipart/form-data", data={
        "text": "已处理，附照片", "staff_visits": "2", "photos": [(io.BytesIO(PNG), "site.png")]})
    assert good.status_code == 302
    db.session.expire_all()
    order = db.session.get(DispatchOrder, order.id)
    assert order.status == S.reported and order.staff_visits == 2
    evidence = order.reports[0].evidence[0]
    photo = officer.get(f"/referrals/orders/{order.id}/evidence/{evidence.id}")
    assert photo.status_code == 200 and photo.mimetype == "image/png" and photo.data == PNG
    bad_rating = town_commander.post(f"/referrals/orders/{order.id}/verify",
                                     data={"rating_speed": "9", "rating_handling": "4", "rating_result": "4"})
    assert bad_rating.status_code == 400 and "rating_speed-error" in bad_rating.get_data(as_text=True)
    assert town_commander.post(f"/referrals/orders/{order.id}/return", data={"reason": ""}).status_code == 400
    assert town_commander.post(f"/referrals/orders/{order.id}/return",
                               data={"reason": "缺少凭证"}).status_code == 302
    assert officer.post(f"/referrals/orders/{order.id}/report", content_type="multipart/form-data",
                        data={"text": "补充凭证", "staff_visits": "1"}).status_code == 302
    assert town_commander.post(f"/referrals/orders/{order.id}/verify", data={
        "rating_speed": "4", "rating_handling": "5", "rating_result": "5", "note": "核实无误"}).status_code == 302
    db.session.expire_all()
    order = db.session.get(DispatchOrder, order.id)
    assert order.status == S.verified and order.returned_count == 1 and order.rating_handling == 5
    page = town_commander.get(f"/referrals/orders/{order.id}").get_data(as_text=True)
    assert "缺少凭证" in page and 'data-testid="order-rating"' in page


def test_orders_home_and_measures(world, town_commander, login_as):
    commander = town_commander.user
    order = orders.issue_dispatch_order(make_case(world), actor=commander, department_id=world.department.id,
                                        instructions="核查", deadline_days=1, now=datetime(2026, 11, 23, 2, 0))
    db.session.commit()
    home = town_commander.get("/referrals/orders").get_data(as_text=True)
    assert order.number in home
    assert order.number in town_commander.get("/referrals/orders?status=overdue").get_data(as_text=True)
    assert town_commander.get("/referrals/orders?status=nope").status_code == 400
    assert town_commander.get("/referrals/orders?before=x").status_code == 400
    official = login_as(Role.official, unit=world.county)
    page = official.get(f"/referrals/orders/measures?start=2026-11-01&end=2026-11-30&town_id={world.town.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-measure="issued"' in html
    assert f'data-department="{world.department.id}"' in html
    other_town = official.get(f"/referrals/orders/measures?start=2026-11-01&end=2026-11-30"
                              f"&town_id={world.other_town.id}").get_data(as_text=True)
    assert f'data-department="{world.department.id}"' not in other_town
    for query in ("start=garbage&end=2026-13-40", "start=2026-11-30&end=2026-11-01", "town_id=abc",
                  f"town_id={world.far_town.id}"):
        assert official.get(f"/referrals/orders/measures?{query}").status_code in (200, 400), query
    far = official.get(f"/referrals/orders/measures?town_id={world.far_town.id}").get_data(as_text=True)
    assert 'class="error"' in far and world.far_town.name not in far.split('data-testid="order-totals"')[0] \
        .split("</form>")[1]                              # an error, and the official's own county is shown


def test_two_simultaneous_sign_clicks_move_the_order_once(world, town_commander, login_as, app):
    import threading
    order = orders.issue_dispatch_order(make_case(world), actor=town_commander.user,
                                        department_id=world.department.id, instructions="核查", deadline_days=2)
    db.session.commit()
    order_id = order.id
    clients = [login_as(Role.department_officer, department=world.department) for _ in range(2)]
    db.session.remove()   # the threads' sessions must see committed rows only
    barrier, codes = threading.Barrier(2), []

    def click(client):
        barrier.wait()
        codes.append(client.post(f"/referrals/orders/{order_id}/sign").status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [302, 302]
    from desk.audit import timeline
    assert [e.action for e in timeline("dispatch_order", order_id)] == ["issue", "sign"]
