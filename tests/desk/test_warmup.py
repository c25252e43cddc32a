"""The background warm-up of a fresh process (desk/warmup.py): what it prepares, and that tests do not start it."""
from datetime import datetime

from desk import create_app
from desk.config import TestConfig
from desk.warmup import warm_up


def test_warm_up_compiles_the_templates_and_runs_the_dashboard_once(app, world, clock):
    clock(datetime(2026, 11, 20, 2, 0))
    ran = []
    app.extensions["desk.warmers"] = [lambda: ran.append("first"), lambda: 1 / 0, *app.extensions["desk.warmers"]]
    app.jinja_env.cache.clear()
    assert warm_up(app) >= 0                       # a failing step is logged, never raised
    cached = {key[1] for key in app.jinja_env.cache.keys()}
    assert {"reports/dashboard/overview.html", "base.html", "intake/reception/walk_in.html"} <= cached
    assert ran == ["first"] and any(w.__name__ == "warm_dashboard" for w in app.extensions["desk.warmers"])


def test_tests_and_cli_do_not_warm_up_but_a_serving_app_does(tmp_path):
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + str(tmp_path / "empty.sqlite")
    assert "desk.warm_up" not in create_app(config).extensions
    served = create_app(dict(config, WARM_UP=True))
    thread = served.extensions["desk.warm_up"]
    thread.join(60)
    assert not thread.is_alive()                   # an empty database: the dashboard step is skipped, not fatal


def test_the_pdf_engine_is_loaded_once_in_its_own_thread_and_a_failed_load_is_tried_again(app, monkeypatch):
    import subprocess
    import tempfile

    from desk import pdf
    monkeypatch.setattr(pdf, "_engine", None)
    monkeypatch.setattr(pdf, "WARM_HTML", None)          # WeasyPrint refuses a document with no source
    failed = pdf.warm_engine()
    assert failed.exception(timeout=60) is not None
    monkeypatch.undo()
    monkeypatch.setattr(pdf, "_engine", None)
    first = pdf.warm_engine()
    assert first is not failed and pdf.warm_engine() is first
    assert first.result(timeout=60).__module__.startswith("weasyprint")
    with app.test_request_context():
        document = pdf.render_pdf_html("<p>月度工作汇总 <b>办结率</b></p>")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(document)
        handle.flush()
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", handle.name, "-"], capture_output=True, text=True)
    assert "月度工作汇总" in text.stdout and "办结率" in text.stdout
