"""PDF rendering for every area's documents: WeasyPrint, with the CJK fonts embedded.

The first PDF of a process pays for importing WeasyPrint and for loading the fonts and its own stylesheets
(about 1 s on a 2-core machine; tests/bench/bench_monthly_pdf.py, issue 19). ``warm_engine()`` starts that
work once per process in a background thread: a caller with its own queries to run first (the monthly
summary) starts it before them and the two overlap; the warm-up of a serving process starts it too."""
import threading
from concurrent.futures import Future

from flask import current_app

# A page with what the documents use: the CJK fonts regular and bold, a heading, a table, digits and Latin.
WARM_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
  @page { size: A4; margin: 20mm; @bottom-center { content: counter(page); font-family: "Noto Sans CJK SC"; } }
  body { font-family: "Noto Sans CJK SC", "Noto Sans CJK TC", sans-serif; font-size: 9.5pt; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 0.6pt solid #aab4c3; padding: 1mm; }
  th { font-weight: 700; }</style></head>
<body><h1>月度工作汇总</h1><p>信访事项 Monthly summary 2026-10 · 98.5% <b>满意率</b> <sup>1</sup></p>
<table><thead><tr><th>指标</th><th>數值</th></tr></thead><tbody><tr><td>办结率</td><td>1,234</td></tr></tbody></table>
</body></html>"""

_engine: Future | None = None
_engine_lock = threading.Lock()


def warm_engine() -> Future:
    """A future of ``weasyprint.HTML``, imported and warmed by one small render; started once per process."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = Future()
            threading.Thread(target=_load_engine, args=(_engine,), name="desk-pdf-engine", daemon=True).start()
        return _engine


def _load_engine(future: Future) -> None:
    global _engine
    try:
        from weasyprint import HTML
        HTML(string=WARM_HTML).write_pdf()
    except BaseException as err:   # handed to whoever waits; the next caller tries again
        with _engine_lock:
            _engine = None
        future.set_exception(err)
    else:
        future.set_result(HTML)


def render_pdf_html(html: str) -> bytes:
    """The PDF of a rendered HTML page; relative URLs resolve against the application's folder."""
    html_document = warm_engine().result()
    return html_document(string=html, base_url=current_app.root_path).write_pdf()
