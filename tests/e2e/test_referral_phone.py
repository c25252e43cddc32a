"""At phone width a mediator accepts a room referral; a second mediator then sees it is already taken."""
import pytest
import sqlalchemy as sa

from tests.e2e.conftest import log_in, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def _room_offer(app) -> int:
    from desk.extensions import db
    from desk.models import Case, CaseStatus, User
    from referrals.offers import services as offers
    from referrals.talent.models import Talent
    with app.app_context():
        mediator = db.session.scalar(sa.select(Talent).join(User, Talent.user_id == User.id)
                                     .where(User.username == "mediator"))
        case = db.session.scalar(sa.select(Case).where(Case.county_id == mediator.county_id,
                                                       Case.status == CaseStatus.accepted).limit(1)) or \
            db.session.scalar(sa.select(Case).where(Case.county_id == mediator.county_id,
                                                    Case.status == CaseStatus.registered).limit(1))
        referral = offers.refer_to_room(case, mediator.room, actor=None)
        db.session.commit()
        return referral.id


def test_mediator_accepts_on_a_phone_and_the_second_sees_it_taken(live_server, browser, artifacts_dir):
    referral_id = _room_offer(live_server.app)
    phones = []
    for username in ("mediator", "mediator2"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      device_scale_factor=2, locale="zh-CN")
        page = context.new_page()
        log_in(page, live_server.url, username)
        assert page.locator("h1").first.inner_text() == "我的工作"
        phones.append((context, page))
    (first_ctx, first), (second_ctx, second) = phones
    card = f"#referral-{referral_id}"
    assert second.locator(card).is_visible()  # both see the room's offer
    with first.expect_navigation():
        first.locator(f"{card} [data-testid=accept]").tap()
    assert "已接单" in first.locator(".flash").inner_text()
    assert first.locator(f"{card} [data-testid=referral-status]").inner_text() == "已接单"
    first.screenshot(path=str(artifacts_dir / "mediator-inbox-phone.png"), full_page=True)
    save_screenshot(first, "mediator-inbox-phone", full_page=False)
    with second.expect_navigation():
        second.locator(f"{card} [data-testid=accept]").tap()
    assert "已被接单" in second.locator(".flash").inner_text()
    assert second.locator(card).count() == 0
    width = first.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the inbox must not scroll sideways on a phone"
    first_ctx.close()
    second_ctx.close()
