"""Languages: the locale in force, names of stored records in it, and Babel formatting helpers."""
from functools import lru_cache

from flask import current_app, has_request_context, request, session
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale
from flask_login import current_user

LANGUAGE_NAMES = {"zh_Hans": "简体中文", "en": "English", "zh_Hant": "繁體中文"}


def select_locale() -> str:
    """The user's saved choice, else this browser session's choice, else the browser's, else Chinese."""
    locales = current_app.config["LOCALES"]
    if not has_request_context():  # jobs, CLI, PDFs rendered by the scheduler
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in locales:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in locales:
        return chosen
    best = request.accept_languages.best_match(["zh-CN", "zh", "en", "zh-TW", "zh-HK"])
    mapping = {"en": "en", "zh-TW": "zh_Hant", "zh-HK": "zh_Hant"}
    return mapping.get(best, current_app.config["BABEL_DEFAULT_LOCALE"])


def current_locale() -> str:
    loc = get_locale()
    if loc is None:
        return "zh_Hans"
    if loc.language == "en":
        return "en"
    return "zh_Hant" if loc.script == "Hant" else "zh_Hans"


@lru_cache(maxsize=16)
def _wtforms_catalog(locale):
    from babel.support import Translations
    from wtforms.i18n import messages_path
    return Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsCatalog:
    """WTForms' own messages ("Not a valid choice.", field labels it makes up) in the current language.

    Flask-WTF reads a catalog from ``request.wtforms_translations`` and, when there is none, loads it from
    disk for that request. A locale's catalog never changes while the process runs, so it is loaded once
    per locale; which locale is looked up on each call, so this one object serves every request.
    """

    def ugettext(self, string):
        return _wtforms_catalog(get_locale()).ugettext(string)

    def ungettext(self, singular, plural, n):
        return _wtforms_catalog(get_locale()).ungettext(singular, plural, n)


WTFORMS_CATALOG = WTFormsCatalog()


@lru_cache(maxsize=1)
def _to_traditional():
    try:
        import opencc  # opencc-python-reimplemented
        return opencc.OpenCC("s2t").convert
    except ImportError:  # the catalog still works; stored names then show in Simplified
        return lambda text: text


@lru_cache(maxsize=20000)
def traditional(text: str) -> str:
    return _to_traditional()(text)


def pick_name(name_zh: str, name_en: str | None = None) -> str:
    """A stored record's name in the current language (Traditional converted from Simplified)."""
    locale = current_locale()
    if locale == "en" and name_en:
        return name_en
    if locale == "zh_Hant":
        return traditional(name_zh)
    return name_zh


def localize_text(text: str | None) -> str:
    """Free Chinese text shown to a Traditional-Chinese reader is converted; otherwise unchanged."""
    if not text:
        return ""
    return traditional(text) if current_locale() == "zh_Hant" else text


def init_app(app) -> None:
    app.jinja_env.filters.update(
        date=lambda v, fmt="medium": format_date(v, fmt) if v else "",
        datetime=lambda v, fmt="short": format_datetime(v, fmt) if v else "",
        number=lambda v: format_decimal(v) if v is not None else "",
        percent=lambda v, fmt="#,##0.0%": format_percent(v, fmt) if v is not None else "—",
        localize=localize_text,
    )
    app.jinja_env.globals.update(LANGUAGE_NAMES=LANGUAGE_NAMES, current_locale=current_locale)

    @app.before_request
    def _wtforms_catalog_once_per_locale():
        request.wtforms_translations = WTFORMS_CATALOG
