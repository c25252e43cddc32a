"""The mediation's state machine, declared once as a transition table."""
from desk.statemachine import StateMachine
from outreach.mediation.models import MediationStatus

M = MediationStatus
MEDIATION_TRANSITIONS = {
    M.ongoing: {M.agreement, M.no_agreement, M.terminated},
    M.agreement: set(),
    M.no_agreement: set(),
    M.terminated: set(),
}
MEDIATION_MACHINE = StateMachine("mediation", MEDIATION_TRANSITIONS)
