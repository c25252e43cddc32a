from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from desk.models import Channel
from intake.open311.services import CLIENT_CHANNELS


def optional_int(value):
    return None if value in (None, "") else int(value)


class ApiClientForm(FlaskForm):
    name = StringField(_l("Client name"), validators=[DataRequired(), Length(max=120)],
                       render_kw={"placeholder": "12345 热线平台"})
    unit_id = SelectField(_l("Submits for"), coerce=optional_int,
                          validators=[DataRequired(message=_l("Choose the county (or city) it submits for."))])
    channel = SelectField(_l("Matters arrive as"), default=Channel.hotline.value,
                          choices=[(c.value, c.title) for c in CLIENT_CHANNELS])
