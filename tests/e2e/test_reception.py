"""Reception journeys in Chromium: a first-time visitor by keyboard, a returning visitor, a group refused."""
import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in, save_screenshot
from tests.factories import valid_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def _fill_visitor(page, id_number, name, phone, title):
    page.focus("#id_number")
    page.keyboard.type(id_number)
    page.keyboard.press("Tab")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(phone)
    page.fill("#title", title)
    page.fill("#facts", "本人在建筑工地务工，包工头拖欠工资共计3.6万元，多次讨要未果。")
    page.fill("#demand", "请求协调支付拖欠工资")


def test_first_time_visitor_by_keyboard_then_acceptance_notice(live_server, page, artifacts_dir, tmp_path):
    log_in(page, live_server.url, "reception")
    assert page.locator("h1").first.inner_text() == "来访接待登记"
    page.screenshot(path=str(artifacts_dir / "reception-desk.png"), full_page=True)
    save_screenshot(page, "reception-desk")
    number = valid_id_number(birth="19760515")
    _fill_visitor(page, number, "甄志明", "13923456789", "拖欠工资")
    page.select_option("#category_id", label="劳动社保 › 拖欠工资")
    page.focus("#title")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a text field submits: no mouse needed
    assert page.get_by_test_id("registered").is_visible()
    reference = page.get_by_test_id("reference").inner_text()
    assert reference.startswith("TS-2026-")
    assert page.get_by_test_id("ticket").inner_text()[1] == "-"
    page.click("text=打开案件")
    with page.expect_navigation():
        page.get_by_test_id("action-accept").locator("button").click()
    assert page.get_by_test_id("case-status").inner_text() == "已受理"
    href = page.get_by_test_id("doc-acceptance").get_attribute("href")
    pdf = page.request.get(live_server.url + href)
    assert pdf.headers["content-type"] == "application/pdf"
    path = tmp_path / "acceptance.pdf"
    path.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert reference in text and "甄志明" in text and "受理告知书" in text


def test_returning_visitor_same_matter_is_flagged_and_linked(live_server, page):
    log_in(page, live_server.url, "reception")
    number = valid_id_number(birth="19690220")
    _fill_visitor(page, number, "司徒伟", "13811112222", "拖欠工资")
    page.select_option("#category_id", label="劳动社保 › 拖欠工资")
    with page.expect_navigation():
        page.click("button.primary[value=save]")
    first_reference = page.get_by_test_id("reference").inner_text()
    page.goto(live_server.url + "/intake/")
    _fill_visitor(page, number, "司徒伟", "13811112222", "还是拖欠工资")
    page.select_option("#category_id", label="劳动社保 › 拖欠工资")
    page.locator("#id_number").dispatch_event("change")
    candidate = page.get_by_test_id("candidate").first
    # The look-up runs again as each field changes; wait for the one that has seen the category too.
    expect(candidate).to_contain_text("可能是同一事项", timeout=10000)
    assert first_reference in candidate.inner_text()
    candidate.locator("input[type=radio]").check()
    with page.expect_navigation():
        page.click("button.primary[value=save]")
    assert page.get_by_test_id("reference").inner_text() == first_reference
    assert page.get_by_test_id("repeat").inner_text().startswith("是")


def test_group_of_seven_with_six_representatives_is_refused_and_keeps_input(live_server, page, artifacts_dir):
    log_in(page, live_server.url, "reception")
    _fill_visitor(page, valid_id_number(birth="19820909"), "梁家辉", "13600001234", "集体讨薪")
    page.fill("#head_count", "7")
    for i in range(6):
        page.fill(f"#representatives-{i}-name", f"代表{i + 1}")
    with page.expect_navigation():
        page.click("button.primary[value=save]")
    error = page.locator("#field-representatives .error")
    assert "最多推选5名代表" in error.inner_text()
    assert page.input_value("#representatives-5-name") == "代表6"
    assert page.input_value("#title") == "集体讨薪" and page.input_value("#name") == "梁家辉"
    page.screenshot(path=str(artifacts_dir / "reception-group-refused.png"), full_page=True)
