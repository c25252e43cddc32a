"""Files prepared in the background: a large case export, a monthly PDF summary.

The request that asks for one answers at once with a page that shows the progress; the work runs in a thread
of the process that took the request, with its own app context and session (as imports do). Progress and the
content go through the database, so any worker can serve the page and the download. A kind registers the
function that writes its file (``@kind("case_export")``); that function gets the file's row, the user who
asked, ``write(bytes | str)`` and ``progress(done, total)``, in the language the user asked in.

The content is stored as one gzip stream cut into parts (each part ends on a sync flush), so a file of a
million rows is written, stored and sent a part at a time: to a browser that accepts gzip, as stored; to
anything else, inflated on the way. A file whose progress stops beating for STALE (its process died) shows
as not made; the hourly job records that and removes files older than KEPT.
"""
import logging
import threading
import zlib
from datetime import datetime, timedelta
from typing import Callable, Iterator

import sqlalchemy as sa
from flask_babel import force_locale

from desk.audit import record_audit
from desk.extensions import db, write_intent
from desk.i18n import current_locale
from desk.notify import notify
from desk.models import FileStatus, PreparedFile, PreparedFilePart, User
from desk.scheduler import scheduled
from desk.statemachine import StateMachine
from desk.timeutil import utcnow
from desk.transactions import write_phase

log = logging.getLogger(__name__)

KINDS: dict[str, Callable] = {}
STALE = timedelta(minutes=3)        # no progress for this long: the process preparing it has stopped
KEPT = timedelta(days=2)            # then the file and its parts are removed
PART_BYTES = 512 * 1024             # file bytes gathered before a part is compressed and stored
PARTS_READ = 16                     # parts read per query when sending
RECENT_SHOWN = 10
WAITING = (FileStatus.queued, FileStatus.preparing)

MACHINE = StateMachine("prepared_file", {
    FileStatus.queued: {FileStatus.preparing, FileStatus.failed},
    FileStatus.preparing: {FileStatus.ready, FileStatus.failed},
    FileStatus.ready: set(), FileStatus.failed: set(),
})


def kind(name: str):
    def register(func):
        KINDS[name] = func
        return func
    return register


# --- asking ----------------------------------------------------------------------------------------------------

def ask(kind_name: str, *, user, title: str, params: dict, file_name: str, mimetype: str,
        unit_label: str = "") -> PreparedFile:
    """The user's file of this kind with these params: the one already waiting or being prepared (a second
    click), else a new one (added and flushed; the caller commits, then calls ``start``). ``params`` are
    JSON; what they hold of personal data the caller encrypts. The language in force is the file's."""
    params = {**params, "locale": current_locale()}
    now = utcnow()
    for row in db.session.scalars(sa.select(PreparedFile).where(
            PreparedFile.user_id == user.id, PreparedFile.kind == kind_name, PreparedFile.status.in_(WAITING))):
        if row.params == params and not stalled(row, now):
            return row
    row = PreparedFile(kind=kind_name, user_id=user.id, title=title[:200], params=params, file_name=file_name,
                       mimetype=mimetype, unit_label=unit_label, created_at=now, updated_at=now)
    db.session.add(row)
    db.session.flush()
    record_audit(actor=user, entity="prepared_file", entity_id=row.id, action="asked", to_state=FileStatus.queued,
                 detail={"kind": kind_name})
    return row


def start(app, file_id: int) -> threading.Thread:
    """Prepare the (committed) file in a thread of this process."""
    def work():
        with app.app_context():
            write_intent.set(False)   # reads take no write lock; each write phase takes it briefly
            try:
                prepare(file_id)
            except Exception as err:
                # the error's type only: a database error's text can carry a row's values (personal data)
                log.error("prepared file %s stopped: %s", file_id, type(err).__name__)
            finally:
                db.session.remove()
    thread = threading.Thread(target=work, daemon=True, name=f"prepared-file-{file_id}")
    thread.start()
    return thread


# --- preparing -------------------------------------------------------------------------------------------------

class _Parts:
    """Writes the file as gzip parts, each a sync-flushed piece of one stream, each stored as it is made."""

    def __init__(self, file_id: int):
        self.file_id, self.seq, self.size, self.stored = file_id, 0, 0, 0
        self.pending: list[bytes] = []
        self.pending_bytes = 0
        self.deflate = zlib.compressobj(6, zlib.DEFLATED, 31)

    def write(self, data: bytes | str) -> None:
        if isinstance(data, str):
            data = data.encode("utf-8")
        self.size += len(data)
        self.pending.append(data)
        self.pending_bytes += len(data)
        if self.pending_bytes >= PART_BYTES:
            self._store(zlib.Z_SYNC_FLUSH)

    def close(self) -> None:
        self._store(zlib.Z_FINISH)

    def _store(self, mode: int) -> None:
        data = self.deflate.compress(b"".join(self.pending)) + self.deflate.flush(mode)
        self.pending, self.pending_bytes = [], 0
        with write_phase():
            db.session.execute(sa.insert(PreparedFilePart).values(file_id=self.file_id, seq=self.seq, data=data))
        self.seq += 1
        self.stored += len(data)


