"""Every page that shows a clock says so when a year's official schedule is unknown (macros/calendar.html),
and stops saying it once an administrator entered that year's schedule."""
from datetime import date, timedelta

import pytest

from desk import cases, holidays
from desk.extensions import db
from desk.models import Outcome, Role
from outreach.mediation import services as mediation
from referrals.orders import services as orders
from reports.callbacks import services as callbacks
from tests.factories import make_case, make_talent, make_user, mediation_consents

NOTICE = 'data-testid="calendar-fallback"'
DAY = date(2099, 3, 2)          # a year chinesecalendar will not know


@pytest.fixture
def pages(world, login_as, clock):
    now = clock("2099-03-02 10:00")
    commander = login_as(Role.commander, unit=world.town)
    officer = login_as(Role.department_officer, department=world.department)
    talent_client = login_as(Role.talent)
    talent = make_talent(world, "伍调解", user=talent_client.user)
    order = orders.issue_dispatch_order(make_case(world, received_on=DAY), actor=commander.user,
                                        department_id=world.department.id, instructions="核实情况", deadline_days=3,
                                        now=now)
    mediated = mediation.start_mediation(make_case(world, received_on=DAY), actor=commander.user, mediator=talent,
                                         on=DAY, consents=mediation_consents(DAY))
    mediated.judicial_confirmation_due = DAY + timedelta(days=40)
    concluded = make_case(world, received_on=DAY - timedelta(days=20))
    cases.accept_case(concluded, actor=None, on=DAY - timedelta(days=18))
    cases.conclude_case(concluded, actor=None, outcome=Outcome.support, opinion="支持其合理诉求。", on=DAY - timedelta(days=2))
    db.session.commit()
    callbacks.open_callbacks_for_concluded(now)
    db.session.commit()
    admin = login_as(Role.admin, unit=world.city)
    return [(commander, "/referrals/orders"), (officer, "/referrals/orders/inbox"),
            (officer, f"/referrals/orders/{order.id}"), (admin, f"/outreach/mediations/{mediated.id}"),
            (talent_client, "/outreach/my"), (login_as(Role.callback_staff), "/reports/callbacks")]


def test_each_clock_page_shows_the_fallback_notice_until_the_year_is_entered(pages, world):
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert NOTICE in response.get_data(as_text=True), path
    admin = make_user(world, Role.admin)
    holidays.enter_schedule(actor=admin, year=2099, days=holidays.parse_schedule(2099, "2099-01-01 元旦", ""))
    db.session.commit()
    for client, path in pages:
        assert NOTICE not in client.get(path).get_data(as_text=True), path
