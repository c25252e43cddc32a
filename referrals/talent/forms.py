"""Forms of the talent pool: a member's record and the CSV import."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from referrals.talent.models import LANGUAGES, Stationing, TalentRole

WEEKDAYS = [(0, _l("Mon")), (1, _l("Tue")), (2, _l("Wed")), (3, _l("Thu")), (4, _l("Fri")), (5, _l("Sat")),
            (6, _l("Sun"))]


class TalentForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    role = SelectField(_l("Role"), choices=TalentRole.choices())
    skills = SelectMultipleField(_l("Skills (categories)"), coerce=int)
    languages = SelectMultipleField(_l("Languages and dialects"), choices=[(k, v) for k, v in LANGUAGES.items()])
    stationing = SelectField(_l("Stationing"), choices=Stationing.choices())
    weekdays = SelectMultipleField(_l("Rotation weekdays"), coerce=int, choices=WEEKDAYS)
    room_id = SelectField(_l("Room"), coerce=int)
    capacity = IntegerField(_l("Capacity (open matters at once)"), validators=[NumberRange(min=1, max=50)])
    licence_no = StringField(_l("Licence number"), validators=[Optional(), Length(max=40)])
    active = BooleanField(_l("Active"))
    conflicts = TextAreaField(_l("Conflicts of interest (one person or organization per line)"),
                              validators=[Length(max=4000)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file (UTF-8)"), validators=[DataRequired()])
