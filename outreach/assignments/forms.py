"""Forms of outreach requests and assignments: ask for a service, offer it, decline, cancel, reschedule."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from outreach.assignments.models import ServiceKind
from referrals.talent.models import LANGUAGES

LANGUAGE_CHOICES = [(code, title) for code, title in LANGUAGES.items()]


class RequestForm(FlaskForm):
    kind = SelectField(_l("Service"), choices=ServiceKind.choices())
    unit_id = SelectField(_l("Place"), coerce=int, validators=[DataRequired()])
    site_id = SelectField(_l("Site (optional)"), coerce=int, default=0)
    on_date = DateField(_l("Date"), validators=[InputRequired()])
    start_time = TimeField(_l("From"), validators=[InputRequired()])
    end_time = TimeField(_l("To"), validators=[InputRequired()])
    expected_people = IntegerField(_l("Expected number of people"), default=10,
                                   validators=[InputRequired(), NumberRange(min=1, max=5000)])
    languages = SelectMultipleField(_l("Languages needed"), choices=LANGUAGE_CHOICES)
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])


class OfferForm(FlaskForm):
    talent_ids = SelectMultipleField(_l("Members to offer it to"), coerce=int)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason for declining"), validators=[DataRequired(), Length(max=1000)])


class RescheduleForm(FlaskForm):
    on_date = DateField(_l("New date"), validators=[InputRequired()])
    start_time = TimeField(_l("From"), validators=[InputRequired()])
    end_time = TimeField(_l("To"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])
