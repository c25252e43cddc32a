"""What one round of warnings writes: the new warnings (a key another raiser holds already is skipped), the
evidence of every warning raised or joined, the audit rows, the joined warnings' new figures and the leaders'
notices.

A registration waits for these writes, and on PostgreSQL each statement is a round trip to the server, so
there they go in one statement of one shape (data-modifying WITH clauses over arrays: the new warnings' ids
come back to their evidence, audit rows and notices; the evidence insert says which items were new, and the
joined warnings' updates and audit rows are conditioned on it). SQLite runs in the process: the same rows in
a few plain statements. Core statements throughout, not the ORM's unit of work; the new warnings are then put
in the session as loaded, and the joined ones are told their new figures as the database now holds them."""
import json
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from desk.audit import audit_values, record_audits
from desk.extensions import db
from desk.models import Notification
from intake.risk.models import RiskEvidence, RiskLevel, RiskStatus, RiskWarning

ENTITY = "risk_warning"


@dataclass
class Join:
    """A signal joining a warning still open: the figures the warning takes if anything changes. ``force``: the
    level rises or the measure grows, so the warning changes even when the evidence holds nothing new."""
    warning: RiskWarning
    items: dict
    measure: int
    window_end: date
    level: RiskLevel
    force: bool


def join_of(warning: RiskWarning, signal) -> Join:
    level_up = signal.level.rank > warning.level.rank
    return Join(warning, signal.items, max(warning.measure, signal.measure),
                max(warning.window_end, signal.window_end), signal.level if level_up else warning.level,
                level_up or signal.measure > warning.measure)


def write_round(*, new: list, joins: list[Join], now: datetime) -> tuple[dict, set[int]]:
    """Insert the ``new`` warnings (signal, row of columns) and write the evidence, audit rows and notices of
    those inserted and of the ``joins``. Returns the warnings inserted by key (a key another raiser held already
    is missing: the caller joins that raiser's warning instead), and the ids of the joined warnings that changed
    (new evidence, or a higher level or measure)."""
    if not new and not joins:
        return {}, set()
    if db.session.get_bind().dialect.name == "postgresql":
        ids, added = _write_postgresql(new, joins, now)
    else:
        ids, added = _write_sqlite(new, joins, now)
    made = {}
    for signal, row in new:
        if row["key"] in ids:
            made[row["key"]] = _loaded(RiskWarning(id=ids[row["key"]], **row, **_NOT_YET))
    changed = {j.warning.id for j in joins if j.force or j.warning.id in added}
    for join in joins:
        if join.warning.id in changed:
            for name in ("measure", "window_end", "level"):
                set_committed_value(join.warning, name, getattr(join, name))
        if join.warning.id in added:
            db.session.expire(join.warning, ["evidence"])
    return made, changed


# What a warning just raised has not got yet: set, so that the session does not read them back.
_NOT_YET = {"acknowledged_at": None, "acknowledged_by_id": None, "acknowledge_note": None, "closed_at": None,
            "closed_by_id": None, "outcome": None, "outcome_note": None}


def _loaded(warning: RiskWarning) -> RiskWarning:
    """The warning in the session as if read from the database (its columns are what was inserted)."""
    make_transient_to_detached(warning)
    db.session.add(warning)
    return warning


def _evidence(warning_id, items: dict, now) -> list[dict]:
    return [{"warning_id": warning_id, "item": item, "case_id": case_id, "visit_id": visit_id, "added_at": now}
            for item, (case_id, visit_id) in sorted(items.items())]


def _raise_detail(signal) -> dict:
    return {"kind": signal.kind.value, "level": signal.level.value, "measure": signal.measure,
            "threshold": signal.threshold, "evidence": len(signal.items)}


def _join_detail(join: Join, added) -> dict:
    return {"added": added, "measure": join.measure, "from_level": join.warning.level.value,
            "level": join.level.value}


def _join_action(join: Join) -> str:
    return "raise_level" if join.level != join.warning.level else "add_evidence"


