"""The OpenAPI document is valid OpenAPI 3, and Schemathesis, driving the WSGI app in-process with generated
requests for every operation, finds no server error and every answer conforming to the document."""
from datetime import date

import hypothesis
import schemathesis
from hypothesis import strategies as st
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_schema_conformance,
                                               status_code_conformance)

from desk.extensions import db
from tests.factories import make_case
from tests.intake.open311.conftest import API

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def test_the_document_is_valid_openapi_3(client, world):
    document = client.get(f"{API}/openapi.json").get_json()
    validate(document)
    assert set(document["paths"]) == {"/discovery.{format}", "/services.{format}", "/services/{service_code}.{format}",
                                      "/requests.{format}", "/requests/{service_request_id}.{format}",
                                      "/tokens/{token}.{format}"}


def test_generated_requests_get_no_server_error_and_conforming_answers(app, world, clock, record_property):
    clock("2026-11-20 10:00")
    for day in (date(2026, 11, 2), date(2026, 11, 18)):
        make_case(world, received_on=day)
    db.session.commit()
    app.config["OPEN311_READS_PER_MINUTE"] = 100_000
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    calls = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.settings(max_examples=25, deadline=None, database=None, derandomize=True,
                             suppress_health_check=list(hypothesis.HealthCheck))
        @hypothesis.given(case=operation.as_strategy(), real_county=st.booleans())
        def check(case, real_county):
            if real_county and isinstance(case.query, dict) and "jurisdiction_id" in case.query:
                case.query["jurisdiction_id"] = world.county.code   # so answers with data are checked too
            response = case.call_and_validate(checks=CHECKS)
            db.session.rollback()
            calls.append(response.status_code)

        check()
    record_property("figure", f"schemathesis ({db.engine.dialect.name}): {len(calls)} generated requests")
    assert len(calls) >= 7 * 10 and calls.count(200) >= 20
