"""A database made by the first release, with its demo, by the first release's own code (a clone of this repository
at that commit), upgrades with today's migrations to exactly today's schema with every row of every table it had
still there, unchanged over the columns it had (issue 19). On SQLite this needs foreign keys off while a table is
rebuilt (desk/migrations/env.py)."""
from contextlib import closing

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from desk import create_app
from desk.config import TestConfig
from desk.extensions import db
from tests.faults import empty_database, FIRST_RELEASE, build_release_database, connect, release_checkout, release_rows, rows_lost


@pytest.fixture
def release_url(backend, database_urls, tmp_path):
    """An empty database of the test's kind for the first release to fill."""
    with empty_database(backend, database_urls, tmp_path, "release") as url:
        yield url


def test_first_release_database_upgrades_keeping_every_row(release_url, tmp_path):
    checkout = release_checkout(FIRST_RELEASE, tmp_path)
    if checkout is None:
        pytest.skip(f"this checkout's history does not hold the first release {FIRST_RELEASE[:7]} (a shallow clone)")
    instance = tmp_path / "instance"
    instance.mkdir()
    build_release_database(checkout, release_url, instance)
    with closing(connect(release_url)) as conn:
        before = release_rows(conn)
    assert len(before["case"][2]) > 100 and len(before["audit_entry"][2]) > 100    # the release's demo is there

    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    app = create_app({**config, "SQLALCHEMY_DATABASE_URI": release_url})
    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory)
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), db.metadata)
        db.engine.dispose()
    assert diff == []
    with closing(connect(release_url)) as conn:
        assert rows_lost(before, conn) == {}
        if release_url.startswith("sqlite"):
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
