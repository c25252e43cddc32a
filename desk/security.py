"""Security headers on every response: a CSP with no inline script, frame denial, referrer policy; and
requests carrying a NUL character refused up front (no text column can store one: PostgreSQL errors)."""
from flask import abort, request

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def init_app(app) -> None:
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
        return response