def _write_sqlite(new, joins, now) -> tuple[dict[str, int], dict[int, int]]:
    from sqlalchemy.dialects.sqlite import insert
    warnings, evidence_table = RiskWarning.__table__, RiskEvidence.__table__
    ids = dict((key, i) for i, key in db.session.execute(
        insert(warnings).on_conflict_do_nothing().returning(warnings.c.id, warnings.c.key),
        [row for _signal, row in new])) if new else {}
    raised = [(ids[row["key"]], signal, row) for signal, row in new if row["key"] in ids]
    evidence = [e for i, signal, _row in raised for e in _evidence(i, signal.items, now)]
    evidence += [e for j in joins for e in _evidence(j.warning.id, j.items, now)]
    added: dict[int, int] = {}
    for (warning_id,) in db.session.execute(
            insert(evidence_table).on_conflict_do_nothing().returning(evidence_table.c.warning_id),
            evidence) if evidence else ():
        added[warning_id] = added.get(warning_id, 0) + 1
    changed = [j for j in joins if j.force or j.warning.id in added]
    if changed:
        db.session.execute(warnings.update().where(warnings.c.id == sa.bindparam("wid")).values(
            measure=sa.bindparam("m"), window_end=sa.bindparam("end"), level=sa.bindparam("lv")),
            [{"wid": j.warning.id, "m": j.measure, "end": j.window_end, "lv": j.level} for j in changed])
    audits = [audit_values(actor=None, entity=ENTITY, entity_id=i, action="raise", to_state=RiskStatus.open, at=now,
                           detail=_raise_detail(signal)) for i, signal, _row in raised]
    audits += [audit_values(actor=None, entity=ENTITY, entity_id=j.warning.id, action=_join_action(j), at=now,
                            detail=_join_detail(j, added.get(j.warning.id, 0))) for j in changed]
    record_audits(audits)
    # The leader's notice, once per warning (its dedupe key), as desk.notify writes it: these warnings were just
    # raised, so there is nothing to look up first.
    notices = [{"user_id": row["leader_id"], "kind": "risk_warning", "params": {"number": RiskWarning.number_of(i)},
                "link": _link(i), "dedupe_key": f"risk_warning:{i}", "created_at": now}
               for i, _signal, row in raised if row["leader_id"] is not None]
    if notices:
        db.session.execute(insert(Notification.__table__).on_conflict_do_nothing(), notices)
    return ids, added


# The columns of a new warning, as services._warning_row gives them, with their types in SQL.
_WARNING_COLUMNS = {
    "key": "varchar", "kind": "varchar", "subject": "varchar", "level": "varchar", "status": "varchar",
    "measure": "integer", "threshold": "integer", "sensitive_date_id": "integer", "detail": "json",
    "category_id": "integer", "person_id": "integer", "case_id": "integer", "window_start": "date",
    "window_end": "date", "raised_at": "timestamp", "leader_id": "integer", "notified_at": "timestamp",
    "city_id": "integer", "county_id": "integer", "town_id": "integer", "village_id": "integer", "grid_id": "integer"}

