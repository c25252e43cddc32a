"""SQLite tuning: WAL, foreign keys, and a queue for writers.

A deferred transaction that reads and then writes fails at once (SQLITE_BUSY_SNAPSHOT) when another
process wrote in between, so writing units of work BEGIN IMMEDIATE (see desk/transactions.py).
Writers that find the lock taken would sit in SQLite's busy handler, which polls with sleeps of up to
100 ms; instead they queue on an OS file lock beside the database, which wakes the next writer the
moment the previous one returns its connection.
"""
import fcntl
import os

from flask import request
from sqlalchemy import event

from desk.extensions import db, write_intent

PRAGMAS = ("journal_mode=WAL", "foreign_keys=ON", "busy_timeout=30000", "synchronous=NORMAL")


def install(app, engine) -> None:
    database = engine.url.database
    lock_path = database + ".writelock" if database and database != ":memory:" else None

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, record):
        dbapi_conn.isolation_level = None  # the "begin" listener below emits BEGIN itself
        cursor = dbapi_conn.cursor()
        for pragma in PRAGMAS:
            cursor.execute("PRAGMA " + pragma)
        cursor.close()
        if lock_path:
            record.info["lock_fd"] = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)

    @event.listens_for(engine, "close")
    def _close(dbapi_conn, record):
        fd = record.info.pop("lock_fd", None)
        if fd is not None:
            os.close(fd)  # closing the descriptor also drops any lock it held

    @event.listens_for(engine, "begin")
    def _begin(conn):
        if write_intent.get():
            fd = conn.info.get("lock_fd")
            if fd is not None and not conn.info.get("locked"):
                fcntl.flock(fd, fcntl.LOCK_EX)
                conn.info["locked"] = True
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
        conn.info["immediate"] = write_intent.get()

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn, record):
        if record.info.pop("locked", False):
            fcntl.flock(record.info["lock_fd"], fcntl.LOCK_UN)

    @app.before_request
    def _mark_intent():
        view = app.view_functions.get(request.endpoint)
        write_intent.set(request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(view, "read_first", False))
        _end_a_reading_transaction()

    def _end_a_reading_transaction():
        """A session that outlives one request (a test's or the CLI's app context) may still hold the read
        transaction of the request before; a writing request would then write in it, which fails at once when
        another connection (a background file) wrote in between. It is ended first; a request in its own app
        context never has one."""
        if not write_intent.get() or not db.session().in_transaction():
            return
        if not db.session.connection().info.get("immediate", True):
            db.session.commit()
