"""The case lifecycle up to handling: the transition table, statutory clocks, acceptance, routes and
extension. The later stages (reply, delivery, review, re-review) are in ``desk.stages``."""
import secrets
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from desk import deadlines
from desk.audit import record_audit
from desk.errors import DomainError
from desk.models import (ACCUSATION_ROUTES, BRANCH_ROUTES, LITIGATION_ROUTES, Case, CaseStage, CaseStatus,
                         DemandBranch, OrgUnit, PetitionType, Role, Route, StageKind, next_number)
from desk.statemachine import StateMachine
from desk.timeutil import local_today
from desk.workcalendar import default_calendar

S = CaseStatus
TRANSITIONS = {
    S.registered: {S.accepted, S.not_accepted, S.transferred},
    S.accepted: {S.in_progress, S.concluded},
    S.in_progress: {S.concluded},
    # A reply given: the petitioner may ask the level above for a review (复查), then once for a re-review (复核).
    S.concluded: {S.closed, S.under_review, S.under_rereview},
    S.closed: {S.under_review, S.under_rereview},
    S.under_review: {S.concluded},
    # The re-review opinion is final (终结): the same facts and reasons are not accepted again.
    S.under_rereview: {S.final},
    S.final: set(),
    S.not_accepted: set(),
    S.transferred: set(),
}
CASE_MACHINE = StateMachine("case", TRANSITIONS)
# The head of the office approves an extension (信访工作条例 第三十五条); officials hold that authority.
EXTENSION_APPROVERS = (Role.official,)


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


def is_heard_under_60_days(case: Case) -> bool:
    """Only "other" demand matters get a handling opinion under the 60-day clock and the review chain."""
    return case.petition_type == PetitionType.demand and case.demand_branch in (None, DemandBranch.other)


def is_reviewable(case: Case) -> bool:
    """Suggestions are answered without review; accusations and the five statutory branches leave the track."""
    return is_heard_under_60_days(case)


def handling_rule(case: Case) -> str:
    return "suggestion_reply" if case.petition_type == PetitionType.suggestion else "conclude"


def routes_for(case: Case) -> tuple[Route, ...]:
    """The routes a matter may be sent on instead of being heard here."""
    if case.petition_type == PetitionType.accusation:
        return ACCUSATION_ROUTES
    return BRANCH_ROUTES.get(case.demand_branch, tuple(Route))


def accept_case(case: Case, *, actor, on: date | None = None) -> Case:
    """Accept: the handling clock starts — 60 days for a demand, the suggestion clock for a suggestion
    (信访工作条例 第三十二、三十五条). Accusations and the five statutory branches are never accepted here."""
    if case.petition_type == PetitionType.accusation:
        raise DomainError(_l("A report or accusation is not handled here: transfer it to the competent body."))
    if case.petition_type == PetitionType.demand and not is_heard_under_60_days(case):
        raise DomainError(_l("This matter belongs to “%(branch)s” and is not accepted on the petition track: "
                             "do not accept it and name the body it goes to.", branch=case.demand_branch.title))
    on = on or local_today()
    CASE_MACHINE.move(case, S.accepted, actor=actor, action="accept")
    case.accepted_on = case.decided_on = on
    case.conclude_due = due(handling_rule(case), on)
    case.next_due = case.conclude_due
    unit = handling_unit(case)
    case.stages.append(CaseStage(kind=StageKind.handling, body_unit_id=unit.id if unit else None,
                                 body_name=unit.full_name if unit else "", started_on=on,
                                 due_on=case.conclude_due, created_by_id=getattr(actor, "id", None)))
    return case


def _check_route(case: Case, route: Route | None, directed_to: str) -> None:
    allowed = routes_for(case)
    if route is None or route not in allowed:
        raise DomainError(_l("Choose one of: %(routes)s.", routes="、".join(str(r.title) for r in allowed)),
                          field="route")
    if not (directed_to or "").strip():
        raise DomainError(_l("Name the body the petitioner was directed to."), field="directed_to")


