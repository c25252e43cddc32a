"""Grid events (网格事件, 录入—上报—分派—流转—处置): a grid member reports from the street, the town's commander
dispatches (to a county department, a mediator or the town station), the event is handled, closed and rated
by the member who reported it; an event that is a petition becomes a case (DOMAIN.md, "Channels beyond the desk").

A dispatch to a department reuses dispatch orders, which hang on a case: the event first lands as a case
(channel grid, through intake.channels.land_matter, the one way every channel registers a matter), the order
is issued on that case, and the event follows the order: handled when the department reports back, closed
when the commander verifies (``follow_order``).
"""
import os
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from desk.access import in_scope, scope_clause
from desk.errors import DomainError, IllegalTransition, NotAllowed
from desk.extensions import db
from desk.models import Category, Channel, OrgUnit, Role, User, grid_membership, next_number
from desk.statemachine import StateMachine
from desk.timeutil import to_local, utcnow
from desk.uploads import check_upload, store_blob
from intake.grid.models import DispatchTarget, EventKind, EventRating, EventStatus, GridEvent, GridEventPhoto

S = EventStatus
TRANSITIONS = {
    S.reported: {S.dispatched, S.closed, S.converted},   # closed: resolved on the spot by the member
    S.dispatched: {S.handled, S.converted},
    S.handled: {S.closed},
    S.closed: {S.rated},
    S.rated: set(),
    S.converted: set(),
}
EVENT_MACHINE = StateMachine("grid_event", TRANSITIONS)
MAX_PHOTOS = 6
MAX_TEXT = 4000
IMAGE_TYPES = ("image/jpeg", "image/png")
ORDER_DEADLINE_WORKING_DAYS = 5   # a working week, about the GRID_HANDLE_DAYS default of 7 calendar days


# --- who sees what ---------------------------------------------------------------------------------------

def member_grid_ids(user) -> set[int]:
    return set(db.session.scalars(sa.select(grid_membership.c.grid_id)
                                  .where(grid_membership.c.user_id == user.id)))


def member_grids(user) -> list[OrgUnit]:
    return list(db.session.scalars(
        sa.select(OrgUnit).join(grid_membership, grid_membership.c.grid_id == OrgUnit.id)
        .where(grid_membership.c.user_id == user.id).order_by(OrgUnit.code)))


def visible_clause(user):
    """SQL: the events this user may see. Members: their grids' and their own reports; a mediator: those
    assigned to them; officers: those dispatched to their department; commanders and officials: their scope."""
    clauses = []
    if user.has_role(Role.grid_member):
        grids = sa.select(grid_membership.c.grid_id).where(grid_membership.c.user_id == user.id)
        clauses += [GridEvent.reporter_id == user.id, GridEvent.grid_id.in_(grids)]
    if user.has_role(Role.talent):
        clauses.append(GridEvent.assignee_id == user.id)
    if user.has_role(Role.department_officer) and user.department_id:
        clauses.append(sa.and_(GridEvent.target == DispatchTarget.department,
                               GridEvent.department_id == user.department_id))
    if user.has_role(Role.commander, Role.official, Role.admin):
        clauses.append(scope_clause(GridEvent, user))
    return sa.or_(*clauses) if clauses else sa.false()


def may_see(user, event: GridEvent) -> bool:
    """Python twin of visible_clause for one loaded event."""
    if user.has_role(Role.grid_member) and (event.reporter_id == user.id or event.grid_id in member_grid_ids(user)):
        return True
    if user.has_role(Role.talent) and event.assignee_id == user.id:
        return True
    if user.has_role(Role.department_officer) and user.department_id and \
            event.target == DispatchTarget.department and event.department_id == user.department_id:
        return True
    return user.has_role(Role.commander, Role.official, Role.admin) and in_scope(user, event)


def is_town_commander(user, event: GridEvent) -> bool:
    """The commander of the event's town (scope by town)."""
    return user.has_role(Role.commander) and user.org_unit_id == event.town_id


def _require_commander(event: GridEvent, actor) -> None:
    if not is_town_commander(actor, event):
        raise NotAllowed(_l("Only the commander of this event's town can do this."))


# --- photos and places -----------------------------------------------------------------------------------

