"""String enums whose members carry translated titles (stored as plain strings in the database)."""
from enum import StrEnum

import sqlalchemy as sa


class TitledEnum(StrEnum):
    """A StrEnum whose subclasses define ``__titles__``: member value -> lazy translated title."""

    @property
    def title(self):
        return type(self).__titles__()[self.value]

    @classmethod
    def choices(cls):
        return [(m.value, m.title) for m in cls]


def enum_column(enum_cls, **kw):
    """A portable VARCHAR column for an enum (no native PostgreSQL type to migrate)."""
    return sa.Enum(enum_cls, native_enum=False, length=32, validate_strings=True,
                   values_callable=lambda e: [m.value for m in e], **kw)
