"""Forms of grid events: report (phone first), dispatch, handle, resolve on the spot, close, rate, make a case."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import FloatField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from intake.grid.models import DispatchTarget, EventKind, EventRating
from intake.reception.forms import check_id_number, check_phone, optional_int

PHOTOS_HINT = _l("Up to 6 photos, JPEG or PNG.")


class ReportEventForm(FlaskForm):
    kind = SelectField(_l("Kind of event"), choices=EventKind.choices(), validators=[DataRequired()])
    grid_id = SelectField(_l("Grid"), coerce=optional_int, validators=[InputRequired()])
    category_id = SelectField(_l("Category"), coerce=optional_int, validators=[InputRequired()])
    description = TextAreaField(_l("What you saw"), validators=[DataRequired(), Length(max=4000)])
    photos = MultipleFileField(_l("Photos"), description=PHOTOS_HINT)
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(min=-90, max=90)])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(min=-180, max=180)])


class DispatchForm(FlaskForm):
    target = RadioField(_l("Dispatch to"), choices=DispatchTarget.choices(), validators=[DataRequired()],
                        default=DispatchTarget.station.value)
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[Optional()])
    talent_id = SelectField(_l("Mediator"), coerce=optional_int, validators=[Optional()])
    instructions = TextAreaField(_l("What must be done"), validators=[Length(max=4000)])
    contact_name = StringField(_l("Person concerned (for the department's case)"), validators=[Length(max=60)],
                               description=_l("The order hangs on a case: name the person concerned, or the grid "
                                              "member as the contact."))
    contact_phone = StringField(_l("Phone"), validators=[Optional(), check_phone])


class ResultForm(FlaskForm):
    result = TextAreaField(_l("What was done, and the result"), validators=[DataRequired(), Length(max=4000)])
    photos = MultipleFileField(_l("Photos"), description=PHOTOS_HINT)


class CloseForm(FlaskForm):
    note = TextAreaField(_l("Closing note (optional)"), validators=[Optional(), Length(max=1000)])


class RateEventForm(FlaskForm):
    rating = RadioField(_l("How satisfied are you with the result?"), choices=EventRating.choices(),
                        validators=[DataRequired()])


class ConvertForm(FlaskForm):
    title = StringField(_l("Title of the case"), validators=[Optional(), Length(max=200)])
    contact_name = StringField(_l("Petitioner's name"), validators=[DataRequired(), Length(max=60)])
    contact_phone = StringField(_l("Phone"), validators=[Optional(), check_phone])
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), check_id_number])