# One statement of one shape whatever the round holds (its rows as JSON arrays, not a VALUES list per row, and
# not one parameter per column, which the driver would adapt one by one), so that it is compiled once and the
# server prepares it: the new warnings (their ids returned by key), the evidence (of the new warnings by key, of
# the joined by id; its new rows returned), the joins that change their warning (a higher level or measure, or
# new evidence) with their UPDATE and audit rows, the new warnings' audit rows and their leaders' notices. The
# main SELECT returns the new warnings' ids and the new evidence rows per warning.
_POSTGRESQL_ROUND = sa.text(f"""
WITH w AS (
    INSERT INTO risk_warning ({", ".join(_WARNING_COLUMNS)})
    SELECT {", ".join(_WARNING_COLUMNS)}
    FROM json_to_recordset(CAST(:warnings AS json)) AS n({", ".join(f"{c} {t}" for c, t in _WARNING_COLUMNS.items())})
    ON CONFLICT (key) DO NOTHING RETURNING id, key, leader_id),
ev AS (
    INSERT INTO risk_evidence (warning_id, item, case_id, visit_id, added_at)
    SELECT coalesce(e.w, w.id), e.item, e.c, e.v, :now
    FROM json_to_recordset(CAST(:evidence AS json)) AS e(w integer, key varchar, item varchar, c integer, v integer)
    LEFT JOIN w ON w.key = e.key
    WHERE coalesce(e.w, w.id) IS NOT NULL
    ON CONFLICT DO NOTHING RETURNING warning_id),
added AS (SELECT warning_id, count(*) AS n FROM ev GROUP BY warning_id),
changed AS (
    SELECT j.*, coalesce(a.n, 0) AS n
    FROM json_to_recordset(CAST(:joins AS json)) AS j(id integer, measure integer, window_end date, level varchar,
                                                      from_level varchar, force boolean, action varchar)
    LEFT JOIN added a ON a.warning_id = j.id
    WHERE j.force OR a.n IS NOT NULL),
up AS (
    UPDATE risk_warning x SET measure = c.measure, window_end = c.window_end, level = c.level
    FROM changed c WHERE x.id = c.id RETURNING x.id),
audit AS (
    INSERT INTO audit_entry (at, entity, entity_id, action, to_state, detail)
    SELECT :now, 'risk_warning', c.id, c.action, NULL,
           json_build_object('added', c.n, 'measure', c.measure, 'from_level', c.from_level, 'level', c.level)
    FROM changed c
    UNION ALL
    SELECT :now, 'risk_warning', w.id, 'raise', 'open', r.detail
    FROM w JOIN json_to_recordset(CAST(:raised AS json)) AS r(key varchar, detail json) ON r.key = w.key),
notice AS (
    INSERT INTO notification (user_id, created_at, kind, params, link, dedupe_key)
    SELECT w.leader_id, :now, 'risk_warning', json_build_object('number', 'YJ' || lpad(w.id::text, 6, '0')),
           -- RiskWarning.number_of
           '/intake/risk/warnings/' || w.id, 'risk_warning:' || w.id
    FROM w WHERE w.leader_id IS NOT NULL
    ON CONFLICT DO NOTHING)
SELECT 'w', id, key FROM w
UNION ALL
SELECT 'e', warning_id, n::text FROM added
""").bindparams(sa.bindparam("now", type_=sa.DateTime))


def _write_postgresql(new, joins, now) -> tuple[dict[str, int], dict[int, int]]:
    """_POSTGRESQL_ROUND with the round's rows as JSON (enums as their values, dates in ISO form)."""
    def sql_value(value):
        return value.isoformat() if isinstance(value, (date, datetime)) else getattr(value, "value", value)
    warnings = [{c: sql_value(row[c]) for c in _WARNING_COLUMNS} for _signal, row in new]
    evidence = [{"w": None, "key": row["key"], "item": item, "c": c, "v": v}
                for signal, row in new for item, (c, v) in sorted(signal.items.items())]
    evidence += [{"w": j.warning.id, "key": None, "item": item, "c": c, "v": v}
                 for j in joins for item, (c, v) in sorted(j.items.items())]
    params = {"now": now, "warnings": json.dumps(warnings), "evidence": json.dumps(evidence),
              "joins": json.dumps([{"id": j.warning.id, "measure": j.measure, "window_end": j.window_end.isoformat(),
                                    "level": j.level.value, "from_level": j.warning.level.value, "force": j.force,
                                    "action": _join_action(j)} for j in joins]),
              "raised": json.dumps([{"key": row["key"], "detail": _raise_detail(signal)} for signal, row in new])}
    ids, added = {}, {}
    for part, number, text in db.session.execute(_POSTGRESQL_ROUND, params):
        if part == "w":
            ids[text] = number
        else:
            added[number] = int(text)
    return ids, added


def _link(warning_id: int) -> str:
    return f"/intake/risk/warnings/{warning_id}"
