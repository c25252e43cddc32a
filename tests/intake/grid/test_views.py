"""Grid event pages over HTTP: the phone report form with errors next to the field, the event page and its
actions, photos, the case panel back to the event, scope, the member's home page and the admin's grid choice."""
import io

import pytest
import sqlalchemy as sa

from desk.admin.services import assign_grids
from desk.extensions import db
from desk.models import Role, User
from intake.grid.models import DispatchTarget, EventStatus as S, GridEvent
from tests.factories import make_talent, make_user
from tests.intake.grid.helpers import PNG, grid_member, report


@pytest.fixture
def member(login_as, world):
    client = login_as(Role.grid_member, unit=world.town)
    assign_grids(client.user, [world.grid.id], actor=None)
    db.session.commit()
    return client


@pytest.fixture
def commander(login_as, world):
    return login_as(Role.commander, unit=world.town)


def _event(world, client):
    event = report(world, db.session.get(User, client.user.id))
    db.session.commit()
    return event


def _form(world, **overrides):
    data = {"kind": "safety", "grid_id": str(world.grid.id), "category_id": str(world.category.id),
            "description": "出租屋楼道堆放电动车充电", "latitude": "22.25", "longitude": "112.79"}
    data.update(overrides)
    return data


def test_the_member_lands_on_the_event_list_and_reports_with_a_photo(world, member):
    home = member.get("/")
    assert home.status_code == 302 and home.headers["Location"].endswith("/intake/grid/events")
    form = member.get("/intake/grid/events/new").get_data(as_text=True)
    assert 'name="photos"' in form and world.grid.name in form
    data = _form(world, photos=[(io.BytesIO(PNG), "hazard.png")])
    response = member.post("/intake/grid/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    event = db.session.scalar(sa.select(GridEvent))
    assert event.status == S.reported and event.latitude == 22.25 and len(event.photos) == 1
    page = member.get(response.headers["Location"]).get_data(as_text=True)
    assert event.number in page and 'data-testid="event-photo"' in page
    photo = member.get(f"/intake/grid/events/{event.id}/photos/{event.photos[0].id}")
    assert photo.status_code == 200 and photo.data == PNG and photo.mimetype == "image/png"


@pytest.mark.parametrize("overrides, field", [({"description": ""}, "description"),
                                              ({"grid_id": ""}, "grid_id"),
                                              ({"latitude": "95"}, "latitude"),
                                              ({"latitude": "abc"}, "latitude"),
                                              ({"photos": b"MZ not an image"}, "photos")])
def test_bad_input_is_shown_next_to_the_field_and_nothing_typed_is_lost(world, member, overrides, field):
    data = _form(world, **overrides)
    if "photos" in data:   # a fresh file per run (the parameters are shared by both backends)
        data["photos"] = [(io.BytesIO(data["photos"]), "x.png")]
    response = member.post("/intake/grid/events/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and f'id="{field}-error"' in page
    if field != "description":
        assert "出租屋楼道堆放电动车充电" in page
    assert db.session.scalar(sa.select(sa.func.count(GridEvent.id))) == 0


def test_seven_photos_are_refused_next_to_the_photos_field(world, member):
    data = _form(world, photos=[(io.BytesIO(PNG), f"{i}.png") for i in range(7)])
    response = member.post("/intake/grid/events/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and 'id="photos-error"' in response.get_data(as_text=True)


def test_the_commander_dispatches_to_a_mediator_with_the_choice_checked(world, member, commander):
    event = _event(world, member)
    mediator_user = make_user(world, Role.talent)
    talent = make_talent(world, user=mediator_user)
    db.session.commit()
    page = commander.get(f"/intake/grid/events/{event.id}").get_data(as_text=True)
    assert 'data-testid="action-dispatch"' in page and 'data-testid="action-convert"' in page
    missing = commander.post(f"/intake/grid/events/{event.id}/dispatch", data={"target": "mediator"})
    assert missing.status_code == 400 and 'id="talent_id-error"' in missing.get_data(as_text=True)
    done = commander.post(f"/intake/grid/events/{event.id}/dispatch",
                          data={"target": "mediator", "talent_id": str(talent.id)})
    assert done.status_code == 302
    db.session.refresh(event)
    assert event.status == S.dispatched and event.target == DispatchTarget.mediator
    assert event.assignee_id == mediator_user.id


def test_a_department_dispatch_needs_what_to_do(world, member, commander):
    event = _event(world, member)
    response = commander.post(f"/intake/grid/events/{event.id}/dispatch",
                              data={"target": "department", "department_id": str(world.department.id),
                                    "contact_name": "陈大文"})
    assert response.status_code == 400 and 'id="instructions-error"' in response.get_data(as_text=True)
    db.session.refresh(event)
    assert event.status == S.reported and event.case_id is None


def test_this_is_a_petition_makes_a_case_linked_both_ways(world, member, commander):
    event = _event(world, member)
    response = commander.post(f"/intake/grid/events/{event.id}/convert",
                              data={"contact_name": "李四", "contact_phone": "13800138000"})
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == S.converted
    event_page = commander.get(f"/intake/grid/events/{event.id}").get_data(as_text=True)
    assert f"/intake/cases/{event.case_id}" in event_page
    case_page = commander.get(f"/intake/cases/{event.case_id}").get_data(as_text=True)
    assert 'data-testid="grid-event-panel"' in case_page and f"/intake/grid/events/{event.id}" in case_page


def test_station_handling_closing_and_the_members_rating(world, member, commander):
    event = _event(world, member)
    assert commander.post(f"/intake/grid/events/{event.id}/dispatch", data={"target": "station"}).status_code == 302
    empty = commander.post(f"/intake/grid/events/{event.id}/handle", data={"result": ""})
    assert empty.status_code == 400 and 'id="result-error"' in empty.get_data(as_text=True)
    assert commander.post(f"/intake/grid/events/{event.id}/handle",
                          data={"result": "已清理", "photos": [(io.BytesIO(PNG), "after.png")]},
                          content_type="multipart/form-data").status_code == 302
    assert commander.post(f"/intake/grid/events/{event.id}/close", data={}).status_code == 302
    assert member.post(f"/intake/grid/events/{event.id}/rate", data={"rating": "nonsense"}).status_code == 400
    assert member.post(f"/intake/grid/events/{event.id}/rate", data={"rating": "basic"}).status_code == 302
    db.session.refresh(event)
    assert event.status == S.rated and event.rating.value == "basic"
    again = member.post(f"/intake/grid/events/{event.id}/rate", data={"rating": "satisfied"})
    assert again.status_code == 302
    db.session.refresh(event)
    assert event.rating.value == "basic"   # rated once


def test_outsiders_get_404_and_an_action_not_available_changes_nothing(world, member, login_as):
    event = _event(world, member)
    other_commander = login_as(Role.commander, unit=world.other_town)
    far_member = login_as(Role.grid_member, unit=world.far_town)
    for client in (other_commander, far_member):
        assert client.get(f"/intake/grid/events/{event.id}").status_code == 404
        assert client.post(f"/intake/grid/events/{event.id}/dispatch", data={"target": "station"}).status_code == 404
        assert event.number not in client.get("/intake/grid/events").get_data(as_text=True)
    assert member.post(f"/intake/grid/events/{event.id}/dispatch", data={"target": "station"}).status_code == 302
    db.session.refresh(event)
    assert event.status == S.reported
    assert member.get("/intake/grid/events?status=bogus").status_code == 400
    assert member.get("/intake/grid/events?before=abc").status_code == 400


def test_the_admin_chooses_a_grid_members_grids(world, login_as):
    admin = login_as(Role.admin, unit=world.county)
    user = grid_member(world)
    db.session.commit()
    page = admin.get(f"/admin/users/{user.id}").get_data(as_text=True)
    assert 'name="grid_ids"' in page and world.grid.name in page
    other = make_user(world, Role.receptionist)
    db.session.commit()
    assert 'name="grid_ids"' not in admin.get(f"/admin/users/{other.id}").get_data(as_text=True)
    response = admin.post(f"/admin/users/{user.id}", data={
        "display_name": user.display_name, "org_unit_id": str(world.town.id), "department_id": "0",
        "roles": ["grid_member"], "active": "y", "grid_ids": []})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.grids == []
