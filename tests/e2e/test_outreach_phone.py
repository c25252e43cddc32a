"""At phone width a mediator accepts an outreach assignment, checks in, registers a complaint in the field
and records the service."""
from datetime import time

import pytest
import sqlalchemy as sa

from tests.e2e.conftest import log_in, save_screenshot
from tests.factories import valid_id_number

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def _offer_for_today(app) -> int:
    """A mediation outreach today in a village of 台山市, offered to the demo mediator."""
    from desk.extensions import db
    from desk.models import Level, OrgUnit, User
    from desk.timeutil import local_today
    from outreach.assignments import services as assignments
    from outreach.assignments.models import ServiceKind
    from referrals.talent.models import Talent
    with app.app_context():
        mediator = db.session.scalar(sa.select(Talent).join(User, Talent.user_id == User.id)
                                     .where(User.username == "mediator"))
        requester = db.session.scalar(sa.select(User).where(User.username == "reception"))
        village = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.county_id == mediator.county_id,
                                                             OrgUnit.level == Level.village).order_by(OrgUnit.code))
        request = assignments.create_request(actor=requester, unit=village, site=None, kind=ServiceKind.mediation,
                                             on_date=local_today(), start_time=time(0, 0), end_time=time(23, 59),
                                             expected_people=15, languages=["taishanese"], notes="e2e",
                                             today=local_today())
        [assignment] = assignments.offer(request, [mediator], actor=requester)
        db.session.commit()
        return assignment.id


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def test_mediator_serves_an_outreach_on_a_phone(live_server, phone, artifacts_dir):
    assignment_id = _offer_for_today(live_server.app)
    card = f"#assignment-{assignment_id}"
    log_in(phone, live_server.url, "mediator")
    phone.goto(live_server.url + "/outreach/my")
    assert phone.locator("h1").first.inner_text() == "我的外送服务"
    _no_sideways_scroll(phone)

    with phone.expect_navigation():
        phone.locator(f"{card} [data-testid=accept]").tap()
    assert "已接受" in phone.locator(".flash").first.inner_text()
    with phone.expect_navigation():
        phone.locator(f"{card} [data-testid=check-in]").tap()
    assert phone.locator(f"{card} [data-testid=assignment-status]").inner_text().startswith("已签到")

    with phone.expect_navigation():
        phone.locator(f"{card} [data-testid=field-intake]").tap()
    _no_sideways_scroll(phone)
    # First a bad ID number: refused next to the field, nothing typed is lost.
    phone.fill("#name", "欧阳测试")
    phone.fill("#id_number", "440781198001011239")
    phone.fill("#title", "村道被占用无法通行")
    phone.fill("#facts", "邻居在村道上堆放建材，三轮车无法通过。")
    phone.select_option("#category_id", index=1)               # no silent default: the category is chosen
    with phone.expect_navigation():
        phone.locator("[data-testid=register]").tap()
    assert phone.locator("#field-id_number .error").is_visible()
    assert phone.input_value("#title") == "村道被占用无法通行"
    phone.fill("#id_number", valid_id_number())
    with phone.expect_navigation():
        phone.locator("[data-testid=register]").tap()
    assert "已登记" in phone.locator(".flash").first.inner_text()
    reference = phone.locator("[data-testid=followups] .tag").first.inner_text()
    assert reference.startswith("TS-")
    phone.screenshot(path=str(artifacts_dir / "outreach-field-intake-phone.png"), full_page=True)

    phone.goto(live_server.url + f"/outreach/my{card}")
    with phone.expect_navigation():
        phone.locator(f"{card} [data-testid=record]").tap()
    assert reference in phone.locator("[data-testid=followups]").inner_text()
    phone.fill("#people_served", "18")
    phone.fill("#topics", "村道占用、邻里纠纷")
    phone.fill("#outcome", "现场调解一宗，登记诉求一件，解答咨询十余人次。")
    with phone.expect_navigation():
        phone.locator("[data-testid=save-record]").tap()
    assert "服务记录已保存" in phone.locator(".flash").first.inner_text()
    assert "18" in phone.locator(card).inner_text()
    _no_sideways_scroll(phone)
    save_screenshot(phone, "outreach-phone", full_page=False)

    from desk.extensions import db
    from desk.models import Case, Channel
    from outreach.assignments.models import OutreachAssignment
    from outreach.field.models import ServiceRecord
    with live_server.app.app_context():
        assignment = db.session.get(OutreachAssignment, assignment_id)
        record = db.session.scalar(sa.select(ServiceRecord).where(ServiceRecord.assignment_id == assignment_id))
        case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
        assert record.people_served == 18 and assignment.checked_in_at and assignment.checked_out_at
        assert case.channel == Channel.outreach
