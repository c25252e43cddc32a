"""Shared fixtures: an app on each database backend, clients, logins by role, and factories.

Every test that takes ``app`` (or anything built on it) runs once on SQLite and once on PostgreSQL
when a server is reachable (TEST_DATABASE_URL, else a local server on 127.0.0.1:5432).
"""
import os
import socket
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from desk import create_app
from desk.config import TestConfig
from desk.extensions import db
from tests.factories import World, build_world, make_user

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

if os.environ.get("FAKETIME"):
    # Under `make test-dates` libfaketime (0.9.10) answers Python's absolute monotonic clock_nanosleep
    # with EINVAL, so time.sleep fails; a timed wait on an event sleeps the same through another call.
    import threading
    import time

    time.sleep = lambda seconds: threading.Event().wait(seconds)


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            pass
    except OSError:
        return None
    try:
        engine = sa.create_engine(PG_DEFAULT)
        with engine.connect():
            pass
        engine.dispose()
        return PG_DEFAULT
    except Exception:
        return None


PG_URL = _postgres_url()
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """One empty schema per backend and worker, created once per session."""
    urls = {"sqlite": "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")}
    if PG_URL:
        # TEST_DB_SUFFIX keeps parallel checkouts on one machine out of each other's databases.
        suffix = os.environ.get("TEST_DB_SUFFIX", "")
        name = f"desk_test{'_' + suffix if suffix else ''}_{_worker()}"
        admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        urls["postgresql"] = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    for backend, url in urls.items():
        app = create_app(_config(url))
        with app.app_context():
            db.create_all()
            db.engine.dispose()
    return urls


def _config(url: str) -> dict:
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = url
    return config


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture
def app(backend, database_urls):
    app = create_app(_config(database_urls[backend]))
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def csrf_app(backend, database_urls):
    """The app with CSRF protection on, as in production (the other tests leave it off)."""
    config = _config(database_urls[backend])
    config["WTF_CSRF_ENABLED"] = True
    app = create_app(config)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()


def client_for(app, user):
    """A test client of ``app`` logged in as ``user``."""
    test_client = app.test_client()
    with test_client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return test_client


def _empty_all_tables() -> None:
    _wait_for_prepared_files()
    tables = [t for t in db.metadata.sorted_tables]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                conn.execute(table.delete())


def _wait_for_prepared_files(timeout_s: float = 60.0) -> None:
    """Files a test asked for and did not wait for are finished before the tables are emptied: a thread still
    writing would leave its rows in the next test's database."""
    import threading
    for thread in threading.enumerate():
        if thread.name.startswith("prepared-file-"):
            thread.join(timeout_s)


@pytest.fixture(autouse=True)
def _release_clock():
    """A test that pins the desk's clock never leaves it pinned for the next one."""
    yield
    from desk.timeutil import freeze
    freeze(None)


@pytest.fixture(autouse=True)
def _forget_entered_holidays():
    """Days an administrator entered in one test's database never stay in the shared calendar for the next."""
    yield
    from desk.workcalendar import default_calendar
    default_calendar().use_entered({}, None)


@pytest.fixture
def clock():
    """``clock("2026-11-20 10:00")`` pins the desk's clock at that China wall-clock time (or a naive UTC
    ``datetime``); returns the naive UTC moment. For tests whose expectations hold only at a known date."""
    from datetime import datetime, timezone

    from desk.timeutil import LOCAL, freeze

    def pin(when):
        if isinstance(when, str):
            when = datetime.fromisoformat(when).replace(tzinfo=LOCAL).astimezone(timezone.utc).replace(tzinfo=None)
        freeze(when)
        return when
    return pin


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app) -> World:
    """A small org tree: a city, two counties, towns, villages, sites, rooms, departments, categories."""
    world = build_world()
    db.session.commit()
    return world


@pytest.fixture
def login_as(app, world):
    """``login_as(role, unit=None, department=None)`` → a test client logged in as a new user."""
    def login(*roles, unit=None, department=None, username=None):
        user = make_user(world, *roles, unit=unit or world.county, department=department, username=username)
        db.session.commit()
        test_client = client_for(app, user)
        test_client.user = user
        return test_client
    return login


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = Path(__file__).parent / "e2e" / "artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def tmp_instance(tmp_path):
    return Path(tempfile.mkdtemp(dir=tmp_path))


# Figures a test reports (requests sent, routes covered): recorded as the "figure" user property, which
# pytest-xdist carries back from its workers, and printed at the end of the run.
_FIGURES: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call":
        _FIGURES.extend(value for name, value in report.user_properties if name == "figure")


def pytest_terminal_summary(terminalreporter):
    for line in _FIGURES:
        terminalreporter.write_line(line)
