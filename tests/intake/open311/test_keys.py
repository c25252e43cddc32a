"""API keys: an administrator creates a client (the key shown once, only its hash kept) and revokes it; scoped
to the administrator's county; audited."""
import re

import sqlalchemy as sa

from desk.extensions import db
from desk.models import AuditEntry, Role
from intake.open311.models import ApiClient
from intake.open311.services import hash_key
from tests.intake.open311.conftest import API, post_form


def _create(admin, world, name="12345 热线平台", unit=None):
    return admin.post("/intake/api-clients/new", data={"name": name, "unit_id": (unit or world.county).id,
                                                       "channel": "hotline"})


def test_a_new_key_is_shown_once_stored_hashed_and_works(login_as, world, client):
    admin = login_as(Role.admin)
    page = _create(admin, world)
    assert page.status_code == 200
    key = re.search(r'id="api-key" readonly value="([^"]+)"', page.get_data(as_text=True)).group(1)
    row = db.session.scalar(sa.select(ApiClient))
    assert row.key_hash == hash_key(key) and row.key_prefix == key[:6] and key not in str(
        db.session.execute(sa.select(ApiClient.__table__)).all())
    assert row.unit_id == world.county.id and row.created_by_id == admin.user.id
    listing = admin.get("/intake/api-clients").get_data(as_text=True)
    assert "12345 热线平台" in listing and key[:6] in listing and key not in listing
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity == "api_client",
                                                         AuditEntry.action == "create")) is not None
    assert client.post(f"{API}/requests.json", data=post_form(world, key)).status_code == 201


def test_a_form_error_keeps_what_was_typed(login_as, world):
    admin = login_as(Role.admin)
    page = admin.post("/intake/api-clients/new", data={"name": "网格平台", "unit_id": "", "channel": "grid"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'value="网格平台"' in text and 'class="error"' in text
    town = admin.post("/intake/api-clients/new", data={"name": "网格平台", "unit_id": world.town.id, "channel": "grid"})
    assert 'class="error"' in town.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ApiClient.id))) == 0


def test_revoking_stops_the_key_and_is_audited(login_as, world, client, api):
    admin = login_as(Role.admin)
    response = admin.post(f"/intake/api-clients/{api.client.id}/revoke")
    assert response.status_code == 302
    assert db.session.get(ApiClient, api.client.id).revoked_at is not None
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity == "api_client",
                                                         AuditEntry.action == "revoke")).actor_id == admin.user.id
    assert client.post(f"{API}/requests.json", data=post_form(world, api.key)).status_code == 403
    assert admin.post(f"/intake/api-clients/{api.client.id}/revoke").status_code == 302   # already: a message


def test_another_countys_administrator_neither_sees_nor_revokes(login_as, world, api):
    outsider = login_as(Role.admin, unit=world.other_county)
    assert "12345 热线平台" not in outsider.get("/intake/api-clients").get_data(as_text=True)
    assert outsider.post(f"/intake/api-clients/{api.client.id}/revoke").status_code == 404
    assert outsider.post("/intake/api-clients/abc/revoke").status_code == 404
    assert _create(outsider, world, unit=world.county).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(ApiClient.id))) == 1
    assert db.session.get(ApiClient, api.client.id).revoked_at is None


def test_only_administrators_manage_keys(login_as, world, api):
    receptionist = login_as(Role.receptionist)
    assert receptionist.get("/intake/api-clients").status_code == 403
    assert receptionist.post(f"/intake/api-clients/{api.client.id}/revoke").status_code == 403
