"""Import runs (one per file, with progress and the result) and the record of every source row imported."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.models import OrgUnit, PlaceMixin, User
from desk.statemachine import StateMachine
from desk.timeutil import utcnow


class ImportStatus(TitledEnum):
    checking = "checking"
    rejected = "rejected"     # the check pass found problems: nothing was written
    writing = "writing"
    done = "done"
    failed = "failed"         # an unexpected error; batches committed before it stay

    @staticmethod
    def __titles__():
        return {"checking": _l("Checking rows"), "rejected": _l("Rejected: nothing imported"),
                "writing": _l("Importing"), "done": _l("Imported"), "failed": _l("Stopped by an error")}


IMPORT_RUN_MACHINE = StateMachine("import_run", {
    ImportStatus.checking: {ImportStatus.rejected, ImportStatus.writing, ImportStatus.failed},
    ImportStatus.writing: {ImportStatus.done, ImportStatus.failed},
    ImportStatus.rejected: set(), ImportStatus.done: set(), ImportStatus.failed: set(),
})


class ImportRun(PlaceMixin, db.Model):
    """One file imported for one county; placed at the county, so scope rules apply as to any record."""
    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(8))
    file_name: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[ImportStatus] = mapped_column(enum_column(ImportStatus), default=ImportStatus.checking)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    total: Mapped[int] = mapped_column(default=0)       # data rows in the file (known after the check pass)
    checked: Mapped[int] = mapped_column(default=0)
    written: Mapped[int] = mapped_column(default=0)
    added: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    changed_after_acceptance: Mapped[int] = mapped_column(default=0)
    repeats: Mapped[int] = mapped_column(default=0)
    problem_count: Mapped[int] = mapped_column(default=0)
    # the first problems: [[row number, column, message], ...] in the language of whoever started the run
    problems: Mapped[list] = mapped_column(sa.JSON, default=list)

    actor: Mapped[User | None] = relationship()
    county: Mapped[OrgUnit] = relationship(foreign_keys="ImportRun.county_id")

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.rejected, ImportStatus.done, ImportStatus.failed)


class ImportedRecord(db.Model):
    """A source row imported once: a re-import of the same (source, source id) finds it here."""
    __tablename__ = "imported_record"
    __table_args__ = (sa.UniqueConstraint("source", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(8))
    source_id: Mapped[str] = mapped_column(sa.String(64))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case.id"), index=True)
    visit_id: Mapped[int] = mapped_column(sa.ForeignKey("visit.id"))
    row_digest: Mapped[str] = mapped_column(sa.String(64))
    # a short digest per field, so a change is named by field without keeping any value (personal data)
    field_digests: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime | None]
