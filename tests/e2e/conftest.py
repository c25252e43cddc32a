"""Browser journeys: the real app on a real port with the small demo data, driven by Debian's Chromium."""
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from desk import create_app
from desk.extensions import db
from tests.conftest import _config

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory) -> Path:
    """The small demo seeded once per test process into an SQLite file that each live server copies."""
    from desk.demo.seed import seed_demo
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    app = create_app(_config("sqlite:///" + str(path)))
    with app.app_context():
        db.create_all()
        seed_demo(size="small", seed=7)
        db.session.remove()
        db.engine.dispose()
    return path


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, demo_sqlite):
    """The app served on 127.0.0.1 (random port) over a fresh copy of the small demo (one per module: a
    journey's changes never reach the next module)."""
    path = tmp_path_factory.mktemp("live") / "live.sqlite"
    with sqlite3.connect(demo_sqlite) as source, sqlite3.connect(path) as target:
        source.backup(target)
    config = _config("sqlite:///" + str(path))
    app = create_app(config)
    with app.app_context():
        from desk.holidays import sync_calendar
        sync_calendar()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    server.app = app
    yield server
    server.shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed (make test installs it when run as root)")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def log_in(page, base_url: str, username: str, password: str = "demo12345") -> None:
    page.goto(base_url + "/login")
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")


# The README's screenshots ("What it looks like"): written by the browser tests, so they stay current.
SCREENSHOTS = Path(__file__).parent / "screenshots"


def save_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save ``tests/e2e/screenshots/<name>.png`` (committed and shown in README.md)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if not full_page:
        page.evaluate("window.scrollTo(0, 0)")   # the top of the page: header and title in view
    page.screenshot(path=str(path), full_page=full_page)
    return path
