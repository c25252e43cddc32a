"""The demo shows outreach right after `make run`: every state, the demo logins' offers, a check-in today,
13 months of services, mediations."""
import sqlalchemy as sa

from desk.demo.seed import DEMO_PASSWORD, seed_demo
from desk.extensions import db
from desk.models import Channel, User
from outreach.assignments.models import AssignmentStatus as A, OutreachAssignment, OutreachRequest, RequestStatus
from outreach.field.models import ServiceRecord
from outreach.field.services import follow_up_cases
from outreach.mediation.models import Mediation, MediationStatus
from referrals.talent.models import Talent


def _login(app, username):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_demo_outreach(app):
    ctx = seed_demo(size="small", seed=7)
    statuses = set(db.session.scalars(sa.select(OutreachRequest.status).distinct()))
    assert statuses == set(RequestStatus)
    months = {(d.year, d.month) for d in db.session.scalars(sa.select(ServiceRecord.served_on))}
    assert len(months) >= 12
    by_user = {}
    for username in ("mediator", "mediator2", "lawyer"):
        talent = db.session.scalar(sa.select(Talent).join(User, User.id == Talent.user_id)
                                   .where(User.username == username))
        by_user[username] = set(db.session.scalars(sa.select(OutreachAssignment.status)
                                                   .where(OutreachAssignment.talent_id == talent.id)))
    assert A.offered in by_user["mediator"] and A.offered in by_user["mediator2"] and A.offered in by_user["lawyer"]
    assert A.in_progress in by_user["mediator"]
    today_in = db.session.scalar(sa.select(OutreachAssignment).where(OutreachAssignment.status == A.in_progress))
    assert today_in.request.on_date == ctx.today
    assert [c.channel for c in follow_up_cases(today_in)] == [Channel.outreach]
    agreement = db.session.scalar(sa.select(Mediation).where(Mediation.status == MediationStatus.agreement))
    assert agreement.number and agreement.judicial_confirmation_due
    assert {m.status for m in db.session.scalars(sa.select(Mediation))} == {
        MediationStatus.agreement, MediationStatus.ongoing, MediationStatus.terminated}

    mediator = _login(app, "mediator")
    page = mediator.get("/outreach/my").get_data(as_text=True)
    assert 'data-testid="field-intake"' in page and 'data-testid="accept"' in page
    assert 'data-testid="my-mediations"' in page and agreement.number is not None
    assert mediator.get("/outreach/my/history").status_code == 200
    official = _login(app, "official")
    assert "矛盾调解" in official.get("/outreach/measures").get_data(as_text=True)
    assert official.get(f"/outreach/mediations/{agreement.id}/agreement.pdf").data.startswith(b"%PDF")
    reception = _login(app, "reception")
    assert 'data-testid="requests"' in reception.get("/outreach/").get_data(as_text=True)
