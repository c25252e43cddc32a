"""Importing an export file: check every row first, write nothing on any problem, then land new rows through
``land_matter`` and re-apply changed ones, idempotent by the source's own id (DOMAIN.md, channels).

A run commits: its progress after every batch of the check pass (the run row only), and each batch of the
write pass with the run's counts, so memory stays flat and the progress page moves. A failure in the write
pass (a database error) leaves the committed batches in place; importing the file again finishes the job,
since rows already imported are recognised by their source id."""
import logging
import os
import threading
from typing import Callable

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.crypto import lookup_hash
from desk.extensions import db
from desk.models import Case, CaseStatus, Category, OrgUnit, Person
from desk.timeutil import local_today, utcnow
from intake.channels.services import MatterInput, land_matter
from intake.imports.mapping import SOURCES, SourceFormat
from intake.imports.models import IMPORT_RUN_MACHINE, ImportedRecord, ImportRun, ImportStatus
from intake.imports.reader import UnreadableFile, open_rows
from intake.imports.rows import CASE_FIELDS, CountyIndex, MatterRow, header_positions, parse_row, row_digest
from intake.reception.services import PersonInput, _name_key

log = logging.getLogger(__name__)
BATCH = 500
MAX_PROBLEMS = 200
Progress = Callable[[ImportRun], None]


def open_run(*, source: str, county: OrgUnit, actor, file_name: str) -> ImportRun:
    """A new run of ``source`` for ``county`` (status checking). Flushes."""
    run = ImportRun(source=SOURCES[source].code, file_name=file_name[:200], actor_id=getattr(actor, "id", None),
                    status=ImportStatus.checking, problems=[])
    run.place_at(county)
    db.session.add(run)
    db.session.flush()
    record_audit(actor=actor, entity="import_run", entity_id=run.id, action="create", to_state=run.status,
                 detail={"source": run.source, "county": county.code})
    return run


def run_import(run: ImportRun, path, *, actor, batch: int = BATCH, progress: Progress | None = None) -> ImportRun:
    """Check every row of the file, then, only when none has a problem, write them. Commits (see the module)."""
    source = SOURCES[run.source]
    index = CountyIndex.load(db.session.get(OrgUnit, run.county_id))
    try:
        _check_file(run, path, source, index, batch, progress)
        if run.problem_count:
            _finish(run, ImportStatus.rejected, actor)
            return run
        IMPORT_RUN_MACHINE.move(run, ImportStatus.writing, actor=actor)
        db.session.commit()
        _write_file(run, path, source, index, actor, batch, progress)
        _finish(run, ImportStatus.done, actor)
    except Exception:
        db.session.rollback()
        run = db.session.get(ImportRun, run.id)
        if run is not None and not run.finished:
            _finish(run, ImportStatus.failed, actor)
        raise
    return run


def _finish(run: ImportRun, status: ImportStatus, actor) -> None:
    run.finished_at = utcnow()
    IMPORT_RUN_MACHINE.move(run, status, actor=actor, detail=counts(run))
    db.session.commit()


def counts(run: ImportRun) -> dict:
    return {"total": run.total, "added": run.added, "unchanged": run.unchanged, "updated": run.updated,
            "changed_after_acceptance": run.changed_after_acceptance, "repeats": run.repeats,
            "problems": run.problem_count}


def _add_problem(run: ImportRun, row: int, column: str, message) -> None:
    """Kept as the message id and its values, so the result page shows it in the reader's language."""
    run.problem_count += 1
    if len(run.problems) < MAX_PROBLEMS:
        msgid, values = (message._args[0], message._kwargs) if hasattr(message, "_args") else (str(message), {})
        run.problems = [*run.problems, [row, column, msgid, {k: str(v) for k, v in values.items()}]]


def _check_file(run, path, source: SourceFormat, index: CountyIndex, batch: int, progress) -> None:
    """The first pass: reads only, and collects every problem with its row number and column."""
    today = local_today()
    seen: dict[str, int] = {}              # source id -> first row
    names_by_id: dict[str, str] = {}       # keyed hash of an ID number -> the name it came with
    try:
        with open_rows(path) as (header, rows):
            positions, missing = header_positions(header, source)
            for column, message in missing:
                _add_problem(run, 1, column, message)
            if missing:
                return
            for number, values in rows:
                matter, problems = parse_row(values, positions=positions, source=source, index=index, today=today)
                for column, message in problems:
                    _add_problem(run, number, column, message)
                if matter is not None:
                    _check_against_others(run, number, matter, source, seen, names_by_id)
                run.checked += 1
                if run.checked % batch == 0:
                    db.session.commit()
                    if progress:
                        progress(run)
    except (UnreadableFile, UnicodeDecodeError):
        _add_problem(run, 0, "", _l("This is neither a CSV file (UTF-8 or GB18030) nor an XLSX workbook."))
    if run.checked == 0 and not run.problem_count:
        _add_problem(run, 0, "", _l("The file has no rows below its header."))
    run.total = run.checked
    db.session.commit()
    if progress:
        progress(run)


