"""Forms of the callback pages. Choices are checked by the service, which names the field in its error."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from reports.callbacks.models import Rating
from reports.callbacks.services import STAFF_CHANNELS


class CallbackForm(FlaskForm):
    rating = RadioField(_l("Rating"), choices=Rating.choices(), validate_choice=False)
    channel = SelectField(_l("Reached by"), choices=[(c.value, c.title) for c in STAFF_CHANNELS],
                          validate_choice=False)
    comment = TextAreaField(_l("What the citizen said"), validators=[Length(max=2000)])


class ReopenForm(FlaskForm):
    reason = TextAreaField(_l("Reason for the review request"), validators=[Length(max=2000)])


class CallbackFilterForm(FlaskForm):
    class Meta:
        csrf = False

    town_id = SelectField(_l("Town"), coerce=lambda v: int(v) if str(v).isdecimal() else None,
                          validators=[Optional()], validate_choice=False)


class TrackForm(FlaskForm):
    code = StringField(_l("Tracking code"), validators=[Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})


class CitizenRatingForm(FlaskForm):
    code = HiddenField()
    rating = RadioField(_l("How satisfied are you with how your matter was handled?"), choices=Rating.choices(),
                        validate_choice=False)
    comment = TextAreaField(_l("Anything you want to tell us (optional; please leave out names and phone "
                               "numbers)"), validators=[Length(max=2000)])
