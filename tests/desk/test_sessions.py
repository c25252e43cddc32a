"""A session ends for good on logout, a new password and deactivation: a copy of its cookie saved before
stops working (User.session_epoch, part of the id the session stores)."""
from desk.extensions import db
from desk.models import Role, User
from tests.factories import make_user


def logged_in(app, world, username="amy", unit=None):
    user = make_user(world, Role.receptionist, username=username, unit=unit)
    db.session.commit()
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": "secret-pass-1"}).status_code == 302
    return client, user


def copy_of(app, client):
    """Another browser holding the same session cookie (as someone who copied it would)."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def signed_in(client) -> bool:
    response = client.get("/home")
    return response.status_code == 200


def test_a_cookie_copied_before_logout_fails_after_it(app, world):
    client, _user = logged_in(app, world)
    copy = copy_of(app, client)
    assert signed_in(copy)
    client.post("/logout")
    assert not signed_in(client)
    assert not signed_in(copy)
    again = app.test_client()  # logging in again opens a new session that works
    again.post("/login", data={"username": "amy", "password": "secret-pass-1"})
    assert signed_in(again)
    assert not signed_in(copy)


def _edit(admin, user, **changes):
    data = {"display_name": user.display_name, "org_unit_id": user.org_unit_id, "department_id": 0,
            "roles": [r.value for r in user.roles], "active": "y", **changes}
    if data["active"] is None:
        del data["active"]
    return admin.post(f"/admin/users/{user.id}", data=data)


def test_an_administrators_password_reset_ends_the_users_sessions(app, world, login_as):
    client, user = logged_in(app, world, unit=world.town)
    copy = copy_of(app, client)
    admin = login_as(Role.admin, unit=world.county)
    assert _edit(admin, user, password="a-new-password-1").status_code == 302
    assert not signed_in(client) and not signed_in(copy)
    fresh = app.test_client()
    fresh.post("/login", data={"username": "amy", "password": "a-new-password-1"})
    assert signed_in(fresh)


def test_an_edit_without_a_new_password_keeps_the_session(app, world, login_as):
    client, user = logged_in(app, world, unit=world.town)
    admin = login_as(Role.admin, unit=world.county)
    assert _edit(admin, user, display_name="新名字").status_code == 302
    assert signed_in(client)


def test_deactivation_ends_the_users_sessions(app, world, login_as):
    client, user = logged_in(app, world, unit=world.town)
    copy = copy_of(app, client)
    admin = login_as(Role.admin, unit=world.county)
    assert _edit(admin, user, active=None).status_code == 302
    assert db.session.get(User, user.id).active is False
    assert not signed_in(client) and not signed_in(copy)


def test_an_administrator_who_sets_their_own_password_stays_logged_in(app, world, login_as):
    admin = login_as(Role.admin, unit=world.county)
    copy = copy_of(app, admin)
    assert _edit(admin, admin.user, password="my-new-password-1").status_code == 302
    assert admin.get("/admin/users").status_code == 200  # this session was renewed
    assert copy.get("/admin/users").status_code == 302  # an older copy of it was not


def test_a_session_names_the_user_and_the_epoch(app, world):
    user = make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    assert user.get_id() == f"{user.id}:0"
    user.set_password("another-pass-1")
    assert user.get_id() == f"{user.id}:1"
