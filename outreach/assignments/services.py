"""Outreach requests and their assignments: ask, offer to one or several members, one accept wins,
decline with a reason, cancel and reschedule (audited, the assignee told), check in and out."""
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.errors import Conflict, DomainError
from desk.extensions import db
from desk.models import OrgUnit, Site
from desk.notify import notify
from desk.timeutil import to_local, utcnow
from outreach.assignments.machines import ASSIGNMENT_MACHINE, LIVE, REQUEST_MACHINE
from outreach.assignments.models import (AssignmentStatus as A, OutreachAssignment, OutreachRequest,
                                         RequestStatus as RS, ServiceKind)
from referrals.talent.models import LANGUAGES, Talent

MY_PAGE = "/outreach/my"


def request_title(request: OutreachRequest) -> str:
    place = request.site.name if request.site else (request.place.full_name if request.place else "")
    return f"{request.kind.title} · {place} · {request.on_date.isoformat()} {request.start_time:%H:%M}"


def _check_when(on_date: date, start_time: time, end_time: time, today: date) -> None:
    if on_date < today:
        raise DomainError(_l("Choose today or a later date."), field="on_date")
    if end_time <= start_time:
        raise DomainError(_l("The end time must be after the start time."), field="end_time")


def create_request(*, actor, unit: OrgUnit, site: Site | None, kind: ServiceKind, on_date: date,
                   start_time: time, end_time: time, expected_people: int, languages: list[str] = (),
                   notes: str = "", today: date) -> OutreachRequest:
    """A point, station or center asks for a service at a place (the caller has checked the place's scope)."""
    _check_when(on_date, start_time, end_time, today)
    if expected_people < 1:
        raise DomainError(_l("At least one person is expected."), field="expected_people")
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        raise DomainError(_l("Unknown language."), field="languages")
    if unit.county_id is None:
        raise DomainError(_l("Choose a place inside a county."), field="unit_id")
    request = OutreachRequest(kind=kind, site_id=site.id if site else None, requested_by_id=actor.id,
                              on_date=on_date, start_time=start_time, end_time=end_time,
                              expected_people=expected_people, languages=",".join(languages),
                              notes=notes.strip(), status=RS.open, created_at=utcnow())
    request.place_at(unit)
    db.session.add(request)
    db.session.flush()
    record_audit(actor=actor, entity="outreach_request", entity_id=request.id, action="create", to_state=RS.open,
                 detail={"kind": kind.value, "on": on_date.isoformat()})
    return request


def offer(request: OutreachRequest, talents: list[Talent], *, actor, now: datetime | None = None
          ) -> list[OutreachAssignment]:
    """Offer the request to one member or several at once; the first to accept takes it."""
    if request.status != RS.open:
        raise DomainError(_l("Only an open request can be offered."))
    if not talents:
        raise DomainError(_l("Choose at least one member."), field="talent_ids")
    now = now or utcnow()
    asked = set(db.session.scalars(sa.select(OutreachAssignment.talent_id)
                                   .where(OutreachAssignment.request_id == request.id)))
    made = []
    for talent in talents:
        if talent.county_id != request.county_id or not talent.active:
            raise DomainError(_l("%(name)s cannot be offered this request.", name=talent.name), field="talent_ids")
        if talent.id in asked:
            raise DomainError(_l("%(name)s has already been asked.", name=talent.name), field="talent_ids")
        assignment = OutreachAssignment(request_id=request.id, talent_id=talent.id, status=A.offered,
                                        offered_at=now)
        db.session.add(assignment)
        db.session.flush()
        record_audit(actor=actor, entity="outreach_assignment", entity_id=assignment.id, action="offer",
                     to_state=A.offered, detail={"request": request.id, "talent": talent.id})
        if talent.user_id:
            notify(talent.user_id, "offer", title=request_title(request),
                   link=f"{MY_PAGE}#assignment-{assignment.id}", dedupe_key=f"outreach_offer:{assignment.id}")
        made.append(assignment)
    return made


