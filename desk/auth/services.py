"""Login (with throttling: desk/auth/throttle.py), logout and the language choice."""
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from desk.auth import throttle
from desk.errors import DomainError
from desk.extensions import db
from desk.models import User
from desk.timeutil import utcnow

_UNKNOWN_USER_HASH: list[str] = []  # a hash to check unknown names against, so they cost the same time


class LoginThrottled(DomainError):
    """Too many failed attempts from this address: the attempt is refused without checking the password."""

    def __init__(self, seconds: int):
        super().__init__(_l("Too many attempts from this device; try again in %(seconds)s seconds.", seconds=seconds))
        self.seconds = seconds


def authenticate(username: str, password: str, *, address: str | None, limits: throttle.Limits) -> User:
    """Return the user, or raise: LoginThrottled while this address must wait (the same for any name, known
    or not), else one message for an unknown name, an inactive account and a wrong password."""
    now = utcnow()
    keys = throttle.counter_keys(username, address)
    wait = throttle.seconds_to_wait(keys, now, limits)
    if wait:
        raise LoginThrottled(wait)
    user = db.session.scalar(db.select(User).where(User.username == username.strip()))
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
    if user is None or not user.check_password(password) or not user.active:
        throttle.record_failure(keys, now, limits, user_id=user.id if user is not None else None)
        raise DomainError(_l("Wrong username or password."))
    throttle.record_success(keys)
    user.last_login_at = now
    return user


def end_session(user: User) -> None:
    """Logging out ends this session and any copy of its cookie (and the user's other sessions)."""
    user.end_sessions()


def set_locale(user: User | None, locale: str) -> None:
    if user is not None:
        user.locale = locale


def _unknown_user_hash() -> str:
    if not _UNKNOWN_USER_HASH:
        _UNKNOWN_USER_HASH.append(generate_password_hash("not a password of anyone"))
    return _UNKNOWN_USER_HASH[0]
