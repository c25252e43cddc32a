"""The state machines of requests and assignments, each declared once as a transition table."""
from desk.statemachine import StateMachine
from outreach.assignments.models import AssignmentStatus, RequestStatus

RS = RequestStatus
REQUEST_TRANSITIONS = {
    RS.open: {RS.assigned, RS.cancelled},
    # An assignee may still be cancelled (the request goes back to open) before the day.
    RS.assigned: {RS.open, RS.done, RS.cancelled},
    RS.done: set(),
    RS.cancelled: set(),
}
REQUEST_MACHINE = StateMachine("outreach_request", REQUEST_TRANSITIONS)

A = AssignmentStatus
ASSIGNMENT_TRANSITIONS = {
    A.offered: {A.accepted, A.declined, A.expired, A.cancelled},
    A.accepted: {A.in_progress, A.cancelled},   # in_progress = checked in on the spot
    A.in_progress: {A.done},
    A.declined: set(),
    A.expired: set(),
    A.cancelled: set(),
    A.done: set(),
}
ASSIGNMENT_MACHINE = StateMachine("outreach_assignment", ASSIGNMENT_TRANSITIONS)
LIVE = (A.offered, A.accepted, A.in_progress)
