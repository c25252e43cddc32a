"""The OpenAPI 3 description of the GeoReport v2 endpoints (served at /open311/v2/openapi.json).

Every endpoint answers in JSON or XML by its ``{format}`` suffix; the schemas describe the JSON, and XML is
listed as the alternative content of the same answers (GeoReport v2's element names)."""

XML = {"text/xml": {"schema": {"type": "string"}}}
STATUS_TEXT = {400: "Bad request: a missing or invalid parameter", 403: "The api_key is missing, unknown, "
               "revoked, or not allowed for this jurisdiction", 404: "Not found: unknown jurisdiction, service, "
               "request, token or format", 405: "Method not allowed", 413: "Body too large",
               429: "Too many requests (see Retry-After)"}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _error_responses(*codes) -> dict:
    answers = {}
    for code in codes:
        answer = {"description": STATUS_TEXT.get(code, "Error"),
                  "content": {"application/json": {"schema": _ref("ErrorList")}, **XML}}
        if code == 429:
            answer["headers"] = {"Retry-After": {"description": "Seconds until the window ends",
                                                 "schema": {"type": "integer"}}}
        answers[str(code)] = answer
    return answers


def _ok(schema: str, description: str, status: str = "200") -> dict:
    return {status: {"description": description,
                     "content": {"application/json": {"schema": _ref(schema)}, **XML}}}


FORMAT = {"name": "format", "in": "path", "required": True, "description": "json or xml",
          "schema": {"type": "string", "enum": ["json", "xml"]}}
JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": True,
                "description": "The county code, e.g. 440781 (台山市)",
                "schema": {"type": "string", "example": "440781"}}
LOCALE = {"name": "locale", "in": "query", "required": False,
          "description": "Language of names and notes: zh_Hans (default), en or zh_Hant; Accept-Language also works",
          "schema": {"type": "string", "enum": ["zh_Hans", "en", "zh_Hant"]}}


def _query(name: str, description: str, **schema) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string", **schema}}


