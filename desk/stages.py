"""The staged process after acceptance: handling → reply, delivered → review (once, at the level above) →
review reply, delivered → re-review (once, at the level above the reviewer) → final opinion (DOMAIN.md).

Each stage is a ``CaseStage`` row with its own clock; a stage's row is completed, never rewritten, and the
case's ``next_due`` always holds the clock running now."""
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l

from desk import deadlines
from desk.audit import record_audit
from desk.cases import CASE_MACHINE, S, clock_rules, due, handling_rule, handling_unit, is_reviewable
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Case, CaseStage, OrgUnit, Outcome, StageKind
from desk.timeutil import local_today

NEXT_STAGE = {StageKind.handling: StageKind.review, StageKind.review: StageKind.rereview}
STAGE_STATUS = {StageKind.review: S.under_review, StageKind.rereview: S.under_rereview}
REQUEST_RULE = {StageKind.review: "review_request", StageKind.rereview: "rereview_request"}
REPLY_RULE = {StageKind.review: "review_reply", StageKind.rereview: "rereview_reply"}


def stage(case: Case, kind: StageKind) -> CaseStage | None:
    return next((s for s in case.stages if s.kind == kind), None)


def running_stage(case: Case) -> CaseStage | None:
    return next((s for s in reversed(case.stages) if s.ended_on is None), None)


def last_replied_stage(case: Case) -> CaseStage | None:
    return next((s for s in reversed(case.stages) if s.ended_on is not None), None)


def stage_due(case: Case, st: CaseStage) -> date:
    """The stage's limit in force: the handling stage's includes an approved extension."""
    return case.conclude_due if st.kind == StageKind.handling and case.conclude_due else st.due_on


def next_stage_kind(case: Case) -> StageKind | None:
    """The stage the petitioner may ask for next, if any (none for suggestions, none after re-review)."""
    last = last_replied_stage(case)
    if last is None or not is_reviewable(case) or running_stage(case) is not None:
        return None
    return NEXT_STAGE.get(last.kind)


def conclude_case(case: Case, *, actor, outcome: Outcome, opinion: str, legal_basis: str = "",
                  delivered_on: date | None = None, on: date | None = None) -> Case:
    """Give the written reply of the running stage: the handling opinion (信访处理意见书), the review opinion
    or the re-review opinion, which is final. "Concluded on" keeps the first reply's date."""
    if not (opinion or "").strip():
        raise DomainError(_l("Write the handling opinion."), field="opinion")
    on = on or local_today()
    current = running_stage(case)
    if current is None:
        raise DomainError(_l("No stage of this case is being handled."))
    if on < current.started_on:
        raise DomainError(_l("A reply cannot be dated before its stage began (%(day)s).",
                             day=current.started_on.isoformat()))
    target = S.final if current.kind == StageKind.rereview else S.concluded
    CASE_MACHINE.move(case, target, actor=actor, action="conclude" if current.kind == StageKind.handling
                      else f"reply_{current.kind.value}", detail={"outcome": outcome.value})
    current.ended_on = on
    current.outcome, current.opinion, current.legal_basis = outcome, opinion, legal_basis
    if current.kind == StageKind.handling:
        case.outcome, case.outcome_text, case.legal_basis = outcome, opinion, legal_basis
        case.concluded_on = on
    case.last_reply_on = on
    case.request_due = None
    case.next_due = None
    if delivered_on is not None:
        record_delivery(case, actor=actor, delivered_on=delivered_on, today=on)
    return case


def record_delivery(case: Case, *, actor, delivered_on: date, today: date | None = None) -> CaseStage:
    """The petitioner received the reply (送达): the window to ask for the next stage runs from this day."""
    today = today or local_today()
    last = last_replied_stage(case)
    if last is None or running_stage(case) is not None:
        raise DomainError(_l("There is no reply waiting to be delivered."))
    if last.delivered_on is not None:
        raise DomainError(_l("The delivery of this reply was recorded on %(day)s.", day=last.delivered_on.isoformat()),
                          field="delivered_on")
    if delivered_on < last.ended_on:
        raise DomainError(_l("A reply cannot be delivered before it was given (%(day)s).", day=last.ended_on.isoformat()),
                          field="delivered_on")
    if delivered_on > today:
        raise DomainError(_l("The delivery date cannot be in the future."), field="delivered_on")
    last.delivered_on = delivered_on
    kind = next_stage_kind(case)
    case.request_due = due(REQUEST_RULE[kind], delivered_on) if kind else None
    record_audit(actor=actor, entity="case", entity_id=case.id, action="deliver", from_state=case.status,
                 to_state=case.status, detail={"stage": last.kind.value, "delivered_on": delivered_on.isoformat()})
    return last


