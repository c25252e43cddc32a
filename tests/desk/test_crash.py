"""Issue 19 ("Faults"), the crash part in short: a gunicorn worker and then the whole server killed with SIGKILL
while visitors are registered through the reception form; every acknowledged registration is there once and
nothing is half written. tests/bench/bench_crash.py is the long run on the demo."""
import pytest

from desk import create_app
from desk.extensions import db
from desk.models import Role
from tests.bench.bench_crash import SERVER_ENV, TABLES, Server, crash_run, inspect_database
from tests.bench.common import last_ids
from tests.bench.bench_registration import free_port
from tests.factories import build_world, make_user
from tests.faults import empty_database

pytestmark = pytest.mark.xdist_group("crash")

LOGIN = {"username": "reception", "password": "crash-pass-1"}


def seed_reception(url: str) -> None:
    """The tables, a small world and a receptionist of the county (whose site issues queue tickets)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WARM_UP": False,
                      "SECRET_KEY": SERVER_ENV["SECRET_KEY"], "PII_KEY": SERVER_ENV["PII_KEY"]})
    with app.app_context():
        db.create_all()
        world = build_world()
        make_user(world, Role.receptionist, unit=world.county, username=LOGIN["username"], password=LOGIN["password"])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def test_killed_server_loses_no_acknowledged_registration(backend, database_urls, tmp_path):
    with empty_database(backend, database_urls, tmp_path, "crash") as url:
        seed_reception(url)
        before = last_ids(url, TABLES)
        with open(tmp_path / "gunicorn.log", "w") as log:
            server = Server(free_port(), {"DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path)}, log)
            run = crash_run(server, total=60, clients=4, login=LOGIN, every=(0.5, 1.0), worker_kills=1, seconds=35)
        found = inspect_database(url, run, before)
    assert run.failure == ""
    assert (run.worker_kills, run.server_kills) == (1, 1), dict(run.errors)  # the server: at 30 acknowledged
    assert found.lost == []
    assert found.half == []
