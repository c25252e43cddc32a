"""axe-core's WCAG 2.1 A and AA rules on every page each demo login reaches, at desktop width: nothing serious.

The same check at phone width runs in test_phone_widths.py, on the crawl that also checks the width.
"""
import time
from collections import Counter

import pytest

from tests.e2e.crawl import DEMO_LOGINS, crawl, ensure_axe, role_context, tally_axe

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser-crawl")]  # beside the journeys, on the other worker


def test_no_serious_accessibility_violations_at_desktop_width(live_server, browser):
    axe_js = ensure_axe()
    started = time.monotonic()
    blocking, impacts, pages, clean = [], Counter(), 0, 0
    for username in DEMO_LOGINS:
        context, page = role_context(browser, live_server.url, username, phone=False)

        def check(page, url, username=username):
            nonlocal clean
            clean += not tally_axe(page, axe_js, f"{username} {url}", impacts, blocking)

        pages += len(crawl(page, live_server.url, check))
        context.close()
    print(f"\ndesktop 1280 px: {pages} pages checked for {len(DEMO_LOGINS)} logins in "
          f"{time.monotonic() - started:.1f} s, {clean} without any violation; "
          f"axe elements by impact: {dict(impacts) or 'none'}")
    assert pages >= 5 * len(DEMO_LOGINS)
    assert not blocking, "serious or critical axe violations:\n" + "\n".join(blocking)
