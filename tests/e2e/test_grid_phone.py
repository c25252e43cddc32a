"""The demo grid member reports an event from a phone (390 px) with a photo; the town's commander dispatches it
to 人社局 (a case and a dispatch order); the officer reports back on the order from a phone, the commander
verifies the order and closes the event; the member rates it."""
import pytest
import sqlalchemy as sa

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def _status(app, number: str) -> str:
    from desk.extensions import db
    from intake.grid.models import GridEvent
    with app.app_context():
        return db.session.scalar(sa.select(GridEvent.status).where(GridEvent.number == number)).value


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"


def test_report_dispatch_handle_close_rate(live_server, browser, phone, artifacts_dir, tmp_path):
    base = live_server.url
    log_in(phone, base, "grid")
    assert phone.url.endswith("/intake/grid/events")
    with phone.expect_navigation():
        phone.locator("[data-testid=report-event]").tap()
    phone.select_option("#kind", "safety")
    phone.select_option("#grid_id", index=1)
    phone.select_option("#category_id", index=1)
    phone.fill("#description", "浏览器测试：出租屋楼道堆放电动车充电，存在消防隐患")
    photo = tmp_path / "hazard.png"
    photo.write_bytes(PNG)
    phone.set_input_files("#photos", str(photo))
    _no_sideways_scroll(phone)
    with phone.expect_navigation():
        phone.locator("[data-testid=submit-event]").tap()
    number = phone.locator("[data-testid=event-number]").inner_text()
    assert number.startswith("TS-WG-") and phone.locator("[data-testid=event-photo]").count() == 1
    event_url = phone.url
    _no_sideways_scroll(phone)
    phone.screenshot(path=str(artifacts_dir / "grid-event-phone.png"), full_page=True)

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    commander = desk.new_page()
    log_in(commander, base, "commander")
    commander.goto(event_url)
    form = commander.locator("[data-testid=action-dispatch]")
    form.locator("input[name=target][value=department]").check()
    form.locator("#department_id").select_option(label="人力资源和社会保障局")
    form.locator("#instructions").fill("浏览器测试：核查并督促整改")
    with commander.expect_navigation():
        form.locator("[data-testid=do-dispatch]").click()
    assert _status(live_server.app, number) == "dispatched"
    order_url = base + commander.locator("[data-testid=event-order]").get_attribute("href")

    officer_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      device_scale_factor=2, locale="zh-CN")
    officer = officer_ctx.new_page()
    log_in(officer, base, "officer")
    for action in ("sign", "start"):
        officer.goto(order_url)
        with officer.expect_navigation():
            officer.locator(f"[data-testid=do-{action}]").tap()
    officer.goto(order_url)
    officer.fill("#text", "已责令房东清理楼道，电动车改到集中充电点")
    officer.fill("#staff_visits", "2")
    with officer.expect_navigation():
        officer.locator("[data-testid=do-report]").tap()
    officer_ctx.close()

    commander.goto(order_url)
    for name, value in (("rating_speed", "5"), ("rating_handling", "5"), ("rating_result", "4")):
        commander.select_option(f"#{name}", value)
    with commander.expect_navigation():
        commander.click("[data-testid=do-verify]")
    commander.goto(event_url)
    with commander.expect_navigation():
        commander.locator("[data-testid=do-close]").click()
    assert _status(live_server.app, number) == "closed"
    assert "电动车改到集中充电点" in commander.locator("[data-testid=event-result]").inner_text()
    desk.close()

    phone.goto(event_url)
    rate = phone.locator("[data-testid=action-rate]")
    rate.locator("input[name=rating][value=satisfied]").check()
    with phone.expect_navigation():
        rate.locator("[data-testid=do-rate]").tap()
    assert _status(live_server.app, number) == "rated"
    assert phone.locator("[data-testid=event-rating]").count() == 1
    _no_sideways_scroll(phone)
