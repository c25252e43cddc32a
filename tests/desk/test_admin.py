"""Administrators manage users, roles and scope, inside their own scope only."""
from desk.audit import timeline
from desk.extensions import db
from desk.models import Role, User


def test_admin_creates_a_user_with_roles_and_scope(login_as, world):
    admin = login_as(Role.admin, unit=world.county)
    response = admin.post("/admin/users/new", data={
        "username": "newbie", "display_name": "新同事", "org_unit_id": world.town.id, "department_id": 0,
        "roles": ["receptionist", "callback_staff"], "active": "y", "password": "long-enough-1"})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.username == "newbie"))
    assert user.roles == {Role.receptionist, Role.callback_staff}
    assert user.org_unit_id == world.town.id
    assert [e.action for e in timeline("user", user.id)] == ["create"]


def test_department_officer_needs_a_department_and_form_keeps_input(login_as, world):
    admin = login_as(Role.admin, unit=world.county)
    page = admin.post("/admin/users/new", data={
        "username": "deptless", "display_name": "某人", "org_unit_id": world.county.id, "department_id": 0,
        "roles": ["department_officer"], "password": "long-enough-1"}).get_data(as_text=True)
    assert "需要指定部门" in page
    assert 'value="deptless"' in page
    assert db.session.scalar(db.select(User).where(User.username == "deptless")) is None


def test_admin_cannot_place_a_user_outside_own_scope(login_as, world):
    admin = login_as(Role.admin, unit=world.county)
    response = admin.post("/admin/users/new", data={
        "username": "sneaky", "display_name": "越权", "org_unit_id": world.far_town.id, "department_id": 0,
        "roles": ["receptionist"], "password": "long-enough-1"})
    assert response.status_code in (200, 400)
    assert db.session.scalar(db.select(User).where(User.username == "sneaky")) is None


def test_admin_edits_roles_and_the_change_is_audited(login_as, world):
    admin = login_as(Role.admin, unit=world.county)
    other = login_as(Role.receptionist, unit=world.town).user
    response = admin.post(f"/admin/users/{other.id}", data={
        "display_name": other.display_name, "org_unit_id": world.town.id, "department_id": 0,
        "roles": ["commander"], "active": "y", "password": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, other.id).roles == {Role.commander}
    assert timeline("user", other.id)[-1].detail["after"]["roles"] == ["commander"]


def test_users_list_is_scoped(login_as, world):
    login_as(Role.receptionist, unit=world.far_town, username="faraway")
    login_as(Role.receptionist, unit=world.town, username="nearby")
    page = login_as(Role.admin, unit=world.county).get("/admin/users").get_data(as_text=True)
    assert "nearby" in page and "faraway" not in page


def test_org_tree_page(login_as, world):
    page = login_as(Role.admin, unit=world.county).get(f"/admin/org?unit={world.town.id}").get_data(as_text=True)
    assert "石龙村" in page
