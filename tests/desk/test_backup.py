"""`flask desk backup` / `flask desk restore` (desk/backup.py, issue 19): a backup taken while another thread keeps
registering visits, restored into a fresh database, equals the database at the backup moment — every table's row
count and checksum as read inside the very snapshot the copy was made from (SQLite's read transaction,
PostgreSQL's exported snapshot that pg_dump reads) — and not the database as it stood later. Clear refusals,
exit codes and no tracebacks for a missing file, a file that is not a backup, a damaged one, the other database's
kind, and a database that already holds data."""
import sqlite3
import time
from contextlib import closing

import pytest
import sqlalchemy as sa

from desk.backup import BackupError, backup_database, libpq_params, restore_database, shown
from desk.extensions import db
from desk.models import OrgUnit, Person
from tests.factories import make_person
from tests.faults import empty_database, Registrations, connect, fingerprints, mismatched


@pytest.fixture
def fresh_url(backend, database_urls, tmp_path):
    """An empty database of the test's kind to restore into."""
    with empty_database(backend, database_urls, tmp_path, "restored") as url:
        yield url


def test_backup_while_registering_restores_the_backup_moment(app, world, tmp_path, fresh_url):
    place_id, category_id = world.village.id, world.category.id
    db.session.close()
    path = tmp_path / "desk.backup"
    seen = {}

    def at_snapshot(conn):
        seen["state"] = fingerprints(conn)
        seen["committed"] = len(writer.committed)
        # more visits are committed after the snapshot was fixed and before a page or a table is copied
        writer.wait_for(seen["committed"] + 3)

    def slowly(message):
        time.sleep(0.002)   # SQLite copies 2 pages a step: the writer commits between the steps

    # a limit, so that a copy which restarted on every commit would end (and fail) rather than hang
    with Registrations(app, place_id=place_id, category_id=category_id, limit=1000) as writer:
        writer.wait_for(3)
        started = time.monotonic()
        summary = backup_database(db.engine.url, str(path), on_snapshot=at_snapshot, progress=slowly, step_pages=2)
        ended = time.monotonic()
        writer.wait_for(len(writer.committed) + 1)
    assert not writer.errors
    during = sum(started <= moment <= ended for moment in writer.committed)
    assert during >= 3

    restored = restore_database(fresh_url, str(path))
    with closing(connect(fresh_url)) as conn:
        copy = fingerprints(conn)
    with closing(connect(db.engine.url)) as conn:
        live = fingerprints(conn)
    state = seen["state"]
    assert mismatched(state, copy) == []
    assert state["visit"][0] >= 3 and state["case"][0] == state["visit"][0]
    # the live database went on past the backup moment, so the comparison could have failed
    assert live["visit"][0] >= state["visit"][0] + during
    assert mismatched(state, live) != []
    rows = sum(count for count, _ in state.values())
    assert (summary.tables, summary.rows) == (restored.tables, restored.rows) == (len(state), rows)
    assert summary.bytes == path.stat().st_size > 0


def test_commands_print_a_summary_and_restore_refuses_data_unless_forced(app, world, runner, tmp_path):
    path = tmp_path / "desk.backup"
    result = runner.invoke(args=["desk", "backup", str(path)])
    assert result.exit_code == 0, result.output
    assert f"({path})" in result.output and " rows, " in result.output and " bytes, " in result.output
    tables = int(result.output.split("backup: ")[1].split(" tables")[0])
    assert tables == len(db.metadata.tables)
    make_person(world, "备份后来访")
    db.session.commit()
    db.session.close()

    result = runner.invoke(args=["desk", "restore", str(path)])
    assert result.exit_code == 1
    assert "already holds data" in result.output and "--force" in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == "备份后来访")) == 1
    db.session.close()

    result = runner.invoke(args=["desk", "restore", str(path), "--force"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("restore: ") or "\nrestore: " in result.output
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == "备份后来访")) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit)) > 0


def test_backup_never_overwrites_a_file_unless_forced(app, world, runner, tmp_path):
    path = tmp_path / "desk.backup"
    path.write_bytes(b"an earlier file")
    result = runner.invoke(args=["desk", "backup", str(path)])
    assert result.exit_code == 1 and "already exists" in result.output and "Traceback" not in result.output
    assert path.read_bytes() == b"an earlier file"
    result = runner.invoke(args=["desk", "backup", str(path), "--force"])
    assert result.exit_code == 0, result.output
    assert path.read_bytes() != b"an earlier file"


def _not_a_backup(backend, tmp_path, good):
    """Files a restore must refuse, each with the words its message must carry."""
    text = tmp_path / "notes.txt"
    text.write_text("这不是备份\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    other = tmp_path / "other.sqlite"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO note (body) VALUES ('x')")
        conn.commit()
    cut = tmp_path / "cut.backup"
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    files = [(tmp_path / "missing.backup", "no backup at"), (text, "is not a desk backup"),
             (folder, "is a directory"), (cut, "")]
    if backend == "sqlite":
        wrong = tmp_path / "pg.dump"
        wrong.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 100)
        files += [(other, "not a desk backup"), (wrong, "is a PostgreSQL (pg_dump) backup, but")]
    else:
        files += [(other, "is an SQLite backup, but")]
    return files


def test_restore_refuses_what_is_not_a_whole_desk_backup(app, backend, world, runner, tmp_path):
    good = tmp_path / "good.backup"
    assert runner.invoke(args=["desk", "backup", str(good)]).exit_code == 0
    units = db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit))
    db.session.close()
    for path, words in _not_a_backup(backend, tmp_path, good):
        result = runner.invoke(args=["desk", "restore", str(path), "--force"])
        assert result.exit_code in (1, 2), (path, result.output)   # 2: click's own check of PATH
        assert "Error" in result.output and words in result.output, (path, result.output)
        assert "Traceback" not in result.output
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit)) == units
        db.session.close()


def test_a_restore_that_fails_half_way_leaves_the_database_as_it_was(app, world, tmp_path):
    """A backup whose first part reads well and whose end is cut off (or damaged, for SQLite)."""
    path = tmp_path / "good.backup"
    backup_database(db.engine.url, str(path))
    make_person(world, "仍在")
    db.session.commit()
    db.session.close()
    data = bytearray(path.read_bytes())
    if db.engine.dialect.name == "sqlite":
        # the root page of a table that holds rows gets a b-tree header no page can have (bytes in the middle of
        # the file may fall on free space or inside a row's text, which no structural check can see)
        with closing(sqlite3.connect(str(path))) as conn:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'org_unit'").fetchone()[0]
        data[(root - 1) * page_size:(root - 1) * page_size + 8] = b"\xff" * 8
    else:
        del data[int(len(data) * 0.8):]
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(data))
    with pytest.raises(BackupError) as refused:
        restore_database(db.engine.url, str(damaged), force=True)
    assert "damaged" in str(refused.value) or "failed" in str(refused.value) or "cannot be read" in str(refused.value)
    assert db.session.scalar(sa.select(sa.func.count()).where(Person.name == "仍在")) == 1


def test_the_password_goes_to_the_tools_in_the_environment_only():
    url = "postgresql+psycopg://desk:s3cret@db.example:6543/desk?sslmode=require"
    conninfo, env = libpq_params(url)
    assert "s3cret" not in conninfo and env["PGPASSWORD"] == "s3cret"
    assert all(part in conninfo for part in ("host=db.example", "port=6543", "user=desk", "dbname=desk",
                                             "sslmode=require"))
    assert "s3cret" not in shown(url)
