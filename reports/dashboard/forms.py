"""The dashboard's selectors: a month and an org unit inside the user's scope (GET forms, no CSRF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields import MonthField
from wtforms.validators import Optional


class DashboardForm(FlaskForm):
    class Meta:
        csrf = False

    month = MonthField(_l("Month"), validators=[Optional()])
    unit = SelectField(_l("Scope"), coerce=int, validators=[Optional()], validate_choice=False)

