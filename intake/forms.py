"""The reception form: one keyboard-friendly page for a walk-in visitor."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Form, FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from desk.idnumber import InvalidIdNumber, InvalidPhoneNumber, validate_phone, validate_resident_id
from desk.models import Channel, DemandBranch, PetitionType
from desk.widgets import CachedSelect
from intake.reception import MAX_REPRESENTATIVES

REPRESENTATIVE_ROWS = MAX_REPRESENTATIVES + 1  # one row more than allowed, so a sixth can be refused


def check_id_number(form, field):
    if field.data:
        try:
            field.data = validate_resident_id(field.data).normalized
        except InvalidIdNumber as err:
            raise ValidationError(err.message) from None


def check_phone(form, field):
    if field.data:
        try:
            field.data = validate_phone(field.data)
        except InvalidPhoneNumber as err:
            raise ValidationError(err.message) from None


class RepresentativeForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=60)])
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), check_id_number])
    phone = StringField(_l("Phone"), validators=[Optional(), check_phone])

    @property
    def filled(self) -> bool:
        return bool((self.name.data or "").strip() or self.id_number.data or self.phone.data)


LANGUAGES = [("mandarin", _l("Mandarin")), ("cantonese", _l("Cantonese")), ("taishanese", _l("Taishanese")),
             ("hakka", _l("Hakka")), ("english", _l("English"))]


class ReceptionForm(FlaskForm):
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), check_id_number])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[Optional(), check_phone])
    language = SelectField(_l("Language or dialect"), choices=LANGUAGES, default="cantonese")
    channel = SelectField(_l("Channel"), choices=Channel.choices(), default=Channel.walk_in.value)
    head_count = IntegerField(_l("Number of people"), default=1,
                              validators=[DataRequired(), NumberRange(min=1, max=500)])
    representatives = FieldList(FormField(RepresentativeForm), min_entries=REPRESENTATIVE_ROWS,
                                max_entries=REPRESENTATIVE_ROWS)
    category_id = SelectField(_l("Category"), coerce=int, validators=[DataRequired()], widget=CachedSelect())
    petition_type = SelectField(_l("Petition type"), choices=PetitionType.choices(),
                                default=PetitionType.demand.value)
    demand_branch = SelectField(_l("Kind of demand"), choices=DemandBranch.choices(),
                                default=DemandBranch.other.value)
    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    facts = TextAreaField(_l("Facts"), validators=[Length(max=5000)])
    demand = TextAreaField(_l("Demand"), validators=[Length(max=2000)])
    place_id = SelectField(_l("Place (village or grid)"), coerce=int, validators=[DataRequired()],
                           widget=CachedSelect())
    other_party = StringField(_l("Other party"), validators=[Length(max=200)])
    attachments = MultipleFileField(_l("Attachments (images or PDF)"))
    repeat_decision = HiddenField()
    submission_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.submission_key.data:
            self.submission_key.data = uuid.uuid4().hex

    def validate_representatives(self, field):
        filled = [row for row in field.entries if row.form.filled]
        if len(filled) > MAX_REPRESENTATIVES:
            raise ValidationError(_l("A group elects at most 5 representatives; %(count)s were entered.",
                                     count=len(filled)))
        if filled and self.head_count.data and self.head_count.data < 2:
            raise ValidationError(_l("Representatives are for group visits: set the number of people."))
        for row in filled:
            if not (row.form.name.data or "").strip():
                raise ValidationError(_l("Each representative needs a name."))

    def validate_head_count(self, field):
        filled = sum(1 for row in self.representatives.entries if row.form.filled)
        if field.data and field.data > 1 and filled == 0:
            raise ValidationError(_l("A group visit needs at least one representative (at most 5)."))
