"""Forms for the case actions and the case list filters."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from desk.models import CaseStatus, Channel, Outcome, Route
from desk.params import plausible_date


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class RouteForm(FlaskForm):
    """Where a matter not heard here goes: a route from the list (the case narrows it) and the named body."""

    route = SelectField(_l("Route"), choices=[("", "—")] + Route.choices(), validators=[DataRequired()])
    directed_to = StringField(_l("Body with the power to handle it"), validators=[DataRequired(), Length(max=200)],
                              description=_l("e.g. 台山市人民法院 for a matter that belongs to litigation"))

    def narrow(self, routes) -> "RouteForm":
        self.route.choices = [("", "—")] + [(r.value, r.title) for r in routes]
        return self


class RefuseForm(RouteForm):
    reason = TextAreaField(_l("Reason for not accepting"), validators=[DataRequired(), Length(max=2000)])


class TransferForm(RouteForm):
    reason = TextAreaField(_l("Note"), validators=[Length(max=2000)])


class ConcludeForm(FlaskForm):
    outcome = SelectField(_l("Decision"), choices=Outcome.choices())
    opinion = TextAreaField(_l("Opinion: facts, reasons and decision"),
                            validators=[DataRequired(), Length(max=8000)])
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Length(max=2000)])
    delivered_on = DateField(_l("Delivered to the petitioner on"), validators=[Optional(), plausible_date],
                             description=_l("Leave empty if the reply has not been handed over yet."))


class DeliveryForm(FlaskForm):
    delivered_on = DateField(_l("Delivered to the petitioner on"), validators=[DataRequired(), plausible_date])


class EmptyForm(FlaskForm):
    """A POST with only the CSRF token (accept, start, close)."""


class CaseFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Reference, name or phone"), validators=[Optional(), Length(max=60)])
    status = SelectField(_l("Status"), choices=[("", "—")] + CaseStatus.choices(), validators=[Optional()])
    category_id = SelectField(_l("Category"), coerce=lambda v: int(v) if v else None, validators=[Optional()])
    channel = SelectField(_l("Channel"), choices=[("", "—")] + Channel.choices(), validators=[Optional()])
    overdue = SelectField(_l("Clock"), choices=[("", "—"), ("overdue", _l("Overdue")), ("due_soon", _l("Due soon"))],
                          validators=[Optional()])
    due_days = IntegerField(_l("Due within (days)"), validators=[Optional(), NumberRange(min=0, max=365)])
    repeat = SelectField(_l("Repeat visits"), choices=[("", "—"), ("1", _l("Has a repeat visit"))],
                         validators=[Optional()])
    start = DateField(_l("Received from"), validators=[Optional(), plausible_date])
    end = DateField(_l("Received until"), validators=[Optional(), plausible_date])
    owner = SelectField(_l("Owner"), coerce=lambda v: int(v) if str(v).isdecimal() and len(str(v)) <= 10 else None,
                        validators=[Optional()])

    FIELDS = ("q", "status", "category_id", "channel", "overdue", "due_days", "repeat", "start", "end", "owner")

    def __init__(self, *args, **kwargs):
        from intake.routing.services import owner_choices
        super().__init__(*args, **kwargs)
        self.owner.choices = [("", "—")] + owner_choices(current_user)
