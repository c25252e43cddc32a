"""Raising, acknowledging and closing risk warnings (DOMAIN.md, "Risk early warning").

A signal (intake.risk.signals) names its kind, its subject (a group visit, a person, a matter, a town and
category, a case) and its evidence (cases and visits). ``raise_or_attach`` keeps one warning per subject and
episode: while a warning is not closed, new evidence joins it (its level may rise); after it is closed a new
warning is raised only by evidence no earlier warning of the subject holds. The key kind:subject:episode is
unique, so when two raisers meet (the job run twice, the job and a registration at once) the second inserts
nothing and its evidence joins the first's warning: never two warnings for the same evidence.

The responsible leader is notified once: the case's 包案 leader, else the nearest official of the place
(town, county, city).

Written in few statements, since the registration waits for them: the subjects' warnings in one query (none
for a subject born in this transaction, none for those the registration's look-up read already), the new
warnings in one INSERT ... ON CONFLICT DO NOTHING RETURNING, then everything else (evidence, audit rows, the
joined warnings' figures, notices) as intake.risk.writes writes it: one statement on PostgreSQL."""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import make_transient_to_detached

from desk.errors import DomainError, NotAllowed
from desk.extensions import db
from desk.models import Case, OrgUnit, Role, User, UserRole
from desk.statemachine import StateMachine
from desk.timeutil import utcnow
from intake.risk.models import RiskEvidence, RiskKind, RiskLevel, RiskOutcome, RiskStatus, RiskWarning
from intake.risk.writes import join_of, write_round

S = RiskStatus
TRANSITIONS = {S.open: {S.acknowledged}, S.acknowledged: {S.closed}, S.closed: set()}
WARNING_MACHINE = StateMachine("risk_warning", TRANSITIONS)
PLACE_LEVELS = ("city", "county", "town", "village", "grid")
MAX_NOTE = 2000
# Who may acknowledge and close a warning in their scope, besides the leader named on it.
HANDLERS = (Role.official, Role.commander)


@dataclass
class Signal:
    """What a rule found: ``items`` maps "c<case id>" / "v<visit id>" to (case id, visit id or None)."""
    kind: RiskKind
    subject: str
    items: dict
    measure: int
    threshold: int
    level: RiskLevel
    window_start: date
    window_end: date
    place: object                 # a Case or an OrgUnit: the warning's scope columns are copied from it
    case_id: int | None = None
    category_id: int | None = None
    person_id: int | None = None
    sensitive_date_id: int | None = None
    detail: dict = field(default_factory=dict)


def raise_signals(signals: list[Signal], *, fresh: list[Signal] = (), officials: dict | None = None,
                  warnings_read: list = (), read_kinds: tuple = ()) -> list[RiskWarning]:
    """raise_or_attach for each signal, all at once: the subjects' warnings read in one query, the new warnings,
    the evidence and the leaders' notices each written in one statement. ``fresh``: signals whose subject is new
    in this transaction (a visit or matter just registered: no warning can hold it yet, so nothing is read for
    them). ``officials``: each unit's first official (officials_of), when already read. ``warnings_read``: the
    warnings (id, kind, subject, status, level, measure, window_end) of every subject of ``read_kinds`` as the
    caller read them (the registration's look-up): those subjects are not read again. Returns the warnings
    raised or changed."""
    known: dict[tuple, list[RiskWarning]] = {(s.kind, s.subject): [] for s in signals}
    for row in warnings_read:
        if (RiskKind(row[1]), row[2]) in known:
            known[(RiskKind(row[1]), row[2])].append(_as_read(*row))
    unread = [(kind.value, subject) for kind, subject in known if kind not in read_kinds]
    if unread:
        for warning in db.session.scalars(sa.select(RiskWarning).where(
                sa.tuple_(RiskWarning.kind, RiskWarning.subject).in_(unread))):
            known[(warning.kind, warning.subject)].append(warning)
    for warnings in known.values():
        warnings.sort(key=lambda w: w.id)
    known.update({(s.kind, s.subject): [] for s in fresh})
    return [w for w in apply_signals([*signals, *fresh], known, officials=officials) if w is not None]


def _as_read(warning_id, kind, subject, status, level, measure, window_end) -> RiskWarning:
    """A warning as the look-up read it, in the session without reading it again (the session's own copy when
    it holds one): the columns joining it needs are set, any other is read if something asks for it."""
    held = db.session.identity_map.get(db.session.identity_key(RiskWarning, warning_id))
    if held is not None:
        return held
    warning = RiskWarning(id=warning_id, kind=RiskKind(kind), subject=subject, status=RiskStatus(status),
                          level=RiskLevel(level), measure=measure, window_end=window_end)
    make_transient_to_detached(warning)
    db.session.add(warning)
    return warning


