"""While a monthly PDF is made the page says so: the form and archive links are marked for js/pdf-progress.js,
and the download answers the page's token with a cookie; without the token it is the same plain download."""
import re

from desk.extensions import db
from desk.models import Role


def _official(login_as):
    client = login_as(Role.official)
    client.user.locale = "zh_Hans"
    db.session.commit()
    return client


def _cookie(response):
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith("desk_download=")]


def test_the_archive_page_marks_the_pdf_form_and_links_for_the_progress_script(world, login_as):
    from reports.summary import services as summary   # imported first at module level, desk.cases cycles
    summary.claim([world.county], 2026, 10, locales=("zh_Hans",))
    db.session.commit()
    page = _official(login_as).get("/reports/summaries").get_data(as_text=True)
    form = re.search(r'<form [^>]*data-testid="summary-form"[^>]*>.*?</form>', page, re.S).group(0)
    assert 'method="get"' in form and "data-progress" in form
    assert 'data-busy="正在生成 PDF…"' in form and 'data-testid="pdf-progress"' in form and 'role="status"' in form
    link = re.search(r'<a [^>]*data-testid="summary-download"[^>]*>', page).group(0)
    assert "data-progress" in link and 'data-busy="正在生成 PDF…"' in link     # not archived yet: made on demand
    assert "js/pdf-progress.js" in page


def test_the_download_answers_the_token_and_only_a_plain_one(world, login_as):
    official = _official(login_as)
    query = f"month=2026-10&unit_id={world.county.id}&locale=zh_Hans"
    plain = official.get(f"/reports/summaries/pdf?{query}")
    assert plain.status_code == 200 and plain.data.startswith(b"%PDF") and not _cookie(plain)
    tracked = official.get(f"/reports/summaries/pdf?{query}&download=k9x2abc")
    assert tracked.data.startswith(b"%PDF") and "attachment" in tracked.headers["Content-Disposition"]
    (cookie,) = _cookie(tracked)
    assert cookie.startswith("desk_download=k9x2abc;") and "Path=/reports/summaries" in cookie
    assert "SameSite=Lax" in cookie and "Max-Age=120" in cookie
    for bad in ("a;b", "x" * 40, "%3Cscript%3E", "k%20x"):
        assert not _cookie(official.get(f"/reports/summaries/pdf?{query}&download={bad}")), bad
