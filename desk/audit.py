"""The one audit service every state change calls, in the caller's transaction, and the words a history
shows for what was recorded (the rows keep codes; the page shows them in the reader's language)."""
from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from desk.extensions import db
from desk.models import AuditEntry

# What a history line says for each recorded action; an action named after a state shows that state's title.
ACTION_TITLES = {
    "create": _l("Created"), "asked": _l("File asked for"), "update": _l("Edited"), "import": _l("Imported"), "locked": _l("Locked"),
    "register": _l("Registered"), "accept": _l("Accepted"), "not_accept": _l("Not accepted"),
    "start": _l("Started"), "extend": _l("Extended"), "conclude": _l("Concluded"), "close": _l("Closed"),
    "reopen_review": _l("Reopened for review"), "issue": _l("Issued"), "sign": _l("Signed for"),
    "report": _l("Reported back"), "verify": _l("Verified"), "return": _l("Returned"), "rate": _l("Rated"),
    "not_rated_in_time": _l("Not rated in time"), "offer": _l("Offered"), "decline": _l("Declined"),
    "taken_by_other": _l("Taken by another member"), "expire": _l("Expired"), "check_in": _l("Checked in"),
    "check_out": _l("Checked out"), "done": _l("Done"), "finish": _l("Finished"), "served": _l("Served"),
    "record_service": _l("Service recorded"), "assign": _l("Assigned"), "cancel": _l("Cancelled"),
    "withdraw": _l("Withdrawn"), "reschedule": _l("Rescheduled"), "call": _l("Called"), "no_show": _l("No show"),
    "reveal_id": _l("ID number shown"), "reveal_phone": _l("Phone number shown"),
    "session": _l("Session recorded"), "agreement": _l("Agreement recorded"), "add_party": _l("Party added"),
    "no_agreement": _l("No agreement"),
    "transfer": _l("Transferred to the competent body"), "deliver": _l("Reply delivered"),
    "request_review": _l("Review requested"), "reply_review": _l("Review reply given"),
    "request_rereview": _l("Re-review requested"), "reply_rereview": _l("Re-review opinion given (final)"),
    "consent": _l("Consent recorded"), "party_details": _l("Party details recorded"),
    "api_submit": _l("Submitted through the Open311 API"), "revoke": _l("Revoked"),
    "enter_schedule": _l("Holiday schedule entered"), "remove_day": _l("Day removed from the schedule"),
    "import_update": _l("Updated from the source's export"),
    "raise": _l("Warning raised"), "raise_level": _l("Warning level raised"),
    "add_evidence": _l("Evidence added"), "acknowledge": _l("Acknowledged"),
    "remove": _l("Removed"), "deactivate": _l("Switched off"), "reactivate": _l("Switched on again"),
    "import_change_after_acceptance": _l("Changed in the source's export after acceptance (not applied)"),
}
_STATES: dict[str, type] = {}   # entity -> its state enum; each StateMachine registers its own


def register_states(entity: str, states: type) -> None:
    _STATES[entity] = states


def state_title(entity: str, value: str | None):
    """A recorded state code as the reader's word for it (the code itself if the entity has no titles)."""
    states = _STATES.get(entity)
    if value is None or states is None:
        return value
    try:
        return getattr(states(value), "title", value)
    except ValueError:
        return value


def action_title(entity: str, action: str):
    title = ACTION_TITLES.get(action)
    return title if title is not None else state_title(entity, action)


def record_audit(*, actor, entity: str, entity_id: int, action: str, from_state=None, to_state=None,
                 reason: str | None = None, detail: dict | None = None) -> AuditEntry:
    """Add an audit row to the current transaction (who, when, from, to, why). Never holds personal data."""
    entry = AuditEntry(**audit_values(actor=actor, entity=entity, entity_id=entity_id, action=action,
                                      from_state=from_state, to_state=to_state, reason=reason, detail=detail))
    db.session.add(entry)
    return entry


def record_audits(rows: list[dict]) -> None:
    """Write many audit rows (``audit_values``) in one statement of the current transaction, without the unit of
    work: for a service that writes what it audits in bulk, or on a hot path."""
    if rows:
        db.session.execute(sa.insert(AuditEntry.__table__), rows)


def audit_values(*, actor, entity: str, entity_id, action: str, from_state=None, to_state=None,
                 reason: str | None = None, detail: dict | None = None, at=None) -> dict:
    """The columns of one audit row, as record_audit sets them, for a service that writes many rows in one
    statement (``at`` given: one moment for the lot; left out: the column's default, now)."""
    values = {"actor_id": getattr(actor, "id", None), "entity": entity, "entity_id": entity_id, "action": action,
              "from_state": _value(from_state), "to_state": _value(to_state),
              "reason": str(reason) if reason is not None else None, "detail": detail}
    if at is not None:
        values["at"] = at
    return values


def timeline(entity: str, entity_id: int, limit: int = 200) -> list[AuditEntry]:
    return list(db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id).limit(limit)))


def _value(state):
    return None if state is None else getattr(state, "value", str(state))