SCHEMAS = {
    "Error": {"type": "object", "required": ["code", "description"],
              "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}},
    "ErrorList": {"type": "array", "items": _ref("Error")},
    "Discovery": {"type": "object", "required": ["changeset", "contact", "key_service", "endpoints"], "properties": {
        "changeset": {"type": "string"}, "contact": {"type": "string"}, "key_service": {"type": "string"},
        "endpoints": {"type": "array", "items": {"type": "object", "properties": {
            "specification": {"type": "string"}, "url": {"type": "string"}, "changeset": {"type": "string"},
            "type": {"type": "string"}, "formats": {"type": "array", "items": {"type": "string"}}}}}}},
    "Service": {"type": "object", "required": ["service_code", "service_name", "metadata", "type"], "properties": {
        "service_code": {"type": "string"}, "service_name": {"type": "string"}, "description": {"type": "string"},
        "metadata": {"type": "boolean"}, "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
        "keywords": {"type": "string"}, "group": {"type": "string"}}},
    "ServiceList": {"type": "array", "items": _ref("Service")},
    "ServiceDefinition": {"type": "object", "required": ["service_code", "attributes"], "properties": {
        "service_code": {"type": "string"},
        "attributes": {"type": "array", "items": {"type": "object", "required": ["code", "datatype"], "properties": {
            "variable": {"type": "boolean"}, "code": {"type": "string"}, "datatype": {"type": "string"},
            "required": {"type": "boolean"}, "datatype_description": {"type": "string"},
            "order": {"type": "integer"}, "description": {"type": "string"},
            "values": {"type": "array", "items": {"type": "object", "properties": {
                "key": {"type": "string"}, "name": {"type": "string"}}}}}}}}},
    "ServiceRequest": {"type": "object", "required": ["service_request_id", "status", "requested_datetime"],
                       "properties": {
        "service_request_id": {"type": "string", "description": "The case reference, e.g. TS-2026-000123"},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "status_notes": {"type": "string"}, "service_name": {"type": "string"}, "service_code": {"type": "string"},
        "description": {"type": "string", "description": "The case's subject; long digit runs hidden"},
        "agency_responsible": {"type": "string"}, "service_notice": {"type": "string"},
        "requested_datetime": {"type": "string", "format": "date-time"},
        "updated_datetime": {"type": "string", "format": "date-time", "nullable": True},
        "expected_datetime": {"type": "string", "format": "date-time", "nullable": True},
        "address": {"type": "string"}, "address_id": {"type": "string"}, "zipcode": {"type": "string"},
        "lat": {"type": "number", "nullable": True}, "long": {"type": "number", "nullable": True},
        "media_url": {"type": "string"}}},
    "ServiceRequestList": {"type": "array", "items": _ref("ServiceRequest")},
    "SubmittedList": {"type": "array", "items": {"type": "object", "required": ["service_request_id"], "properties": {
        "service_request_id": {"type": "string"}, "service_notice": {"type": "string"},
        "account_id": {"type": "string", "nullable": True}}}},
    "NewRequest": {"type": "object", "required": ["api_key", "jurisdiction_id", "service_code", "description",
                                                  "phone"], "properties": {
        "api_key": {"type": "string"}, "jurisdiction_id": {"type": "string"}, "service_code": {"type": "string"},
        "description": {"type": "string", "maxLength": 5000},
        "address_id": {"type": "string", "description": "Code of a town or village of the jurisdiction"},
        "address_string": {"type": "string", "description": "Name of a town or village (lat/long alone is not "
                                                            "enough)"},
        "lat": {"type": "number"}, "long": {"type": "number"},
        "first_name": {"type": "string"}, "last_name": {"type": "string"},
        "phone": {"type": "string", "description": "A mainland mobile or a landline with its area code"},
        "email": {"type": "string"}, "device_id": {"type": "string"}, "account_id": {"type": "string"},
        "media_url": {"type": "string"},
        "attribute[petition_type]": {"type": "string", "enum": ["suggestion", "accusation", "demand"]}}},
}


def openapi_document() -> dict:
    reads = (400, 404, 405, 429)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Open311 GeoReport v2 — petition desk", "version": "2.0",
                 "description": "GeoReport v2 (http://wiki.open311.org/GeoReport_v2) over the desk's matters: "
                                "services are the category taxonomy, service_request_id is the case reference, "
                                "jurisdiction_id is the county code. Every answer is JSON or XML by the path's "
                                "suffix; errors are the spec's error list. Tokens are not issued: a POST answers "
                                "with the service_request_id, and tokens/{token} is always 404."},
        "servers": [{"url": "/open311/v2"}],
        "paths": {
            "/discovery.{format}": {"get": {
                "operationId": "discovery", "summary": "Endpoints, formats and how to get a key",
                "parameters": [FORMAT, LOCALE],
                "responses": {**_ok("Discovery", "The discovery document"), **_error_responses(*reads)}}},
            "/services.{format}": {"get": {
                "operationId": "services", "summary": "The category taxonomy as services",
                "parameters": [FORMAT, LOCALE],
                "responses": {**_ok("ServiceList", "Every service"), **_error_responses(*reads)}}},
            "/services/{service_code}.{format}": {"get": {
                "operationId": "serviceDefinition", "summary": "A service's attributes",
                "parameters": [{"name": "service_code", "in": "path", "required": True,
                                "schema": {"type": "string"}}, FORMAT, LOCALE],
                "responses": {**_ok("ServiceDefinition", "The service definition"), **_error_responses(*reads)}}},
            "/requests.{format}": {
                "get": {"operationId": "requests", "summary": "Requests of a jurisdiction, newest first (at most "
                                                             "1000; the last 90 days unless dates are given)",
                        "parameters": [FORMAT, JURISDICTION, LOCALE,
                                       _query("service_request_id", "Comma-separated references; the other "
                                                                    "filters are then ignored"),
                                       _query("service_code", "Comma-separated service codes"),
                                       _query("start_date", "W3C date-time", format="date-time"),
                                       _query("end_date", "W3C date-time", format="date-time"),
                                       _query("status", "open, closed or both (comma-separated)")],
                        "responses": {**_ok("ServiceRequestList", "The requests"), **_error_responses(*reads)}},
                "post": {"operationId": "createRequest", "summary": "Submit a matter (lands in the town's queue)",
                         "parameters": [FORMAT],
                         "requestBody": {"required": True, "content": {
                             "application/x-www-form-urlencoded": {"schema": _ref("NewRequest")},
                             "application/xml": {"schema": {"type": "string", "description": (
                                 "A <request> element whose children are the same fields; DTDs and entities "
                                 "are refused")}}}},
                         "responses": {**_ok("SubmittedList", "The request was registered", "201"),
                                       **_error_responses(400, 403, 404, 405, 413, 429)}}},
            "/requests/{service_request_id}.{format}": {"get": {
                "operationId": "request", "summary": "One request of the jurisdiction",
                "parameters": [{"name": "service_request_id", "in": "path", "required": True,
                                "schema": {"type": "string"}}, FORMAT, JURISDICTION, LOCALE],
                "responses": {**_ok("ServiceRequestList", "The request (a list of one)"),
                              **_error_responses(*reads)}}},
            "/tokens/{token}.{format}": {"get": {
                "operationId": "token", "summary": "Not issued here: always 404",
                "parameters": [{"name": "token", "in": "path", "required": True, "schema": {"type": "string"}},
                               FORMAT],
                "responses": {**_ok("ServiceRequestList", "Never answered: tokens are not issued"),
                              **_error_responses(*reads)}}},
        },
        "components": {"schemas": SCHEMAS},
    }