def _check_against_others(run, number: int, matter: MatterRow, source, seen: dict, names_by_id: dict) -> None:
    """Problems only the file as a whole or the records on file reveal."""
    id_column = source.columns["source_id"][0]
    if matter.source_id in seen:
        _add_problem(run, number, id_column, _l("The same id is on row %(row)s too.", row=seen[matter.source_id]))
    else:
        seen[matter.source_id] = number
    if matter.id_number:
        # land_matter refuses an ID number recorded under another name: found here, before anything is written
        key, name = lookup_hash(matter.id_number), _name_key(matter.name)
        known = names_by_id.get(key)
        if known is None:
            person_name = db.session.scalar(sa.select(Person.name).where(Person.id_hash == key))
            known = names_by_id[key] = _name_key(person_name) if person_name else name
        if known != name:
            _add_problem(run, number, source.columns["id_number"][0],
                         _l("This ID number is on record under another name."))


def _write_file(run, path, source: SourceFormat, index: CountyIndex, actor, batch: int, progress) -> None:
    """The second pass: the file was checked, so every row parses; batches commit as they fill."""
    today = local_today()
    with open_rows(path) as (header, rows):
        positions, _missing = header_positions(header, source)
        pending: list[MatterRow] = []
        for number, values in rows:
            matter, problems = parse_row(values, positions=positions, source=source, index=index, today=today)
            if matter is None:
                raise RuntimeError(f"row {number} changed between the check and the import")
            pending.append(matter)
            if len(pending) >= batch:
                _write_batch(run, pending, source, actor)
                pending = []
                if progress:
                    progress(run)
        if pending:
            _write_batch(run, pending, source, actor)
            if progress:
                progress(run)


def _write_batch(run: ImportRun, matters: list[MatterRow], source: SourceFormat, actor) -> None:
    known = {r.source_id: r for r in db.session.scalars(sa.select(ImportedRecord).where(
        ImportedRecord.source == source.code, ImportedRecord.source_id.in_([m.source_id for m in matters])))}
    for matter in matters:
        digests = matter.digests()
        record = known.get(matter.source_id)
        if record is None:
            _land(run, matter, digests, source, actor)
        elif record.row_digest == row_digest(digests):
            run.unchanged += 1
        else:
            apply_change(run, record, matter, digests, actor=actor)
        run.written += 1
    db.session.commit()


def _land(run: ImportRun, matter: MatterRow, digests: dict, source: SourceFormat, actor) -> None:
    landing = land_matter(actor=actor, data=MatterInput(
        channel=source.channel, place=db.session.get(OrgUnit, matter.place_id),
        category=db.session.get(Category, matter.category_id), title=matter.title,
        person=PersonInput(name=matter.name, id_number=matter.id_number, phone=matter.phone),
        facts=matter.facts, demand=matter.demand, received_on=matter.received_on,
        submission_key=f"{source.code}:{matter.source_id}"))
    db.session.add(ImportedRecord(source=source.code, source_id=matter.source_id, case_id=landing.case.id,
                                  visit_id=landing.visit.id, row_digest=row_digest(digests), field_digests=digests))
    run.added += 1
    if landing.repeat_of is not None:
        run.repeats += 1


def apply_change(run: ImportRun, record: ImportedRecord, matter: MatterRow, digests: dict, *, actor) -> None:
    """A row changed at the source: re-apply subject, facts, demand and category while the case waits for
    acceptance; after that only the audit notes it. The audit names the fields, never their values."""
    changed = sorted(k for k in digests if record.field_digests.get(k) != digests[k])
    case = db.session.get(Case, record.case_id)
    detail = {"source": record.source, "source_id": record.source_id, "fields": changed}
    if case.status == CaseStatus.registered:
        for name in CASE_FIELDS:
            if name in changed:
                if name == "category":
                    case.category = db.session.get(Category, matter.category_id)
                else:
                    setattr(case, name, getattr(matter, name))
        record_audit(actor=actor, entity="case", entity_id=case.id, action="import_update", detail=detail)
        run.updated += 1
    else:
        record_audit(actor=actor, entity="case", entity_id=case.id, action="import_change_after_acceptance",
                     detail=detail)
        run.changed_after_acceptance += 1
    record.row_digest, record.field_digests, record.updated_at = row_digest(digests), digests, utcnow()


def start_background_import(app, *, run_id: int, path: str, actor_id: int | None) -> threading.Thread:
    """Run an uploaded file's import in a thread with its own app context; the page polls the run's row.
    The uploaded copy is removed afterwards."""
    def work():
        with app.app_context():
            from desk.models import User
            try:
                run = db.session.get(ImportRun, run_id)
                actor = db.session.get(User, actor_id) if actor_id else None
                run_import(run, path, actor=actor)
            except Exception as err:
                # the error's type only: a database error's text can carry a row's values (personal data)
                log.error("import run %s stopped: %s", run_id, type(err).__name__)
            finally:
                db.session.remove()
                try:
                    os.remove(path)
                except OSError:
                    pass
    thread = threading.Thread(target=work, daemon=True, name=f"import-{run_id}")
    thread.start()
    return thread
