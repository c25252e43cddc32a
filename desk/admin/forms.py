from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, IntegerField, PasswordField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from desk.models import Role


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64),
                                                       Regexp(r"^[A-Za-z0-9_.-]+$", message=_l(
                                                           "Use letters, digits, dot, dash or underscore."))])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    org_unit_id = SelectField(_l("Scope (org unit)"), coerce=int)
    department_id = SelectField(_l("Department"), coerce=int)
    roles = MultiCheckboxField(_l("Roles"), choices=[])
    active = BooleanField(_l("Active"), default=True)
    grid_ids = MultiCheckboxField(_l("Grids served (grid members)"), coerce=int, choices=[])
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = Role.choices()


class HolidayScheduleForm(FlaskForm):
    """A year's official schedule as the State Council publishes it: one line per holiday or day."""
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    days_off = TextAreaField(_l("Days off"), validators=[Length(max=4000)],
                             render_kw={"rows": 9, "placeholder": "2027-02-06 至 2027-02-13 春节"})
    working_days = TextAreaField(_l("Adjusted working days (调休)"), validators=[Length(max=2000)],
                                 render_kw={"rows": 5, "placeholder": "2027-02-20 春节"})
