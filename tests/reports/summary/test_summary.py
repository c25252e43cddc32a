"""The monthly summary PDF: figures read back with pdftotext against a hand-counted month, both languages,
the CJK font embedded, the footer; the scheduled archive (one per scope, month and language); downloads."""
import re
import subprocess
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from desk import cases
from desk.extensions import db
from desk.models import Channel, Outcome, Role, Visit
from desk.scheduler import run_job
from reports.callbacks import services as callbacks
from reports.callbacks.models import Callback
from reports.summary import services as summary
from reports.summary.models import MonthlySummary
from tests.factories import make_case
from tests.prepared import follow_prepared

GENERATED = datetime(2026, 11, 1, 0, 30)    # 08:30 on 1 November in China


def _text(pdf: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return text


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def october(world):
    """A hand-counted October 2026 in 台山市 (and one matter in 开平市 that must not count).

    台城街道: A (received 5 Oct, accepted 6 Oct, concluded 20 Oct: 15 days, rated satisfied) and
              C (received 12 Oct, accepted 13 Oct, open), plus a repeat visit on A on 22 Oct.
    大江镇:   B (received 8 Oct, accepted 9 Oct, concluded 25 Oct: 17 days, rated dissatisfied), neighbour dispute.
    D: received and accepted in September (counts in neither October count), still open.
    """
    def case(unit, received, accepted=None, concluded=None, category=None, title="拖欠工资"):
        c = make_case(world, unit=unit, received_on=received, category=category, title=title)
        if accepted:
            cases.accept_case(c, actor=None, on=accepted)
        if concluded:
            cases.conclude_case(c, actor=None, outcome=Outcome.support, opinion="支持。", on=concluded)
        return c
    a = case(world.village, date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 20))
    b = case(world.other_town, date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 25), world.other_category,
             "邻里噪音")
    case(world.village, date(2026, 10, 12), date(2026, 10, 13))
    case(world.village, date(2026, 9, 20), date(2026, 9, 25))
    case(world.far_village, date(2026, 10, 15), date(2026, 10, 16), date(2026, 10, 21))
    repeat = Visit(case=a, person=a.parties[0].person, channel=Channel.walk_in, visited_at=datetime(2026, 10, 22, 2),
                   is_repeat=True, repeat_after_conclusion=True)
    repeat.place_at(world.village)
    db.session.add(repeat)
    now = datetime(2026, 10, 26, 2, 0)
    callbacks.open_callbacks_for_concluded(now)
    for case, rating in ((a, "satisfied"), (b, "dissatisfied")):
        callback = db.session.scalar(sa.select(Callback).where(Callback.case_id == case.id))
        callbacks.record_callback(callback, actor=None, rating=rating, channel="phone", comment="电话回访", now=now)
    db.session.commit()
    return world


# Hand-counted: visits 4 (3 first visits + 1 repeat), new cases 3, accepted 3 (A, B, C; D was September),
# concluded 2, closure 2/3, satisfaction 1/2, participation 2/2, repeat rate 1/4, handling days 15 and 17:
# median 16, 90th percentile 16.8.
EXPECTED_ROWS = {
    "en": [("Visits", "4"), ("New cases", "3"), ("Accepted", "3"), ("Concluded", "2"),
           ("Closure rate", "66.7%"), ("Satisfaction rate", "50.0%"), ("Participation rate", "100.0%"),
           ("Repeat-visit rate", "25.0%"), ("Handling days (median)", "16.0"),
           ("Handling days (90th percentile)", "16.8")],
}


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_pdf_shows_the_hand_counted_figures(october, tmp_path, locale):
    world = october
    pdf = summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale=locale, now=GENERATED)
    assert pdf.startswith(b"%PDF")
    text = _text(pdf, tmp_path, locale)
    flat = _flat(text)
    measures = flat[flat.index("Measure" if locale == "en" else "指标"):]
    for fraction in ("2 ?/ ?3", "1 ?/ ?2", "2 ?/ ?2", "1 ?/ ?4"):
        assert re.search(fraction, measures), fraction
    if locale == "en":
        for title, value in EXPECTED_ROWS["en"]:
            # the row: title, its footnote number, then this month's value first
            assert re.search(re.escape(title) + r"\d+ " + re.escape(value) + r" ", measures), title
        assert "October 2026" in flat
        assert re.search(r"台城街道 3 2 2 1 50\.0% 100\.0% 33\.3% 15", flat)      # by town: visits, new, accepted, concluded…
        assert re.search(r"大江镇 1 1 1 1 100\.0% 0\.0% 0\.0% 17", flat)
        assert re.search(r"1 Labour and social security 2 66\.7%", flat)       # top issues
        assert "Page 1 of" in flat and "Generated 2026-11-01 08:30" in flat
    else:
        assert "2026年10月" in flat and "劳动社保" in flat and "邻里纠纷" in flat
        for value in ("66.7%", "50.0%", "100.0%", "25.0%", "16.8"):
            assert value in measures
        assert re.search(r"台城街道 3 2 2 1 50\.0% 100\.0% 33\.3% 15", flat)
        assert re.search(r"1 劳动社保 2 66\.7%", flat)
        assert "2026-11-01 08:30" in flat and re.search(r"第 ?1 ?页", flat)
    assert "开平" not in flat   # the other county's matter never appears


