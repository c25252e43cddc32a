"""The GeoReport v2 endpoints under /open311/v2, each answering in JSON or XML by its suffix.

Thin views: parse the parameters, call a service, render (the suffix is json or xml, else no route matches). Every refusal is the spec's error
list with the matching status, never a page: routing errors under the prefix too (see ``_routing_error``)."""
from datetime import timedelta
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from flask import Blueprint, current_app, request, url_for
from flask_babel import force_locale, gettext as _, lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from werkzeug.routing import RequestRedirect

from desk.access import public
from desk.extensions import csrf, db
from desk.ratelimit import Limit, RateLimited, hit
from desk.transactions import write_phase
from intake.open311 import serializers, services
from intake.open311.openapi import openapi_document
from intake.open311.services import Open311Error

PREFIX = "/open311/v2"
bp = Blueprint("open311", __name__)
csrf.exempt(bp)
MAX_BODY = 64 * 1024
LOCALES = {"zh_hans": "zh_Hans", "zh-hans": "zh_Hans", "zh": "zh_Hans", "zh-cn": "zh_Hans", "zh_cn": "zh_Hans",
           "en": "en", "en-us": "en", "en_us": "en", "zh_hant": "zh_Hant", "zh-hant": "zh_Hant", "zh-tw": "zh_Hant",
           "zh-hk": "zh_Hant", "zh_tw": "zh_Hant", "zh_hk": "zh_Hant"}
STATUS_MESSAGES = {400: _l("The request could not be understood."),
                   404: _l("No such endpoint or format: answers are .json or .xml."),
                   405: _l("This method is not allowed on this endpoint."),
                   413: _l("The request body is too large.")}


def _locale() -> str:
    """The answer's language: the locale parameter, else Accept-Language, else Simplified Chinese."""
    asked = (request.args.get("locale") or "").strip().lower()
    if asked in LOCALES:
        return LOCALES[asked]
    best = request.accept_languages.best_match(["zh-CN", "zh", "en", "zh-TW", "zh-HK"])
    return {"en": "en", "zh-TW": "zh_Hant", "zh-HK": "zh_Hant"}.get(best, "zh_Hans")


def _error(status: int, description, fmt: str = "json", headers: dict | None = None):
    return serializers.render(serializers.errors(status, description), fmt, "errors", status, headers)


def _answer(fmt: str, build, root: str, status: int = 200):
    """Run ``build`` in the asked language and render its data; an Open311Error becomes its error list."""
    with force_locale(_locale()):
        try:
            data = build()
        except RateLimited as err:
            db.session.rollback()
            return _error(429, err.message, fmt, {"Retry-After": str(err.retry_after)})
        except Open311Error as err:
            db.session.rollback()
            return _error(err.status, err.message, fmt)
        response = serializers.render(data, fmt, root, status)
    db.session.commit()
    return response


def _limit_reads() -> None:
    """Count a read against the client address; committed at once, so a refused read counts too."""
    per_minute = current_app.config["OPEN311_READS_PER_MINUTE"]
    with write_phase():   # a GET that writes: after its reads, under the write lock, as any writer
        try:
            hit("open311-read", request.remote_addr, Limit(per_minute, timedelta(minutes=1)))
        finally:
            db.session.commit()


@bp.before_app_request
def _routing_error():
    """Unknown paths and methods under /open311/v2 answer with an error list, not the desk's HTML page (a
    routing error is raised after this hook, so the blueprint's own handlers never see it)."""
    error = request.routing_exception
    if error is None or isinstance(error, RequestRedirect) or not request.path.startswith(PREFIX + "/"):
        return None
    return _http_error(error)


def _http_error(error):
    """What the desk's checks abort with on an API route (a NUL refused, a body too large) as an error list."""
    status = error.code if error.code in STATUS_MESSAGES else 404
    fmt = "xml" if request.path.endswith(".xml") else "json"
    allowed = getattr(error, "valid_methods", None)
    with force_locale(_locale()):
        return _error(status, STATUS_MESSAGES[status], fmt, {"Allow": ", ".join(allowed)} if allowed else None)


# By code, since the desk's own pages are registered by code and a code's handlers are looked up first.
for _code in STATUS_MESSAGES:
    bp.register_error_handler(_code, _http_error)