def raise_or_attach(signal: Signal, *, known: list[RiskWarning] | None = None, officials: dict | None = None
                    ) -> RiskWarning | None:
    """Raise the signal's warning, or add its new evidence to the subject's warning still open.

    Returns the warning raised or changed, None when nothing was new. ``known``: the subject's warnings
    when the caller loaded them already (the registration check and the job load them in bulk); ``officials``:
    each unit's first official (officials_of) when the caller read them already; a unit it lacks is read."""
    if known is None:
        known = list(db.session.scalars(sa.select(RiskWarning).where(
            RiskWarning.kind == signal.kind, RiskWarning.subject == signal.subject).order_by(RiskWarning.id)))
    return apply_signals([signal], {(signal.kind, signal.subject): known}, officials=officials)[0]


def apply_signals(signals: list[Signal], known: dict, *, officials: dict | None = None) -> list[RiskWarning | None]:
    """raise_or_attach for many signals; ``known`` maps (kind, subject) to the subject's warnings in id order
    (kept up to date here). A subject met twice is dealt with in a second round, as if one after the other."""
    results: list[RiskWarning | None] = [None] * len(signals)
    rounds: dict[int, list[int]] = {}
    met: dict[tuple, int] = {}
    for i, signal in enumerate(signals):
        subject = (signal.kind, signal.subject)
        rounds.setdefault(met.get(subject, 0), []).append(i)
        met[subject] = met.get(subject, 0) + 1
    for number in sorted(rounds):
        _apply_round([(i, signals[i]) for i in rounds[number]], known, officials, results)
    return results


def _apply_round(items: list[tuple[int, Signal]], known: dict, officials, results: list) -> None:
    """Signals of different subjects: each joins its subject's warning still open, or raises a new one when it
    brings evidence no earlier warning of the subject holds."""
    closed = [w.id for i, s in items for w in known[(s.kind, s.subject)]
              if not any(x.status != S.closed for x in known[(s.kind, s.subject)])]
    held: dict[int, set] = {}
    for warning_id, item in db.session.execute(sa.select(RiskEvidence.warning_id, RiskEvidence.item).where(
            RiskEvidence.warning_id.in_(closed))) if closed else ():
        held.setdefault(warning_id, set()).add(item)
    attach, new = [], []
    for i, signal in items:
        warnings = known[(signal.kind, signal.subject)]
        live = [w for w in warnings if w.status != S.closed]
        if live:
            attach.append((i, signal, live[-1]))
        elif not set(signal.items) <= set().union(*(held.get(w.id, set()) for w in warnings)):
            new.append((i, signal, f"{signal.kind.value}:{signal.subject}:{len(warnings) + 1}"))
    now = utcnow()
    leaders = _leaders([signal for _i, signal, _key in new], officials) if new else []
    rows = [(signal, _warning_row(signal, key, leader, now)) for (_i, signal, key), leader in zip(new, leaders)]
    made, changed = write_round(new=rows, joins=[join_of(warning, signal) for _i, signal, warning in attach], now=now)
    for i, signal, warning in attach:
        results[i] = warning if warning.id in changed else None
    # A key another raiser holds already (the job and a registration at once, the job run twice): the signal's
    # evidence joins that raiser's warning.
    missing = [(i, signal, key) for i, signal, key in new if key not in made]
    taken = {w.key: w for w in db.session.scalars(sa.select(RiskWarning).where(
        RiskWarning.key.in_([key for _i, _s, key in missing])))} if missing else {}
    _made, changed = write_round(new=[], joins=[join_of(taken[key], signal) for _i, signal, key in missing], now=now)
    for i, signal, key in new:
        warning = made.get(key) or taken[key]
        known[(signal.kind, signal.subject)].append(warning)
        results[i] = warning if key in made or warning.id in changed else None


def _warning_row(signal: Signal, key: str, leader: int | None, now) -> dict:
    return {"key": key, "kind": signal.kind, "subject": signal.subject, "level": signal.level, "status": S.open,
            "measure": signal.measure, "threshold": signal.threshold, "sensitive_date_id": signal.sensitive_date_id,
            "detail": signal.detail, "category_id": signal.category_id, "person_id": signal.person_id,
            "case_id": signal.case_id, "window_start": signal.window_start, "window_end": signal.window_end,
            "raised_at": now, "leader_id": leader, "notified_at": now if leader is not None else None,
            **_place_columns(signal.place)}


