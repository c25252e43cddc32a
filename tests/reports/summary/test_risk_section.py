"""The monthly summary's risk early warning section, read back with pdftotext from the real PDF in all three
languages: the hand-counted October of tests/reports/dashboard/test_risk_table.py (rebuilt from dated history, so
warnings closed or raised to red in November still count as open and orange in October), its footnote, the
"as of" note for a month not yet over, and an empty month."""
import re
from datetime import datetime

import pytest

from reports.summary import services as summary
from tests.reports.dashboard.test_risk_table import EXPECTED, TOTAL, build_october
from tests.reports.summary.test_summary import GENERATED, _flat, _text

LABELS = {
    "en": {"group_visit": "Group visit", "frequent": "Frequent visits by one person",
           "extreme_words": "Words of extreme intent", "total": "Total", "title": "Risk early warnings"},
    "zh_Hans": {"group_visit": "集体访", "frequent": "同一人频繁来访", "extreme_words": "极端言行词语",
                "total": "合计", "title": "风险预警"},
    "zh_Hant": {"group_visit": "集體訪", "frequent": "同一人頻繁來訪", "extreme_words": "極端言行詞語",
                "total": "合計", "title": "風險預警"},
}
SENTENCES = {
    "en": "Raised 4 (yellow 2 · orange 1 · red 1) · acknowledged 2 · dealt with and closed 2 · open at the end of "
          "the month 3, of which not acknowledged 2.",
    "zh_Hans": "发出预警 4 条（黄色 2 · 橙色 1 · 红色 1）· 签收 2 条 · 处置 2 条 · 月末未处置 3 条，其中未签收 2 条。",
    "zh_Hant": "發出預警 4 條（黃色 2 · 橙色 1 · 紅色 1）· 簽收 2 條 · 處置 2 條 · 月末未處置 3 條，其中未簽收 2 條。",
}
FOOTNOTES = {"en": "Counted from each warning's dated history", "zh_Hans": "均按每条预警有日期的记录重建",
             "zh_Hant": "均按每條預警有日期的記錄重建"}


@pytest.fixture
def october(world, clock):
    return build_october(world, clock)


def _risk_part(flat: str, locale: str) -> re.Match:
    """The section's heading: its title, its footnote number, then the first word of its sentence."""
    heading = re.search(re.escape(LABELS[locale]["title"]) + r"(\d+) " + re.escape(SENTENCES[locale].split(" ")[0]),
                        flat)
    assert heading, "no risk section with its footnote number and sentence"
    return heading


@pytest.mark.parametrize("locale", ["en", "zh_Hans", "zh_Hant"])
def test_the_pdf_shows_the_hand_counted_risk_figures(october, world, tmp_path, locale):
    pdf = summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale=locale, now=GENERATED)
    flat = _flat(_text(pdf, tmp_path, locale))
    labels = LABELS[locale]
    heading = _risk_part(flat, locale)
    section = flat[heading.start():]
    compact = re.sub(r"\s", "", section)
    assert re.sub(r"\s", "", SENTENCES[locale]) in compact
    for kind in ("group_visit", "frequent", "extreme_words"):
        numbers = " ".join(map(str, EXPECTED[kind]))
        assert re.search(re.escape(labels[kind]) + r"\s+" + numbers, section), kind
    assert re.search(re.escape(labels["total"]) + r"\s+" + " ".join(map(str, TOTAL)), section)
    definition = flat[flat.rindex(f"{labels['title']}:"):]                  # the footnote, in the definitions
    assert re.sub(r"\s", "", FOOTNOTES[locale]) in re.sub(r"\s", "", definition)[:400]
    assert "risk-as-of" not in flat and "尚未结束" not in flat and "is not over" not in flat   # October is over
    assert "开平" not in flat and "開平" not in flat


@pytest.mark.parametrize("locale, note", [
    ("en", "The month is not over: the warnings open at its end are those open at 2026-11-20 10:00 (Beijing time)"),
    ("zh_Hans", "本月尚未结束：月末未处置的预警为截至 2026-11-20 10:00（北京时间）的数据"),
])
def test_a_month_not_over_says_as_of_when(october, world, tmp_path, locale, note):
    pdf = summary.render_monthly_summary(unit=world.county, year=2026, month=11, locale=locale,
                                         now=datetime(2026, 11, 20, 2, 0))
    flat = _flat(_text(pdf, tmp_path, f"nov-{locale}"))
    assert re.sub(r"\s", "", note) in re.sub(r"\s", "", flat)
    total = LABELS[locale]["total"]
    # November: W5 raised (the spike), W3 acknowledged and closed; W2 and W4 still open, W4 not acknowledged
    assert re.search(re.escape(total) + r"\s+1 1 0 0 1 1 3 2", flat[_risk_part(flat, locale).start():])


def test_an_empty_month_says_so(world, tmp_path):
    flat = _flat(_text(summary.render_monthly_summary(unit=world.county, year=2026, month=10, locale="zh_Hans",
                                                      now=GENERATED), tmp_path, "empty"))
    assert "本月没有发出或未处置的风险预警。" in flat