def test_cjk_font_is_embedded_and_every_page_has_its_number(october, tmp_path):
    pdf = summary.render_monthly_summary(unit=october.county, year=2026, month=10, locale="zh_Hans", now=GENERATED)
    path = tmp_path / "s.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)     # the "emb" column
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                                                            text=True).stdout).group(1))
    for n in range(1, pages + 1):
        page = subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert re.search(rf"第 ?{n} ?页.*共 ?{pages} ?页", _flat(page)), n
        assert "2026-11-01 08:30" in page


def test_an_empty_month_renders_with_dashes_not_errors(world, tmp_path):
    pdf = summary.render_monthly_summary(unit=world.city, year=2020, month=2, locale="en", now=GENERATED)
    flat = _flat(_text(pdf, tmp_path, "empty"))
    assert "February 2020" in flat and "No matters in this period." in flat
    assert re.search(r"Closure rate\d+ — ", flat)


def test_bad_arguments_are_domain_errors(world):
    from desk.errors import DomainError
    with pytest.raises(DomainError):
        summary.render_monthly_summary(unit=world.county, year=2026, month=13, locale="en")
    with pytest.raises(DomainError):
        summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale="fr")
    with pytest.raises(DomainError):
        summary.render_monthly_summary(unit=world.village, year=2026, month=10, locale="en")


def test_scheduled_run_archives_exactly_one_per_scope_month_and_language(october):
    first = run_job("monthly_summaries", now=GENERATED)
    second = run_job("monthly_summaries", now=GENERATED)
    rows = db.session.execute(sa.select(MonthlySummary.unit_id, MonthlySummary.year, MonthlySummary.month,
                                        MonthlySummary.locale, MonthlySummary.size)).all()
    units = {october.city.id, october.county.id, october.other_county.id}
    assert first.ok and second.ok and (first.count, second.count) == (6, 0)
    assert sorted((u, y, m, loc) for u, y, m, loc, _s in rows) == sorted(
        (u, 2026, 10, loc) for u in units for loc in ("zh_Hans", "en"))
    assert all(size > 10_000 for *_k, size in rows)
    assert summary.claim([october.county], 2026, 10) == 0           # a third claim adds nothing
    with pytest.raises(sa.exc.IntegrityError):                        # and the database itself refuses a twin
        db.session.add(MonthlySummary(unit_id=october.county.id, year=2026, month=10, locale="en", size=1, pdf=b"x"))
        db.session.flush()
    db.session.rollback()


def test_download_for_the_right_role_and_scope_only(october, login_as):
    world = october
    summary.claim([world.county, world.other_county], 2026, 10, locales=("en",))
    db.session.commit()
    county_row, far_row = (db.session.scalar(sa.select(MonthlySummary.id).where(MonthlySummary.unit_id == u.id))
                           for u in (world.county, world.other_county))
    official = login_as(Role.official)
    listing = official.get("/reports/summaries").get_data(as_text=True)
    assert f"/reports/summaries/{county_row}.pdf" in listing and f"/reports/summaries/{far_row}.pdf" not in listing
    response = follow_prepared(official, official.get(f"/reports/summaries/{county_row}.pdf"))   # not archived: made
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Type"] == "application/pdf"
    assert db.session.scalar(sa.select(MonthlySummary.pdf).where(MonthlySummary.id == county_row)) is None
    assert official.get(f"/reports/summaries/{far_row}.pdf").status_code == 404
    assert official.get("/reports/summaries/99999.pdf").status_code == 404
    assert login_as(Role.receptionist).get(f"/reports/summaries/{county_row}.pdf").status_code == 403
    assert login_as(Role.callback_staff).get("/reports/summaries").status_code == 403
    city = login_as(Role.official, unit=world.city)
    assert city.get(f"/reports/summaries/{far_row}.pdf").status_code == 303   # rendered (not stored) for the city


def test_on_demand_form_checks_month_unit_and_language(october, login_as):
    world = october
    official = login_as(Role.official)
    ok = follow_prepared(official, official.get(f"/reports/summaries/pdf?month=2026-10&unit_id={world.town.id}&locale=en"))
    assert ok.status_code == 200 and ok.data.startswith(b"%PDF")
    bad_month = official.get(f"/reports/summaries/pdf?month=2026-13&unit_id={world.county.id}&locale=en")
    assert bad_month.status_code == 400 and 'class="error"' in bad_month.get_data(as_text=True)
    assert official.get(f"/reports/summaries/pdf?month=2026-10&unit_id={world.county.id}&locale=xx").status_code == 400
    out_of_scope = official.get(f"/reports/summaries/pdf?month=2026-10&unit_id={world.other_county.id}&locale=en")
    assert out_of_scope.status_code == 400   # not among the choices offered to this user
    assert official.get("/reports/summaries/pdf?month=2026-10&unit_id=abc&locale=en").status_code == 400


