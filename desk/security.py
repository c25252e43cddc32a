"""Security headers on every response: a CSP with no inline script, frame denial, referrer policy, no caching
of anything but static files, HSTS when cookies are Secure; requests carrying a NUL character refused up
front (no text column can store one: PostgreSQL errors); ids too large for an integer column answer 404;
and the one check for a redirect target taken from a request (``safe_next``)."""
import unicodedata
from urllib.parse import urlsplit

from flask import abort, request
from werkzeug.routing import IntegerConverter

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
MAX_ID = 2**31 - 1  # the largest value of an INTEGER column on PostgreSQL


def init_app(app) -> None:
    # Before any blueprint adds its rules: every <int:...> in a URL is bounded.
    app.url_map.converters["int"] = BoundedIntConverter

    @app.before_request
    def refuse_nul():
        """A NUL is never typed by a person; whatever sent it gets a 400, not a database error."""
        values = [request.path, *(v for _, v in request.args.items(multi=True))]
        if request.method in ("POST", "PUT", "PATCH"):
            values += [v for _, v in request.form.items(multi=True)]
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def set_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not _is_static(request.endpoint) and "no-store" not in response.headers.get("Cache-Control", ""):
            # Reception PCs are shared: no page, fragment, export or PDF may stay in the browser's cache.
            response.headers["Cache-Control"] = "no-store"
        return response


def _is_static(endpoint: str | None) -> bool:
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


class BoundedIntConverter(IntegerConverter):
    """Flask's ``int`` converter, refusing values no id column can hold: the route does not match (404)
    instead of the database failing on an out-of-range number (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site ("/intake/cases?status=accepted"), else ``fallback``.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so "/\\t/evil.example" and
    "/\\\\evil.example" lead to another host just like "//evil.example": any control character, whitespace
    or backslash refuses the target outright, as do a scheme, a host, and anything not starting with one "/".
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return fallback
    if "\\" in target or any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in target):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
