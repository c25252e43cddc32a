"""Tables of the talent pool: members, their skills, conflicts of interest and per-category ratings."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.crypto import EncryptedString, lookup_hash
from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.idnumber import mask_phone
from desk.models import Category, PlaceMixin, Room, Site, User


class TalentRole(TitledEnum):
    mediator = "mediator"
    lawyer = "lawyer"
    counselor = "counselor"
    social_worker = "social_worker"
    grid_worker = "grid_worker"
    deputy = "deputy"
    judge = "judge"
    prosecutor = "prosecutor"
    volunteer = "volunteer"

    @staticmethod
    def __titles__():
        return {"mediator": _l("People's mediator"), "lawyer": _l("Lawyer"),
                "counselor": _l("Psychological counselor"), "social_worker": _l("Social worker"),
                "grid_worker": _l("Grid worker"), "deputy": _l("Deputy or CPPCC member"),
                "judge": _l("Judge"), "prosecutor": _l("Prosecutor"), "volunteer": _l("Volunteer")}


class Stationing(TitledEnum):
    resident = "resident"
    rotating = "rotating"
    on_call = "on_call"

    @staticmethod
    def __titles__():
        return {"resident": _l("Resident"), "rotating": _l("Rotating"), "on_call": _l("On call")}


LANGUAGES = {"mandarin": _l("Mandarin"), "cantonese": _l("Cantonese"), "taishanese": _l("Taishanese"),
             "hakka": _l("Hakka"), "english": _l("English")}

talent_skill = sa.Table(
    "talent_skill", db.metadata,
    sa.Column("talent_id", sa.ForeignKey("talent.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("category_id", sa.ForeignKey("category.id", ondelete="CASCADE"), primary_key=True),
    sa.Index("ix_talent_skill_category", "category_id"),
)


class Talent(PlaceMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), unique=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    sex: Mapped[str | None] = mapped_column(sa.String(1))
    role: Mapped[TalentRole] = mapped_column(enum_column(TalentRole), index=True)
    languages: Mapped[str] = mapped_column(sa.String(120), default="mandarin")
    site_id: Mapped[int | None] = mapped_column(sa.ForeignKey("site.id"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id"), index=True)
    stationing: Mapped[Stationing] = mapped_column(enum_column(Stationing))
    # Rotating members: weekdays on duty, "0,2" = Monday and Wednesday.
    weekdays: Mapped[str] = mapped_column(sa.String(20), default="")
    capacity: Mapped[int] = mapped_column(default=4)
    open_load: Mapped[int] = mapped_column(default=0)
    licence_no: Mapped[str | None] = mapped_column(sa.String(40))
    phone: Mapped[str | None] = mapped_column(EncryptedString(255))
    phone_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User | None] = relationship()
    site: Mapped[Site | None] = relationship()

    __table_args__ = (sa.Index("ix_talent_county_active", "county_id", "active", "role"),)
    room: Mapped[Room | None] = relationship()
    skills: Mapped[list[Category]] = relationship(secondary=talent_skill, lazy="selectin")
    conflicts: Mapped[list["TalentConflict"]] = relationship(cascade="all, delete-orphan")

    def set_phone(self, value: str | None) -> None:
        self.phone = value or None
        self.phone_hash = lookup_hash(value)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def weekday_list(self) -> list[int]:
        return [int(d) for d in self.weekdays.split(",") if d.strip().isdecimal()]

    def __str__(self) -> str:
        return self.name


class TalentConflict(db.Model):
    """A declared conflict of interest: a person (by ID-number hash or name) or an organization."""

    __tablename__ = "talent_conflict"

    id: Mapped[int] = mapped_column(primary_key=True)
    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    note: Mapped[str] = mapped_column(sa.String(200), default="")


class TalentCategoryStat(db.Model):
    """Ratings of a member's matters per category, for the matching's "past satisfaction" component."""

    __tablename__ = "talent_category_stat"

    talent_id: Mapped[int] = mapped_column(sa.ForeignKey("talent.id", ondelete="CASCADE"), primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), primary_key=True)
    rated: Mapped[int] = mapped_column(default=0)
    satisfied: Mapped[int] = mapped_column(default=0)

