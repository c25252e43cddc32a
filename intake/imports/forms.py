"""The administrator's upload form: which system the file comes from, which county, the file."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField
from wtforms.validators import DataRequired

SOURCE_CHOICES = [("12345", _l("12345 hotline work orders")), ("110", _l("110 non-emergency transfers")),
                  ("grid", _l("Grid platform events"))]


class EventImportForm(FlaskForm):
    source = SelectField(_l("Source"), choices=SOURCE_CHOICES, validators=[DataRequired()])
    county_id = SelectField(_l("County"), validators=[DataRequired()])
    file = FileField(_l("Export file (CSV or XLSX)"), validators=[DataRequired()])

    def set_counties(self, counties) -> None:
        self.county_id.choices = [(str(c.id), c.name) for c in counties]
