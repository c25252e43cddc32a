"""The reception form: one keyboard-friendly page for a walk-in visitor."""
import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Form, FieldList, FormField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from desk.idnumber import InvalidIdNumber, InvalidPhoneNumber, validate_phone, validate_resident_id
from desk.access import find_in_scope, in_scope, parse_id
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Case, Category, Channel, DemandBranch, OrgUnit, Person, PetitionType
from desk.widgets import CachedSelectField
from intake.reception.services import MAX_REPRESENTATIVES, PersonInput, VisitInput

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


def optional_int(value):
    """A chosen id, or None for the empty "type to search" choice: category and place have no default."""
    return None if value in (None, "") else int(value)


class RepresentativeForm(Form):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=60)])
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), check_id_number])
    phone = StringField(_l("Phone"), validators=[Optional(), check_phone])

    @property
    def filled(self) -> bool:
        return bool((self.name.data or "").strip() or self.id_number.data or self.phone.data)


LANGUAGES = [("mandarin", _l("Mandarin")), ("cantonese", _l("Cantonese")), ("taishanese", _l("Taishanese")),
             ("hakka", _l("Hakka")), ("english", _l("English"))]


class KeyedForm(FlaskForm):
    """What a fresh reception page holds per request: the CSRF token and a one-time submission key (the rest
    of a fresh page is the same for everyone in a scope and language, see the view)."""
    submission_key = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.submission_key.data:
            self.submission_key.data = uuid.uuid4().hex


class ReceptionForm(KeyedForm):
    id_number = StringField(_l("Resident ID number"), validators=[Optional(), check_id_number])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    phone = StringField(_l("Phone"), validators=[Optional(), check_phone])
    language = SelectField(_l("Language or dialect"), choices=LANGUAGES, default="cantonese")
    channel = SelectField(_l("Channel"), choices=Channel.choices(), default=Channel.walk_in.value)
    head_count = IntegerField(_l("Number of people"), default=1,
                              validators=[DataRequired(), NumberRange(min=1, max=500)])
    # Only the rows sent are read: the page disables its empty rows unless the visit is a group's, and shows
    # REPRESENTATIVE_ROWS of them whenever it is rendered (show_representative_rows).
    representatives = FieldList(FormField(RepresentativeForm), min_entries=0, max_entries=REPRESENTATIVE_ROWS)
    category_id = CachedSelectField(_l("Category"), coerce=optional_int,
                                    validators=[DataRequired(message=_l("Choose the category of the matter."))])
    petition_type = SelectField(_l("Petition type"), choices=PetitionType.choices(),
                                default=PetitionType.demand.value)
    demand_branch = SelectField(_l("Kind of demand"), choices=DemandBranch.choices(),
                                default=DemandBranch.other.value)
    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    facts = TextAreaField(_l("Facts"), validators=[Length(max=5000)])
    demand = TextAreaField(_l("Demand"), validators=[Length(max=2000)])
    place_id = CachedSelectField(_l("Place (village or grid)"), coerce=optional_int,
                                 validators=[DataRequired(message=_l("Choose the village or grid of the matter."))])
    other_party = StringField(_l("Other party"), validators=[Length(max=200)])
    attachments = MultipleFileField(_l("Attachments (images or PDF)"))
    repeat_decision = HiddenField()

    def show_representative_rows(self) -> None:
        """Empty rows up to REPRESENTATIVE_ROWS, for the page (after the rows sent, which keep their places)."""
        while len(self.representatives.entries) < REPRESENTATIVE_ROWS:
            self.representatives.append_entry()

    def id_number_warning(self) -> str | None:
        """An unknown area code is only a warning (the number is still accepted)."""
        check = self._id_check()
        return check.warning if check else None

    def id_number_note(self) -> str | None:
        """A retired area code is only a soft note: numbers issued before keep it."""
        check = self._id_check()
        return check.note if check else None

    def _id_check(self):
        if self.id_number.data and not self.id_number.errors:
            try:
                return validate_resident_id(self.id_number.data)
            except InvalidIdNumber:
                return None
        return None

    def representative_rows_in_error(self) -> set[int]:
        """The rows the representatives' error is about: only those are marked, not every row."""
        filled = [i for i, row in enumerate(self.representatives.entries) if row.form.filled]
        if not self.representatives.errors:
            return set()
        rows = set(filled[MAX_REPRESENTATIVES:])
        rows |= {i for i in filled if not (self.representatives.entries[i].form.name.data or "").strip()}
        rows |= {i for i, row in enumerate(self.representatives.entries) if row.form.errors}
        return rows or set(filled)

    def visit_input(self, *, user, channel: Channel) -> VisitInput:
        """What the registration service needs, from a validated form; the place must lie in the user's area."""
        place = find_in_scope(OrgUnit, self.place_id.data, user)
        if place is None:
            raise DomainError(_l("Choose a place inside your area."), field="place_id")
        link_case, earlier_person = self.repeat_choice(user)
        reps = [PersonInput(name=row.form.name.data.strip(), id_number=row.form.id_number.data or None,
                            phone=row.form.phone.data or None)
                for row in self.representatives.entries if row.form.filled]
        petition_type = PetitionType(self.petition_type.data)
        return VisitInput(
            person=PersonInput(name=self.name.data, id_number=self.id_number.data or None,
                               phone=self.phone.data or None, language=self.language.data),
            channel=channel, place=place, category=db.session.get(Category, self.category_id.data),
            petition_type=petition_type,
            demand_branch=DemandBranch(self.demand_branch.data) if petition_type == PetitionType.demand else None,
            title=self.title.data, facts=self.facts.data or "", demand=self.demand.data or "",
            other_party=self.other_party.data or "", head_count=self.head_count.data or 1, representatives=reps,
            link_case_id=link_case.id if link_case else None,
            person_id=earlier_person.id if earlier_person else None, submission_key=self.submission_key.data)

    def repeat_choice(self, user) -> tuple[Case | None, Person | None]:
        """The hidden "case:person" (or "new:person") the look-up offered, through the scoped loader: a case
        outside the user's area, or a person who is neither a party to it nor placed in that area, is refused
        as if it did not exist."""
        case_part, _sep, person_part = (self.repeat_decision.data or "new").partition(":")
        case = person = None
        if case_part not in ("", "new"):
            case = find_in_scope(Case, case_part, user)
            if case is None:
                raise DomainError(_l("That earlier case is not in your area."), field="repeat_decision")
        if person_part:
            number = parse_id(person_part)
            person = db.session.get(Person, number) if number is not None else None
            party = case is not None and person is not None and any(p.person_id == person.id for p in case.parties)
            if person is None or not (party or in_scope(user, person)):
                raise DomainError(_l("That earlier person is not in your area."), field="repeat_decision")
        return case, person

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