def refuse_case(case: Case, *, actor, reason: str, route: Route | None, directed_to: str,
                on: date | None = None) -> Case:
    """Do not accept, saying why and which body has the power to handle it (诉访分离 for litigation)."""
    if case.petition_type == PetitionType.accusation:
        raise DomainError(_l("A report or accusation is transferred to the competent body, not refused."))
    if not reason.strip():
        raise DomainError(_l("Give the reason for not accepting."), field="reason")
    _check_route(case, route, directed_to)
    CASE_MACHINE.move(case, S.not_accepted, actor=actor, action="not_accept", reason=reason,
                      detail={"route": route.value, "directed_to": directed_to})
    case.decided_on = on or local_today()
    case.not_accepted_reason = reason
    _set_route(case, route, directed_to)
    return case


def transfer_accusation(case: Case, *, actor, reason: str, route: Route | None, directed_to: str,
                        on: date | None = None) -> Case:
    """A report or accusation goes to discipline inspection or the competent body (信访工作条例 第三十一条);
    the materials never go to the person accused."""
    if case.petition_type != PetitionType.accusation:
        raise DomainError(_l("Only a report or accusation is transferred this way."))
    _check_route(case, route, directed_to)
    CASE_MACHINE.move(case, S.transferred, actor=actor, action="transfer", reason=reason or None,
                      detail={"route": route.value, "directed_to": directed_to})
    case.decided_on = on or local_today()
    case.not_accepted_reason = reason or None
    _set_route(case, route, directed_to)
    return case


def _set_route(case: Case, route: Route, directed_to: str) -> None:
    case.route = route
    case.directed_to = directed_to.strip()
    case.litigation_track = route in LITIGATION_ROUTES
    case.next_due = None


def start_work(case: Case, *, actor, reason: str | None = None) -> Case:
    CASE_MACHINE.move(case, S.in_progress, actor=actor, action="start", reason=reason)
    return case


def extend_case(case: Case, *, actor, reason: str, on: date | None = None) -> Case:
    """One extension, decided before the handling limit ends, approved by the head, to acceptance + 60 + at
    most 30 days (信访工作条例 第三十五条)."""
    on = on or local_today()
    if actor is None or not actor.has_role(*EXTENSION_APPROVERS):
        raise DomainError(_l("An extension needs the approval of the head of the office."))
    if case.status not in (S.accepted, S.in_progress) or case.conclude_due is None:
        raise DomainError(_l("Only an accepted case that is being handled can be extended."))
    if case.extended_on is not None:
        raise DomainError(_l("This case has already been extended once."))
    if on > case.conclude_due:
        raise DomainError(_l("The handling limit ended on %(day)s: an extension must be decided before it ends.",
                             day=case.conclude_due.isoformat()))
    if not reason.strip():
        raise DomainError(_l("Give the reason for the extension."), field="reason")
    rules = clock_rules()
    old_due = case.conclude_due
    case.extended_on = on
    case.extended_by_id = actor.id
    case.extension_reason = reason
    case.conclude_due = deadlines.extended_due_date(case.accepted_on, rules[handling_rule(case)],
                                                    rules["extension"], default_calendar())
    case.next_due = case.conclude_due
    record_audit(actor=actor, entity="case", entity_id=case.id, action="extend", from_state=case.status,
                 to_state=case.status, reason=reason,
                 detail={"from_due": old_due.isoformat(), "to_due": case.conclude_due.isoformat()})
    return case


def close_case(case: Case, *, actor, on: date | None = None) -> Case:
    CASE_MACHINE.move(case, S.closed, actor=actor, action="close")
    case.closed_on = on or local_today()
    return case


def handling_unit(case: Case) -> OrgUnit | None:
    """The body handling the matter: its level's unit (village point, town station or county center)."""
    from desk.extensions import db
    level = getattr(case, "level", None)
    unit_id = getattr(case, f"{level.value}_id", None) if level is not None else None
    unit_id = unit_id or case.town_id or case.county_id
    return db.session.get(OrgUnit, unit_id) if unit_id else None


# The later stages live in desk.stages; callers use the case lifecycle from this one module. Resolved on first
# use (PEP 562), so either module may be imported first without a circular import.
_FROM_STAGES = ("clocks", "conclude_case", "record_delivery", "request_next_stage")


def __getattr__(name: str):
    if name in _FROM_STAGES:
        from desk import stages
        return getattr(stages, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
