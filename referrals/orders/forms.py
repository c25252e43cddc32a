"""Forms of dispatch orders: issue, report back, return, verify and rate, and the measures filter."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from desk.params import plausible_date
from referrals.orders.models import OrderPriority

# Each choice says what its number means, so the scale needs no legend elsewhere.
STARS = [("", "—"), (5, _l("5 · very good")), (4, _l("4 · good")), (3, _l("3 · fair")), (2, _l("2 · poor")),
         (1, _l("1 · very poor"))]


def _star(value):
    return int(value) if str(value) in {"1", "2", "3", "4", "5"} else None


class OrderForm(FlaskForm):
    department_id = SelectField(_l("Lead department"), coerce=int, validators=[InputRequired()])
    co_department_ids = SelectMultipleField(_l("Co-handling departments (optional)"), coerce=int,
                                            validators=[Optional()], widget=ListWidget(prefix_label=False),
                                            option_widget=CheckboxInput())
    instructions = TextAreaField(_l("What must be done"), validators=[DataRequired(), Length(max=4000)])
    deadline_days = IntegerField(_l("Deadline (working days, 0 = same day)"),
                                 validators=[InputRequired(), NumberRange(min=0, max=10)], default=3)
    priority = SelectField(_l("Priority"), choices=OrderPriority.choices(), default=OrderPriority.normal.value)

    def validate_co_department_ids(self, field):
        if self.department_id.data in (field.data or []):
            raise ValidationError(_l("The lead department cannot also be a co-handling department."))


class ReportForm(FlaskForm):
    text = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=4000)])
    staff_visits = IntegerField(_l("Staff-visits to the grassroots (人次)"),
                                validators=[InputRequired(), NumberRange(min=0, max=10000)], default=0)
    photos = MultipleFileField(_l("Photos (JPEG or PNG)"))


class ReturnForm(FlaskForm):
    reason = TextAreaField(_l("Why the feedback is returned"), validators=[DataRequired(), Length(max=1000)])


class RateForm(FlaskForm):
    rating_speed = SelectField(_l("Speed (required)"), coerce=_star, choices=STARS, validators=[InputRequired()])
    rating_handling = SelectField(_l("Handling (required)"), coerce=_star, choices=STARS, validators=[InputRequired()])
    rating_result = SelectField(_l("Result (required)"), coerce=_star, choices=STARS, validators=[InputRequired()])


class VerifyForm(RateForm):
    note = TextAreaField(_l("Verification note (optional)"), validators=[Optional(), Length(max=1000)])


class MeasuresForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional(), plausible_date])
    end = DateField(_l("To (inclusive)"), validators=[Optional(), plausible_date])
    town_id = SelectField(_l("Town / street"), coerce=lambda v: int(v) if str(v).isdecimal() else None,
                          validators=[Optional()])
