"""Open311 fixtures: a key of 台山市's hotline platform and a few cases of both counties at known dates."""
from dataclasses import dataclass
from datetime import date
from xml.etree import ElementTree as ET

import pytest

from desk.extensions import db
from desk.models import Case, CaseStatus, Channel
from intake.open311 import services
from tests.factories import make_case, make_person, valid_id_number

API = "/open311/v2"


@dataclass
class Api:
    key: str
    client: object
    recent: Case        # 台山, open, 2026-11-18
    older: Case         # 台山, closed, 2026-10-05 (other category)
    ancient: Case       # 台山, 2026-06-01: outside the default 90 days
    far: Case           # 开平


@pytest.fixture
def api(world, clock):
    clock("2026-11-20 10:00")
    person = make_person(world, "陈大文", id_number=valid_id_number(seq=21), phone="13800138021")
    recent = make_case(world, person=person, received_on=date(2026, 11, 18), title="拖欠工资三个月")
    older = make_case(world, category=world.other_category, received_on=date(2026, 10, 5), title="邻居占用通道")
    older.status = CaseStatus.closed
    ancient = make_case(world, received_on=date(2026, 6, 1), title="旧事")
    far = make_case(world, unit=world.far_village, received_on=date(2026, 11, 17), title="开平的事")
    client, key = services.create_client(actor=None, name="12345 热线平台", unit=world.county,
                                         channel=Channel.hotline)
    db.session.commit()
    return Api(key=key, client=client, recent=recent, older=older, ancient=ancient, far=far)


def post_form(world, key, **overrides) -> dict:
    data = {"api_key": key, "jurisdiction_id": world.county.code, "service_code": world.category.code,
            "description": "工厂拖欠工资三个月。多次讨要未果。", "address_id": world.village.code,
            "first_name": "小明", "last_name": "黄", "phone": "13900139000"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def xml_of(response) -> ET.Element:
    assert response.mimetype == "text/xml"
    return ET.fromstring(response.get_data())


def error_of(response) -> tuple[int, str]:
    """The (code, description) of a JSON or XML error list, checked to match the HTTP status."""
    if response.mimetype == "text/xml":
        error = xml_of(response)
        assert error.tag == "errors"
        code, description = int(error.find("error/code").text), error.find("error/description").text
    else:
        body = response.get_json()
        assert isinstance(body, list) and len(body) == 1
        code, description = body[0]["code"], body[0]["description"]
    assert code == response.status_code and description
    return code, description
