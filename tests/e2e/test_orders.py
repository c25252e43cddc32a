"""A commander issues an order from a demo case; the department officer, on a phone, signs for it and
reports back with a photo; the commander verifies and rates it."""
import pytest
import sqlalchemy as sa

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def _open_case_in_commanders_town(app) -> int:
    from desk.extensions import db
    from desk.models import OPEN_STATUSES, Case, User
    with app.app_context():
        commander = db.session.scalar(sa.select(User).where(User.username == "commander"))
        return db.session.scalar(sa.select(Case.id).where(Case.town_id == commander.org_unit_id,
                                                          Case.status.in_(OPEN_STATUSES))
                                 .order_by(Case.id).limit(1))


def test_issue_sign_report_verify(live_server, browser, artifacts_dir, tmp_path):
    case_id = _open_case_in_commanders_town(live_server.app)
    assert case_id is not None
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    commander = desk.new_page()
    log_in(commander, live_server.url, "commander")
    commander.goto(f"{live_server.url}/intake/cases/{case_id}")
    with commander.expect_navigation():
        commander.click("[data-testid=issue-order]")
    commander.select_option("#department_id", label="人力资源和社会保障局")
    commander.fill("#instructions", "浏览器测试：核实欠薪情况并督促支付")
    commander.fill("#deadline_days", "2")
    with commander.expect_navigation():
        commander.click("[data-testid=issue]")
    number = commander.locator("[data-testid=order-number]").inner_text()
    assert number.startswith("TS-ZL-")
    assert commander.locator("[data-testid=order-status]").inner_text() == "已发令"
    order_url = commander.url

    phone_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                    device_scale_factor=2, locale="zh-CN")
    phone = phone_ctx.new_page()
    log_in(phone, live_server.url, "officer")
    assert phone.locator("h1").first.inner_text() == "部门收件箱"
    card = phone.locator(f"[data-testid=inbox-order][data-number='{number}']")
    with phone.expect_navigation():
        card.locator("[data-testid=sign]").tap()
    assert "已签收" in phone.locator(".flash").inner_text()
    with phone.expect_navigation():
        card.locator("[data-testid=start]").tap()
    with phone.expect_navigation():
        card.locator("[data-testid=open-report]").tap()
    phone.fill("#text", "已会同镇街现场核查，企业已支付拖欠工资")
    phone.fill("#staff_visits", "3")
    photo = tmp_path / "site.png"
    photo.write_bytes(PNG)
    phone.set_input_files("#photos", str(photo))
    with phone.expect_navigation():
        phone.locator("[data-testid=do-report]").tap()
    assert "已反馈" in phone.locator(".flash").inner_text()
    assert card.locator("[data-testid=order-status]").inner_text() == "已反馈"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    phone.screenshot(path=str(artifacts_dir / "order-inbox-phone.png"), full_page=True)

    commander.goto(order_url)
    assert commander.locator("[data-testid=order-report]").count() == 1
    assert commander.locator("[data-testid=order-staff-visits]").inner_text() == "3"
    assert commander.locator(".order-evidence img").count() == 1
    for name, value in (("rating_speed", "5"), ("rating_handling", "4"), ("rating_result", "5")):
        commander.select_option(f"#{name}", value)
    with commander.expect_navigation():
        commander.click("[data-testid=do-verify]")
    assert commander.locator("[data-testid=order-status]").inner_text() == "已核验办结"
    assert "5" in commander.locator("[data-testid=order-rating]").inner_text()
    commander.screenshot(path=str(artifacts_dir / "order-verified.png"), full_page=True)
    phone_ctx.close()
    desk.close()
