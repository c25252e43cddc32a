"""POST requests: an API key's matter lands registered in the town's queue as the key's channel; every refusal
is an error list (403 for keys, 400 for parameters, XML bombs refused unexpanded, 413, 429)."""
import time

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import AuditEntry, Case, CaseStatus, Channel
from desk.timeutil import utcnow
from intake.open311 import services
from tests.intake.open311.conftest import API, error_of, post_form, xml_of


def test_a_submission_lands_in_the_towns_queue_as_the_keys_channel_and_is_found_by_get(client, world, api):
    response = client.post(f"{API}/requests.json", data=post_form(world, api.key))
    assert response.status_code == 201, response.get_data(as_text=True)
    answer = response.get_json()[0]
    case = db.session.scalar(sa.select(Case).where(Case.reference == answer["service_request_id"]))
    assert case.status == CaseStatus.registered and case.channel == Channel.hotline
    assert case.owner_unit_id == world.town.id and case.village_id == world.village.id
    assert case.visits[0].channel == Channel.hotline and case.petitioners[0].name == "黄小明"
    assert case.petitioners[0].phone == "13900139000" and case.facts.startswith("工厂拖欠工资")
    assert answer["account_id"] is None and answer["service_notice"]
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity == "case", AuditEntry.entity_id == case.id,
                                                         AuditEntry.action == "api_submit"))
    assert audit.detail["client"] == "12345 热线平台" and "13900139000" not in str(audit.detail)
    assert db.session.get(type(api.client), api.client.id).last_used_at == utcnow()
    found = client.get(f"{API}/requests/{case.reference}.json?jurisdiction_id=440781").get_json()[0]
    assert found["status"] == "open" and found["description"] == "工厂拖欠工资三个月"


def test_xml_answer_place_by_name_and_the_subject_hides_the_callers_name_and_numbers(client, world, api):
    response = client.post(f"{API}/requests.xml", data=post_form(
        world, api.key, address_id=None, address_string="台城街道石龙村", **{"attribute[petition_type]": "suggestion"},
        description="黄小明反映路灯坏了，电话 139-0013-9000，身份证440781198001010011"))
    assert response.status_code == 201
    reference = xml_of(response).find("request/service_request_id").text
    case = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    assert case.village_id == world.village.id and case.petition_type.value == "suggestion"
    assert "黄小明" not in case.title and "1390013" not in case.title.replace("-", "") and "4407811980" not in case.title
    by_town = client.post(f"{API}/requests.json", data=post_form(world, api.key, address_id=None,
                                                                 address_string="大江镇", phone="13900139001"))
    assert by_town.status_code == 201


def test_an_xml_body_is_read_like_the_form(client, world, api):
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in post_form(world, api.key).items())
    response = client.post(f"{API}/requests.json", data=f"<request>{fields}</request>", content_type="application/xml")
    assert response.status_code == 201, response.get_data(as_text=True)


@pytest.mark.parametrize("key", [None, "", "not-a-key"])
def test_a_missing_or_unknown_key_is_403(client, world, api, key):
    assert error_of(client.post(f"{API}/requests.json", data=post_form(world, key)))[0] == 403
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 4


def test_a_revoked_key_or_another_county_is_403(client, world, api):
    assert error_of(client.post(f"{API}/requests.xml", data=post_form(
        world, api.key, jurisdiction_id=world.other_county.code, address_id=world.far_village.code)))[0] == 403
    services.revoke_client(api.client, actor=None)
    db.session.commit()
    assert error_of(client.post(f"{API}/requests.json", data=post_form(world, api.key)))[0] == 403


@pytest.mark.parametrize("overrides, field", [
    ({"jurisdiction_id": None}, "jurisdiction_id"),
    ({"service_code": None}, "service_code"),
    ({"service_code": "nothing"}, "service_code"),
    ({"description": "  "}, "description"),
    ({"description": "长" * 5001}, "description"),
    ({"address_id": None, "lat": "22.25", "long": "112.79"}, "position"),
    ({"address_id": None}, "place"),
    ({"address_id": "440783001001"}, "address_id"),   # a village of 开平市
    ({"address_id": None, "address_string": "北京市"}, "address_string"),
    ({"first_name": None, "last_name": None}, "name"),
    ({"phone": None}, "phone"),
    ({"phone": "12345"}, "phone"),
    ({"attribute[petition_type]": "complaint"}, "attribute"),
])
def test_a_bad_parameter_is_400_and_lands_nothing(client, world, api, overrides, field):
    response = client.post(f"{API}/requests.json", data=post_form(world, api.key, **overrides))
    code, description = error_of(response)
    assert code == 400
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 4


def test_a_position_alone_is_explained(client, world, api):
    response = client.post(f"{API}/requests.json?locale=en",
                           data=post_form(world, api.key, address_id=None, lat="22.25", long="112.79"))
    assert "lat/long" in error_of(response)[1]


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                            for i in range(1, 10))
                  + ']><request><api_key>&lol9;</api_key></request>')


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_xml_bomb_is_refused_quickly_without_expanding(client, world, api, fmt):
    started = time.perf_counter()
    response = client.post(f"{API}/requests.{fmt}", data=BILLION_LAUGHS, content_type="application/xml")
    assert error_of(response)[0] == 400 and time.perf_counter() - started < 2
    external = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<request><api_key>&x;</api_key></request>')
    assert error_of(client.post(f"{API}/requests.{fmt}", data=external, content_type="text/xml"))[0] == 400
    assert error_of(client.post(f"{API}/requests.{fmt}", data="<request><open>", content_type="text/xml"))[0] == 400


def test_a_large_body_is_413(client, world, api):
    response = client.post(f"{API}/requests.json", data=post_form(world, api.key, email="x" * 70_000))
    assert error_of(response)[0] == 413


def test_submissions_are_limited_per_key(app, client, world, api):
    app.config["OPEN311_POSTS_PER_HOUR"] = 1
    assert client.post(f"{API}/requests.json", data=post_form(world, api.key)).status_code == 201
    refused = client.post(f"{API}/requests.xml", data=post_form(world, api.key, phone="13900139002"))
    assert error_of(refused)[0] == 429 and int(refused.headers["Retry-After"]) > 3000
