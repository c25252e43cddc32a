"""Reception journeys in Chromium: a first-time visitor and a returning one by keyboard (keystrokes counted),
the look-up flagging a repeat as the matter is typed, the ID number checked as typed, a group refused."""
import itertools
import subprocess

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from desk.extensions import db
from desk.models import Case, OrgUnit
from tests.e2e.conftest import log_in, save_screenshot
from tests.factories import valid_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]

FACTS = "包工头拖欠工资3.6万元，多次讨要未果。"
NAVIGATION = ("Tab", "Shift+Tab", "Enter", "ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight")


class Keyboard:
    """Types as a receptionist would and counts every key press.

    Latin letters, digits and punctuation are typed key by key (one keystroke each). Chinese text is put in
    with ``keyboard.insert_text`` and counted as one keystroke per character: an approximation of an IME
    commit (a fast pinyin typist with word suggestions spends about that). Navigation counts Tab, arrows and
    Enter, and also the Alt shortcuts (each chord one keystroke), so the navigation figure is not flattered.
    """

    def __init__(self, page):
        self.page = page
        self.total = 0
        self.navigation = 0

    def type(self, text: str) -> None:
        for latin, run in itertools.groupby(text, key=str.isascii):
            run = "".join(run)
            if latin:
                self.page.keyboard.type(run)
            else:
                self.page.keyboard.insert_text(run)
            self.total += len(run)

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.total += 1
        if key in NAVIGATION or key.startswith("Alt+"):
            self.navigation += 1


def _village(page) -> tuple[str, str]:
    """A village of the receptionist's area whose name is found only as itself (and its grids)."""
    options = page.eval_on_selector_all(
        "#place_id option", "os => os.map(o => [o.value, o.textContent, o.getAttribute('data-search') || ''])")
    for value, label, search in options:
        name = search.split()[1] if len(search.split()) > 1 else ""
        if not label.startswith("　") and name.endswith("村") and \
                sum(1 for _v, other, _s in options if name in other and not other.startswith("　")) == 1:
            return value, name
    raise AssertionError("no village in the demo area")


def _saved_case(live_server, reference):
    with live_server.app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        return case.category.code, case.place_unit_id, db.session.get(OrgUnit, case.place_unit_id).level.value