def check_photos(photos) -> list[tuple[str, bytes, str]]:
    """At most six JPEG or PNG images, judged by their content (the name and the browser's claim are not trusted)."""
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_l("At most 6 photos."), field="photos")
    checked = []
    for filename, data in photos:
        try:
            mime = check_upload(filename, data)
        except DomainError as err:
            raise DomainError(err.message, field="photos") from None
        if mime not in IMAGE_TYPES:
            raise DomainError(_l("%(name)s is not a JPEG or PNG image.", name=filename), field="photos")
        checked.append((filename, data, mime))
    return checked


def _store_photos(event: GridEvent, checked, *, stage: str, actor, folder: str | None) -> None:
    folder = folder or os.path.join(current_app.instance_path, "grid_photos")
    for filename, data, mime in checked:
        digest, path = store_blob(data, folder)
        event.photos.append(GridEventPhoto(stage=stage, filename=os.path.basename(filename)[:200] or "photo",
                                           mime=mime, size=len(data), sha256=digest, path=path,
                                           uploaded_by_id=actor.id))


def _check_location(latitude, longitude) -> None:
    if (latitude is None) != (longitude is None):
        raise DomainError(_l("Give both latitude and longitude, or neither."), field="latitude")
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise DomainError(_l("The location is outside the valid range."), field="latitude")