def accept(assignment_id: int, *, talent: Talent, actor, now: datetime | None = None) -> OutreachAssignment:
    """Exactly one member takes a request: one conditional UPDATE of the request row decides, whatever the
    concurrency (the losers' UPDATE matches no row once the winner's commits)."""
    now = now or utcnow()
    row = db.session.execute(sa.select(OutreachAssignment.request_id, OutreachAssignment.talent_id)
                             .where(OutreachAssignment.id == assignment_id)).first()
    if row is None or row.talent_id != talent.id:
        raise Conflict(_l("This offer is not addressed to you."))
    requests = OutreachRequest.__table__
    won = db.session.execute(requests.update().where(requests.c.id == row.request_id,
                                                     requests.c.status == RS.open.value)
                             .values(status=RS.assigned.value, talent_id=talent.id)).rowcount
    if won != 1:
        raise Conflict(_l("Already taken: someone else accepted this outreach, or it was cancelled."))
    assignments = OutreachAssignment.__table__
    taken = db.session.execute(assignments.update().where(assignments.c.id == assignment_id,
                                                          assignments.c.status == A.offered.value)
                               .values(status=A.accepted.value, answered_at=now)).rowcount
    if taken != 1:
        raise Conflict(_l("This offer is no longer open."))
    assignment = db.session.get(OutreachAssignment, assignment_id)
    db.session.refresh(assignment)
    request = assignment.request
    db.session.refresh(request)
    record_audit(actor=actor, entity="outreach_assignment", entity_id=assignment.id, action="accept",
                 from_state=A.offered, to_state=A.accepted)
    record_audit(actor=actor, entity="outreach_request", entity_id=request.id, action="assign",
                 from_state=RS.open, to_state=RS.assigned, detail={"talent": talent.id})
    title = request_title(request)
    for other in request.assignments:
        if other.id != assignment.id and other.status == A.offered:
            ASSIGNMENT_MACHINE.move(other, A.expired, actor=actor, action="taken_by_other")
            other.answered_at = now
            if other.talent.user_id:
                notify(other.talent.user_id, "offer_taken", title=title, link=MY_PAGE,
                       dedupe_key=f"outreach_taken:{other.id}")
    _tell_requester(request, title, _l("accepted by %(name)s", name=talent.name), f"accepted:{assignment.id}")
    return assignment


def decline(assignment: OutreachAssignment, *, talent: Talent, actor, reason: str,
            now: datetime | None = None) -> OutreachAssignment:
    if assignment.talent_id != talent.id:
        raise DomainError(_l("This offer is not addressed to you."))
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for declining."), field="reason")
    ASSIGNMENT_MACHINE.move(assignment, A.declined, actor=actor, action="decline", reason=reason.strip())
    assignment.decline_reason, assignment.answered_at = reason.strip(), now or utcnow()
    request = assignment.request
    _tell_requester(request, request_title(request), _l("declined by %(name)s: %(reason)s", name=talent.name,
                                                          reason=reason.strip()), f"declined:{assignment.id}")
    return assignment


def cancel_request(request: OutreachRequest, *, actor, reason: str) -> OutreachRequest:
    """Cancel the whole request; every member still holding or offered it is told."""
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for cancelling."), field="reason")
    REQUEST_MACHINE.move(request, RS.cancelled, actor=actor, action="cancel", reason=reason.strip())
    for assignment in request.assignments:
        if assignment.status in (A.offered, A.accepted):
            ASSIGNMENT_MACHINE.move(assignment, A.cancelled, actor=actor, action="cancel", reason=reason.strip())
            _tell_member(assignment, _l("cancelled: %(reason)s", reason=reason.strip()), "cancel")
        elif assignment.status == A.in_progress:
            raise DomainError(_l("The member has already checked in; record the service instead."))
    return request


def withdraw_assignee(request: OutreachRequest, *, actor, reason: str) -> OutreachRequest:
    """Take the request back from its assignee (it is open to offers again); the member is told."""
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for cancelling."), field="reason")
    holder = next((a for a in request.assignments if a.status == A.accepted), None)
    if holder is None:
        raise DomainError(_l("Nobody holds this request before the day."))
    ASSIGNMENT_MACHINE.move(holder, A.cancelled, actor=actor, action="cancel", reason=reason.strip())
    REQUEST_MACHINE.move(request, RS.open, actor=actor, action="withdraw", reason=reason.strip())
    request.talent_id = None
    _tell_member(holder, _l("cancelled: %(reason)s", reason=reason.strip()), "withdraw")
    return request


