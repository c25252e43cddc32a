"""Tables of the monthly summary: the archived PDFs."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from desk.extensions import db
from desk.models import OrgUnit


class MonthlySummary(db.Model):
    """One archived monthly PDF per org unit, month and language.

    The PDF is kept in the database (deferred): a few hundred kilobytes per file, written in the same
    transaction that claims the (unit, month, language) slot, backed up with everything else, and readable
    from any web worker without a shared disk. A row whose ``pdf`` is still NULL is claimed but not yet
    rendered (the job fills it; a download renders it on first use).
    """

    __tablename__ = "monthly_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("org_unit.id"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    locale: Mapped[str] = mapped_column(sa.String(16))
    generated_at: Mapped[datetime | None]
    size: Mapped[int] = mapped_column(default=0)
    pdf: Mapped[bytes | None] = deferred(mapped_column(sa.LargeBinary))

    unit: Mapped[OrgUnit] = relationship()

    __table_args__ = (sa.UniqueConstraint("unit_id", "year", "month", "locale"),)
