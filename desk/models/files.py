"""Files the desk prepares in the background (a large export, a PDF summary): progress, then the download."""
from datetime import datetime

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from desk.enums import TitledEnum, enum_column
from desk.extensions import db
from desk.timeutil import utcnow


class FileStatus(TitledEnum):
    queued = "queued"
    preparing = "preparing"
    ready = "ready"
    failed = "failed"         # an error, or the process preparing it stopped: nothing to download

    @staticmethod
    def __titles__():
        return {"queued": _l("Waiting to start"), "preparing": _l("Preparing"), "ready": _l("Ready to download"),
                "failed": _l("Not made")}


class PreparedFile(db.Model):
    """One file asked for by one user; only that user sees it. ``params`` say what to make (a search's text is
    kept encrypted there); the content is kept gzip-compressed in parts (PreparedFilePart), in order, so a
    large file is written and sent without holding it in memory. Removed with its parts after a few days."""
    __tablename__ = "prepared_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[FileStatus] = mapped_column(enum_column(FileStatus), default=FileStatus.queued)
    unit_label: Mapped[str] = mapped_column(sa.String(20), default="")   # what ``done`` and ``total`` count
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)     # progress beats: a silent one has stopped
    finished_at: Mapped[datetime | None]
    file_name: Mapped[str] = mapped_column(sa.String(200), default="")
    mimetype: Mapped[str] = mapped_column(sa.String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(sa.BigInteger, default=0)            # the file's bytes
    stored: Mapped[int] = mapped_column(sa.BigInteger, default=0)          # the compressed parts' bytes

    def visible_to(self, user) -> bool:
        return self.user_id == getattr(user, "id", None)

    @property
    def finished(self) -> bool:
        return self.status in (FileStatus.ready, FileStatus.failed)


class PreparedFilePart(db.Model):
    __tablename__ = "prepared_file_part"
    __table_args__ = (sa.UniqueConstraint("file_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("prepared_file.id", ondelete="CASCADE"))
    seq: Mapped[int]
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
