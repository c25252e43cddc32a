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
