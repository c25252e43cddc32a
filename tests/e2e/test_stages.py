"""The staged process in Chromium: a receptionist meets a matter concluded after re-review (a repeat, no new
case), and an official sees the matters sent on other routes counted on the dashboard."""
import re
from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from desk.extensions import db
from desk.models import Case, CaseStatus, OrgUnit, Visit
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def _final_case(app):
    with app.app_context():
        finals = db.session.scalars(sa.select(Case).where(Case.status == CaseStatus.final).order_by(Case.id))
        case = next(c for c in finals if c.petitioners[0].id_number)   # the demo makes at least one such
        person = case.petitioners[0]
        label = f"{case.category.parent.name} › {case.category.name}" if case.category.parent_id else case.category.name
        return {"id": case.id, "reference": case.reference, "title": case.title, "facts": case.facts,
                "id_number": person.id_number, "name": person.name, "phone": person.phone or "",
                "category": label, "visits": len(case.visits),
                "place": db.session.get(OrgUnit, case.village_id or case.town_id).name}


def test_a_matter_concluded_after_rereview_is_a_repeat_not_a_new_case(live_server, page):
    final = _final_case(live_server.app)
    log_in(page, live_server.url, "reception")
    page.fill("#id_number", final["id_number"])
    page.fill("#name", final["name"])
    if final["phone"]:
        page.fill("#phone", final["phone"])
    page.focus("#category_id-search")                          # the category is picked by typing its name
    page.keyboard.insert_text(final["category"].split(" › ")[-1])
    expect(page.locator("#category_id-listbox [aria-selected=true]")).to_contain_text(final["category"].split(" › ")[-1])
    page.keyboard.press("Enter")
    page.focus("#place_id-search")                             # and the place by the village's name
    page.keyboard.insert_text(final["place"])
    expect(page.locator("#place_id-listbox [aria-selected=true]")).to_contain_text(final["place"])
    page.keyboard.press("Enter")
    page.fill("#title", final["title"])
    page.fill("#facts", final["facts"])
    page.locator("#id_number").dispatch_event("change")
    candidate = page.get_by_test_id("candidate").filter(has_text=final["reference"])
    expect(candidate.get_by_test_id("final-status")).to_have_text("复核终结", timeout=10000)

    page.locator("input[name=repeat_decision][value=new]").check()
    with page.expect_navigation():
        page.click("button.primary[value=save]")
    error = page.locator("#field-repeat_decision .error")
    expect(error).to_contain_text("复核终结")
    assert page.locator("#title").input_value() == final["title"]      # nothing typed is lost

    page.get_by_test_id("candidate").filter(has_text=final["reference"]).locator("input[type=radio]").check()
    with page.expect_navigation():
        page.click("button.primary[value=save]")
    assert page.get_by_test_id("reference").inner_text() == final["reference"]
    assert page.get_by_test_id("repeat").inner_text().startswith("是")
    expect(page.get_by_test_id("final-banner")).to_be_visible()
    with live_server.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)
                                 .where(Visit.case_id == final["id"])) == final["visits"] + 1


def test_official_sees_routes_counted(live_server, page):
    log_in(page, live_server.url, "official")
    month = page.locator("#month").input_value()[:7]
    table = page.get_by_test_id("table-routes")
    expect(table).to_contain_text("人民法院")
    totals = table.locator("tbody tr")
    shown = sum(int(re.sub(r"[^\d]", "", totals.nth(i).locator("td").nth(3).inner_text()) or 0)
                for i in range(totals.count()))
    year, mon = map(int, month.split("-"))
    start = date(year, mon, 1)
    end = date(year + (mon == 12), mon % 12 + 1, 1)
    with live_server.app.app_context():
        county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code.startswith("440781")).limit(1))
        expected = db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(
            Case.county_id == county.id, Case.route.is_not(None), Case.decided_on >= start, Case.decided_on < end))
    assert shown == expected and expected > 0
