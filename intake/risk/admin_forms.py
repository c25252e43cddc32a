"""Forms of the risk lists page (intake.risk.admin): a sensitive period, a word of extreme intent."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from desk.params import plausible_date
from intake.risk.lists import MAX_NAME, MAX_NOTE, MAX_TERM
from intake.risk.models import RiskLevel


class SensitiveDateForm(FlaskForm):
    name = StringField(_l("Name of the period"), validators=[DataRequired(_l("Name the sensitive period.")),
                                                             Length(max=MAX_NAME)],
                       render_kw={"placeholder": "全国两会期间", "maxlength": MAX_NAME})
    starts_on = DateField(_l("First day"), validators=[InputRequired(_l("Enter the first day.")), plausible_date])
    ends_on = DateField(_l("Last day"), validators=[InputRequired(_l("Enter the last day.")), plausible_date])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=MAX_NOTE)],
                         description=_l("Why the period is sensitive, or who asked for it."),
                         render_kw={"rows": 2, "maxlength": MAX_NOTE})

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and not self.starts_on.errors and field.data < self.starts_on.data:
            raise ValidationError(_l("The last day is before the first day."))


class RiskTermForm(FlaskForm):
    term = StringField(_l("Word or phrase"), validators=[DataRequired(_l("Write the word or phrase.")),
                                                         Length(max=MAX_TERM)],
                       description=_l("Simplified or traditional script: the other script matches too."),
                       render_kw={"placeholder": "堵路", "maxlength": MAX_TERM})
    level = SelectField(_l("Warning level"), choices=RiskLevel.choices(), default=RiskLevel.orange.value)
