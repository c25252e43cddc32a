"""GeoReport v2 answers: services, requests and error lists as plain data, then as JSON or XML.

Nothing here reads a person: a request shows the case's reference, category, state, place and owner only."""
import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, time

import sqlalchemy as sa
from flask import Response

from desk.extensions import db
from desk.models import OPEN_STATUSES, AuditEntry, Case, Category, Level, OrgUnit, PetitionType
from desk.timeutil import LOCAL, to_local
from intake.open311.services import scrub_numbers

FORMATS = {"json": "application/json", "xml": "text/xml"}
END_OF_DAY = time(23, 59, 59)


def w3c(moment: datetime | None) -> str | None:
    return to_local(moment).isoformat(timespec="seconds") if moment else None


def w3c_day_end(day: date | None) -> str | None:
    return datetime.combine(day, END_OF_DAY, tzinfo=LOCAL).isoformat() if day else None


def service(category: Category, parents: dict[int, Category]) -> dict:
    parent = parents.get(category.parent_id) if category.parent_id else None
    return {"service_code": category.code, "service_name": category.name,
            "description": f"{parent.name} / {category.name}" if parent else category.name,
            "metadata": True, "type": "batch",
            "keywords": ",".join(dict.fromkeys([category.name_zh, category.name_en])),
            "group": parent.name if parent else category.name}


def services(categories: list[Category]) -> list[dict]:
    parents = {c.id: c for c in categories}
    return [service(c, parents) for c in categories]


def definition(category: Category) -> dict:
    """The service's attributes: the petition type, which the desk otherwise sets on acceptance."""
    from flask_babel import gettext as _
    return {"service_code": category.code, "attributes": [{
        "variable": True, "code": "petition_type", "datatype": "singlevaluelist", "required": False,
        "datatype_description": _("The kind of matter; an appeal or demand when not given."), "order": 1,
        "description": _("Petition type"),
        "values": [{"key": t.value, "name": str(t.title)} for t in PetitionType]}]}


def requests(cases: list[Case]) -> list[dict]:
    """The cases as service requests, with their places and last changes loaded in two queries."""
    ids = [c.id for c in cases]
    updated = dict(db.session.execute(
        sa.select(AuditEntry.entity_id, sa.func.max(AuditEntry.at))
        .where(AuditEntry.entity == "case", AuditEntry.entity_id.in_(ids)).group_by(AuditEntry.entity_id)).all()) \
        if ids else {}
    unit_ids = {u for c in cases for u in (c.town_id, c.village_id, c.owner_unit_id) if u}
    units = {u.id: u for u in db.session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_(unit_ids)))} \
        if unit_ids else {}
    return [_request(c, units, updated.get(c.id)) for c in cases]


def _request(case: Case, units: dict[int, OrgUnit], updated: datetime | None) -> dict:
    town, village = units.get(case.town_id), units.get(case.village_id)
    place = village or town
    owner = units.get(case.owner_unit_id)
    is_open = case.status in OPEN_STATUSES
    agency = case.handling_department.name if case.handling_department else (owner.name if owner else "")
    return {
        "service_request_id": case.reference,
        "status": "open" if is_open else "closed",
        "status_notes": str(case.status.title),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": scrub_numbers(case.title),
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": w3c(case.created_at),
        "updated_datetime": w3c(max(filter(None, [updated, case.created_at]))),
        "expected_datetime": w3c_day_end(case.next_due) if is_open else None,
        "address": "".join(u.name for u in (town, village) if u is not None),
        "address_id": place.code if place is not None and place.level in (Level.town, Level.village) else "",
        "zipcode": "",
        "lat": None,
        "long": None,
        "media_url": "",
    }


def errors(status: int, description) -> list[dict]:
    return [{"code": status, "description": str(description)}]


# --- Rendering ------------------------------------------------------------------------------------------

# The element each list's items are written as in XML (GeoReport v2's names).
XML_NAMES = {"services": "service", "service_requests": "request", "errors": "error", "discovery": None,
             "service_definition": None, "endpoints": "endpoint", "formats": "format", "attributes": "attribute",
             "values": "value"}


def render(data, fmt: str, root: str, status: int = 200, headers: dict | None = None) -> Response:
    if fmt == "xml":
        element = ET.Element(root)
        _fill(element, data)
        body = ET.tostring(element, encoding="unicode", xml_declaration=False)
        body = '<?xml version="1.0" encoding="utf-8"?>' + body
    else:
        body = json.dumps(data, ensure_ascii=False)
    response = Response(body, status=status, mimetype=FORMATS.get(fmt, FORMATS["json"]))
    if fmt == "xml":
        response.charset = "utf-8"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, list):
        item_name = XML_NAMES.get(element.tag) or "item"
        for item in value:
            _fill(ET.SubElement(element, item_name), item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
