"""The on-demand monthly summary form: a month, an org unit in the user's scope, a language."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, ValidationError

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
LANGUAGES = [("zh_Hans", "简体中文"), ("en", "English"), ("zh_Hant", "繁體中文")]


def _month(form, field):
    match = MONTH.match((field.data or "").strip())
    if not match or not 2000 <= int(match.group(1)) <= 2100 or not 1 <= int(match.group(2)) <= 12:
        raise ValidationError(_l("Choose a month, e.g. 2026-10."))


class SummaryRequestForm(FlaskForm):
    class Meta:
        csrf = False   # a read-only GET: the PDF is made, not stored

    month = StringField(_l("Month"), validators=[DataRequired(message=_l("Choose a month, e.g. 2026-10.")), _month],
                        render_kw={"type": "month", "placeholder": "2026-10"})
    unit_id = SelectField(_l("Area"), coerce=lambda v: int(v) if str(v).isdecimal() else 0)
    locale = SelectField(_l("Language"), choices=LANGUAGES)

    @property
    def year_month(self) -> tuple[int, int]:
        year, month = MONTH.match(self.month.data.strip()).groups()
        return int(year), int(month)