@bp.route("/discovery.<any(json, xml):fmt>")
@public
def discovery(fmt):
    def build():
        _limit_reads()
        return {"changeset": "2026-12-03T00:00:00+08:00",
                "contact": _("The county petition bureau's information desk, or 12345."),
                "key_service": _("API keys are issued by an administrator of the county on the desk "
                                 "(Administration → API clients); tokens are not issued: a POST answers with "
                                 "the service_request_id directly."),
                "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2",
                               "url": url_for("open311.discovery", fmt="json", _external=True).rsplit("/", 1)[0],
                               "changeset": "2026-12-03T00:00:00+08:00", "type": "production",
                               "formats": list(serializers.FORMATS.values())}]}
    return _answer(fmt, build, "discovery")


@bp.route("/openapi.json")
@public
def openapi():
    with force_locale("en"):
        return serializers.render(openapi_document(), "json", "openapi")


@bp.route("/services.<any(json, xml):fmt>")
@public
def service_list(fmt):
    def build():
        _limit_reads()
        return serializers.services(services.list_services())
    return _answer(fmt, build, "services")


@bp.route("/services/<code>.<any(json, xml):fmt>")
@public
def service_definition(code, fmt):
    def build():
        _limit_reads()
        return serializers.definition(services.find_service(code))
    return _answer(fmt, build, "service_definition")


@bp.route("/requests.<any(json, xml):fmt>", methods=["GET"])
@public
def request_list(fmt):
    def build():
        _limit_reads()
        county = services.find_jurisdiction(request.args.get("jurisdiction_id"))
        query = services.RequestQuery.parse(request.args)
        return serializers.requests(services.list_requests(county, query))
    return _answer(fmt, build, "service_requests")


@bp.route("/requests.<any(json, xml):fmt>", methods=["POST"])
@public
def submit_request(fmt):
    def build():
        values = _posted_values()
        client = services.authenticate(values.get("api_key"))
        try:
            hit("open311-post", str(client.id),
                Limit(current_app.config["OPEN311_POSTS_PER_HOUR"], timedelta(hours=1)), field="api_key")
        finally:
            db.session.commit()   # a refused submission counts against the key too
        county = services.find_jurisdiction(values.get("jurisdiction_id"))
        landing = services.submit_request(client=client, county=county, values=values)
        return [{"service_request_id": landing.case.reference,
                 "service_notice": _("Registered in the queue of %(town)s; the town decides on acceptance "
                                     "within the statutory period.", town=_town_name(landing.case)),
                 "account_id": None}]
    if (request.content_length or 0) > MAX_BODY:
        return _error(413, STATUS_MESSAGES[413], fmt)
    return _answer(fmt, build, "service_requests", status=201)


@bp.route("/requests/<reference>.<any(json, xml):fmt>")
@public
def request_detail(reference, fmt):
    def build():
        _limit_reads()
        county = services.find_jurisdiction(request.args.get("jurisdiction_id"))
        return serializers.requests([services.find_request(county, reference)])
    return _answer(fmt, build, "service_requests")


@bp.route("/tokens/<token>.<any(json, xml):fmt>")
@public
def token(token, fmt):
    def build():
        _limit_reads()
        raise Open311Error(404, _l("Tokens are not issued: a POST answers with the service_request_id."))
    return _answer(fmt, build, "service_requests")


def _town_name(case) -> str:
    from desk.models import OrgUnit
    town = db.session.get(OrgUnit, case.town_id) if case.town_id else None
    return town.name if town else ""


def _posted_values() -> MultiDict:
    """The form fields (GeoReport v2 posts form-encoded), or the children of an XML body's root element,
    parsed with defusedxml: entity declarations (an "XML bomb") and external references are refused."""
    if request.mimetype not in ("application/xml", "text/xml"):
        return request.form
    try:
        root = SafeET.fromstring(request.get_data(cache=True), forbid_dtd=True)
    except (DefusedXmlException, ParseError, ValueError):
        raise Open311Error(400, _l("The XML body could not be read (declarations and entities are not "
                                   "accepted)."), field="body") from None
    return MultiDict((child.tag, (child.text or "").strip()) for child in root)
