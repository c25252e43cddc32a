"""The citizens' online form: the matter, the place, photos, who they are, consent; a honeypot and a signed
render time instead of a CAPTCHA."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from desk.models import Category, Channel, OrgUnit
from desk.widgets import CachedSelectField
from intake.channels.services import MatterInput
from intake.reception.forms import check_id_number, check_phone, optional_int
from intake.reception.services import PersonInput

TITLE_MAX, FACTS_MAX, DEMAND_MAX, NAME_MAX = 100, 3000, 1000, 60


class OnlineReportForm(FlaskForm):
    category_id = CachedSelectField(_l("Kind of matter"), coerce=optional_int,
                                    validators=[DataRequired(message=_l("Choose the kind of matter."))])
    title = StringField(_l("In one line: what is it about?"),
                        validators=[DataRequired(message=_l("Say in one line what the matter is about.")),
                                    Length(max=TITLE_MAX)])
    facts = TextAreaField(_l("What happened"),
                          validators=[DataRequired(message=_l("Describe what happened.")), Length(max=FACTS_MAX)])
    demand = TextAreaField(_l("What you ask for"), validators=[Length(max=DEMAND_MAX)])
    town_id = CachedSelectField(_l("Town or street"), coerce=optional_int,
                                validators=[DataRequired(message=_l("Choose the town or street where it happened."))])
    village_id = CachedSelectField(_l("Village or community (if you know it)"), coerce=optional_int,
                                   validators=[Optional()])
    photos = MultipleFileField(_l("Photos (up to 6, JPEG or PNG)"))
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name.")),
                                                     Length(max=NAME_MAX)])
    phone = StringField(_l("Your mobile or phone number"),
                        validators=[DataRequired(message=_l("Enter a phone number we can call you back on.")),
                                    check_phone])
    id_number = StringField(_l("Resident ID number (optional)"), validators=[Optional(), check_id_number])
    consent = BooleanField(_l("I have read how my personal data is used and agree."),
                           validators=[DataRequired(message=_l("Please agree to how your personal data is used, "
                                                               "or we cannot take the matter online."))])
    # Hidden from people by the page (a bot fills every text box it finds): anything in it means a bot.
    website = StringField(_l("Leave this field empty"))
    started = HiddenField()          # the signed moment the form was rendered (minimum fill time)
    submission_key = HiddenField()   # one per rendered form: a double submit lands one matter

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.submission_key.data:
            self.submission_key.data = uuid.uuid4().hex
        self.village_towns: dict[int, set[int]] = {}   # town id -> its villages' ids, set with the choices

    def matter_input(self, *, place: OrgUnit, category: Category) -> MatterInput:
        """What the channel function needs, from a validated form (the place and category already loaded)."""
        return MatterInput(channel=Channel.online, place=place, category=category, title=self.title.data.strip(),
                           facts=(self.facts.data or "").strip(), demand=(self.demand.data or "").strip(),
                           submission_key=self.submission_key.data,
                           person=PersonInput(name=self.name.data.strip(), phone=self.phone.data,
                                              id_number=self.id_number.data or None))

    def validate_village_id(self, field):
        """A village chosen must lie in the town chosen (the list shows every town's villages)."""
        if field.data and self.town_id.data and field.data not in self.village_towns.get(self.town_id.data, ()):
            raise ValidationError(_l("This village or community is not in the town you chose."))
