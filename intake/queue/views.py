"""The queue: per-room calling for staff and the waiting-room display (numbers and rooms only)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from desk import tickets
from desk.access import get_in_scope, in_scope, require_roles
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Role, Room, Ticket, TicketStatus
from desk.timeutil import local_today
from intake import bp
from intake.reception.services import user_site

TICKET_WIDTHS = ("80", "58")   # the thermal printers' paper rolls, in mm; the first is the default
ACTIONS = {"call": tickets.call, "start": tickets.start, "finish": tickets.finish, "no_show": tickets.no_show}


def _site_or_404():
    site = user_site(current_user)
    if site is None:
        abort(404)
    return site


@bp.route("/queue")
@require_roles(Role.receptionist)
def queue_board():
    site = _site_or_404()
    today = local_today()
    by_room = {room.id: [] for room in site.rooms}
    for ticket in tickets.queue(site.id, today):
        by_room.setdefault(ticket.room_id, []).append(ticket)
    return render_template("intake/queue/board.html", site=site, by_room=by_room, today=today,
                           TicketStatus=TicketStatus)


@bp.route("/queue/display")
@require_roles(Role.receptionist)
def queue_display():
    site = _site_or_404()
    all_tickets = tickets.queue(site.id, local_today())
    called = sorted((t for t in all_tickets if t.status in (TicketStatus.called, TicketStatus.serving)),
                    key=lambda t: t.called_at, reverse=True)
    waiting = [t for t in all_tickets if t.status == TicketStatus.waiting]
    return render_template("intake/queue/display.html", site=site, called=called[:8], waiting=waiting[:24])


@bp.route("/rooms/<int:room_id>/next", methods=["POST"])
@require_roles(Role.receptionist)
def call_next(room_id):
    room = db.session.get(Room, room_id)
    if room is None or not in_scope(current_user, room.site.org_unit):
        abort(404)
    try:
        ticket = tickets.call_next(room=room, actor=current_user)
    except DomainError as err:
        flash(str(err.message), "warning")
    else:
        db.session.commit()
        flash(_("Called %(label)s to %(room)s.", label=ticket.label, room=room.name), "success")
    return redirect(url_for("intake.queue_board"))


@bp.route("/tickets/<int:ticket_id>/<any(call, start, finish, no_show):action>", methods=["POST"])
@require_roles(Role.receptionist)
def ticket_action(ticket_id, action):
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or not in_scope(current_user, ticket.site.org_unit):
        abort(404)
    try:
        if action == "call":
            tickets.call(ticket, actor=current_user, reason=request.form.get("reason", ""))
        else:
            ACTIONS[action](ticket, actor=current_user)
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
    else:
        db.session.commit()
    return redirect(url_for("intake.queue_board"))


@bp.route("/tickets/<int:ticket_id>/print")
@require_roles(Role.receptionist)
def print_ticket(ticket_id):
    """The queue ticket for a thermal printer: number, room, site and time, never the visitor's name, phone or ID."""
    ticket = get_in_scope(Ticket, ticket_id, current_user)
    width = request.args.get("width", TICKET_WIDTHS[0])
    if width not in TICKET_WIDTHS:
        width = TICKET_WIDTHS[0]
    ahead = tickets.waiting_before(ticket)
    return render_template("intake/queue/ticket.html", ticket=ticket, width=width, widths=TICKET_WIDTHS,
                           ahead=ahead, autoprint=request.args.get("print") != "0")
