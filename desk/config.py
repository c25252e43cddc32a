"""Configuration read from the environment, with a test subclass."""
import os
from pathlib import Path

LOCALES = ("zh_Hans", "en", "zh_Hant")
# DESK_ENV values under which the development keys and plain-HTTP cookies are allowed; anything else
# (unset, "production", "prod", "staging" …) is treated as production.
DEVELOPMENT_ENVS = ("development", "test")
MIN_KEY_BYTES = 32


def _default_database_url(instance_path: str) -> str:
    return "sqlite:///" + str(Path(instance_path) / "desk.sqlite")


class Config:
    """Production-shaped defaults; every value can come from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    # Key material for personal data (ID numbers, phones): encryption and keyed lookup hashes.
    PII_KEY = os.environ.get("PII_KEY", "dev-only-pii-key-change-me")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    BABEL_DEFAULT_LOCALE = os.environ.get("DEFAULT_LOCALE", "zh_Hans")
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LOCALES = LOCALES
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Secure cookies and HSTS: "1" on, "0" off (a plain-HTTP intranet), unset: on except in development and
    # test (create_app decides; see DEVELOPMENT_ENVS).
    SECURE_COOKIES = os.environ.get("SECURE_COOKIES")
    REMEMBER_COOKIE_HTTPONLY = True
    # Client addresses: how many reverse proxies in front of the desk set X-Forwarded-For and -Proto.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Login throttling (desk/auth/throttle.py): failures allowed free per typed username and address, and per
    # address alone; each further failure delays the next attempt, doubling from the first delay up to the cap.
    # A counter quiet for LOGIN_THROTTLE_FORGET_MINUTES starts again from zero.
    LOGIN_FREE_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FREE_FAILURES_PER_ACCOUNT", "3"))
    LOGIN_FREE_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FREE_FAILURES_PER_ADDRESS", "10"))
    LOGIN_FIRST_DELAY_SECONDS = int(os.environ.get("LOGIN_FIRST_DELAY_SECONDS", "1"))
    LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("LOGIN_MAX_DELAY_SECONDS", str(15 * 60)))
    LOGIN_THROTTLE_FORGET_MINUTES = int(os.environ.get("LOGIN_THROTTLE_FORGET_MINUTES", "60"))
    # Statutory clock overrides, e.g. {"conclude": {"limit": 90}} (DOMAIN.md: every value is a setting).
    CLOCK_RULES: dict = {}
    DUE_SOON_DAYS = int(os.environ.get("DUE_SOON_DAYS", "3"))
    # A case export of more rows than this is prepared in the background with its progress on a page (about
    # 40,000 rows a second, so the default streams within half a second); smaller ones download at once.
    EXPORT_INLINE_ROWS = int(os.environ.get("EXPORT_INLINE_ROWS", "20000"))
    # Referrals (issue 4): an unanswered offer passes to the next candidate after this many minutes.
    OFFER_EXPIRY_MINUTES = int(os.environ.get("OFFER_EXPIRY_MINUTES", "120"))
    # Satisfaction callbacks (issue 7): days after conclusion to rate; citizen look-ups per hour and address.
    CALLBACK_WINDOW_DAYS = int(os.environ.get("CALLBACK_WINDOW_DAYS", "15"))
    TRACK_LOOKUPS_PER_HOUR = int(os.environ.get("TRACK_LOOKUPS_PER_HOUR", "30"))
    # Citizens' online reports (issue 17): valid reports taken per client address an hour and per phone a day;
    # photos per report and bytes per photo (MAX_CONTENT_LENGTH bounds the whole upload); a form sent back
    # sooner than this many seconds after it was shown is a bot's, answered like a success and not stored.
    ONLINE_REPORTS_PER_ADDRESS_PER_HOUR = int(os.environ.get("ONLINE_REPORTS_PER_ADDRESS_PER_HOUR", "5"))
    ONLINE_REPORTS_PER_PHONE_PER_DAY = int(os.environ.get("ONLINE_REPORTS_PER_PHONE_PER_DAY", "3"))
    ONLINE_MAX_PHOTOS = int(os.environ.get("ONLINE_MAX_PHOTOS", "6"))
    ONLINE_MAX_PHOTO_BYTES = int(os.environ.get("ONLINE_MAX_PHOTO_BYTES", str(5 * 1024 * 1024)))
    ONLINE_MIN_FILL_SECONDS = float(os.environ.get("ONLINE_MIN_FILL_SECONDS", "3"))
    SCHEDULER_ENABLED = os.environ.get("SCHEDULER", "0") == "1"
    # A request compares the holiday calendar's stamp at most this often per process (desk/holidays.py).
    CALENDAR_CHECK_SECONDS = float(os.environ.get("CALENDAR_CHECK_SECONDS", "1"))
    # Open311 API (issue 17): submissions per API key and hour; reads per client address and minute.
    OPEN311_POSTS_PER_HOUR = int(os.environ.get("OPEN311_POSTS_PER_HOUR", "600"))
    OPEN311_READS_PER_MINUTE = int(os.environ.get("OPEN311_READS_PER_MINUTE", "120"))
    # Dispatch orders (issue 5): hours to sign for an order (签收); reminders this many hours before the
    # sign-for and feedback deadlines; escalation this many hours after an order went overdue, first to
    # every officer of the lead department (its head), then to the county's commanders and officials.
    # sign-for: working hours (08:30–17:30 on working days), capped at the feedback limit; 9 = one working day
    ORDER_SIGN_HOURS = int(os.environ.get("ORDER_SIGN_HOURS", "9"))
    ORDER_REMIND_HOURS = int(os.environ.get("ORDER_REMIND_HOURS", "4"))
    ORDER_ESCALATE_HEAD_HOURS = int(os.environ.get("ORDER_ESCALATE_HEAD_HOURS", "24"))
    ORDER_ESCALATE_COUNTY_HOURS = int(os.environ.get("ORDER_ESCALATE_COUNTY_HOURS", "72"))
    # Outreach (issue 6): remind the mediator this many days before the 30-day judicial-confirmation window
    # of a mediation agreement closes (a first notice goes out when the agreement is recorded).
    JUDICIAL_CONFIRMATION_REMIND_DAYS = int(os.environ.get("JUDICIAL_CONFIRMATION_REMIND_DAYS", "7"))
    # Grid events (issue 17): calendar days from dispatch to handle an event ("on time" = handled by then).
    GRID_HANDLE_DAYS = int(os.environ.get("GRID_HANDLE_DAYS", "7"))
    # Risk early warning (issue 18, DOMAIN.md "Risk early warning"): each signal's threshold. A count that
    # reaches RISK_ORANGE_FACTOR (RISK_RED_FACTOR) times its threshold raises an orange (red) warning, else
    # yellow. During a sensitive period every threshold is multiplied by RISK_SENSITIVE_FACTOR (rounded up,
    # at least 2 where it counts people, visits or matters).
    RISK_GROUP_SIZE = int(os.environ.get("RISK_GROUP_SIZE", "5"))
    RISK_SAME_MATTER_PEOPLE = int(os.environ.get("RISK_SAME_MATTER_PEOPLE", "5"))
    RISK_SAME_MATTER_DAYS = int(os.environ.get("RISK_SAME_MATTER_DAYS", "7"))
    RISK_SAME_MATTER_SIMILARITY = float(os.environ.get("RISK_SAME_MATTER_SIMILARITY", "0.5"))
    RISK_FREQUENT_VISITS = int(os.environ.get("RISK_FREQUENT_VISITS", "3"))
    RISK_FREQUENT_DAYS = int(os.environ.get("RISK_FREQUENT_DAYS", "30"))
    RISK_SPIKE_DAYS = int(os.environ.get("RISK_SPIKE_DAYS", "7"))
    RISK_SPIKE_WEEKS = int(os.environ.get("RISK_SPIKE_WEEKS", "8"))
    RISK_SPIKE_SIGMAS = float(os.environ.get("RISK_SPIKE_SIGMAS", "3"))
    RISK_SPIKE_MIN_COUNT = int(os.environ.get("RISK_SPIKE_MIN_COUNT", "5"))
    RISK_SENSITIVE_FACTOR = float(os.environ.get("RISK_SENSITIVE_FACTOR", "0.6"))
    RISK_ORANGE_FACTOR = float(os.environ.get("RISK_ORANGE_FACTOR", "2"))
    RISK_RED_FACTOR = float(os.environ.get("RISK_RED_FACTOR", "4"))
    TESTING = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    PII_KEY = "test-pii-key"
    WTF_CSRF_ENABLED = False
    SCHEDULER_ENABLED = False
    CALENDAR_CHECK_SECONDS = 0.0   # every request looks: a page's queries do not depend on how fast a test runs


def database_url_for(app) -> str:
    return app.config.get("SQLALCHEMY_DATABASE_URI") or _default_database_url(app.instance_path)