def test_first_time_and_returning_visitors_within_the_keystroke_budget(live_server, page, artifacts_dir, tmp_path,
                                                                       record_property):
    """First visit: ID, name, phone, 劳动社保 › 拖欠工资 (typed "qx"), a village (typed by name), subject, one
    sentence of facts, demand: at most 110 keystrokes, at most 10 navigation keys. The same person back on
    the same matter: at most 60."""
    log_in(page, live_server.url, "reception")
    assert page.locator("h1").first.inner_text() == "来访接待登记"
    shortcuts = page.get_by_test_id("shortcuts").inner_text()
    assert all(k in shortcuts for k in ("Alt+S", "Alt+C", "Alt+P", "Alt+N"))
    expect(page.locator("#field-representatives")).to_be_hidden()  # a single visitor: no group rows to pass
    expect(page.locator("#category_id-search")).to_have_value("")  # no silent default
    expect(page.locator("#place_id-search")).to_have_value("")
    place_id, village = _village(page)
    number = valid_id_number(birth="19760515")

    keys = Keyboard(page)
    expect(page.locator("#id_number")).to_be_focused()
    keys.type(number)
    keys.press("Tab")
    keys.type("甄志明")
    keys.press("Tab")
    keys.type("13923456789")
    keys.press("Alt+C")
    expect(page.locator("#category_id-search")).to_be_focused()
    keys.type("qx")
    expect(page.locator("#category_id-listbox [role=option][aria-selected=true]")).to_have_text("劳动社保 › 拖欠工资")
    expect(page.locator("#category_id-search")).to_have_attribute("aria-expanded", "true")
    keys.press("Enter")
    expect(page.locator("#category_id-listbox")).to_be_hidden()
    keys.press("Alt+P")
    expect(page.locator("#place_id-search")).to_be_focused()
    keys.type(village)
    keys.press("Enter")
    expect(page.locator("#place_id")).to_have_value(place_id)
    expect(page.locator("#place_id-listbox")).to_be_hidden()
    keys.press("Tab")
    expect(page.locator("#title")).to_be_focused()
    keys.type("拖欠工资")
    keys.press("Tab")
    keys.type(FACTS)
    keys.press("Tab")
    keys.type("请求支付拖欠工资")
    expect(page.get_by_test_id("no-prior")).to_be_visible()
    assert page.locator("#lookup-result .flash-warning").count() == 0  # 440781 is a genuine area code
    page.screenshot(path=str(artifacts_dir / "reception-desk.png"), full_page=True)
    save_screenshot(page, "reception-desk")
    with page.expect_navigation(), page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/intake/")) \
            as sent:
        keys.press("Alt+S")
    body = sent.value.post_data_buffer
    assert b'name="name"' in body and b"representatives-" not in body   # a single visitor sends no group rows
    record_property("figure", f"KEYSTROKES first_visit {keys.total} navigation {keys.navigation} "
                              "(target <= 110, <= 10)")
    assert keys.total <= 110 and keys.navigation <= 10

    assert page.get_by_test_id("registered").is_visible()
    reference = page.get_by_test_id("reference").inner_text()
    assert reference.startswith("TS-2026-")
    assert page.get_by_test_id("ticket").inner_text()[1] == "-"
    assert _saved_case(live_server, reference) == ("labour.wages", int(place_id), "village")

    # The same person back on the same matter: the look-up finds the case, "same matter" fills the rest.
    page.goto(live_server.url + "/intake/")
    keys = Keyboard(page)
    keys.type(number)
    keys.press("Tab")
    keys.type("甄志明")
    candidate = page.get_by_test_id("candidate").first
    expect(candidate).to_contain_text(reference, timeout=10000)
    keys.press("Tab")   # phone: known already
    keys.press("Tab")   # to "same matter"
    expect(page.locator("#repeat_decision")).to_be_focused()
    keys.press("Space")
    expect(page.locator("#category_id-search")).to_have_value("劳动社保 › 拖欠工资")
    expect(page.locator("#title")).to_have_value("拖欠工资")
    with page.expect_navigation():
        keys.press("Alt+S")
    record_property("figure", f"KEYSTROKES returning {keys.total} navigation {keys.navigation} (target <= 60, <= 10)")
    assert keys.total <= 60 and keys.navigation <= 10
    assert page.get_by_test_id("reference").inner_text() == reference
    assert page.get_by_test_id("repeat").inner_text().startswith("是")

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


def _pick(page, field, text, expected):
    page.focus(f"#{field}-search")
    page.keyboard.insert_text(text)
    expect(page.locator(f"#{field}-listbox [aria-selected=true]")).to_contain_text(expected)
    page.keyboard.press("Enter")


def test_lookup_flags_a_repeat_as_the_subject_and_facts_are_typed(live_server, page):
    log_in(page, live_server.url, "reception")
    number = valid_id_number(birth="19690220")
    _place, village = _village(page)

    def fill(title):
        page.focus("#id_number")
        page.keyboard.type(number)
        page.keyboard.press("Tab")
        page.keyboard.insert_text("司徒伟")
        _pick(page, "category_id", "欠薪", "拖欠工资")
        _pick(page, "place_id", village, village)
        page.focus("#title")
        page.keyboard.insert_text(title)
        page.focus("#facts")
        page.keyboard.insert_text("本人在建筑工地务工，" + FACTS)

    fill("拖欠工资")
    with page.expect_navigation():
        page.keyboard.press("Alt+S")
    first_reference = page.get_by_test_id("reference").inner_text()
    page.goto(live_server.url + "/intake/")
    fill("还是拖欠工资")
    candidate = page.get_by_test_id("candidate").first
    # Flagged before anything is saved: the look-up ran again once the subject and facts were typed.
    expect(candidate).to_contain_text("可能是同一事项", timeout=10000)
    assert first_reference in candidate.inner_text()
    candidate.locator("input[type=radio]").check()
    with page.expect_navigation():
        page.click("button.primary[value=save]")
    assert page.get_by_test_id("reference").inner_text() == first_reference


