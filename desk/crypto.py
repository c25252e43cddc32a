"""Personal data at rest: Fernet encryption and keyed lookup hashes (DESIGN.md, "Personal data")."""
import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.types import String, TypeDecorator

_state: dict = {}


def configure(pii_key: str) -> None:
    """Derive separate encryption and hashing keys from the configured PII key."""
    material = pii_key.encode()
    enc = hashlib.sha256(b"desk-encrypt:" + material).digest()
    _state["fernet"] = Fernet(base64.urlsafe_b64encode(enc))
    _state["hash_key"] = hashlib.sha256(b"desk-lookup:" + material).digest()


def _fernet() -> Fernet:
    if "fernet" not in _state:
        raise RuntimeError("desk.crypto.configure() has not been called")
    return _state["fernet"]


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # A row written under another key must not break a page; it shows as unreadable.
        return ""


def lookup_hash(value: str | None) -> str | None:
    """Keyed hash for equality lookups; the plain value never reaches an index."""
    if not value:
        return None
    return hmac.new(_state["hash_key"], value.encode(), hashlib.sha256).hexdigest()


class EncryptedString(TypeDecorator):
    """Stores text encrypted; reads it back in clear inside the application only."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else encrypt(value)

    def process_result_value(self, value, dialect):
        return None if value is None else decrypt(value)
