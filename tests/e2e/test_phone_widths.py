"""At phone width (390 x 844) no page is wider than the screen, and the axe-core WCAG 2.1 A/AA check passes.

One crawl per demo login checks both, so the phone pages are visited once (see tests/e2e/crawl.py).
"""
import time
from collections import Counter

import pytest

from tests.e2e.conftest import log_in
from tests.e2e.crawl import DEMO_LOGINS, crawl, ensure_axe, role_context, tally_axe

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser-crawl")]  # beside the journeys, on the other worker

PHONE_WIDTH = 390


def test_every_page_fits_a_phone_and_passes_axe(live_server, browser):
    axe_js = ensure_axe()
    started = time.monotonic()
    too_wide, blocking, impacts, pages = [], [], Counter(), 0
    for username in DEMO_LOGINS:
        context, page = role_context(browser, live_server.url, username, phone=True)

        def check(page, url, username=username):
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE_WIDTH:
                too_wide.append(f"{username} {url}: {width} px")
            tally_axe(page, axe_js, f"{username} {url}", impacts, blocking)

        pages += len(crawl(page, live_server.url, check))
        context.close()
    print(f"\nphone {PHONE_WIDTH} px: {pages} pages checked for {len(DEMO_LOGINS)} logins in "
          f"{time.monotonic() - started:.1f} s; axe elements by impact: {dict(impacts) or 'none'}")
    assert pages >= 5 * len(DEMO_LOGINS)
    assert not too_wide, "pages wider than the phone:\n" + "\n".join(too_wide)
    assert not blocking, "serious or critical axe violations:\n" + "\n".join(blocking)


def test_navigation_collapses_into_a_menu_button_on_a_phone(live_server, phone):
    log_in(phone, live_server.url, "admin")
    toggle = phone.get_by_role("button", name="菜单")
    nav = phone.locator("nav.mainnav")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    toggle.focus()
    phone.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.is_visible()
    # Every item is on screen, none cut off, and Tab moves from the button into the open menu.
    for link in nav.locator("a").all():
        box = link.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, link.inner_text()
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('nav.mainnav') !== null")
    phone.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    assert phone.evaluate("document.activeElement.classList.contains('nav-toggle')")


def test_navigation_is_a_plain_bar_on_a_desktop(live_server, page):
    log_in(page, live_server.url, "admin")
    assert not page.locator(".nav-toggle").is_visible()
    assert page.locator("nav.mainnav a").first.is_visible()


def _earlier_petitioner(app, username: str):
    """The ID number and name of someone with an earlier matter in the county of the demo user ``username``."""
    import sqlalchemy as sa

    from desk.extensions import db
    from desk.models import Case, CaseParty, Person, User
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        person = db.session.scalar(
            sa.select(Person).join(CaseParty, CaseParty.person_id == Person.id).join(Case, Case.id == CaseParty.case_id)
            .where(Case.county_id == (user.org_unit.county_id or user.org_unit.id), Person.id_number.is_not(None),
                   CaseParty.role == "petitioner").order_by(Case.id).limit(1))
        return person.id_number, person.name


def test_reception_look_up_table_scrolls_inside_its_box_on_a_phone(live_server, phone):
    id_number, name = _earlier_petitioner(live_server.app, "reception")
    log_in(phone, live_server.url, "reception")
    phone.fill("#id_number", id_number)
    phone.fill("#name", name)
    phone.locator("#id_number").dispatch_event("change")
    table = phone.get_by_test_id("lookup").locator("table")
    table.wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    # The table keeps its column headings and scrolls sideways inside its own box.
    assert table.locator("thead").is_visible()
    assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"


def test_field_intake_look_up_labels_each_value_on_a_phone(live_server, phone):
    from tests.e2e.test_outreach_phone import _offer_for_today
    assignment_id = _offer_for_today(live_server.app)
    id_number, name = _earlier_petitioner(live_server.app, "mediator")
    log_in(phone, live_server.url, "mediator")
    phone.goto(live_server.url + "/outreach/my")
    card = f"#assignment-{assignment_id}"
    for step in ("accept", "check-in", "field-intake"):
        with phone.expect_navigation():
            phone.locator(f"{card} [data-testid={step}]").tap()
    phone.fill("#id_number", id_number)
    phone.fill("#name", name)
    with phone.expect_navigation():
        phone.get_by_role("button", name="查询以往来访").tap()
    row = phone.get_by_test_id("candidate").first
    score = row.get_by_test_id("score")
    assert score.get_attribute("data-label") == "相似度"
    label = score.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"相似度"', label          # shown above the "0%", not a bare number
    assert row.locator("td").count() == row.locator("td[data-label]").count()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
