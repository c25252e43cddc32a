"""Charts for the dashboard and the monthly PDF, drawn by pygal as SVG text (no hand-made geometry).

Each function takes rows from reports.dashboard.measures and returns an SVG string with a CJK-capable font
family. pygal adds an inline <script> for browser tooltips; it is removed here, so the same SVG is
safe under the desk's CSP (shown through ``svg_data_uri`` in an <img>) and in WeasyPrint.
"""
import base64
import re

import pygal
from flask_babel import gettext as _
from pygal.style import Style

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif"
STYLE = Style(font_family=FONT, background="white", plot_background="white", foreground="#333",
              foreground_strong="#111", foreground_subtle="#777", opacity=".85", opacity_hover=".95",
              colors=("#1f5fa6", "#d9822b", "#3a9a5b", "#b8433f", "#7a5cae", "#8c6d31", "#3f8f9e", "#c2568f",
                      "#6b7a8f", "#a8a23a"),
              title_font_size=16, label_font_size=12, major_label_font_size=12, legend_font_size=12,
              value_font_size=11, tooltip_font_size=12, no_data_font_size=16)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _options(**extra) -> dict:
    options = dict(style=STYLE, js=[], disable_xml_declaration=True, width=720, height=360,
                   legend_at_bottom=True, legend_at_bottom_columns=4, truncate_legend=-1, truncate_label=-1,
                   print_values=False, no_data_text=_("No data for this period"))
    options.update(extra)
    return options


def _render(chart) -> str:
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def category_mix_svg(rows: list[dict], limit: int = 8) -> str:
    """New matters by top-level category (rows of measures.by_category); the smallest are summed as "Other"."""
    rows = [r for r in rows if r.get("new_cases")]
    chart = pygal.Pie(**_options(inner_radius=0.45, title=_("New cases by category")))
    for row in rows[:limit]:
        chart.add(str(row["name"]), row["new_cases"])
    rest = sum(r["new_cases"] for r in rows[limit:])
    if rest:
        chart.add(_("Other"), rest)
    return _render(chart)


def trend_svg(rows: list[dict]) -> str:
    """Visits, new and concluded matters per month (rows of measures.trend)."""
    chart = pygal.Line(**_options(title=_("Twelve-month trend"), x_label_rotation=0, show_minor_x_labels=True,
                                  dots_size=3, min_scale=4))
    chart.x_labels = [r["month"] for r in rows]
    if any(r["visits"] or r["new_cases"] or r["concluded"] for r in rows):
        chart.add(_("Visits"), [r["visits"] for r in rows])
        chart.add(_("New cases"), [r["new_cases"] for r in rows])
        chart.add(_("Concluded"), [r["concluded"] for r in rows])
    return _render(chart)


def by_town_svg(rows: list[dict], title: str | None = None) -> str:
    """New and concluded matters per town (rows of measures.by_town), one bar pair per town."""
    rows = list(reversed(rows))       # pygal draws the first label at the bottom
    height = max(360, 80 + 30 * len(rows))
    chart = pygal.HorizontalBar(**_options(title=title or _("By town"), height=height))
    chart.x_labels = [str(r["name"]) for r in rows]
    if any(r["new_cases"] or r["concluded"] for r in rows):
        chart.add(_("New cases"), [r["new_cases"] for r in rows])
        chart.add(_("Concluded"), [r["concluded"] for r in rows])
    return _render(chart)


def svg_data_uri(svg: str) -> str:
    """For <img src=...>: an SVG image keeps its own styles under the page's CSP (img-src allows data:)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