def test_id_number_is_checked_as_typed_and_alt_n_starts_afresh(live_server, page):
    log_in(page, live_server.url, "reception")
    good = valid_id_number(birth="19850312")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    page.focus("#id_number")
    page.keyboard.type(bad)
    expect(page.locator("#id_number-live")).to_contain_text("校验码")
    page.keyboard.press("Backspace")
    expect(page.locator("#id_number-live")).to_have_text("")
    page.keyboard.type(good[17])
    expect(page.locator("#id_number-live")).to_have_text("")
    page.fill("#id_number", "440781199002301234")
    expect(page.locator("#id_number-live")).to_contain_text("出生日期")
    with page.expect_navigation():
        page.keyboard.press("Alt+N")
    expect(page.locator("#id_number")).to_have_value("")


def test_group_of_seven_with_six_representatives_is_refused_and_keeps_input(live_server, page, artifacts_dir):
    log_in(page, live_server.url, "reception")
    _place, village = _village(page)
    page.focus("#id_number")
    page.keyboard.type(valid_id_number(birth="19820909"))
    page.fill("#name", "梁家辉")
    _pick(page, "category_id", "qx", "拖欠工资")
    _pick(page, "place_id", village, village)
    page.fill("#title", "集体讨薪")
    page.keyboard.press("Alt+M")
    expect(page.locator("#head_count")).to_be_focused()
    page.keyboard.type("7")
    expect(page.locator("#field-representatives")).to_be_visible()
    for i in range(6):
        page.fill(f"#representatives-{i}-name", f"代表{i + 1}")
    with page.expect_navigation():
        page.click("button.primary[value=save]")
    error = page.locator("#field-representatives .error")
    assert "最多推选5名代表" in error.inner_text()
    assert page.input_value("#representatives-5-name") == "代表6"
    assert page.input_value("#title") == "集体讨薪" and page.input_value("#name") == "梁家辉"
    expect(page.locator("#category_id-search")).to_have_value("劳动社保 › 拖欠工资")
    # Only the sixth row is marked, and the cursor is in it.
    assert page.locator("#field-representatives tr.has-error").count() == 1
    expect(page.locator("#representatives-5-name")).to_be_focused()
    page.screenshot(path=str(artifacts_dir / "reception-group-refused.png"), full_page=True)


def test_without_javascript_it_is_a_plain_form(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "reception")
        place_id, _village_name = _village(page)
        expect(page.locator("#field-representatives")).to_be_visible()  # every row usable without the script
        page.fill("#id_number", valid_id_number(birth="19910704"))
        page.fill("#name", "伍美玲")
        page.fill("#title", "拖欠工资")
        with page.expect_navigation():
            page.click("button.primary[value=save]")
        # No silent default: both pickers are refused while empty, the cursor on the first.
        assert "请选择事项类别" in page.locator("#field-category_id").inner_text()
        assert "请选择事项所在的村" in page.locator("#field-place_id").inner_text()
        expect(page.locator("#category_id")).to_be_focused()
        page.select_option("#category_id", label="劳动社保 › 拖欠工资")
        page.select_option("#place_id", place_id)
        with page.expect_navigation():
            page.click("button.primary[value=save]")
        reference = page.get_by_test_id("reference").inner_text()
        assert _saved_case(live_server, reference)[:2] == ("labour.wages", int(place_id))
    finally:
        context.close()