def prepare(file_id: int) -> None:
    """Make a queued file: its kind's function writes it; ready, or failed with nothing kept."""
    with write_phase():   # locked: a second click's thread finds it taken and leaves it
        row = db.session.get(PreparedFile, file_id, with_for_update=True, populate_existing=True)
        if row is None or row.status != FileStatus.queued:
            return
        user = db.session.get(User, row.user_id)
        MACHINE.move(row, FileStatus.preparing, actor=user)
        row.updated_at = utcnow()

    def progress(done: int, total: int = 0) -> None:
        with write_phase():
            row.done, row.total, row.updated_at = done, total or row.total, utcnow()

    parts = _Parts(file_id)
    try:
        with force_locale(row.params.get("locale") or "zh_Hans"):
            KINDS[row.kind](row, user, parts.write, progress)
        parts.close()
        with write_phase():
            row.size, row.stored, row.finished_at = parts.size, parts.stored, utcnow()
            MACHINE.move(row, FileStatus.ready, actor=user, detail={"size": parts.size})
            notify(user.id, "file_ready", title=row.title, link=f"/files/{row.id}",
                   dedupe_key=f"file_ready:{row.id}")
    except Exception as err:
        db.session.rollback()
        with write_phase():
            _fail(db.session.get(PreparedFile, file_id), reason=type(err).__name__)
        raise


def _fail(row: PreparedFile, *, reason: str) -> None:
    db.session.execute(sa.delete(PreparedFilePart).where(PreparedFilePart.file_id == row.id))
    row.finished_at = utcnow()
    MACHINE.move(row, FileStatus.failed, actor=None, reason=reason)


# --- reading ---------------------------------------------------------------------------------------------------

def stalled(row: PreparedFile, now: datetime) -> bool:
    return row.status in WAITING and row.updated_at < now - STALE


def status_of(row: PreparedFile, now: datetime) -> FileStatus:
    """What the user is told: a file whose preparing stopped beating is not going to be made."""
    return FileStatus.failed if stalled(row, now) else row.status


def recent_for(user, *, limit: int = RECENT_SHOWN) -> list[PreparedFile]:
    return list(db.session.scalars(sa.select(PreparedFile).where(PreparedFile.user_id == user.id)
                                   .order_by(PreparedFile.id.desc()).limit(limit)))


def stored_parts(file_id: int) -> Iterator[bytes]:
    """The file's gzip stream, part by part in order, a few parts per query."""
    last = -1
    while True:
        rows = db.session.execute(sa.select(PreparedFilePart.seq, PreparedFilePart.data)
                                  .where(PreparedFilePart.file_id == file_id, PreparedFilePart.seq > last)
                                  .order_by(PreparedFilePart.seq).limit(PARTS_READ)).all()
        for row in rows:
            yield row.data
        if len(rows) < PARTS_READ:
            return
        last = rows[-1].seq


def content(file_id: int, *, compressed: bool) -> Iterator[bytes]:
    """The file as stored (gzip) or inflated."""
    if compressed:
        yield from stored_parts(file_id)
        return
    inflate = zlib.decompressobj(31)
    for data in stored_parts(file_id):
        text = inflate.decompress(data)
        if text:
            yield text
    tail = inflate.flush()
    if tail:
        yield tail


# --- housekeeping ----------------------------------------------------------------------------------------------

@scheduled("prepared_files", "interval", hours=1)
def tidy_prepared_files(now: datetime) -> int:
    """Record files whose preparing stopped as not made; remove files (and parts) older than KEPT."""
    changed = 0
    for row in db.session.scalars(sa.select(PreparedFile).where(PreparedFile.status.in_(WAITING),
                                                                PreparedFile.updated_at < now - STALE)):
        _fail(row, reason="stopped")
        changed += 1
    old = sa.select(PreparedFile.id).where(PreparedFile.created_at < now - KEPT).scalar_subquery()
    db.session.execute(sa.delete(PreparedFilePart).where(PreparedFilePart.file_id.in_(old)))
    changed += db.session.execute(sa.delete(PreparedFile).where(PreparedFile.created_at < now - KEPT)).rowcount
    db.session.commit()
    return changed
