"""Forms of the risk warning pages: the list's filters (GET, no CSRF) and the leader's two steps."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from desk.params import plausible_date
from intake.reception.forms import optional_int
from intake.risk.models import RiskKind, RiskLevel, RiskOutcome, RiskStatus
from intake.risk.services import MAX_NOTE

ANY = [("", "—")]


class WarningFilterForm(FlaskForm):
    """The list's filters, read from the query string: a bad value is an error next to its field."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of warning"), choices=ANY + RiskKind.choices(), validators=[Optional()])
    level = SelectField(_l("Warning level"), choices=ANY + RiskLevel.choices(), validators=[Optional()])
    status = SelectField(_l("Status"), choices=ANY + RiskStatus.choices(), validators=[Optional()])
    town_id = SelectField(_l("Town"), coerce=optional_int, validators=[Optional()])
    start = DateField(_l("Raised from"), validators=[Optional(), plausible_date])
    end = DateField(_l("Raised until"), validators=[Optional(), plausible_date])

    FIELDS = ("kind", "level", "status", "town_id", "start", "end")

    def validate_end(self, field):
        if field.data and self.start.data and not self.start.errors and field.data < self.start.data:
            raise ValidationError(_l("The end date is before the start date."))


class AcknowledgeWarningForm(FlaskForm):
    note = TextAreaField(_l("What is being done"),
                         validators=[DataRequired(_l("Say what is being done about this warning.")),
                                     Length(max=MAX_NOTE)],
                         description=_l("e.g. who was sent to talk with the people concerned, and when."))


class CloseWarningForm(FlaskForm):
    outcome = RadioField(_l("Outcome"), choices=RiskOutcome.choices(),
                         validators=[DataRequired(_l("Choose the outcome."))])
    note = TextAreaField(_l("What was done"), validators=[DataRequired(_l("Say what was done.")),
                                                          Length(max=MAX_NOTE)])
