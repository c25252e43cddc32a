"""Calendar days entered by administrators: the State Council's holiday schedule for a year that
``chinesecalendar`` does not know yet (DOMAIN.md, "Official holidays for a new year")."""
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.timeutil import utcnow


class DayKind(TitledEnum):
    day_off = "day_off"
    working = "working"      # an adjusted working day (调休), usually a weekend

    @staticmethod
    def __titles__():
        return {"day_off": _l("Day off"), "working": _l("Adjusted working day")}


class CalendarDay(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    year: Mapped[int] = mapped_column(index=True)
    kind: Mapped[DayKind] = mapped_column(enum_column(DayKind))
    name: Mapped[str | None] = mapped_column(sa.String(40))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    def visible_to(self, user) -> bool:
        """The official schedule is national: only an administrator at the top of the tree (the city) holds it
        (desk.access.find_in_scope asks this instead of comparing places)."""
        return user.org_unit.level.value == "city"

    entered_by = relationship("User")