@pytest.mark.parametrize("locale", ["en", "zh_Hans"])
def test_the_overdue_list_says_how_many_it_shows_and_labels_are_honest(world, tmp_path, locale):
    """52 matters still waiting for a decision since 1 September are overdue at the end of October: the PDF
    lists 50 of them and says so; the backlog's row reads "still open"; the footnotes use plain words."""
    for _ in range(52):
        make_case(world, received_on=date(2026, 9, 1))
    db.session.commit()
    pdf = summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale=locale, now=GENERATED)
    flat = _flat(_text(pdf, tmp_path, locale))
    if locale == "en":
        assert "Listed: 50 of 52, longest overdue first." in flat
        assert re.search(r"Still open 0 0 52 0 0", flat)     # 60 days old on 31 October and "Backlog by age at the end of the month" in flat
        assert "outreach" in flat[flat.index("Visits: Contacts"):][:200]
    else:
        assert re.search(r"列出 ?50 ?件（共 ?52 ?件）", flat)
        assert re.search(r"在办 0 0 52 0 0", flat) and "按收到天数" in flat and "受理时长" not in flat
    assert "percentile_cont" not in flat and "PostgreSQL" not in flat


@pytest.mark.parametrize("level,title", [("city", "By county"), ("county", "By town")])
def test_the_area_chart_is_titled_by_the_level_below(october, level, title):
    import base64
    from flask_babel import force_locale
    from reports.dashboard import measures
    with force_locale("en"):
        report = measures.month_report(unit=getattr(october, level), year=2026, month=10)
        uri = summary._charts(report)["by_town"]
    svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    assert title in svg and ({"By town", "By county"} - {title}).pop() not in svg


def test_outreach_lists_every_kind_with_a_total(world, tmp_path):
    pdf = summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale="en", now=GENERATED)
    flat = _flat(_text(pdf, tmp_path, "outreach"))
    section = flat[flat.index("Service kind"):]
    for kind in ("Legal advice", "Psychological counseling", "Social work", "Mediation", "Policy explanation"):
        assert re.search(re.escape(kind) + r" 0 0", section), kind
    assert re.search(r"Total 0 0", section)
    assert "policy explanation; kinds with none show 0" in flat


def test_the_repeat_footnotes_say_how_the_two_figures_relate(world, tmp_path):
    flat = _flat(_text(summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale="zh_Hans",
                                                      now=GENERATED), tmp_path, "repeats"))
    assert "单独列示；它们也计入重复访率" in flat


@pytest.mark.parametrize("locale,expected", [("en", "they are as of 2026-11-01 08:30 (Beijing time)"),
                                             ("zh_Hans", "以上为截至 2026-11-01 08:30（北京时间）的数据")])
def test_figures_that_can_still_change_say_as_of_when(world, tmp_path, locale, expected):
    flat = _flat(_text(summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale=locale,
                                                      now=GENERATED), tmp_path, f"asof-{locale}"))
    assert re.sub(r"\s", "", expected) in re.sub(r"\s", "", flat)   # pdftotext breaks CJK lines anywhere


@pytest.mark.parametrize("locale,banner,footer", [
    ("en", "Regenerated on 2026-12-03 10:00 (Beijing time). The summary archived on 2026-11-01 08:30",
     "Regenerated 2026-12-03 10:00"),
    ("zh_Hans", "本摘要于 2026-12-03 10:00（北京时间）重新生成。2026-11-01 08:30 归档的摘要", "重新生成于 2026-12-03 10:00")])
def test_the_archive_never_changes_and_a_regenerated_copy_says_so(october, login_as, tmp_path, clock, locale,
                                                                    banner, footer):
    """The 1st's archived PDF is the record: a later run and a later download return its very bytes; a copy made
    afterwards on demand says it was regenerated, when, and when the record was archived."""
    assert run_job("monthly_summaries", now=GENERATED).ok
    row = db.session.scalar(sa.select(MonthlySummary).where(MonthlySummary.unit_id == october.county.id,
                                                            MonthlySummary.locale == locale))
    archived = row.pdf
    clock("2026-12-03 10:00")
    assert run_job("monthly_summaries", now=datetime(2026, 11, 1, 1, 30)).count == 0   # a rerun adds nothing
    official = login_as(Role.official)
    assert official.get(f"/reports/summaries/{row.id}.pdf").data == archived
    word = "Regenerated" if locale == "en" else "重新生成"
    assert word not in _text(archived, tmp_path, "archived")
    again = follow_prepared(official, official.get(
        f"/reports/summaries/pdf?month=2026-10&unit_id={october.county.id}&locale={locale}"))
    flat = re.sub(r"\s", "", _text(again.data, tmp_path, "again"))
    assert re.sub(r"\s", "", banner) in flat and re.sub(r"\s", "", footer) in flat
    fresh = follow_prepared(official, official.get(
        f"/reports/summaries/pdf?month=2026-09&unit_id={october.county.id}&locale={locale}"))
    assert word not in _text(fresh.data, tmp_path, "fresh")               # September was never archived
    assert db.session.scalar(sa.select(MonthlySummary.pdf).where(MonthlySummary.id == row.id)) == archived
