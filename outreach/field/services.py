"""In the field: complaints registered on the spot (through the reception desk's own service, channel
"outreach") and the service record that closes an assignment."""
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Case, Channel, Visit
from desk.timeutil import to_local, utcnow
from intake.reception.repeat import find_prior_cases
from intake.reception.services import VisitInput, register_visit
from outreach.assignments.machines import ASSIGNMENT_MACHINE, REQUEST_MACHINE
from outreach.assignments.models import AssignmentStatus as A, OutreachAssignment, RequestStatus as RS
from outreach.field.models import FollowUpCase, ServiceRecord

MAX_PEOPLE_SERVED = 5000


def _require_checked_in(assignment: OutreachAssignment) -> None:
    if assignment.status != A.in_progress:
        raise DomainError(_l("Check in at the place first."))


def prior_cases_for(*, assignment: OutreachAssignment, id_number, phone, name, category_id, text: str):
    """Earlier matters of whoever this may be: the desk's own repeat look-up, in the request's town."""
    return find_prior_cases(id_number=id_number, phone=phone, name=name,
                            town_id=assignment.request.town_id or None, category_id=category_id, text=text)


def register_in_field(assignment: OutreachAssignment, *, actor, data: VisitInput) -> Visit:
    """Register a complaint on the spot: the desk's register_visit (same checks, same repeat linking),
    channel "outreach", and the case listed among the assignment's follow-up cases."""
    _require_checked_in(assignment)
    data.channel = Channel.outreach
    visit = register_visit(actor=actor, site=assignment.request.site, data=data)
    exists = db.session.scalar(sa.select(FollowUpCase.case_id).where(
        FollowUpCase.assignment_id == assignment.id, FollowUpCase.case_id == visit.case_id))
    if exists is None:
        db.session.add(FollowUpCase(assignment_id=assignment.id, case_id=visit.case_id))
        db.session.flush()
    return visit


def follow_up_cases(assignment: OutreachAssignment) -> list[Case]:
    return list(db.session.scalars(sa.select(Case).join(FollowUpCase, FollowUpCase.case_id == Case.id)
                                   .where(FollowUpCase.assignment_id == assignment.id)
                                   .order_by(FollowUpCase.created_at)))


RATING_FIELDS = ("rated_satisfied", "rated_basic", "rated_dissatisfied")


def _ratings(ratings: dict | None, people_served: int) -> dict:
    """The people served who rated the service, per rating (DOMAIN.md: outreach satisfaction); none asked is 0."""
    counts = {name: (ratings or {}).get(name) or 0 for name in RATING_FIELDS}
    for name, value in counts.items():
        if not isinstance(value, int) or value < 0 or value > MAX_PEOPLE_SERVED:
            raise DomainError(_l("Enter a number from 0 to %(max)s.", max=MAX_PEOPLE_SERVED), field=name)
    if sum(counts.values()) > people_served:
        raise DomainError(_l("More ratings (%(rated)s) than people served (%(served)s).",
                             rated=sum(counts.values()), served=people_served), field="rated_satisfied")
    return counts


def record_service(assignment: OutreachAssignment, *, actor, people_served: int, topics: str, outcome: str,
                   ratings: dict | None = None, now: datetime | None = None) -> ServiceRecord:
    """Close the assignment with what it achieved: people served (人次), topics, outcome, and how many of the
    people served rated it satisfied, basically satisfied or dissatisfied (``ratings``); checks out too."""
    _require_checked_in(assignment)
    if people_served is None or people_served < 0 or people_served > MAX_PEOPLE_SERVED:
        raise DomainError(_l("Enter the number of people served (0 to %(max)s).", max=MAX_PEOPLE_SERVED),
                          field="people_served")
    counts = _ratings(ratings, people_served)
    if not (outcome or "").strip():
        raise DomainError(_l("Describe the outcome."), field="outcome")
    now = now or utcnow()
    request = assignment.request
    if assignment.checked_out_at is None:
        assignment.checked_out_at = now
    record = ServiceRecord(assignment_id=assignment.id, request_id=request.id, talent_id=assignment.talent_id,
                           site_id=request.site_id, kind=request.kind,
                           served_on=to_local(assignment.checked_in_at or now).date(),
                           people_served=people_served, topics=(topics or "").strip(), outcome=outcome.strip(),
                           recorded_at=now, **counts)
    for column in ("city_id", "county_id", "town_id", "village_id", "grid_id"):
        setattr(record, column, getattr(request, column))
    db.session.add(record)
    ASSIGNMENT_MACHINE.move(assignment, A.done, actor=actor, action="record_service",
                            detail={"people": people_served})
    if request.status == RS.assigned:
        REQUEST_MACHINE.move(request, RS.done, actor=actor, action="served")
    db.session.flush()
    record_audit(actor=actor, entity="outreach_service_record", entity_id=record.id, action="create",
                 detail={"people": people_served, "follow_up": len(follow_up_cases(assignment)), **counts})
    return record