def request_next_stage(case: Case, *, actor, reason: str, on: date | None = None) -> Case:
    """A review (复查) or re-review (复核) request, each once, within 30 days of receiving the reply, to the
    body at the level above the one that replied (信访工作条例 第三十五条)."""
    on = on or local_today()
    kind = next_stage_kind(case)
    last = last_replied_stage(case)
    if kind is None:
        if case.status == S.final:
            raise DomainError(_l("This matter was concluded after re-review: the same facts and reasons are not "
                                 "accepted again."))
        if last is not None and not is_reviewable(case):
            raise DomainError(_l("A suggestion is answered without review."))
        raise DomainError(_l("There is no reply to ask a review of."))
    if last.delivered_on is None:
        raise DomainError(_l("Record when the reply was delivered first: the window for a request runs from it."))
    if on < last.delivered_on:
        raise DomainError(_l("A request cannot come before the reply was delivered (%(day)s).",
                             day=last.delivered_on.isoformat()))
    if on > case.request_due:
        raise DomainError(_l("The %(days)s-day window for this request ended on %(day)s.",
                             days=clock_rules()[REQUEST_RULE[kind]].limit, day=case.request_due.isoformat()))
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for the request."), field="reason")
    CASE_MACHINE.move(case, STAGE_STATUS[kind], actor=actor, action=f"request_{kind.value}", reason=reason)
    body = unit_above(db.session.get(OrgUnit, last.body_unit_id) if last.body_unit_id else handling_unit(case))
    new = CaseStage(kind=kind, body_unit_id=body.id if body else None, body_name=body.full_name if body else "",
                    request_reason=reason, started_on=on, due_on=due(REPLY_RULE[kind], on),
                    created_by_id=getattr(actor, "id", None))
    case.stages.append(new)
    case.next_due = new.due_on
    case.request_due = None
    case.closed_on = None
    return case


def unit_above(unit: OrgUnit | None) -> OrgUnit | None:
    return unit.parent if unit is not None else None


def clocks(case: Case, today: date | None = None) -> list[dict]:
    """Every clock of the case, stage by stage, for the case page and the notices. The running one is the
    one overdue lists and reminders use; a petitioner's request window is shown but never "overdue"."""
    today = today or local_today()
    rules = clock_rules()
    soon = current_app.config["DUE_SOON_DAYS"]
    rows = [_row("register", rules["register"].title, case.register_due, case.decided_on, today, soon),
            _row("notify", rules["notify"].title, case.notify_due, case.decided_on, today, soon)]
    for st in case.stages:
        key = "conclude" if st.kind == StageKind.handling else REPLY_RULE[st.kind]
        title = rules[handling_rule(case) if key == "conclude" else key].title
        rows.append(_row(key, title, stage_due(case, st), st.ended_on, today, soon, stage=st))
    kind = next_stage_kind(case)
    if kind is not None and case.request_due is not None:
        open_ = today <= case.request_due
        rows.append({"key": REQUEST_RULE[kind], "title": rules[REQUEST_RULE[kind]].title, "due": case.request_due,
                     "days_left": deadlines.days_left(case.request_due, today) if open_ else None,
                     "state": "window_open" if open_ else "window_closed", "stage": None})
    return [r for r in rows if r["due"] is not None]


def _row(key, title, due_on, stopped, today, soon, stage=None) -> dict:
    if due_on is None:
        return {"due": None}
    state = deadlines.clock_state(due_on, today, stopped=stopped, soon_days=soon)
    if stopped is not None and stopped > due_on:
        state = "late"
    return {"key": key, "title": title, "due": due_on, "days_left": deadlines.days_left(due_on, today),
            "state": state, "stage": stage}
