"""The leader's journey through a risk warning in a real browser: a group visit of 20 registered at the desk raises a
red warning; the county leader (the demo official) sees the notification, opens the warning, acknowledges it with
a note by keyboard, closes it with an outcome, and the list shows it dealt with. The same pages at 390 px fit
the screen."""
import pytest
import sqlalchemy as sa

from tests.e2e.conftest import log_in, save_screenshot
from tests.e2e.crawl import ensure_axe, run_axe

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def _register_group_visit(app) -> tuple[str, int, str]:
    """A group visit of 20 people in the commander's town, through the real registration path; returns the
    warning's number and id and the username of its leader."""
    from desk.extensions import db
    from desk.models import Category, Channel, Level, OrgUnit, PetitionType, User
    from desk.timeutil import local_today
    from intake.reception.services import PersonInput, VisitInput, register_visit
    from intake.risk.models import RiskKind, RiskWarning
    from tests.factories import valid_id_number
    with app.app_context():
        commander = db.session.scalar(sa.select(User).where(User.username == "commander"))
        village = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.parent_id == commander.org_unit_id,
                                                             OrgUnit.level == Level.village).order_by(OrgUnit.code))
        reception = db.session.scalar(sa.select(User).where(User.username == "reception"))
        category = db.session.scalar(sa.select(Category).order_by(Category.code).limit(1))
        data = VisitInput(person=PersonInput(name="浏览器测试群众", id_number=valid_id_number()),
                          channel=Channel.walk_in, place=village, category=category,
                          petition_type=PetitionType.demand, title="浏览器测试：工地集体讨薪",
                          facts="浏览器测试：某工地二十名工人集体到中心反映被拖欠工资。", head_count=20,
                          received_on=local_today())
        visit = register_visit(actor=reception, site=None, data=data)
        db.session.commit()
        warning = db.session.scalar(sa.select(RiskWarning).where(RiskWarning.kind == RiskKind.group_visit,
                                                                 RiskWarning.subject == f"v{visit.id}"))
        assert warning is not None and warning.leader_id is not None, "the group visit raised a warning with a leader"
        leader = db.session.get(User, warning.leader_id)
        return warning.number, warning.id, leader.username


def _state(app, warning_id: int):
    from desk.extensions import db
    from intake.risk.models import RiskWarning
    with app.app_context():
        w = db.session.get(RiskWarning, warning_id)
        return w.status.value, w.outcome.value if w.outcome else None, w.acknowledge_note


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"


def _no_serious_axe_violations(page) -> None:
    blocking = [v for v in run_axe(page, ensure_axe()) if v["impact"] in ("serious", "critical")]
    assert not blocking, blocking


def test_the_leader_acknowledges_and_closes_a_warning(live_server, browser):
    base = live_server.url
    # bypass_csp: the desk's Content-Security-Policy rightly refuses the injected axe-core script.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    number, warning_id, leader = _register_group_visit(live_server.app)
    assert leader == "official"        # no town official in the demo: the county's leader
    log_in(page, base, leader)
    assert int(page.locator("[data-testid=unread-count]").inner_text()) >= 1
    with page.expect_navigation():
        page.locator("a.bell").click()
    notice = page.get_by_role("link", name=f"风险预警 {number} 已将您列为责任领导，请及时签收。")
    assert notice.get_attribute("href") == f"/intake/risk/warnings/{warning_id}"
    with page.expect_navigation():
        notice.click()
    assert page.locator("[data-testid=warning-number]").inner_text() == number
    assert page.locator("[data-testid=warning-level]").inner_text() == "红色"
    assert page.locator("[data-testid=warning-status]").inner_text() == "待签收"
    assert "一次来访人数：20（阈值 5）" in page.locator("[data-testid=warning-measure]").inner_text()
    assert page.locator("[data-testid=evidence] a").count() == 1

    # An empty note is refused next to the field; then the note typed and sent by keyboard alone.
    with page.expect_navigation():
        page.locator("[data-testid=do-acknowledge]").click()
    assert page.locator("#acknowledge-note-error").inner_text() == "请说明针对此预警正在采取的措施。"
    _no_serious_axe_violations(page)
    page.locator("#acknowledge-note").focus()
    page.keyboard.type("已派信访干部到现场与工人代表沟通，督促企业支付工资")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "do-acknowledge"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[data-testid=warning-status]").inner_text() == "已签收"
    assert "已派信访干部到现场" in page.locator("[data-testid=warning-acknowledged]").inner_text()
    assert _state(live_server.app, warning_id)[0] == "acknowledged"
    save_screenshot(page, "risk-warning")
    _no_serious_axe_violations(page)          # the closing form: outcome radios in a fieldset

    form = page.locator("[data-testid=action-close]")
    form.get_by_label("风险已化解").check()
    form.locator("#close-note").fill("企业已当场结清工资，工人散去")
    with page.expect_navigation():
        form.locator("[data-testid=do-close]").click()
    assert page.locator("[data-testid=warning-status]").inner_text() == "已处置"
    assert "风险已化解" in page.locator("[data-testid=warning-closed]").inner_text()
    assert page.locator("[data-testid=action-close]").count() == 0
    assert _state(live_server.app, warning_id) == ("closed", "defused", "已派信访干部到现场与工人代表沟通，督促企业支付工资")

    with page.expect_navigation():
        page.get_by_role("link", name="风险预警", exact=True).first.click()
    row = page.locator(f"[data-testid=warning-row][data-number='{number}']")
    assert row.locator("[data-testid=warning-status]").inner_text() == "已处置"
    page.select_option("#status", "closed")
    with page.expect_navigation():
        page.locator("[data-testid=risk-filters] button[type=submit]").click()
    assert page.locator(f"[data-testid=warning-row][data-number='{number}']").count() == 1
    assert page.locator("[data-testid=warning-row] [data-testid=warning-status]").all_inner_texts() == \
        ["已处置"] * page.locator("[data-testid=warning-row]").count()
    context.close()


def test_the_warning_pages_fit_a_phone(live_server, phone):
    number, warning_id, leader = _register_group_visit(live_server.app)
    log_in(phone, live_server.url, "commander")       # the town's commander may act on it too
    phone.goto(f"{live_server.url}/intake/risk/warnings?level=purple")
    assert phone.locator("#level-error").is_visible()
    _fits_the_phone(phone)
    phone.goto(f"{live_server.url}/intake/risk/warnings")
    assert phone.locator(f"[data-testid=warning-row][data-number='{number}']").is_visible()
    _fits_the_phone(phone)
    phone.goto(f"{live_server.url}/intake/risk/warnings/{warning_id}")
    assert phone.locator("[data-testid=action-acknowledge]").is_visible()
    _fits_the_phone(phone)
