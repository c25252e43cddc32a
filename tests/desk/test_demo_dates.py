"""The demo made at awkward moments still shows every capability, and nothing in it lies in the future.

The demo is built relative to one moment (the desk's clock when it is made): made at opening time on
the 1st of a month, late on New Year's Eve (China has crossed into the new year, UTC has not), during
Spring Festival or on a leap day in a year without an official holiday schedule, a new user still finds
today's offers, fresh orders, a month of measures and overdue examples."""
import pytest
import sqlalchemy as sa

from desk.demo.seed import DEMO_PASSWORD, seed_demo
from desk.extensions import db
from desk.models import AuditEntry, Case, User, Visit
from desk.timeutil import local_today, utcnow
from intake.cases.services import CaseFilters, filtered_cases
from outreach.assignments.models import AssignmentStatus, OutreachAssignment
from referrals.offers.models import Referral, ReferralStatus
from referrals.orders.models import DispatchOrder, OrderStatus
from referrals.talent.models import Talent

MOMENTS = ["2026-12-01 08:00", "2026-12-31 23:30", "2028-02-29 12:00"]


def _login(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return client


@pytest.mark.parametrize("moment", MOMENTS)
def test_demo_made_at_an_awkward_moment(app, clock, moment):
    now = clock(moment)
    ctx = seed_demo(size="small", seed=7)
    assert ctx.now == now and ctx.today == local_today()

    # Nothing happened after the moment the demo was made.
    assert db.session.scalar(sa.select(sa.func.max(AuditEntry.at))) <= now
    assert db.session.scalar(sa.select(sa.func.max(Visit.visited_at))) <= now
    assert db.session.scalar(sa.select(sa.func.max(Case.received_on))) <= ctx.today

    # Today's offers wait in the demo mediator's phone inbox, for a referral and for an outreach.
    mediator = db.session.scalar(sa.select(Talent).join(User, User.id == Talent.user_id)
                                 .where(User.username == "mediator"))
    open_offers = db.session.scalar(sa.select(sa.func.count()).select_from(Referral).where(
        Referral.status == ReferralStatus.offered, Referral.expires_at > utcnow()))
    assert open_offers >= 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutreachAssignment).where(
        OutreachAssignment.talent_id == mediator.id, OutreachAssignment.status == AssignmentStatus.offered)) >= 1

    # Fresh orders for the officer to sign, issued within the last two days.
    fresh = db.session.scalars(sa.select(DispatchOrder).where(DispatchOrder.status == OrderStatus.issued)
                               .order_by(DispatchOrder.issued_at.desc())).first()
    assert fresh is not None and (now - fresh.issued_at).total_seconds() < 2 * 86400

    # Overdue examples in the county's case list.
    reception = db.session.scalar(sa.select(User).where(User.username == "reception"))
    overdue = db.session.scalars(filtered_cases(reception, CaseFilters(clock="overdue"), ctx.today)).first()
    assert overdue is not None

    # A month of measures: the outreach page's default period and the dashboard's default month have figures.
    official = _login(app, "official")
    page = official.get("/outreach/measures").get_data(as_text=True)
    assert "矛盾调解" in page and 'data-testid="empty"' not in page
    dashboard = official.get("/reports/dashboard")
    assert dashboard.status_code == 200
    mediator_client = _login(app, "mediator")
    inbox = mediator_client.get("/outreach/my").get_data(as_text=True)
    assert 'data-testid="accept"' in inbox
