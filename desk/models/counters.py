"""Named counters for human-readable numbers (case references, queue tickets)."""
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from desk.extensions import db


class Counter(db.Model):
    key: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def next_number(key: str) -> int:
    """Increment and return a counter inside the caller's transaction; safe under concurrent writers."""
    table = Counter.__table__
    stmt = table.update().where(table.c.key == key).values(value=table.c.value + 1).returning(table.c.value)
    value = db.session.execute(stmt).scalar()
    if value is not None:
        return value
    try:
        with db.session.begin_nested():
            db.session.execute(table.insert().values(key=key, value=1))
        return 1
    except sa.exc.IntegrityError:
        # Another writer created it between our update and insert: increment theirs.
        return db.session.execute(stmt).scalar_one()