def reschedule(request: OutreachRequest, *, actor, on_date: date, start_time: time, end_time: time,
               reason: str, today: date) -> OutreachRequest:
    """Move the date or time window; audited with the old and new times, and the members are told."""
    if request.status not in (RS.open, RS.assigned):
        raise DomainError(_l("Only an open or assigned request can be rescheduled."))
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for rescheduling."), field="reason")
    _check_when(on_date, start_time, end_time, today)
    if any(a.status == A.in_progress for a in request.assignments):
        raise DomainError(_l("The member has already checked in; record the service instead."))
    before = f"{request.on_date.isoformat()} {request.start_time:%H:%M}-{request.end_time:%H:%M}"
    after = f"{on_date.isoformat()} {start_time:%H:%M}-{end_time:%H:%M}"
    request.on_date, request.start_time, request.end_time = on_date, start_time, end_time
    record_audit(actor=actor, entity="outreach_request", entity_id=request.id, action="reschedule",
                 reason=reason.strip(), detail={"from": before, "to": after})
    for assignment in request.assignments:
        if assignment.status in (A.offered, A.accepted):
            _tell_member(assignment, _l("rescheduled to %(when)s (%(reason)s)", when=after, reason=reason.strip()),
                         f"reschedule:{after}")
    return request


def check_in(assignment: OutreachAssignment, *, actor, now: datetime | None = None) -> OutreachAssignment:
    now = now or utcnow()
    if to_local(now).date() < assignment.request.on_date:
        raise DomainError(_l("Check in on the day of the outreach."))
    ASSIGNMENT_MACHINE.move(assignment, A.in_progress, actor=actor, action="check_in")
    assignment.checked_in_at = now
    return assignment


def check_out(assignment: OutreachAssignment, *, actor, now: datetime | None = None) -> OutreachAssignment:
    if assignment.status != A.in_progress:
        raise DomainError(_l("Check in first."))
    if assignment.checked_out_at is not None:
        raise DomainError(_l("Already checked out."))
    assignment.checked_out_at = now or utcnow()
    record_audit(actor=actor, entity="outreach_assignment", entity_id=assignment.id, action="check_out")
    return assignment


def expire_stale_offers(today: date, *, actor=None) -> int:
    """Offers nobody answered before the day has passed expire (the request stays for the requester to
    cancel or reschedule); safe to run twice."""
    stale = list(db.session.scalars(sa.select(OutreachAssignment).join(OutreachRequest).where(
        OutreachAssignment.status == A.offered, OutreachRequest.on_date < today)))
    for assignment in stale:
        ASSIGNMENT_MACHINE.move(assignment, A.expired, actor=actor, action="expire")
        assignment.answered_at = utcnow()
    return len(stale)


def visible_to(talent: Talent) -> sa.Select:
    """The member's assignments: open offers and what they hold first, then the rest, newest first."""
    live = sa.case((OutreachAssignment.status.in_([s.value for s in LIVE]), 0), else_=1)
    return (sa.select(OutreachAssignment).join(OutreachRequest)
            .where(OutreachAssignment.talent_id == talent.id)
            .order_by(live, OutreachRequest.on_date.desc(), OutreachAssignment.id.desc()))


def _tell_requester(request: OutreachRequest, title: str, what, key: str) -> None:
    if request.requested_by_id:
        notify(request.requested_by_id, "outreach_changed", title=title, what=what,
               link=f"/outreach/{request.id}", dedupe_key=f"outreach_changed:{request.id}:{key}")


def _tell_member(assignment: OutreachAssignment, what, key: str) -> None:
    user_id = assignment.talent.user_id
    if user_id:
        notify(user_id, "outreach_changed", title=request_title(assignment.request), what=what,
               link=f"{MY_PAGE}#assignment-{assignment.id}",
               dedupe_key=f"outreach_changed:{assignment.id}:{key}:{utcnow().isoformat()}")
