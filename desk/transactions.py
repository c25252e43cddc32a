"""Transactions on SQLite: writing requests take the write lock at BEGIN, except views that opt to read
first (validation, look-ups, rendering) and take the lock only for their short write phase.

A deferred SQLite transaction that reads and then writes fails at once (SQLITE_BUSY_SNAPSHOT) when
another worker wrote in between, so a read-first view must end its read transaction and begin a new,
immediate one before it writes: ``begin_write()``. On PostgreSQL both are plain transactions.
"""
from desk.extensions import db, write_intent


def read_first(view):
    """Mark a POST view whose reads run without the write lock; it must call begin_write() to write."""
    view.read_first = True
    return view


def begin_write() -> None:
    db.session.commit()  # ends the read transaction (nothing is pending); loaded objects are expired
    write_intent.set(True)

