"""The small demo seeded once per test process and moment, then copied in for every test that reads it.

Seeding the demo takes 10–20 s a backend; a dozen test modules only read it (the recount, the drill-downs, the
authorization matrix, the fuzzer, the crawls, the browser journeys). ``load_demo`` seeds the first time a
(backend, size, seed, moment) is asked for, keeps a copy (an SQLite online backup, a PostgreSQL template
database), and restores that copy into the test database the next times. Tests that check seeding itself
(tests/desk/test_demo.py, test_demo_dates.py) still call ``seed_demo``.
"""
import os
import sqlite3
import tempfile

import sqlalchemy as sa

from desk.demo.seed import seed_demo
from desk.extensions import db

_COPIES: dict[tuple, str] = {}
_DIR = tempfile.mkdtemp(prefix="desk-demo-")


def _moment():
    from desk.timeutil import _frozen
    return _frozen.get("now")


def load_demo(*, size: str = "small", seed: int = 7) -> None:
    """The demo in the current app's (empty) test database, as ``seed_demo(size, seed)`` at the pinned moment
    would make it (unpinned: as the first seeding in this process made it)."""
    url = db.engine.url
    key = (url.render_as_string(hide_password=False), size, seed, _moment())
    copy = _COPIES.get(key)
    if copy is None:
        seed_demo(size=size, seed=seed)
        db.session.commit()
        _COPIES[key] = _save(url, len(_COPIES))
    else:
        _restore(url, copy)
    from desk.holidays import sync_calendar
    sync_calendar()


def _admin(url):
    return sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _save(url, number: int) -> str:
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        path = os.path.join(_DIR, f"demo-{os.getpid()}-{number}.sqlite")
        with sqlite3.connect(url.database) as source, sqlite3.connect(path) as target:
            source.backup(target)
        return path
    name = f"{url.database}_demo{number}"
    admin = _admin(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
    admin.dispose()
    return name


def _restore(url, copy: str) -> None:
    db.session.remove()
    db.engine.dispose()
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(copy) as source, sqlite3.connect(url.database) as target:
            source.backup(target)
        return
    admin = _admin(url)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}" TEMPLATE "{copy}"'))
    admin.dispose()
