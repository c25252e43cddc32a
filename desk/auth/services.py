"""Login with lockout after repeated failures."""
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from desk.audit import record_audit
from desk.errors import DomainError
from desk.extensions import db
from desk.models import User
from desk.timeutil import utcnow


def authenticate(username: str, password: str, *, max_failures: int, lockout_minutes: int) -> User:
    """Return the user, or raise. The same message for an unknown name and a wrong password."""
    user = db.session.scalar(db.select(User).where(User.username == username.strip()))
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        raise DomainError(_l("Too many failed attempts. Try again after %(minutes)s minutes.",
                             minutes=lockout_minutes))
    if user is None or not user.active or not user.check_password(password):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + timedelta(minutes=lockout_minutes)
                user.failed_logins = 0
                record_audit(actor=None, entity="user", entity_id=user.id, action="locked",
                             reason=f"{max_failures} failed logins")
        raise DomainError(_l("Wrong username or password."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def end_session(user: User) -> None:
    """Logging out ends this session and any copy of its cookie (and the user's other sessions)."""
    user.end_sessions()


def set_locale(user: User | None, locale: str) -> None:
    if user is not None:
        user.locale = locale
