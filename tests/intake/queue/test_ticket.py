"""The printable queue ticket: number, room, site and time for a 58 or 80 mm thermal printer, no personal data."""
import re

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Role, Ticket, Visit
from tests.factories import valid_id_number

NAME, PHONE = "陈大文", "13812345678"


def _reception(login_as, world, unit=None):
    client = login_as(Role.receptionist, unit=unit or world.county)
    client.user.site_id = world.county_site.id
    client.user.locale = "zh_Hans"
    db.session.commit()
    return client


def _register(client, world, id_number):
    data = {"id_number": id_number, "name": NAME, "phone": PHONE, "language": "cantonese",
            "channel": "walk_in", "head_count": "1", "category_id": str(world.category.id),
            "petition_type": "demand", "demand_branch": "other", "title": "拖欠工资",
            "facts": "包工头拖欠工资三个月，多次讨要未果。", "demand": "请求支付工资", "place_id": str(world.village.id),
            "other_party": "某建筑公司", "submission_key": "k-" + id_number, "action": "save"}
    response = client.post("/intake/", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response.headers["Location"]


def test_registering_opens_the_ticket_which_names_nobody(login_as, world, clock):
    clock("2026-11-20 09:41")
    client = _reception(login_as, world)
    id_number = valid_id_number()
    registered = client.get(_register(client, world, id_number)).get_data(as_text=True)
    ticket = db.session.scalar(sa.select(Ticket).join(Visit, Visit.id == Ticket.visit_id))
    url = f"/intake/tickets/{ticket.id}/print"
    link = re.search(r'<a [^>]*data-testid="print-ticket"[^>]*>', registered).group(0)
    assert f'href="{url}"' in link and 'target="_blank"' in link and 'rel="noopener"' in link
    assert "data-print-now" in link and "js/ticket-open.js" in registered

    response = client.get(url)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ticket.label in page and ticket.room.name_zh in page and world.county_site.name in page
    assert "2026-11-20 09:41" in page and "请在大厅等候叫号" in page
    for personal in (NAME, PHONE, id_number, id_number[:6] + "********" + id_number[-4:], id_number[-4:],
                     ticket.visit.case.reference):
        assert personal not in page
    assert 'data-autoprint="1"' in page and "js/ticket.js" in page


def test_both_printer_widths_have_their_page_size(login_as, world, app):
    client = _reception(login_as, world)
    ticket = _issue(world)
    default = client.get(f"/intake/tickets/{ticket.id}/print").get_data(as_text=True)
    assert "css/ticket-80.css" in default and 'class="ticket w80"' in default
    narrow = client.get(f"/intake/tickets/{ticket.id}/print?width=58&print=0").get_data(as_text=True)
    assert "css/ticket-58.css" in narrow and 'class="ticket w58"' in narrow and "data-autoprint" not in narrow
    odd = client.get(f"/intake/tickets/{ticket.id}/print?width=../desk").get_data(as_text=True)
    assert "css/ticket-80.css" in odd
    for width, size in (("58", "size: 58mm"), ("80", "size: 80mm")):
        css = client.get(f"/static/css/ticket-{width}.css").get_data(as_text=True)
        assert "@page" in css and size in css and f".ticket.w{width} {{ width: {width}mm" in css


def test_queue_board_links_each_ticket_to_its_print_page(login_as, world):
    client = _reception(login_as, world)
    ticket = _issue(world)
    board = client.get("/intake/queue").get_data(as_text=True)
    link = re.search(r'<a [^>]*data-testid="print-ticket-%s"[^>]*>' % ticket.label, board).group(0)
    assert f'href="/intake/tickets/{ticket.id}/print"' in link and 'target="_blank"' in link


def test_another_countys_ticket_is_not_found(login_as, world):
    ticket = _issue(world)
    outsider = login_as(Role.receptionist, unit=world.other_county)
    assert outsider.get(f"/intake/tickets/{ticket.id}/print").status_code == 404
    assert outsider.get("/intake/tickets/99999999999/print").status_code == 404
    assert login_as(Role.official).get(f"/intake/tickets/{ticket.id}/print").status_code == 403


def _issue(world):
    from desk.tickets import issue_ticket
    ticket = issue_ticket(site=world.county_site, room=world.county_site.rooms[0])
    db.session.commit()
    return ticket
