"""The pages each demo login reaches in a browser, for the checks that look at every page (phone width, axe).

From the home page, breadth first, two links deep (the navigation and home page links, then the
pages they list, e.g. one case page from the case list). Same-origin GET links only; log-out,
language switching and downloads (PDF, CSV, XLSX) are left out. URLs that differ only by ids or by
their query string count as one page (one case page, one order page), and each login stops at
PAGES_PER_ROLE, so the whole run stays short.
"""
import re
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from desk.demo.seed import DEMO_PASSWORD, DEMO_USERS
from tests.e2e.conftest import log_in

PAGES_PER_ROLE = 40
DEPTH = 2
SKIP_PREFIXES = ("/static/", "/logout", "/language", "/login")
DOWNLOAD_SUFFIXES = (".pdf", ".csv", ".xlsx")
DEMO_LOGINS = [username for username, *_ in DEMO_USERS]

# axe-core from the npm registry, installed on first use into a git-ignored folder beside this file.
AXE_DIR = Path(__file__).parent / ".axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")


def page_pattern(url: str) -> str:
    """The page a URL shows, ids and query left out: /cases/12 and /cases/40?tab=x are one page."""
    return re.sub(r"\d+", "{id}", urlsplit(url).path)


def _followable(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    path = parts.path.lower()
    return not path.startswith(SKIP_PREFIXES) and not path.endswith(DOWNLOAD_SUFFIXES)


def crawl(page, base_url: str, check) -> list[str]:
    """Visit the pages reachable from the logged-in home page; ``check(page, url)`` runs on each HTML page."""
    seen = {page_pattern(base_url + "/")}
    shown = set()                # the pages (patterns) checked, after redirects: "/" shows a role's start page
    queue = deque([(base_url + "/", 0)])
    visited = []
    while queue and len(visited) < PAGES_PER_ROLE:
        url, depth = queue.popleft()
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):   # an export link without a file suffix
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if page_pattern(page.url) in shown:
            continue
        shown.add(page_pattern(page.url))
        seen.add(page_pattern(page.url))
        visited.append(page.url)
        check(page, page.url)
        if depth >= DEPTH:
            continue
        links = page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href.split('#')[0])")
        for link in links:
            pattern = page_pattern(link)
            if pattern not in seen and _followable(link, base_url):
                seen.add(pattern)
                queue.append((link, depth + 1))
    return visited


def role_context(browser, base_url: str, username: str, *, phone: bool):
    """A browser context logged in as a demo user, at phone (390 x 844) or desktop (1280 x 900) size."""
    # bypass_csp: the desk's Content-Security-Policy rightly refuses the injected axe-core script.
    if phone:
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                      device_scale_factor=2, locale="zh-CN", bypass_csp=True)
    else:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    log_in(page, base_url, username, DEMO_PASSWORD)
    return context, page


def ensure_axe() -> Path:
    """axe-core's script, installed with npm (axe-core@4) into tests/e2e/.axe when missing."""
    if not AXE_JS.exists():
        done = subprocess.run(["npm", "install", "--prefix", str(AXE_DIR), "--no-audit", "--no-fund", "--no-save",
                               "axe-core@4"], capture_output=True, text=True, timeout=300)
        if done.returncode or not AXE_JS.exists():
            pytest.fail(f"npm could not install axe-core@4 into {AXE_DIR}:\n{done.stdout}{done.stderr}")
    return AXE_JS


def run_axe(page, axe_js: Path) -> list[dict]:
    """The WCAG 2.1 A and AA violations axe-core finds on the page: rule id, impact, and the elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}));
        }""", AXE_TAGS)


def tally_axe(page, axe_js: Path, where: str, impacts, blocking: list) -> int:
    """Run axe on the page, add its elements to ``impacts`` (a Counter by impact) and each serious or critical
    rule to ``blocking`` as one line naming ``where``; returns how many rules were violated."""
    violations = run_axe(page, axe_js)
    for violation in violations:
        impacts[violation["impact"]] += len(violation["nodes"])
        if violation["impact"] in BLOCKING_IMPACTS:
            blocking.append(f"{where}: {violation['id']} ({violation['impact']}) "
                            f"{[n['target'] for n in violation['nodes']][:5]}")
    return len(violations)
