from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp
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
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=200)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = Role.choices()
