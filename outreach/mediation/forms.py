"""Forms of a mediation: start it, add a party, record a session, the agreement, end without one."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from outreach.mediation.models import ConsentMethod, MediationStatus
from outreach.mediation.services import Consent

CONSENT_METHODS = [(m.value, m.title) for m in ConsentMethod]


class ConsentFields(FlaskForm):
    """Both sides' consent: who gave it, when, how (to mediate, or to one extension)."""
    consent_a_by = StringField(_l("Party A's consent given by"), validators=[DataRequired(), Length(max=200)])
    consent_a_on = DateField(_l("Party A's consent on"), validators=[InputRequired()])
    consent_a_method = SelectField(_l("How Party A consented"), choices=CONSENT_METHODS)
    consent_b_by = StringField(_l("Party B's consent given by"), validators=[DataRequired(), Length(max=200)])
    consent_b_on = DateField(_l("Party B's consent on"), validators=[InputRequired()])
    consent_b_method = SelectField(_l("How Party B consented"), choices=CONSENT_METHODS)

    def consents(self) -> list[Consent]:
        return [Consent(side=side, given_by=getattr(self, f"consent_{side}_by").data or "",
                        given_on=getattr(self, f"consent_{side}_on").data,
                        method=ConsentMethod(getattr(self, f"consent_{side}_method").data))
                for side in ("a", "b")]


class StartMediationForm(ConsentFields):
    mediator_id = SelectField(_l("Mediator"), coerce=int, default=0)
    started_on = DateField(_l("Started on"), validators=[InputRequired()])
    committee = StringField(_l("People's mediation committee"), validators=[Length(max=200)])


class ExtendMediationForm(ConsentFields):
    new_due = DateField(_l("New completion date"), validators=[InputRequired()])


class PartyForm(FlaskForm):
    """Add a party (no party_id) or complete one's details: what the agreement states of each party."""
    party_id = HiddenField()
    side = SelectField(_l("Side"), choices=[("a", _l("Party A")), ("b", _l("Party B"))], default="a")
    is_organization = BooleanField(_l("An organization (company, unit)"))
    name = StringField(_l("Name or organization"), validators=[DataRequired(), Length(max=200)])
    sex = SelectField(_l("Sex"), choices=[("", "—"), ("M", _l("male")), ("F", _l("female"))], default="")
    birth_date = DateField(_l("Birth date"), validators=[Optional()])
    age = IntegerField(_l("Age"), validators=[Optional(), NumberRange(min=0, max=130)])
    ethnicity = StringField(_l("Ethnicity"), validators=[Length(max=40)])
    occupation = StringField(_l("Occupation or work unit"), validators=[Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    representative = StringField(_l("Legal representative or person in charge"), validators=[Length(max=100)])
    id_number = StringField(_l("Resident ID number"), validators=[Length(max=30)])
    phone = StringField(_l("Phone"), validators=[Length(max=30)])
    details = StringField(_l("Other details"), validators=[Length(max=300)])

    def details_kwargs(self) -> dict:
        return {"name": self.name.data or "", "details": self.details.data or "",
                "is_organization": bool(self.is_organization.data), "sex": self.sex.data or None,
                "birth_date": self.birth_date.data, "age": self.age.data, "ethnicity": self.ethnicity.data or "",
                "occupation": self.occupation.data or "", "address": self.address.data or "",
                "representative": self.representative.data or "", "id_number": self.id_number.data or "",
                "phone": self.phone.data or ""}


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


class EndMediationForm(FlaskForm):
    status = SelectField(_l("Result"), choices=[(s.value, s.title) for s in (MediationStatus.no_agreement,
                                                                             MediationStatus.terminated)])
    outcome = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=3000)])
    routes_told = TextAreaField(_l("Routes the parties were told about"),
                                validators=[DataRequired(), Length(max=2000)])
    ended_on = DateField(_l("Ended on"), validators=[InputRequired()])
