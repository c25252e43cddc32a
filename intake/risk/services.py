"""Raising, acknowledging and closing risk warnings (DOMAIN.md, "Risk early warning").

A signal (intake.risk.signals) names its kind, its subject (a group visit, a person, a matter, a town and
category, a case) and its evidence (cases and visits). ``raise_or_attach`` keeps one warning per subject and
episode: while a warning is not closed, new evidence joins it (its level may rise); after it is closed a new
warning is raised only by evidence no earlier warning of the subject holds. The key kind:subject:episode is
unique, so when two raisers meet (the job run twice, the job and a registration at once) the second inserts
nothing and its evidence joins the first's warning: never two warnings for the same evidence.

The responsible leader is notified once: the case's 包案 leader, else the nearest official of the place
(town, county, city)."""
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.errors import DomainError, NotAllowed
from desk.extensions import db
from desk.models import Case, OrgUnit, Role, User, UserRole
from desk.notify import notify
from desk.statemachine import StateMachine
from desk.timeutil import utcnow
from desk.transactions import insert_ignoring_duplicates
from intake.risk.models import RiskEvidence, RiskKind, RiskLevel, RiskOutcome, RiskStatus, RiskWarning

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


def raise_or_attach(signal: Signal, *, known: list[RiskWarning] | None = None) -> RiskWarning | None:
    """Raise the signal's warning, or add its new evidence to the subject's warning still open.

    Returns the warning raised or changed, None when nothing was new. ``known``: the subject's warnings
    when the caller loaded them already (the job loads them in bulk)."""
    if known is None:
        known = list(db.session.scalars(sa.select(RiskWarning).where(
            RiskWarning.kind == signal.kind, RiskWarning.subject == signal.subject).order_by(RiskWarning.id)))
    live = [w for w in known if w.status != S.closed]
    if live:
        return _attach(live[-1], signal)
    held = set(db.session.scalars(sa.select(RiskEvidence.item).where(
        RiskEvidence.warning_id.in_([w.id for w in known])))) if known else set()
    if set(signal.items) <= held:
        return None
    key = f"{signal.kind.value}:{signal.subject}:{len(known) + 1}"
    row = {"key": key, "kind": signal.kind, "subject": signal.subject, "level": signal.level, "status": S.open,
           "measure": signal.measure, "threshold": signal.threshold, "sensitive_date_id": signal.sensitive_date_id,
           "detail": signal.detail, "category_id": signal.category_id, "person_id": signal.person_id,
           "case_id": signal.case_id, "window_start": signal.window_start, "window_end": signal.window_end,
           "raised_at": utcnow(), **_place_columns(signal.place)}
    inserted = insert_ignoring_duplicates(RiskWarning.__table__, [row])
    warning = db.session.scalar(sa.select(RiskWarning).where(RiskWarning.key == key))
    if not inserted:            # another raiser was first: this evidence joins its warning
        return _attach(warning, signal)
    _add_evidence(warning, signal.items)
    record_audit(actor=None, entity="risk_warning", entity_id=warning.id, action="raise", to_state=S.open,
                 detail={"kind": signal.kind.value, "level": signal.level.value, "measure": signal.measure,
                         "threshold": signal.threshold, "evidence": len(signal.items)})
    _notify_leader(warning)
    return warning


def _attach(warning: RiskWarning, signal: Signal) -> RiskWarning | None:
    added = _add_evidence(warning, signal.items)
    raised = signal.level.rank > warning.level.rank
    if not added and not raised and signal.measure <= warning.measure:
        return None
    before = warning.level
    warning.measure = max(warning.measure, signal.measure)
    warning.window_end = max(warning.window_end, signal.window_end)
    if raised:
        warning.level = signal.level
    record_audit(actor=None, entity="risk_warning", entity_id=warning.id,
                 action="raise_level" if raised else "add_evidence",
                 detail={"added": added, "measure": warning.measure, "from_level": before.value,
                         "level": warning.level.value})
    return warning


def _add_evidence(warning: RiskWarning, items: dict) -> int:
    rows = [{"warning_id": warning.id, "item": item, "case_id": case_id, "visit_id": visit_id, "added_at": utcnow()}
            for item, (case_id, visit_id) in sorted(items.items())]
    added = insert_ignoring_duplicates(RiskEvidence.__table__, rows)
    if added:
        db.session.expire(warning, ["evidence"])
    return added


def _place_columns(place) -> dict:
    if isinstance(place, OrgUnit):
        return {f"{lv}_id": (place.id if place.level.value == lv else getattr(place, f"{lv}_id", None))
                for lv in PLACE_LEVELS}
    return {f"{lv}_id": getattr(place, f"{lv}_id") for lv in PLACE_LEVELS}


def responsible_leader(warning: RiskWarning) -> int | None:
    """The case's 包案 leader, else the nearest active official of the warning's place (town, county, city)."""
    if warning.case_id is not None:
        leader = db.session.scalar(sa.select(Case.leader_id).where(Case.id == warning.case_id))
        if leader is not None:
            return leader
    for unit_id in (warning.town_id, warning.county_id, warning.city_id):
        if unit_id is None:
            continue
        official = db.session.scalar(
            sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.official, User.org_unit_id == unit_id, User.active).order_by(User.id).limit(1))
        if official is not None:
            return official
    return None


def _notify_leader(warning: RiskWarning) -> None:
    leader = responsible_leader(warning)
    if leader is None:
        return
    warning.leader_id = leader
    if notify(leader, "risk_warning", link=f"/intake/risk/warnings/{warning.id}",
              dedupe_key=f"risk_warning:{warning.id}",
              number=warning.number) is not None:
        warning.notified_at = utcnow()


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
