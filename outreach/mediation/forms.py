"""Forms of a mediation: start it, add a party, record a session, the agreement, end without one."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from outreach.mediation.models import MediationStatus


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
