"""Staff pages: ask for a service, see the ranking, offer to several, reschedule and cancel; bad input."""
import sqlalchemy as sa

from desk.extensions import db
from desk.models import Notification, Role
from outreach.assignments.models import (AssignmentStatus as A, OutreachAssignment, OutreachRequest,
                                         RequestStatus as RS)
from tests.outreach.helpers import make_member


def _request_form(world, **overrides):
    data = {"kind": "legal", "unit_id": str(world.village.id), "site_id": "0", "on_date": "2026-11-27",
            "start_time": "09:00", "end_time": "11:00", "expected_people": "15", "languages": ["cantonese"],
            "notes": "村委会礼堂"}
    data.update(overrides)
    return data


def test_request_offer_reschedule_cancel_through_the_pages(login_as, world, clock):
    client = login_as(Role.receptionist, unit=world.county)
    lawyers = [make_member(world, f"律师{i}", role="lawyer") for i in range(2)]
    db.session.commit()
    bad = client.post("/outreach/new", data=_request_form(world, end_time="08:00"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "村委会礼堂" in page and 'id="end_time-error"' in page
    assert db.session.scalar(sa.select(OutreachRequest.id)) is None
    response = client.post("/outreach/new", data=_request_form(world))
    assert response.status_code == 302
    item = db.session.scalar(sa.select(OutreachRequest))
    assert item.village_id == world.village.id and item.languages == "cantonese" and item.status == RS.open
    page = client.get(f"/outreach/{item.id}").get_data(as_text=True)
    assert 'data-testid="ranking"' in page and all(m.name in page for m in lawyers)
    assert 'data-component="role"' in page
    assert client.post(f"/outreach/{item.id}/offer",
                       data={"talent_ids": [str(m.id) for m in lawyers]}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutreachAssignment)) == 2
    assert client.post(f"/outreach/{item.id}/offer", data={"talent_ids": ["999999"]}).status_code == 400
    client.post(f"/outreach/{item.id}/reschedule", data={"on_date": "2026-11-28", "start_time": "14:00",
                                                         "end_time": "16:00", "reason": "礼堂被占用"})
    db.session.expire_all()
    assert str(db.session.get(OutreachRequest, item.id).on_date) == "2026-11-28"
    client.post(f"/outreach/{item.id}/cancel", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(OutreachRequest, item.id).status == RS.open  # no reason: refused
    client.post(f"/outreach/{item.id}/cancel", data={"reason": "台风"})
    db.session.expire_all()
    assert db.session.get(OutreachRequest, item.id).status == RS.cancelled
    assert {a.status for a in db.session.scalars(sa.select(OutreachAssignment))} == {A.cancelled}
    told = db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "outreach_changed")).all()
    assert {m.user_id for m in lawyers} <= set(told)
    listing = client.get("/outreach/?status=cancelled").get_data(as_text=True)
    assert f"/outreach/{item.id}" in listing
    assert client.get("/outreach/?status=bogus").status_code == 400


def test_requests_list_is_scoped(login_as, world, clock):
    here = login_as(Role.receptionist, unit=world.county)
    here.post("/outreach/new", data=_request_form(world))
    item = db.session.scalar(sa.select(OutreachRequest))
    there = login_as(Role.receptionist, unit=world.other_county)
    assert f"/outreach/{item.id}" not in there.get("/outreach/").get_data(as_text=True)
    assert there.get(f"/outreach/{item.id}").status_code == 404
    assert there.post("/outreach/new", data=_request_form(world)).status_code == 200  # place not a choice there
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutreachRequest)) == 1


def test_member_declines_with_a_reason_on_the_phone_page(login_as, world, staff, clock):
    from outreach.assignments import services as assignments
    from tests.factories import make_talent
    from tests.outreach.helpers import make_request
    client = login_as(Role.talent, unit=world.county)
    member = make_talent(world, user=client.user)
    [assignment] = assignments.offer(make_request(world, staff), [member], actor=staff)
    db.session.commit()
    client.post(f"/outreach/a/{assignment.id}/decline", data={"reason": ""})
    db.session.expire_all()
    assert db.session.get(OutreachAssignment, assignment.id).status == A.offered
    client.post(f"/outreach/a/{assignment.id}/decline", data={"reason": "当天出庭"})
    db.session.expire_all()
    assert db.session.get(OutreachAssignment, assignment.id).decline_reason == "当天出庭"
