"""Forms of the field: the field intake form IS the reception form, trimmed for a phone; the service record;
the person-times filter."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from desk.params import plausible_date
from intake.reception.forms import ReceptionForm


class FieldIntakeForm(ReceptionForm):
    """The reception form's fields and checks (ID number, phone, group representatives), without what the
    field has no use for: the channel is always "outreach" and there are no uploads on the spot."""

    channel = None
    attachments = None


class ServiceRecordForm(FlaskForm):
    people_served = IntegerField(_l("People served (person-times)"),
                                 validators=[InputRequired(), NumberRange(min=0, max=5000)])
    topics = TextAreaField(_l("Topics"), validators=[Length(max=2000)])
    outcome = TextAreaField(_l("Outcome"), validators=[DataRequired(), Length(max=4000)])
    # Outreach satisfaction: how many of the people served rated the service, asked at the end (optional).
    rated_satisfied = IntegerField(_l("Satisfied"), validators=[Optional(), NumberRange(min=0, max=5000)])
    rated_basic = IntegerField(_l("Basically satisfied"), validators=[Optional(), NumberRange(min=0, max=5000)])
    rated_dissatisfied = IntegerField(_l("Dissatisfied"), validators=[Optional(), NumberRange(min=0, max=5000)])


class MeasuresForm(FlaskForm):
    class Meta:
        csrf = False

    unit_id = SelectField(_l("Area"), coerce=int, validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional(), plausible_date])
    end = DateField(_l("Until (inclusive)"), validators=[Optional(), plausible_date])
    by = SelectField(_l("By"), choices=[("kind", _l("Service kind")), ("site", _l("Site")),
                                        ("talent", _l("Member"))], default="kind")
