"""On the demo city: no GET answer of the API holds a party's name, phone or ID number; the demo hotline client's
key (README) works and its matters are listed."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from desk.demo.seed import seed_demo
from desk.extensions import db
from desk.models import AuditEntry, Case, Channel, Level, OrgUnit, Person
from intake.open311.demo import DEMO_CLIENT_NAME, DEMO_KEY
from intake.open311.models import ApiClient
from intake.open311.services import hash_key
from tests.intake.open311.conftest import API


@pytest.fixture
def demo(app, clock):
    clock(datetime(2026, 11, 20, 2, 0))
    seed_demo(size="small", seed=7)
    app.config["OPEN311_READS_PER_MINUTE"] = 10_000


def _get_answers(client) -> list[str]:
    counties = list(db.session.scalars(sa.select(OrgUnit.code).where(OrgUnit.level == Level.county)))
    paths = ["/discovery", "/services"] + [f"/services/{code}" for code in
                                           db.session.scalars(sa.select(sa.text("code")).select_from(sa.text("category")))]
    for county in counties:
        paths.append(f"/requests?jurisdiction_id={county}&start_date=2000-01-01")
        paths += [f"/requests/{reference}?jurisdiction_id={county}" for reference in db.session.scalars(
            sa.select(Case.reference).join(OrgUnit, OrgUnit.id == Case.county_id).where(OrgUnit.code == county)
            .order_by(Case.id).limit(40))]
    answers = []
    for path in paths:
        base, _, query = path.partition("?")
        for fmt in ("json", "xml"):
            response = client.get(f"{API}{base}.{fmt}" + (f"?{query}" if query else ""))
            assert response.status_code == 200, path
            answers.append(response.get_data(as_text=True))
    return answers


def test_no_get_answer_holds_personal_data_and_the_demo_key_lists_and_submits(client, demo):
    """One test, since building the demo city takes most of its time."""
    people = list(db.session.scalars(sa.select(Person)))
    secrets = {p.phone for p in people if p.phone} | {p.id_number for p in people if p.id_number} \
        | {p.name for p in people if p.name and len(p.name) >= 2}
    assert len(secrets) > 50
    answers = _get_answers(client)
    listed = sum(answer.count("service_request_id") for answer in answers)
    assert listed > 50   # the demo's cases are really in the answers searched
    leaks = sorted({secret for secret in secrets for answer in answers if secret in answer})
    assert not leaks, leaks[:10]

    demo_client = db.session.scalar(sa.select(ApiClient).where(ApiClient.name == DEMO_CLIENT_NAME))
    assert demo_client.key_hash == hash_key(DEMO_KEY) and demo_client.unit.code == "440781"
    submitted = list(db.session.scalars(sa.select(Case).join(AuditEntry, sa.and_(
        AuditEntry.entity == "case", AuditEntry.entity_id == Case.id, AuditEntry.action == "api_submit"))))
    rows = client.get(f"{API}/requests.json?jurisdiction_id=440781").get_json()
    assert len(submitted) == 3 and all(c.channel == Channel.hotline for c in submitted)
    assert {c.reference for c in submitted} <= {r["service_request_id"] for r in rows}
    response = client.post(f"{API}/requests.json", data={
        "api_key": DEMO_KEY, "jurisdiction_id": "440781", "service_code": submitted[0].category.code,
        "description": "河涌发臭。", "address_id": rows[0]["address_id"], "last_name": "周", "first_name": "明",
        "phone": "13926001199"})
    assert response.status_code == 201, response.get_data(as_text=True)
