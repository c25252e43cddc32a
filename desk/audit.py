"""The one audit service every state change calls, in the caller's transaction."""
from desk.extensions import db
from desk.models import AuditEntry


def record_audit(*, actor, entity: str, entity_id: int, action: str, from_state=None, to_state=None,
                 reason: str | None = None, detail: dict | None = None) -> AuditEntry:
    """Add an audit row to the current transaction (who, when, from, to, why). Never holds personal data."""
    entry = AuditEntry(actor_id=getattr(actor, "id", None), entity=entity, entity_id=entity_id,
                       action=action, from_state=_value(from_state), to_state=_value(to_state),
                       reason=str(reason) if reason is not None else None, detail=detail)
    db.session.add(entry)
    return entry


def timeline(entity: str, entity_id: int, limit: int = 200) -> list[AuditEntry]:
    return list(db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id).limit(limit)))


def _value(state):
    return None if state is None else getattr(state, "value", str(state))
