"""Forms of the outreach area. The field intake form IS the reception form, trimmed for a phone."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from desk.params import plausible_date
from intake.reception.forms import ReceptionForm
from outreach.models import MediationStatus, ServiceKind
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


class MeasuresForm(FlaskForm):
    class Meta:
        csrf = False

    unit_id = SelectField(_l("Area"), coerce=int, validators=[Optional()])
    start = DateField(_l("From"), validators=[Optional(), plausible_date])
    end = DateField(_l("Until (inclusive)"), validators=[Optional(), plausible_date])
    by = SelectField(_l("By"), choices=[("kind", _l("Service kind")), ("site", _l("Site")),
                                        ("talent", _l("Member"))], default="kind")


class StartMediationForm(FlaskForm):
    mediator_id = SelectField(_l("Mediator"), coerce=int, default=0)
    started_on = DateField(_l("Started on"), validators=[InputRequired()])


class PartyForm(FlaskForm):
    side = SelectField(_l("Side"), choices=[("a", _l("Party A")), ("b", _l("Party B"))])
    name = StringField(_l("Name or organization"), validators=[DataRequired(), Length(max=200)])
    details = StringField(_l("Details (address, representative)"), validators=[Length(max=300)])


class SessionForm(FlaskForm):
    held_on = DateField(_l("Date"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    parties_present = TextAreaField(_l("Parties present"), validators=[DataRequired(), Length(max=1000)])
    party_1 = StringField(_l("Party"), validators=[Length(max=200)])
    position_1 = TextAreaField(_l("Position"), validators=[Length(max=2000)])
    party_2 = StringField(_l("Party"), validators=[Length(max=200)])
    position_2 = TextAreaField(_l("Position"), validators=[Length(max=2000)])
    note = TextAreaField(_l("Note"), validators=[Length(max=2000)])

    def positions(self) -> list[tuple[str, str]]:
        return [(self.party_1.data or "", self.position_1.data or ""),
                (self.party_2.data or "", self.position_2.data or "")]


class AgreementForm(FlaskForm):
    facts = TextAreaField(_l("Main facts of the dispute"), validators=[DataRequired(), Length(max=5000)])
    disputes = TextAreaField(_l("Points in dispute"), validators=[DataRequired(), Length(max=3000)])
    responsibilities = TextAreaField(_l("Responsibility of each party"), validators=[DataRequired(), Length(max=3000)])
    terms = TextAreaField(_l("Agreed terms"), validators=[DataRequired(), Length(max=5000)])
    performance_method = TextAreaField(_l("How it is carried out"), validators=[DataRequired(), Length(max=2000)])
    performance_deadline = DateField(_l("Carried out by"), validators=[InputRequired()])
    agreed_on = DateField(_l("Agreed on"), validators=[InputRequired()])
    copies = IntegerField(_l("Copies"), validators=[InputRequired(), NumberRange(min=2, max=20)])


class EndMediationForm(FlaskForm):
    status = SelectField(_l("Result"), choices=[(s.value, s.title) for s in (MediationStatus.no_agreement,
                                                                             MediationStatus.terminated)])
    outcome = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=3000)])
    routes_told = TextAreaField(_l("Routes the parties were told about"),
                                validators=[DataRequired(), Length(max=2000)])
    ended_on = DateField(_l("Ended on"), validators=[InputRequired()])
