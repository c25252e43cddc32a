"""The case lifecycle: its transition table, statutory clocks and the services that move a case."""
import secrets
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from desk import deadlines
from desk.audit import record_audit
from desk.errors import DomainError
from desk.models import Case, CaseStatus, DemandBranch, OrgUnit, Outcome, PetitionType, next_number
from desk.statemachine import StateMachine
from desk.timeutil import local_today
from desk.workcalendar import default_calendar

S = CaseStatus
TRANSITIONS = {
    S.registered: {S.accepted, S.not_accepted},
    S.accepted: {S.in_progress, S.concluded},
    S.in_progress: {S.concluded},
    # A review (复查) request inside its window sends a concluded or closed case back to work.
    S.concluded: {S.closed, S.in_progress},
    S.closed: {S.in_progress},
    S.not_accepted: set(),
}
CASE_MACHINE = StateMachine("case", TRANSITIONS)


def clock_rules() -> dict:
    """The rule table in force: DOMAIN.md defaults overridden by the CLOCK_RULES setting."""
    cache = current_app.extensions.setdefault("desk.clock_rules", {})
    if "rules" not in cache:
        cache["rules"] = deadlines.rules_from_settings(current_app.config.get("CLOCK_RULES") or {})
    return cache["rules"]


def due(rule_key: str, start: date) -> date:
    return deadlines.due_date(start, clock_rules()[rule_key], default_calendar())


def new_reference(county: OrgUnit, year: int) -> str:
    """Reference per county and year, e.g. TS-2026-000123."""
    number = next_number(f"case:{county.id}:{year}")
    return f"{county.prefix or 'XX'}-{year}-{number:06d}"


def new_tracking_code() -> str:
    """A code the citizen can type to follow the case; unguessable, no personal data."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def start_case_clocks(case: Case, received_on: date) -> None:
    """Register and notify clocks start at receipt: 15 days each (信访工作条例 第二十二、二十四条)."""
    case.received_on = received_on
    case.register_due = due("register", received_on)
    case.notify_due = due("notify", received_on)
    case.next_due = case.register_due


def accept_case(case: Case, *, actor, on: date | None = None) -> Case:
    """Accept: the 60-day handling clock starts (信访工作条例 第三十二条)."""
    on = on or local_today()
    CASE_MACHINE.move(case, S.accepted, actor=actor, action="accept")
    case.accepted_on = case.decided_on = on
    case.conclude_due = due("conclude", on)
    case.next_due = case.conclude_due
    return case


def refuse_case(case: Case, *, actor, reason: str, directed_to: str, on: date | None = None) -> Case:
    """Do not accept, saying why and where the person was directed (诉访分离 for litigation matters)."""
    if not reason.strip():
        raise DomainError(_l("Give the reason for not accepting."), field="reason")
    if not directed_to.strip():
        raise DomainError(_l("Say where the petitioner was directed."), field="directed_to")
    CASE_MACHINE.move(case, S.not_accepted, actor=actor, action="not_accept", reason=reason,
                      detail={"directed_to": directed_to})
    case.decided_on = on or local_today()
    case.not_accepted_reason = reason
    case.directed_to = directed_to
    case.litigation_track = case.demand_branch == DemandBranch.litigation
    case.next_due = None
    return case


def start_work(case: Case, *, actor, reason: str | None = None) -> Case:
    CASE_MACHINE.move(case, S.in_progress, actor=actor, action="start", reason=reason)
    return case


def extend_case(case: Case, *, actor, reason: str, on: date | None = None) -> Case:
    """One extension of 30 days from the 60-day limit, approved by the head (信访工作条例 第三十五条)."""
    if case.status not in (S.accepted, S.in_progress) or case.conclude_due is None:
        raise DomainError(_l("Only an accepted case that is being handled can be extended."))
    if case.extended_on is not None:
        raise DomainError(_l("This case has already been extended once."))
    if not reason.strip():
        raise DomainError(_l("Give the reason for the extension."), field="reason")
    old_due = case.conclude_due
    case.extended_on = on or local_today()
    case.extension_reason = reason
    case.conclude_due = deadlines.extended_due_date(old_due, clock_rules(), default_calendar())
    case.next_due = case.conclude_due
    record_audit(actor=actor, entity="case", entity_id=case.id, action="extend", from_state=case.status,
                 to_state=case.status, reason=reason,
                 detail={"from_due": old_due.isoformat(), "to_due": case.conclude_due.isoformat()})
    return case


def conclude_case(case: Case, *, actor, outcome: Outcome, opinion: str, legal_basis: str = "",
                  on: date | None = None) -> Case:
    """Conclude with a written handling opinion; the review-request window (30 days) starts."""
    if not opinion.strip():
        raise DomainError(_l("Write the handling opinion."), field="opinion")
    on = on or local_today()
    CASE_MACHINE.move(case, S.concluded, actor=actor, action="conclude", detail={"outcome": outcome.value})
    if case.review_requested_on and not case.review_replied_on:
        case.review_replied_on = on
    case.outcome = outcome
    case.outcome_text = opinion
    case.legal_basis = legal_basis
    case.concluded_on = on
    case.review_due = due("review_request", on)
    case.next_due = None
    return case


def close_case(case: Case, *, actor, on: date | None = None) -> Case:
    CASE_MACHINE.move(case, S.closed, actor=actor, action="close")
    case.closed_on = on or local_today()
    return case


def reopen_for_review(case: Case, *, actor, reason: str, on: date | None = None) -> Case:
    """A review (复查) request within 30 days of the reply reopens the case; the reply is due in 30 days."""
    on = on or local_today()
    if case.review_due is None or on > case.review_due:
        raise DomainError(_l("The 30-day window for a review request has passed."))
    if not reason.strip():
        raise DomainError(_l("Give the reason for the review request."), field="reason")
    CASE_MACHINE.move(case, S.in_progress, actor=actor, action="reopen_review", reason=reason)
    case.review_requested_on = on
    case.review_reply_due = due("review_reply", on)
    case.next_due = case.review_reply_due
    case.closed_on = None
    return case


def is_heard_under_60_days(case: Case) -> bool:
    """Only "other" demand matters get a handling opinion under the 60-day clock (DOMAIN.md)."""
    return case.petition_type != PetitionType.demand or case.demand_branch in (None, DemandBranch.other)


def clocks(case: Case, today: date | None = None) -> list[dict]:
    """Every clock of the case with its due date, days left and state, for the case page."""
    today = today or local_today()
    rows = [("register", case.register_due, case.decided_on),
            ("notify", case.notify_due, case.decided_on),
            ("conclude", case.conclude_due, case.concluded_on if not case.review_requested_on else None),
            ("review_request", case.review_due, case.review_requested_on),
            ("review_reply", case.review_reply_due, case.review_replied_on)]
    result = []
    rules = clock_rules()
    for key, due_on, stopped in rows:
        if due_on is None:
            continue
        result.append({"key": key, "title": rules[key].title, "due": due_on,
                       "days_left": deadlines.days_left(due_on, today),
                       "state": deadlines.clock_state(due_on, today, stopped=stopped,
                                                      soon_days=current_app.config["DUE_SOON_DAYS"])})
    return result
