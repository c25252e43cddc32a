"""Tables of people's mediation: the mediation of a case, its parties and its sessions."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.crypto import EncryptedString
from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.idnumber import mask_id_number, mask_phone
from desk.models import Case, PlaceMixin
from desk.timeutil import utcnow
from referrals.talent.models import Talent


class MediationStatus(TitledEnum):
    ongoing = "ongoing"
    agreement = "agreement"
    no_agreement = "no_agreement"
    terminated = "terminated"

    @staticmethod
    def __titles__():
        return {"ongoing": _l("Mediation under way"), "agreement": _l("Agreement reached"),
                "no_agreement": _l("No agreement"), "terminated": _l("Mediation terminated")}


class ConsentMethod(TitledEnum):
    """How a side agreed to mediation or to its extension (人民调解法 art. 17: mediation needs the parties' will)."""
    application = "application"
    written = "written"
    oral = "oral"

    @staticmethod
    def __titles__():
        return {"application": _l("Applied for mediation"), "written": _l("Written consent"),
                "oral": _l("Oral consent, recorded")}


class Mediation(PlaceMixin, db.Model):
    """People's mediation of a case, ending in an agreement (调解协议书), no agreement, or termination."""

    __tablename__ = "mediation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    mediator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("talent.id"), index=True)
    started_on: Mapped[date]
    # Usually completed within one month of the start; moved only by an extension both sides consented to.
    due_on: Mapped[date | None]
    # The people's mediation committee that seals the agreement (人民调解法 art. 29), named on it.
    committee: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[MediationStatus] = mapped_column(enum_column(MediationStatus),
                                                    default=MediationStatus.ongoing, index=True)
    # No agreement / terminated: what happened, and the routes the parties were told about.
    outcome: Mapped[str | None] = mapped_column(sa.Text)
    routes_told: Mapped[str | None] = mapped_column(sa.Text)
    # The agreement (People's Mediation Law art. 29): facts, points in dispute, responsibilities, terms,
    # how and by when it is carried out; copies: one per party plus one kept.
    number: Mapped[str | None] = mapped_column(sa.String(32), unique=True)
    facts: Mapped[str | None] = mapped_column(sa.Text)
    disputes: Mapped[str | None] = mapped_column(sa.Text)
    responsibilities: Mapped[str | None] = mapped_column(sa.Text)
    terms: Mapped[str | None] = mapped_column(sa.Text)
    performance_method: Mapped[str | None] = mapped_column(sa.Text)
    performance_deadline: Mapped[date | None]
    copies: Mapped[int] = mapped_column(default=3)
    agreed_on: Mapped[date | None]
    judicial_confirmation_due: Mapped[date | None] = mapped_column(index=True)
    ended_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship()
    mediator: Mapped[Talent | None] = relationship()
    parties: Mapped[list["MediationParty"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="MediationParty.id")
    sessions: Mapped[list["MediationSession"]] = relationship(cascade="all, delete-orphan",
                                                              order_by="MediationSession.held_on")
    consents: Mapped[list["MediationConsent"]] = relationship(cascade="all, delete-orphan",
                                                              order_by="MediationConsent.id")


class MediationParty(db.Model):
    """A party to the mediation as written in the agreement (side a: applicant, side b: respondent)."""

    __tablename__ = "mediation_party"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(sa.String(1))
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    details: Mapped[str] = mapped_column(sa.String(300), default="")
    # What the agreement states of each party (人民调解法 art. 29): a person's sex, age, ethnicity,
    # occupation or unit and address; an organization's address and representative.
    is_organization: Mapped[bool] = mapped_column(default=False)
    sex: Mapped[str | None] = mapped_column(sa.String(1))
    birth_date: Mapped[date | None]
    age: Mapped[int | None]
    ethnicity: Mapped[str] = mapped_column(sa.String(40), default="")
    occupation: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    representative: Mapped[str] = mapped_column(sa.String(100), default="")
    id_number: Mapped[str | None] = mapped_column(EncryptedString(255))
    phone: Mapped[str | None] = mapped_column(EncryptedString(255))

    def age_on(self, day: date) -> int | None:
        """Whole years on ``day`` from the birth date, else the age as stated."""
        if self.birth_date is None:
            return self.age
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def id_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)


class MediationConsent(db.Model):
    """One side's consent, recorded: to mediate (before it starts) or to one extension (with its new due date)."""

    __tablename__ = "mediation_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(sa.String(10))  # "mediate" or "extend"
    side: Mapped[str] = mapped_column(sa.String(1))
    given_by: Mapped[str] = mapped_column(sa.String(200))
    given_on: Mapped[date]
    method: Mapped[ConsentMethod] = mapped_column(enum_column(ConsentMethod))
    extends_to: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class MediationSession(db.Model):
    """One sitting: when, where, who was there, and what each party said it wants."""

    __tablename__ = "mediation_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    mediation_id: Mapped[int] = mapped_column(sa.ForeignKey("mediation.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(200))
    parties_present: Mapped[str] = mapped_column(sa.Text, default="")
    # [{"party": name, "position": text}, ...]
    positions: Mapped[list] = mapped_column(sa.JSON, default=list)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
