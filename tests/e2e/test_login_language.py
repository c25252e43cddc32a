"""A person logs in, switches language, and the page follows; screenshot kept for the README."""
import pytest

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def test_log_in_and_switch_language(live_server, page, artifacts_dir):
    page.goto(live_server.url + "/")
    assert "/login" in page.url
    assert page.locator("h1").inner_text() == "信访矛盾纠纷一站式服务台"
    log_in(page, live_server.url, "admin")
    assert page.locator("h1").first.inner_text() == "用户"
    with page.expect_navigation():
        page.select_option("#locale", "en")
    assert page.locator("h1").first.inner_text() == "Users"
    with page.expect_navigation():
        page.select_option("#locale", "zh_Hant")
    assert page.locator("h1").first.inner_text() == "用戶"
    page.screenshot(path=str(artifacts_dir / "admin-users-zh-hant.png"), full_page=True)
    page.reload()
    assert page.locator("h1").first.inner_text() == "用戶"  # remembered for this user
