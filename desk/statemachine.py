"""A state machine declared as data: a transition table, one check, one audit row per move."""
from dataclasses import dataclass, field
from typing import Callable

from flask_babel import lazy_gettext as _l

from desk.audit import record_audit, register_states
from desk.errors import IllegalTransition

# What a refused move calls the record, in the reader's language (the entity code is for audit rows only).
ENTITY_TITLES = {
    "case": _l("case"), "dispatch_order": _l("dispatch order"), "referral": _l("referral"),
    "mediation": _l("mediation"), "outreach_request": _l("outreach request"),
    "outreach_assignment": _l("outreach assignment"), "ticket": _l("queue ticket"), "callback": _l("callback"),
    "case_route": _l("routing"), "import_run": _l("import"), "grid_event": _l("grid event"),
    "risk_warning": _l("risk warning"), "prepared_file": _l("prepared file"),
}


@dataclass
class StateMachine:
    """``transitions`` maps each state to the set of states it may move to."""

    entity: str
    transitions: dict
    state_attr: str = "status"
    on_enter: dict[object, Callable] = field(default_factory=dict)

    def __post_init__(self):
        if self.transitions:   # the history pages show this entity's recorded states by their titles
            register_states(self.entity, type(next(iter(self.transitions))))

    def allowed(self, obj) -> set:
        return set(self.transitions.get(getattr(obj, self.state_attr), ()))

    def can(self, obj, target) -> bool:
        return target in self.allowed(obj)

    def move(self, obj, target, *, actor, action: str | None = None, reason: str | None = None,
             detail: dict | None = None):
        """Check the table, set the state, run the target's side effect, write the audit row."""
        current = getattr(obj, self.state_attr)
        if target not in self.transitions.get(current, ()):
            raise IllegalTransition(_l("This %(entity)s cannot move from “%(src)s” to “%(dst)s”.",
                                       entity=ENTITY_TITLES.get(self.entity, self.entity), src=_title(current),
                                       dst=_title(target)))
        setattr(obj, self.state_attr, target)
        hook = self.on_enter.get(target)
        if hook:
            hook(obj)
        record_audit(actor=actor, entity=self.entity, entity_id=obj.id, action=action or str(target),
                     from_state=current, to_state=target, reason=reason, detail=detail)
        return obj


def _title(state):
    return getattr(state, "title", state)
