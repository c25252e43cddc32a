"""An official opens the dashboard, drills into a figure, and downloads the monthly PDF summary.

Also writes the README's dashboard screenshot and a PNG of the PDF's measures page (tests/e2e/screenshots)."""
import re
import subprocess

import pytest

from reports.dashboard.views import DRILL_PAGE
from tests.e2e.conftest import SCREENSHOTS, log_in, save_screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("browser")]


def _number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def test_official_dashboard_drill_down_and_monthly_pdf(live_server, page, tmp_path):
    log_in(page, live_server.url, "official")
    assert "/reports/dashboard" in page.url                       # the official's home
    month = page.locator("#month").input_value()                    # last month by default, e.g. 2026-10
    new_cases = page.get_by_test_id("value-new_cases")
    shown = _number(new_cases.inner_text())
    assert shown > 0
    page.set_viewport_size({"width": 1280, "height": 1500})
    save_screenshot(page, "dashboard", full_page=False)

    with page.expect_navigation():
        new_cases.locator("a").click()                              # drill down: the cases behind the figure
    total = _number(page.get_by_test_id("drill-total").inner_text())
    assert total == shown
    assert page.get_by_test_id("drill-table").locator("tbody tr").count() == min(total, DRILL_PAGE)
    assert not re.search(r"\d{17}[\dX]", page.content())            # no ID numbers behind a figure

    page.goto(live_server.url + "/reports/summaries")
    rows = page.get_by_test_id("summary-archive").locator("tbody tr")
    assert rows.count() == 2                                         # the demo county, Chinese and English
    zh_row = rows.filter(has_text="简体中文")
    assert month[:7] in zh_row.inner_text()
    with page.expect_download(timeout=60000) as download_info:
        zh_row.get_by_test_id("summary-download").click()             # not archived yet: made in the background
    assert "/files/" in page.url                                      # on the page that followed it being made
    path = tmp_path / "summary.pdf"
    download_info.value.save_as(path)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "月度工作汇总" in flat and "台山市" in flat
    year, mon = month[:7].split("-")
    assert f"{year}年{int(mon)}月" in flat
    # the PDF's measures table shows the same figure the dashboard showed
    assert re.search(rf"新增事项\d* {shown} ", flat[flat.index("指标"):]), "new cases differ from the dashboard"
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    assert "NotoSansCJK" in fonts.replace("-", "")
    SCREENSHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "2", "-l", "2", "-singlefile", str(path),
                    str(SCREENSHOTS / "monthly-summary-page2")], check=True)
    assert (SCREENSHOTS / "monthly-summary-page2.png").stat().st_size > 20_000

    # the made file is kept on its page: downloading it again gives the very same bytes
    with page.expect_download() as again:
        page.get_by_test_id("file-download").click()
    with open(again.value.path(), "rb") as second:
        assert second.read() == path.read_bytes()
