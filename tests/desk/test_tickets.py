"""Queue tickets: numbering per site, day and room prefix; the ticket state machine."""
from datetime import date

import pytest

from desk import tickets
from desk.errors import DomainError, IllegalTransition
from desk.models import Role, TicketStatus as T
from tests.factories import make_user


def test_numbers_per_site_day_and_prefix(world):
    site = world.county_site
    mediation, lawyer = site.rooms[0], site.rooms[1]
    day = date(2026, 11, 23)
    first = tickets.issue_ticket(site=site, room=lawyer, day=day)
    second = tickets.issue_ticket(site=site, room=lawyer, day=day)
    other_prefix = tickets.issue_ticket(site=site, room=mediation, day=day)
    next_day = tickets.issue_ticket(site=site, room=lawyer, day=date(2026, 11, 24))
    other_site = tickets.issue_ticket(site=world.town_site, room=world.town_site.rooms[1], day=day)
    assert [first.label, second.label] == ["L-001", "L-002"]
    assert other_prefix.label == "R-001" and next_day.label == "L-001" and other_site.label == "L-001"


def test_call_next_in_order_and_out_of_turn_needs_a_reason(world):
    actor = make_user(world, Role.receptionist)
    room = world.county_site.rooms[1]
    day = date(2026, 11, 23)
    first = tickets.issue_ticket(site=world.county_site, room=room, day=day)
    second = tickets.issue_ticket(site=world.county_site, room=room, day=day)
    third = tickets.issue_ticket(site=world.county_site, room=room, day=day)
    with pytest.raises(DomainError):
        tickets.call(third, actor=actor)
    tickets.call(third, actor=actor, reason="老人优先")
    assert tickets.call_next(room=room, actor=actor, day=day) is first
    tickets.start(first, actor=actor)
    tickets.finish(first, actor=actor)
    assert first.waiting_seconds is not None and first.service_seconds is not None
    tickets.no_show(second, actor=actor)
    with pytest.raises(DomainError):
        tickets.call_next(room=room, actor=actor, day=day)


ALL = list(T)


@pytest.mark.parametrize("src,dst", [(s, d) for s in ALL for d in ALL if d not in tickets.TRANSITIONS[s]])
def test_illegal_ticket_moves_are_refused(world, src, dst):
    actor = make_user(world, Role.receptionist)
    ticket = tickets.issue_ticket(site=world.county_site, room=world.county_site.rooms[0])
    ticket.status = src
    with pytest.raises(IllegalTransition):
        tickets.TICKET_MACHINE.move(ticket, dst, actor=actor)
    assert ticket.status == src