def _insert(model):
    """The dialect's INSERT, which knows ON CONFLICT DO NOTHING (PostgreSQL and SQLite alike)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def _place_columns(place) -> dict:
    if isinstance(place, OrgUnit):
        return {f"{lv}_id": (place.id if place.level.value == lv else getattr(place, f"{lv}_id", None))
                for lv in PLACE_LEVELS}
    return {f"{lv}_id": getattr(place, f"{lv}_id") for lv in PLACE_LEVELS}


def responsible_leader(warning: RiskWarning) -> int | None:
    """The case's 包案 leader, else the nearest active official of the warning's place (town, county, city)."""
    return _leaders([warning])[0]


def _leaders(items: list, officials: dict | None = None) -> list[int | None]:
    """responsible_leader of each signal or warning (its case_id and place): the case's leader, read from the
    case already loaded when there is one, else all at once; the officials of the units as the caller read them
    (officials_of), the others in one query."""
    def units_of(item) -> list[int]:
        place = _place_columns(item.place) if isinstance(item, Signal) else {
            f"{lv}_id": getattr(item, f"{lv}_id") for lv in PLACE_LEVELS}
        return [u for u in (place.get(f"{lv}_id") for lv in ("town", "county", "city")) if u is not None]

    def loaded_case(item):          # the case itself, or what was read of it with its leader
        place = item.place if isinstance(item, Signal) else None
        return place if hasattr(place, "leader_id") and getattr(place, "id", None) == item.case_id else None

    wanted = [item.case_id for item in items if item.case_id is not None and loaded_case(item) is None]
    case_leaders = dict(db.session.execute(sa.select(Case.id, Case.leader_id).where(Case.id.in_(wanted)))
                        .all()) if wanted else {}
    leaders = [(loaded_case(item).leader_id if loaded_case(item) is not None else case_leaders.get(item.case_id))
               if item.case_id is not None else None for item in items]
    officials = dict(officials or {})
    lacking = sorted({u for item, leader in zip(items, leaders) if leader is None for u in units_of(item)}
                     - set(officials))
    if lacking:
        officials.update(officials_of(lacking))
    return [leader if leader is not None else next((officials[u] for u in units_of(item) if officials[u]), None)
            for item, leader in zip(items, leaders)]


def officials_of(units: list[int]) -> dict[int, int | None]:
    """Each unit's first active official (lowest id), None where it has none."""
    return first_officials(units, db.session.execute(
        sa.select(User.id, User.org_unit_id).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.official, User.org_unit_id.in_(units), User.active)).all())


def first_officials(units, rows) -> dict[int, int | None]:
    first: dict[int, int | None] = {u: None for u in units}
    for user_id, unit_id in sorted(rows):
        if first.get(unit_id) is None:
            first[unit_id] = user_id
    return first


# --- the leader's steps ---------------------------------------------------------------------------------------

def may_handle(user, warning: RiskWarning) -> bool:
    return warning.leader_id == user.id or user.has_role(*HANDLERS)


def acknowledge_warning(*, warning: RiskWarning, actor, note: str) -> RiskWarning:
    """The leader (or an official or commander of the area) has seen the warning and says what is being done."""
    note = (note or "").strip()
    if not may_handle(actor, warning):
        raise NotAllowed(_l("Only the responsible leader, an official or a commander may do this."))
    if not note:
        raise DomainError(_l("Say what is being done about this warning."), field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_NOTE), field="note")
    WARNING_MACHINE.move(warning, S.acknowledged, actor=actor, action="acknowledge", reason=note)
    warning.acknowledged_at, warning.acknowledged_by_id, warning.acknowledge_note = utcnow(), actor.id, note
    return warning


def close_warning(*, warning: RiskWarning, actor, outcome: RiskOutcome | str | None, note: str) -> RiskWarning:
    """Close an acknowledged warning with its outcome and a note of what was done."""
    note = (note or "").strip()
    if not may_handle(actor, warning):
        raise NotAllowed(_l("Only the responsible leader, an official or a commander may do this."))
    try:
        outcome = RiskOutcome(outcome)
    except ValueError:
        raise DomainError(_l("Choose the outcome."), field="outcome") from None
    if not note:
        raise DomainError(_l("Say what was done."), field="note")
    if len(note) > MAX_NOTE:
        raise DomainError(_l("At most %(n)s characters.", n=MAX_NOTE), field="note")
    WARNING_MACHINE.move(warning, S.closed, actor=actor, action="close", reason=note,
                         detail={"outcome": outcome.value})
    warning.closed_at, warning.closed_by_id, warning.outcome, warning.outcome_note = utcnow(), actor.id, outcome, note
    return warning
