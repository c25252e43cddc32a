"""What list and filter pages read from the query string: row ids and cursors, and dates in range.

Anything a user can type into an address bar arrives here; a value that cannot be a row id answers
400 rather than reaching the database (where a 20-digit number overflows the column), and a date
field refuses years no record can have (date arithmetic past 9999-12-31 overflows).
"""
from datetime import date

from flask import abort, request
from flask_babel import gettext as _
from wtforms.validators import ValidationError


MAX_ID = 2**31 - 1   # the largest id an INTEGER column holds on PostgreSQL
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def id_arg(name: str) -> int | None:
    """An optional row id (cursor, filter) from the query string; absent or empty is None, bad is 400."""
    value = request.args.get(name, "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or not 0 < int(value) <= MAX_ID:
        abort(400)
    return int(value)


def plausible_date(form, field) -> None:
    """WTForms validator: a date within the years the desk can hold records for."""
    if field.data and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(_("Enter a date between %(first)s and %(last)s.",
                                first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()))
