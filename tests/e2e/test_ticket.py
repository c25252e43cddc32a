"""登记并出号 keeps its promise in Chromium: saving a walk-in opens the queue ticket in a new window, which
prints itself; the queue board reprints it; notices open in a new tab; a monthly PDF is followed while it is made, then downloads itself."""
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.factories import valid_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

# Count window.print() calls instead of opening a print dialog (init scripts run in popups of the context too).
COUNT_PRINTS = "window.__prints = 0; window.print = function () { window.__prints += 1; };"
NAME, PHONE = "伍秀英", "13722223333"


def _prints(page, expected: int, timeout_s: float = 10.0) -> int:
    """window.print() calls once there are ``expected`` (wait_for_function would need eval, which the CSP bars)."""
    deadline = time.monotonic() + timeout_s
    while (count := page.evaluate("window.__prints")) != expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return count


def _save_walk_in(page, id_number):
    """Fill the walk-in form by field name (whatever widget shows a field) and press 登记并出号."""
    page.evaluate("""([values]) => {
        const form = document.querySelector("button[name=action][value=save]").form;
        for (const [name, value] of Object.entries(values)) {
            const el = form.elements[name];
            if (!el) { throw new Error("no field " + name); }
            if (el.tagName === "SELECT" && !Array.from(el.options).some(o => o.value === value)) {
                el.add(new Option(value, value));   // a choice list filled as you type
            }
            el.value = value;
        }
    }""", [{"id_number": id_number, "name": NAME, "phone": PHONE, "title": "拖欠工资",
            "facts": "在镇上工厂务工，老板拖欠三个月工资。", "demand": "请求支付工资",
            "category_id": page.evaluate("""() => {
                const s = document.querySelector("[name=category_id]");
                const o = Array.from(s.options || []).find(o => o.text.includes("拖欠工资"));
                return o ? o.value : s.value; }"""),
            "place_id": page.evaluate("""() => { const s = document.querySelector("[name=place_id]");
                const o = Array.from(s.options || []).find(o => o.value); return o ? o.value : s.value; }""")}])
    page.locator("button.primary[name=action][value=save]").click()


def test_saving_a_walk_in_opens_the_ticket_for_printing(live_server, page):
    page.context.add_init_script(COUNT_PRINTS)
    log_in(page, live_server.url, "reception")
    page.goto(live_server.url + "/intake/")
    id_number = valid_id_number(birth="19820304")
    with page.expect_popup() as opened:
        _save_walk_in(page, id_number)
    ticket = opened.value
    ticket.wait_for_load_state("load")
    assert re.search(r"/intake/tickets/\d+/print(\?width=\d+)?$", ticket.url)
    assert page.get_by_test_id("registered").is_visible()          # the registered page stays where it was
    label = page.get_by_test_id("ticket").inner_text()
    assert ticket.get_by_test_id("ticket-number").inner_text() == label
    assert ticket.get_by_test_id("ticket-room").inner_text()
    text = ticket.locator("body").inner_text()
    assert "请在大厅等候叫号" in text and NAME not in text and PHONE not in text and id_number[-4:] not in text
    assert _prints(ticket, 1) == 1
    assert ticket.evaluate("getComputedStyle(document.querySelector('.ticket')).width") in ("302.359px", "302.36px")
    # the 58 mm roll: chosen on the ticket, remembered for the next one
    with ticket.expect_navigation():
        ticket.locator("a[data-width='58']").click()
    assert ticket.evaluate("getComputedStyle(document.querySelector('.ticket')).width") in ("219.203px", "219.2px")
    assert _prints(ticket, 1) == 1                                 # a new page: printed once more
    ticket.close()

    # Reloading the registered page does not print the same ticket again; the button does, at 58 mm.
    page.reload()
    page.wait_for_timeout(500)
    assert len(page.context.pages) == 1
    with page.expect_popup() as again:
        page.get_by_test_id("print-ticket").click()
    assert again.value.url.endswith("width=58")
    again.value.close()

    # The acceptance notice opens in a new tab too: the ticket screen stays.
    with page.expect_popup() as notice:
        page.get_by_test_id("print-acceptance").click()
    assert "/documents/acceptance.pdf" in notice.value.url
    notice.value.close()
    assert page.get_by_test_id("registered").is_visible()

    # From the queue board: the same ticket, in a new window.
    page.goto(live_server.url + "/intake/queue")
    with page.expect_popup() as board:
        page.get_by_test_id(f"print-ticket-{label}").click()
    board.value.wait_for_load_state("load")
    assert board.value.get_by_test_id("ticket-number").inner_text() == label


def test_the_monthly_pdf_is_made_in_the_background_and_downloads_itself_when_ready(live_server, page):
    log_in(page, live_server.url, "official")
    page.goto(live_server.url + "/reports/summaries")
    with page.expect_download(timeout=60000) as download:
        page.get_by_test_id("summary-form").locator("button[type=submit]").click()
    assert "/files/" in page.url                                    # the page that followed it being made
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:                  # sent gzip-encoded, saved as the PDF itself
        assert pdf.read(5) == b"%PDF-"
    expect(page.get_by_test_id("file-status")).to_have_text("可以下载")
    expect(page.get_by_test_id("file-download")).to_be_visible()
