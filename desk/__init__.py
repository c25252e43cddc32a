"""The petition and dispute one-stop service desk: the application factory."""
import logging
import os

import click
from flask import Flask
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from desk import crypto, holidays, i18n, security
from desk.config import DEVELOPMENT_ENVS, MIN_KEY_BYTES, Config, database_url_for
from desk.extensions import babel, csrf, db, login_manager, migrate


def create_app(config=None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or None,
                instance_relative_config=True, template_folder="../templates")
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url_for(app)
    _check_secrets(app)
    _secure_transport(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    crypto.configure(app.config["PII_KEY"])
    db.init_app(app)
    _tune_database(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    i18n.init_app(app)
    security.init_app(app)

    from desk import models  # noqa: F401  (shared tables)
    from desk.admin.views import bp as admin_bp
    from desk.auth.views import bp as auth_bp
    from desk.views import bp as core_bp, register_error_pages

    app.register_blueprint(core_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")

    # The areas, the only place that lists them: each adds its tables, blueprint (under its URL prefix),
    # jobs, demo seeders, navigation, home pages and commands.
    import intake
    import outreach
    import referrals
    import reports
    intake.register(app)
    referrals.register(app)
    outreach.register(app)
    reports.register(app)

    register_error_pages(app)
    holidays.init_app(app)
    _template_context(app)
    _forget_request_state(app)

    from desk.cli import desk_cli
    app.cli.add_command(desk_cli)

    if app.config["SCHEDULER_ENABLED"] and not app.config["TESTING"]:
        from desk.scheduler import start_background
        start_background(app)
    # A serving process warms up in the background (desk/warmup.py); a CLI command (a click context is
    # active while `flask …` loads the app) and the tests do not.
    if app.config.get("WARM_UP", not app.config["TESTING"]) and click.get_current_context(silent=True) is None:
        from desk.warmup import start_warm_up
        start_warm_up(app)
    return app


@login_manager.user_loader
def _load_user(session_id: str):
    """The user a session names by "id:epoch" (User.get_id), only while the epoch is still the user's: logging
    out, a new password and deactivation move it on and so end every session saved before."""
    from sqlalchemy.orm import joinedload

    from desk.models import User
    user_id, _, epoch = (session_id or "").partition(":")
    try:
        user_id, epoch = int(user_id), int(epoch or 0)  # a bare id (older cookies) is epoch 0
    except ValueError:
        return None
    # one query for the user, the org unit and the roles, which every page needs
    user = db.session.get(User, user_id, options=[joinedload(User.role_rows)])
    if user is None or user.session_epoch != epoch or not user.active:
        return None
    return user


def _is_development(app) -> bool:
    return app.debug or app.testing or os.environ.get("DESK_ENV") in DEVELOPMENT_ENVS


def _check_secrets(app) -> None:
    """Outside development and test, refuse to start with a published development key or a short key."""
    if _is_development(app):
        return
    for key in ("SECRET_KEY", "PII_KEY"):
        value = app.config.get(key) or ""
        if value.startswith("dev-only"):
            raise RuntimeError(f"{key} is the published development key. Set {key} in the environment to at least "
                               f"{MIN_KEY_BYTES} random bytes (python3 -c 'import secrets; print(secrets.token_urlsafe"
                               f"(48))'), or DESK_ENV=development on a development machine.")
        if len(value.encode()) < MIN_KEY_BYTES:
            raise RuntimeError(f"{key} is {len(value.encode())} bytes long; at least {MIN_KEY_BYTES} are needed "
                               f"outside development (python3 -c 'import secrets; print(secrets.token_urlsafe(48))').")


def _secure_transport(app) -> None:
    """Cookies only over HTTPS, and HSTS (desk/security.py), unless SECURE_COOKIES says otherwise; by default
    on everywhere but in development and test."""
    setting = app.config.get("SECURE_COOKIES")
    secure = not _is_development(app) if setting in (None, "") else str(setting).strip().lower() in ("1", "true")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure


def _tune_database(app) -> None:
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        from desk import sqlite
        sqlite.install(app, engine)


def _forget_request_state(app) -> None:
    """The logged-in user and the locale are cached on ``g``; drop them when a request ends so that an
    app context outliving one request (tests, CLI) never carries one request's user into the next."""
    from flask import g

    @app.teardown_request
    def _forget(_exc):
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)


def _template_context(app) -> None:
    from flask import has_request_context, request

    from desk import notify
    from desk.auth.forms import LanguageForm
    from desk.nav import navigation
    from desk.panels import case_panels
    from desk.widgets import Lazy, cached_chrome, cached_fragment
    from desk.workcalendar import fallback_notices

    app.jinja_env.globals["cached_fragment"] = cached_fragment
    app.jinja_env.globals["cached_chrome"] = cached_chrome
    app.jinja_env.globals["fallback_notices"] = fallback_notices

    @app.context_processor
    def inject():
        user = current_user._get_current_object() if has_request_context() else None
        signed_in = bool(getattr(user, "is_authenticated", False))
        locale = i18n.current_locale()
        # The header is kept per role set, language and page (base.html): what it shows is made only when it is
        # rendered afresh.
        roles = tuple(sorted(str(r) for r in user.roles)) if signed_in else None
        return {"nav_items": Lazy(lambda: navigation(user)),
                "chrome_key": ("chrome", roles, locale, request.endpoint if has_request_context() else None),
                "unread_count": Lazy(lambda: notify.unread_count(user)) if signed_in else 0,
                "notification_text": notify.message, "case_panels": case_panels,
                "language_form": Lazy(lambda: LanguageForm(formdata=None, locale=locale))}
