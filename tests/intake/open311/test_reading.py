"""GeoReport v2 reads: discovery, services, requests and one request, in JSON and XML, with the filters and the
spec's error lists."""
import pytest

from tests.intake.open311.conftest import API, error_of, xml_of


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_names_the_endpoint_and_its_formats(client, world, fmt):
    response = client.get(f"{API}/discovery.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        endpoint = response.get_json()["endpoints"][0]
        assert endpoint["url"].endswith("/open311/v2") and "text/xml" in endpoint["formats"]
    else:
        root = xml_of(response)
        assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None


def test_services_are_the_categories_in_the_asked_language(client, world):
    services = client.get(f"{API}/services.json").get_json()
    labour = next(s for s in services if s["service_code"] == "labour")
    assert labour["service_name"] == "劳动社保" and labour["type"] == "batch" and labour["metadata"] is True
    english = client.get(f"{API}/services.json?locale=en").get_json()
    assert next(s for s in english if s["service_code"] == "labour")["service_name"] == "Labour and social security"
    by_header = client.get(f"{API}/services.json", headers={"Accept-Language": "en"}).get_json()
    assert by_header[0]["service_name"] == english[0]["service_name"]
    root = xml_of(client.get(f"{API}/services.xml"))
    assert root.tag == "services" and {e.text for e in root.iter("service_code")} == {"labour", "neighbour"}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_definition_lists_the_petition_types_and_an_unknown_code_is_404(client, world, fmt):
    response = client.get(f"{API}/services/labour.{fmt}")
    assert response.status_code == 200
    if fmt == "json":
        attribute = response.get_json()["attributes"][0]
        assert attribute["code"] == "petition_type" and {v["key"] for v in attribute["values"]} == {
            "suggestion", "accusation", "demand"}
    else:
        assert xml_of(response).find("attributes/attribute/values/value/key") is not None
    assert error_of(client.get(f"{API}/services/nothing.{fmt}"))[0] == 404


def test_an_unknown_format_path_or_method_answers_an_error_list(client, world):
    assert error_of(client.get(f"{API}/services.yaml"))[0] == 404
    assert error_of(client.get(f"{API}/no-such-thing.json"))[0] == 404
    refused = client.delete(f"{API}/requests.json")
    assert error_of(refused)[0] == 405 and set(refused.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert error_of(client.get(f"{API}/requests.xml?jurisdiction_id=440781%00"))[0] == 400   # the desk's NUL guard
    assert error_of(client.put(f"{API}/requests.xml"))[0] == 405


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_requests_need_a_county_as_jurisdiction(client, world, fmt):
    assert error_of(client.get(f"{API}/requests.{fmt}"))[0] == 400
    assert error_of(client.get(f"{API}/requests.{fmt}?jurisdiction_id=999999"))[0] == 404
    assert error_of(client.get(f"{API}/requests.{fmt}?jurisdiction_id={world.town.code}"))[0] == 404
    assert error_of(client.get(f"{API}/requests/TS-2026-000001.{fmt}"))[0] == 400


def _ids(client, query: str) -> list[str]:
    response = client.get(f"{API}/requests.json?jurisdiction_id=440781&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["service_request_id"] for r in response.get_json()]


def test_requests_of_the_last_90_days_of_the_jurisdiction_newest_first(client, api):
    assert _ids(client, "") == [api.recent.reference, api.older.reference]
    rows = client.get(f"{API}/requests.json?jurisdiction_id=440781").get_json()
    recent = rows[0]
    assert recent["status"] == "open" and rows[1]["status"] == "closed"
    assert recent["service_code"] == "labour" and recent["service_name"] == "劳动社保"
    assert recent["description"] == "拖欠工资三个月" and recent["address"] == "台城街道石龙村"
    assert recent["address_id"] == "440781001001" and recent["zipcode"] == "" and recent["lat"] is None
    assert recent["requested_datetime"] == "2026-11-18T10:00:00+08:00"
    assert recent["expected_datetime"].endswith("T23:59:59+08:00") and rows[1]["expected_datetime"] is None
    assert recent["agency_responsible"] == "台城街道" and recent["status_notes"]


def test_requests_filter_by_id_code_status_and_dates(client, api):
    assert _ids(client, f"service_request_id={api.ancient.reference},{api.far.reference}") == [api.ancient.reference]
    assert _ids(client, "service_code=neighbour") == [api.older.reference]
    assert _ids(client, "service_code=labour,neighbour&status=open") == [api.recent.reference]
    assert _ids(client, "status=closed") == [api.older.reference]
    assert _ids(client, "status=open,closed") == [api.recent.reference, api.older.reference]
    assert _ids(client, "start_date=2026-05-01T00:00:00Z&end_date=2026-10-31T00:00:00%2B08:00") == [
        api.older.reference, api.ancient.reference]
    assert _ids(client, "start_date=2026-11-18") == [api.recent.reference]
    # an end without a start looks back 90 days from the end: 2026-06-01 is older than that
    assert _ids(client, "end_date=2026-10-06T00:00:00") == [api.older.reference]


@pytest.mark.parametrize("query", ["start_date=yesterday", "end_date=2026-13-01", "start_date=2026-11-20&end_date=2026-11-01",
                                   "status=pending"])
def test_bad_dates_or_status_are_400(client, api, query):
    code, description = error_of(client.get(f"{API}/requests.xml?jurisdiction_id=440781&{query}"))
    assert code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_by_reference_and_another_jurisdictions_is_404(client, api, fmt):
    response = client.get(f"{API}/requests/{api.recent.reference}.{fmt}?jurisdiction_id=440781")
    assert response.status_code == 200
    if fmt == "json":
        assert response.get_json()[0]["service_request_id"] == api.recent.reference
    else:
        assert xml_of(response).find("request/service_request_id").text == api.recent.reference
    assert error_of(client.get(f"{API}/requests/{api.far.reference}.{fmt}?jurisdiction_id=440781"))[0] == 404
    assert client.get(f"{API}/requests/{api.far.reference}.{fmt}?jurisdiction_id=440783").status_code == 200


def test_tokens_are_not_issued(client, world):
    assert error_of(client.get(f"{API}/tokens/abc123.json"))[0] == 404
    assert error_of(client.get(f"{API}/tokens/abc123.xml"))[0] == 404


def test_reads_are_limited_per_client_address(app, client, world):
    app.config["OPEN311_READS_PER_MINUTE"] = 3
    for _ in range(3):
        assert client.get(f"{API}/services.json").status_code == 200
    refused = client.get(f"{API}/services.xml")
    assert error_of(refused)[0] == 429 and int(refused.headers["Retry-After"]) > 0
    other = app.test_client()
    assert other.get(f"{API}/services.json", environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 200
