"""The ticket queue: numbered per site, day and room prefix; called in order or out of turn.

Reception issues the tickets and calls them; the rooms' boards show who is waiting."""
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from desk.errors import DomainError
from desk.extensions import db
from desk.models import Room, Site, Ticket, TicketStatus, next_number
from desk.statemachine import StateMachine
from desk.timeutil import local_today, utcnow

T = TicketStatus
TRANSITIONS = {
    T.waiting: {T.called, T.no_show},
    T.called: {T.serving, T.no_show, T.waiting},   # back to waiting: called by mistake
    T.serving: {T.done},
    T.done: set(),
    T.no_show: set(),
}
TICKET_MACHINE = StateMachine("ticket", TRANSITIONS)


def issue_ticket(*, site: Site, room: Room, visit=None, day: date | None = None, priority: bool = False) -> Ticket:
    """Next number for this site, day and room prefix, e.g. L-012, written at once."""
    ticket = new_ticket(site=site, room=room, visit=visit, day=day, priority=priority)
    db.session.flush()
    return ticket


def new_ticket(*, site: Site, room: Room, visit=None, day: date | None = None, priority: bool = False) -> Ticket:
    """The next ticket, numbered but not yet written: it goes with the caller's next flush (a registration writes
    the visit and its ticket together). Taking the number writes nothing else that is pending."""
    day = day or local_today()
    with db.session.no_autoflush:
        number = next_number(f"ticket:{site.id}:{day:%Y%m%d}:{room.ticket_prefix}")
    ticket = Ticket(site_id=site.id, room_id=room.id, visit=visit, day=day, number=number,
                    label=f"{room.ticket_prefix}-{number:03d}", priority=priority, arrived_at=utcnow())
    db.session.add(ticket)
    return ticket


def queue(site_id: int, day: date, room_id: int | None = None) -> list[Ticket]:
    stmt = sa.select(Ticket).where(Ticket.site_id == site_id, Ticket.day == day)
    if room_id:
        stmt = stmt.where(Ticket.room_id == room_id)
    return list(db.session.scalars(stmt.order_by(Ticket.priority.desc(), Ticket.number)))


def call_next(*, room: Room, actor, day: date | None = None) -> Ticket:
    """Call the first waiting ticket of the room (priority tickets first)."""
    ticket = db.session.scalar(
        sa.select(Ticket).where(Ticket.room_id == room.id, Ticket.day == (day or local_today()),
                                Ticket.status == T.waiting)
        .order_by(Ticket.priority.desc(), Ticket.number).limit(1))
    if ticket is None:
        raise DomainError(_l("Nobody is waiting for this room."))
    return call(ticket, actor=actor)


def waiting_before(ticket: Ticket) -> int:
    """How many tickets of the same room and day wait with a lower number."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Ticket).where(
            Ticket.room_id == ticket.room_id, Ticket.day == ticket.day, Ticket.status == T.waiting,
            Ticket.number < ticket.number))


def call(ticket: Ticket, *, actor, reason: str | None = None) -> Ticket:
    """Call a ticket; calling one out of turn (elderly, disabled, appointment) needs a reason."""
    earlier = waiting_before(ticket)
    if earlier and not ticket.priority and not (reason or "").strip():
        raise DomainError(_l("Others are waiting before this ticket: give the reason for calling it out of turn."),
                          field="reason")
    TICKET_MACHINE.move(ticket, T.called, actor=actor, action="call", reason=reason or None)
    ticket.called_at = utcnow()
    return ticket


def start(ticket: Ticket, *, actor) -> Ticket:
    TICKET_MACHINE.move(ticket, T.serving, actor=actor, action="start")
    ticket.started_at = utcnow()
    return ticket


def finish(ticket: Ticket, *, actor) -> Ticket:
    TICKET_MACHINE.move(ticket, T.done, actor=actor, action="finish")
    ticket.finished_at = utcnow()
    return ticket


def no_show(ticket: Ticket, *, actor) -> Ticket:
    TICKET_MACHINE.move(ticket, T.no_show, actor=actor, action="no_show")
    ticket.finished_at = utcnow()
    return ticket


def room_for(site: Site, category=None) -> Room:
    """The room a new matter goes to: by the category's fitting roles, else the reception window."""
    rooms = {room.kind: room for room in site.rooms}
    wanted = (category.roles.split(",") if category is not None and category.roles else [])
    for role, kind in (("lawyer", "lawyer"), ("mediator", "mediation"), ("counselor", "counseling")):
        if role in wanted[:1] and kind in rooms:
            return rooms[kind]
    return rooms.get("mediation") or rooms.get("reception") or site.rooms[0]
