"""People who come to the desk. ID numbers and phones are stored encrypted, found by keyed hash."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from desk.crypto import EncryptedString, lookup_hash
from desk.extensions import db
from desk.idnumber import mask_id_number, mask_phone
from desk.models.org import PlaceMixin
from desk.timeutil import utcnow


class Person(PlaceMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    sex: Mapped[str | None] = mapped_column(sa.String(1))
    id_number: Mapped[str | None] = mapped_column(EncryptedString(255))
    id_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    phone: Mapped[str | None] = mapped_column(EncryptedString(255))
    phone_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    language: Mapped[str | None] = mapped_column(sa.String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (sa.Index("ix_person_name_town", "name", "town_id"),)

    def set_id_number(self, value: str | None) -> None:
        self.id_number = value or None
        self.id_hash = lookup_hash(value)

    def set_phone(self, value: str | None) -> None:
        self.phone = value or None
        self.phone_hash = lookup_hash(value)

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    def __str__(self) -> str:
        return self.name
