"""Transactions on SQLite: writing requests take the write lock at BEGIN, except views that opt to read
first (validation, look-ups, rendering) and take the lock only for their short write phase.

A deferred SQLite transaction that reads and then writes fails at once (SQLITE_BUSY_SNAPSHOT) when
another worker wrote in between, so a read-first view must end its read transaction and begin a new,
immediate one before it writes: ``begin_write()``. On PostgreSQL both are plain transactions.
"""
from contextlib import contextmanager

import sqlalchemy as sa

from desk.extensions import db, write_intent


def read_first(view):
    """Mark a POST view whose reads run without the write lock; it must call begin_write() to write."""
    view.read_first = True
    return view


def begin_write(*, keep=()) -> None:
    """End the read transaction (nothing is pending) and write from here on, under the write lock.

    What was read so far is expired, since another worker may change it before the lock is taken, except
    the objects in ``keep`` and what they have loaded (the acting user with its roles and org unit;
    configuration rows such as the place, category or site that the write phase only reads): reading
    those again would only cost queries.
    """
    session = db.session()
    kept = _with_loaded_relations(keep)
    expire_on_commit, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
    for obj in list(session.identity_map.values()):
        if id(obj) not in kept:
            session.expire(obj)
    write_intent.set(True)


@contextmanager
def write_phase():
    """A short write inside reading work (a GET that counts a hit, a background file's part or progress beat):
    the read transaction ends first, the phase runs under the write lock and is committed, and what comes after
    reads without the lock again."""
    db.session.commit()
    token = write_intent.set(True)
    try:
        yield
        db.session.commit()
    finally:
        write_intent.reset(token)


def _with_loaded_relations(objects) -> set[int]:
    """ids of the objects and of the objects their already loaded relationships hold."""
    kept: set[int] = set()
    for obj in objects:
        if obj is None:
            continue
        kept.add(id(obj))
        state = sa.inspect(obj)
        for rel in state.mapper.relationships:
            value = state.dict.get(rel.key)
            for related in value if isinstance(value, list) else [value]:
                if related is not None:
                    kept.add(id(related))
    return kept


def insert_ignoring_duplicates(table, rows: list[dict]) -> int:
    """INSERT that skips rows whose unique key exists already (a second writer or a second run wins nothing)."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    key = list(table.primary_key.columns)[0]
    return len(db.session.execute(insert(table).on_conflict_do_nothing().returning(key), rows).all())
