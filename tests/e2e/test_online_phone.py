"""At phone width a citizen reports a matter online with a photo, reads the tracking code and follows the matter
with it; the town's receptionist then finds it in the case list."""
import pytest
import sqlalchemy as sa

from intake.online.demo import tiny_png
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def _home_town_and_village(app) -> tuple[str, str]:
    """The first town of 台山市 (the demo town receptionist's) and one of its villages, as option values."""
    from desk.extensions import db
    from desk.models import Level, OrgUnit
    with app.app_context():
        county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
        town = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.parent_id == county.id, OrgUnit.level == Level.town)
                                 .order_by(OrgUnit.code).limit(1))
        village = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.town_id == town.id,
                                                             OrgUnit.level == Level.village).order_by(OrgUnit.code))
        return str(town.id), str(village.id)


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_a_citizen_reports_online_on_a_phone_and_follows_the_matter(live_server, phone, page, tmp_path):
    live_server.app.config["ONLINE_MIN_FILL_SECONDS"] = 0   # a browser is quick; the check itself is unit-tested
    town, village = _home_town_and_village(live_server.app)
    photo = tmp_path / "photo.png"
    photo.write_bytes(tiny_png((180, 40, 40), size=32))

    phone.goto(live_server.url + "/login")
    with phone.expect_navigation():
        phone.locator("[data-testid=online-link]").tap()
    assert phone.locator("html").get_attribute("lang") == "zh-CN"
    _no_sideways_scroll(phone)
    phone.select_option("#category_id", index=1)
    phone.fill("#title", "村口路灯坏了两个月")
    phone.fill("#facts", "村口三盏路灯坏了两个月，晚上老人小孩出行不便。")
    phone.fill("#demand", "请尽快维修路灯")
    phone.select_option("#town_id", town)
    assert phone.locator("#village_id option[data-town]").count() == \
        phone.locator(f"#village_id option[data-town='{town}']").count()   # only the chosen town's villages
    phone.select_option("#village_id", village)
    phone.set_input_files("#photos", str(photo))
    phone.fill("#name", "伍美玲")
    phone.fill("#phone", "1380013")                       # too short: refused next to the field
    phone.check("#consent")
    with phone.expect_navigation():
        phone.locator("form[data-testid=online-form] button[type=submit]").tap()
    assert phone.locator("#field-phone .error").is_visible()
    assert phone.locator("[data-testid=files-dropped]").is_visible()
    assert phone.input_value("#title") == "村口路灯坏了两个月" and phone.input_value("#village_id") == village

    phone.fill("#phone", "13800138123")
    phone.set_input_files("#photos", str(photo))
    with phone.expect_navigation():
        phone.locator("form[data-testid=online-form] button[type=submit]").tap()
    code = phone.locator("[data-testid=tracking-code]").inner_text().strip()
    assert len(code) == 10
    _no_sideways_scroll(phone)

    with phone.expect_navigation():
        phone.locator("[data-testid=online-done] button[type=submit]").tap()
    status = phone.locator("[data-testid=track-status]")
    assert status.is_visible() and phone.locator("[data-testid=awaiting-acceptance]").is_visible()
    reference = phone.locator("h1").inner_text().split()[-1]
    assert reference.startswith("TS-")
    _no_sideways_scroll(phone)

    # The same code typed on the tracking page shows the same matter.
    phone.goto(live_server.url + "/reports/track")
    phone.fill("#code", code)
    with phone.expect_navigation():
        phone.locator("[data-testid=track-form] button[type=submit]").tap()
    assert reference in phone.locator("h1").inner_text()

    log_in(page, live_server.url, "townreception")
    page.goto(live_server.url + "/intake/cases")
    with page.expect_navigation():
        page.get_by_role("link", name=reference).first.click()
    assert "村口路灯坏了两个月" in page.locator("main").inner_text()
    assert page.locator("[data-testid=action-accept]").count() == 1   # accepted or routed like any registered case
