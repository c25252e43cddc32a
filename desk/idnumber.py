"""Resident ID numbers (GB 11643-1999) and phone numbers: validation, normalisation, masking."""
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l

from desk.timeutil import local_today

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^0\d{2,3}\d{7,8}$")


class InvalidIdNumber(ValueError):
    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


class InvalidPhoneNumber(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class IdCheck:
    normalized: str
    birth_date: date
    sex: str
    area_known: bool
    warning: object = None   # an unknown area code: check the number with the visitor
    note: object = None      # a retired area code: real numbers keep it, so only a soft note


def check_digit(first17: str) -> str:
    """Check character of GB 11643-1999: (12 − Σ digit×weight mod 11) mod 11, 10 written X."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def area_status(code: str, today: date) -> tuple[str, str | None]:
    """("current" | "retired" | "unknown", county name) of a 6-digit area code in python-stdnum's table.

    The table marks each county with the years it was in use ("[1992-]台山市", "[1992-2002]新会市"); a
    number keeps the code it was issued with, so a code in use today is genuine whatever the birth year,
    and a retired one is only noted."""
    return _area_status(code, today.year)


@lru_cache(maxsize=8192)
def _area_status(code: str, year: int) -> tuple[str, str | None]:
    """area_status for a year: read from the table once per code (reception checks the same few counties)."""
    from stdnum import numdb
    retired = None
    for _prefix, props in numdb.get("cn/loc").info(code):
        for county in props.get("county", "").split(","):
            match = re.fullmatch(r"\[(\d*)-(\d*)\](.*)", county)
            if not county:
                continue
            if match is None:
                return "current", county
            start, end, name = match.groups()
            if (not start or int(start) <= year) and (not end or int(end) >= year):
                return "current", name
            retired = retired or name
    return ("retired", retired) if retired else ("unknown", None)


def validate_resident_id(value: str, today: date | None = None) -> IdCheck:
    """Validate format, birth date and check digit; an unknown area code is a warning, not an error."""
    number = re.sub(r"\s+", "", value or "").upper()
    if re.fullmatch(r"\d{15}", number):
        raise InvalidIdNumber(_l("This is an old 15-digit number; enter the 18-character resident ID."), "format")
    if not _ID_RE.match(number):
        raise InvalidIdNumber(_l("A resident ID has 18 characters: 17 digits and a final digit or X."), "format")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(_l("The birth date in this ID number does not exist."), "date") from None
    if born > (today or local_today()) or born.year < 1900:
        raise InvalidIdNumber(_l("The birth date in this ID number is not possible."), "date")
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber(_l("The check digit does not match: please check the number again."), "checksum")
    status, county = area_status(number[:6], today or local_today())
    warning = note = None
    if status == "unknown":
        warning = _l("Unknown area code; check the number with the visitor.")
    elif status == "retired":
        note = _l("The area code of %(county)s is no longer in use; numbers issued before keep it.", county=county)
    return IdCheck(number, born, "M" if int(number[16]) % 2 else "F", status != "unknown", warning, note)


def mask_id_number(value: str | None) -> str:
    """First 6 and last 4 visible (DESIGN.md, personal data)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def normalize_phone(value: str | None) -> str:
    digits = re.sub(r"[\s\-()（）]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def validate_phone(value: str) -> str:
    """A mainland mobile (11 digits) or a landline with its area code; returns the normalised digits."""
    digits = normalize_phone(value)
    if _MOBILE_RE.match(digits) or _LANDLINE_RE.match(digits):
        return digits
    raise InvalidPhoneNumber(_l("Enter an 11-digit mobile number or a landline with its area code."))


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    if _MOBILE_RE.match(value):
        return value[:3] + "****" + value[-4:]
    if value.startswith("0") and len(value) > 8:
        area = 3 if value[:3] in ("010", "020", "021", "022", "023", "024", "025", "027", "028", "029") else 4
        return value[:area] + "*" * (len(value) - area - 4) + value[-4:]
    return "*" * max(len(value) - 4, 0) + value[-4:]
