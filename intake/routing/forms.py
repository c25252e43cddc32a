"""Forms of routing: route, answer a routing, escalate, grade, assign the leader."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from desk.models import CaseGrade
from intake.routing.models import ExternalBody, RouteKind


def _id_or_none(value):
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 10 else None


def _body_or_none(value):
    return value if value in {b.value for b in ExternalBody} else None


class RouteForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=RouteKind.choices(), default=RouteKind.transfer.value)
    department_id = SelectField(_l("County department"), coerce=_id_or_none, validators=[Optional()])
    body_kind = SelectField(_l("Or an external body"), coerce=_body_or_none,
                            choices=[("", "—")] + ExternalBody.choices(), validators=[Optional()])
    body_name = StringField(_l("Name of the body"), validators=[Optional(), Length(max=200)],
                            description=_l("e.g. 台山市人民法院"))
    reason = TextAreaField(_l("Why this body has the power to handle it"),
                           validators=[DataRequired(), Length(max=2000)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.department_id.data and self.body_kind.data:
            self.body_kind.errors = list(self.body_kind.errors) + [
                _l("Choose either a department or an external body, not both.")]
            return False
        return ok


class AnswerForm(FlaskForm):
    reason = TextAreaField(_l("Why the matter is outside your remit"), validators=[DataRequired(), Length(max=2000)])


class EscalateForm(FlaskForm):
    reason = TextAreaField(_l("Reason for escalating"), validators=[DataRequired(), Length(max=2000)])


class GradeForm(FlaskForm):
    grade = SelectField(_l("Grade"), choices=CaseGrade.choices())
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class LeaderForm(FlaskForm):
    leader_id = SelectField(_l("Leader taking the case (包案)"), coerce=_id_or_none, validators=[DataRequired()])


class EmptyForm(FlaskForm):
    """A POST with only the CSRF token (confirm a routing)."""