def _text(value: str | None, message, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(message, field=field)
    if len(text) > MAX_TEXT:
        raise DomainError(_l("At most 4000 characters."), field=field)
    return text


def handle_due(dispatched_at: datetime) -> datetime:
    """End of the local day GRID_HANDLE_DAYS calendar days after dispatch."""
    from referrals.orders.services import local_end_of_day
    day = to_local(dispatched_at).date() + timedelta(days=current_app.config["GRID_HANDLE_DAYS"])
    return local_end_of_day(day)


# --- the flow --------------------------------------------------------------------------------------------

def report_event(*, actor, kind: EventKind, grid_id, category_id, description: str, photos=(),
                 latitude: float | None = None, longitude: float | None = None, folder: str | None = None,
                 now: datetime | None = None) -> GridEvent:
    """A grid member reports an event in one of their grids (status reported)."""
    if not actor.has_role(Role.grid_member):
        raise NotAllowed(_l("Only grid members report grid events."))
    now = now or utcnow()
    grid = next((g for g in member_grids(actor) if g.id == grid_id), None)
    if grid is None:
        raise DomainError(_l("Choose one of your grids."), field="grid_id")
    category = db.session.get(Category, category_id) if isinstance(category_id, int) else None
    if category is None:
        raise DomainError(_l("Choose a category."), field="category_id")
    text = _text(description, _l("Describe what you saw."), "description")
    _check_location(latitude, longitude)
    checked = check_photos(photos)
    county = db.session.get(OrgUnit, grid.county_id)
    year = to_local(now).year
    serial = next_number(f"grid_event:{county.id}:{year}")
    event = GridEvent(number=f"{county.prefix or 'XX'}-WG-{year}-{serial:05d}", kind=EventKind(kind),
                      status=S.reported, category=category, description=text, latitude=latitude,
                      longitude=longitude, reporter_id=actor.id, reported_at=now)
    event.place_at(grid)
    db.session.add(event)
    db.session.flush()
    _store_photos(event, checked, stage="report", actor=actor, folder=folder)
    from desk.audit import record_audit
    record_audit(actor=actor, entity="grid_event", entity_id=event.id, action="create", to_state=S.reported,
                 detail={"kind": event.kind.value, "photos": len(checked)})
    db.session.flush()
    return event


def dispatch_event(event: GridEvent, *, actor, target: DispatchTarget, department_id: int | None = None,
                   talent_id: int | None = None, instructions: str = "", contact_name: str = "",
                   contact_phone: str | None = None, now: datetime | None = None) -> GridEvent:
    """The town's commander sends the event to a county department (a dispatch order on the event's case),
    a mediator of the county (assigned to the mediator's user) or the town station (the town's own staff)."""
    _require_commander(event, actor)
    now = now or utcnow()
    if not EVENT_MACHINE.can(event, S.dispatched):
        raise DomainError(_l("Only a reported event can be dispatched."))
    target = DispatchTarget(target)
    note = (instructions or "").strip()
    if len(note) > MAX_TEXT:
        raise DomainError(_l("At most 4000 characters."), field="instructions")
    if target == DispatchTarget.department:
        _dispatch_to_department(event, actor=actor, department_id=department_id, instructions=note,
                                contact_name=contact_name, contact_phone=contact_phone, now=now)
    elif target == DispatchTarget.mediator:
        event.assignee_id = _mediator_user_id(event, talent_id)
    EVENT_MACHINE.move(event, S.dispatched, actor=actor, action="assign",
                       detail={"target": target.value, "department": department_id, "talent": talent_id})
    event.target, event.instructions = target, note or None
    event.dispatched_by_id, event.dispatched_at, event.handle_due_at = actor.id, now, handle_due(now)
    if event.assignee_id:
        from desk.notify import notify
        notify(event.assignee_id, "grid_event_assigned", number=event.number, link=f"/intake/grid/events/{event.id}",
               dedupe_key=f"grid_event_assigned:{event.id}")
    db.session.flush()
    return event


def mediators_of(county_id: int):
    """Active mediators of the county who can log in (an assignment goes to a user)."""
    from referrals.talent.models import Talent, TalentRole
    return list(db.session.scalars(sa.select(Talent).where(
        Talent.county_id == county_id, Talent.active.is_(True), Talent.user_id.is_not(None),
        Talent.role == TalentRole.mediator).order_by(Talent.name, Talent.id)))


def _mediator_user_id(event: GridEvent, talent_id) -> int:
    talent = next((t for t in mediators_of(event.county_id) if t.id == talent_id), None)
    if talent is None:
        raise DomainError(_l("Choose a mediator of this county."), field="talent_id")
    return talent.user_id


def _dispatch_to_department(event: GridEvent, *, actor, department_id, instructions, contact_name, contact_phone,
                            now) -> None:
    from referrals.orders.services import county_departments, issue_dispatch_order
    if department_id not in {d.id for d in county_departments(event.county_id)}:
        raise DomainError(_l("Choose a department of this county."), field="department_id")
    if not instructions:
        raise DomainError(_l("Say what the department must do."), field="instructions")
    case = event.case or _land_as_case(event, actor=actor, name=contact_name, phone=contact_phone, now=now)
    order = issue_dispatch_order(case, actor=actor, department_id=department_id, instructions=instructions,
                                 deadline_days=ORDER_DEADLINE_WORKING_DAYS, now=now)
    event.department_id, event.order_id = department_id, order.id


def _land_as_case(event: GridEvent, *, actor, name: str, phone: str | None, id_number: str | None = None,
                  title: str = "", now: datetime):
    from intake.channels.services import MatterInput, land_matter
    from intake.reception.services import PersonInput
    name = (name or "").strip()
    if not name:
        raise DomainError(_l("Name the person concerned (or the grid member as the contact)."), field="contact_name")
    if len(name) > 60:
        raise DomainError(_l("At most 60 characters."), field="contact_name")
    place = db.session.get(OrgUnit, event.place_unit_id)
    title = (title or "").strip() or f"{event.kind.title}：{event.description[:40]}"
    landing = land_matter(actor=actor, data=MatterInput(
        channel=Channel.grid, place=place, category=event.category, title=str(title)[:200], facts=event.description,
        person=PersonInput(name=name, phone=phone or None, id_number=id_number or None),
        received_on=to_local(now).date(), submission_key=f"grid_event:{event.id}"))
    event.case_id = landing.case.id
    event.case = landing.case
    return landing.case


def handle_event(event: GridEvent, *, actor, result: str, photos=(), folder: str | None = None,
                 now: datetime | None = None) -> GridEvent:
    """The mediator assigned, or the town's commander for the station, records what was done."""
    now = now or utcnow()
    if event.target == DispatchTarget.department:
        raise DomainError(_l("The department reports back on its dispatch order."))
    allowed = (event.target == DispatchTarget.mediator and event.assignee_id == actor.id) or \
        (event.target == DispatchTarget.station and is_town_commander(actor, event))
    if not allowed:
        raise NotAllowed(_l("Only the one this event was dispatched to can record its handling."))
    text = _text(result, _l("Say what was done."), "result")
    checked = check_photos(photos)
    EVENT_MACHINE.move(event, S.handled, actor=actor, action="done", detail={"photos": len(checked)})
    event.result, event.handled_by_id, event.handled_at = text, actor.id, now
    _store_photos(event, checked, stage="handling", actor=actor, folder=folder)
    db.session.flush()
    return event


def resolve_on_the_spot(event: GridEvent, *, actor, result: str, photos=(), folder: str | None = None,
                        now: datetime | None = None) -> GridEvent:
    """The member who reported it solved it there and then: closed with the result."""
    if event.reporter_id != actor.id:
        raise NotAllowed(_l("Only the member who reported the event can close it on the spot."))
    now = now or utcnow()
    text = _text(result, _l("Say how it was resolved."), "result")
    checked = check_photos(photos)
    EVENT_MACHINE.move(event, S.closed, actor=actor, action="close", detail={"on_the_spot": True})
    event.result, event.handled_by_id, event.handled_at, event.handle_due_at = text, actor.id, now, handle_due(now)
    event.closed_by_id, event.closed_at = actor.id, now
    _store_photos(event, checked, stage="handling", actor=actor, folder=folder)
    db.session.flush()
    return event


def follow_order(event: GridEvent) -> bool:
    """Bring a department event up to its dispatch order: handled when the department reported back, closed
    when the commander verified; stamped with the order's own times and actors. True if the event moved."""
    order = event.order
    if event.target != DispatchTarget.department or order is None:
        return False
    moved = False
    if event.status == S.dispatched and order.reported_at is not None:
        report = order.reports[0] if order.reports else None
        author = db.session.get(User, report.author_id) if report and report.author_id else None
        EVENT_MACHINE.move(event, S.handled, actor=author, action="done", detail={"order": order.number})
        event.result = report.text if report else None
        event.handled_by_id, event.handled_at = getattr(author, "id", None), order.reported_at
        moved = True
    if event.status == S.handled and order.verified_at is not None:
        commander = db.session.get(User, order.issued_by_id) if order.issued_by_id else None
        EVENT_MACHINE.move(event, S.closed, actor=commander, action="close", detail={"order": order.number})
        event.closed_by_id, event.closed_at = order.issued_by_id, order.verified_at
        moved = True
    return moved


def close_event(event: GridEvent, *, actor, note: str = "", now: datetime | None = None) -> GridEvent:
    """The town's commander closes a handled event (a department's, once its order is verified)."""
    _require_commander(event, actor)
    follow_order(event)
    if event.status == S.closed:   # the verified order closed it
        return event
    if event.target == DispatchTarget.department and event.status == S.handled:
        raise DomainError(_l("Verify the department's dispatch order first: that closes the event."))
    if event.status != S.handled:   # reported → closed is the member's on-the-spot resolution, not the commander's
        raise IllegalTransition(_l("Only a handled event can be closed."))
    EVENT_MACHINE.move(event, S.closed, actor=actor, action="close", reason=(note or "").strip()[:1000] or None)
    event.closed_by_id, event.closed_at = actor.id, now or utcnow()
    db.session.flush()
    return event


def rate_event(event: GridEvent, *, actor, rating: EventRating, now: datetime | None = None) -> GridEvent:
    """The member who reported the event rates the closed event, once (the state machine refuses a second)."""
    if event.reporter_id != actor.id:
        raise NotAllowed(_l("Only the member who reported the event can rate it."))
    try:
        rating = EventRating(rating)
    except ValueError:
        raise DomainError(_l("Choose a rating."), field="rating") from None
    EVENT_MACHINE.move(event, S.rated, actor=actor, action="rate", detail={"rating": rating.value})
    event.rating, event.rated_at = rating, now or utcnow()
    db.session.flush()
    return event


def convert_event(event: GridEvent, *, actor, name: str, phone: str | None = None, id_number: str | None = None,
                  title: str = "", now: datetime | None = None) -> GridEvent:
    """"This is a petition": the event lands as a case (channel grid) with the petitioner the commander types
    now (an event may carry no person), linked both ways."""
    _require_commander(event, actor)
    now = now or utcnow()
    if event.case_id is not None:
        raise DomainError(_l("This event is already linked to a case."))
    if not EVENT_MACHINE.can(event, S.converted):
        raise DomainError(_l("Only a reported or dispatched event can become a case."))
    _land_as_case(event, actor=actor, name=name, phone=phone, id_number=id_number, title=title, now=now)
    EVENT_MACHINE.move(event, S.converted, actor=actor, action="register",
                       detail={"case": event.case.reference})
    event.converted_at = now
    db.session.flush()
    return event


def follow_department_orders() -> int:
    """The job: department events whose order has moved on since (reported or verified)."""
    from referrals.orders.models import DispatchOrder
    events = list(db.session.scalars(
        sa.select(GridEvent).join(DispatchOrder, DispatchOrder.id == GridEvent.order_id)
        .where(GridEvent.status.in_([S.dispatched, S.handled]), DispatchOrder.reported_at.is_not(None))
        .order_by(GridEvent.id).limit(500)))
    return sum(1 for event in events if follow_order(event))
