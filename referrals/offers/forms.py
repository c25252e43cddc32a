"""Forms of a member's answer to a referral: decline, progress note, finish with an outcome."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from referrals.offers.models import ReferralOutcome


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Reason for declining"), validators=[DataRequired(), Length(max=1000)])


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Progress note"), validators=[DataRequired(), Length(max=4000)])


class FinishForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=ReferralOutcome.choices())
    note = TextAreaField(_l("What was done"), validators=[Length(max=4000)])
