"""A long shared choice list is checked against its kept set of values, as a plain SelectField checks it."""
from werkzeug.datastructures import MultiDict
from wtforms import Form

from desk.widgets import CachedSelectField


def optional_int(value):
    return int(value) if value not in (None, "") else None


class PlaceForm(Form):
    place_id = CachedSelectField("Place", coerce=optional_int)


def _errors(choices, sent: str) -> list:
    form = PlaceForm(MultiDict({"place_id": sent}))
    form.place_id.choices = choices
    form.validate()
    return form.place_id.errors


def test_a_value_in_the_list_passes_and_one_outside_it_is_refused():
    places = [("", "—")] + [(str(n), f"村{n}", {"data-search": f"c{n}"}) for n in range(1, 400)]
    assert _errors(places, "17") == [] and _errors(places, "") == []
    assert _errors(places, "400") == ["Not a valid choice."]
    assert _errors(places, "x") != []                      # not even a number


def test_a_new_list_is_checked_as_it_is_now():
    before = [(str(n), f"村{n}") for n in range(1, 10)]
    assert _errors(before, "9") == []
    after = [(str(n), f"村{n}") for n in range(1, 5)]          # a village merged away since
    assert _errors(after, "9") == ["Not a valid choice."]
    assert _errors(before, "9") == []                         # a form still holding the old list


def test_a_lazy_value_is_made_once_and_only_when_used():
    from desk.widgets import Lazy
    made = []

    def count():
        made.append(1)
        return 0

    unused, zero = Lazy(count), Lazy(count)
    assert made == []
    assert not zero and str(zero) == "0" and made == [1]    # {% if unread_count %} and {{ unread_count }}
    assert bool(Lazy(lambda: 3)) and str(Lazy(lambda: 3)) == "3"
    assert not zero and made == [1]
    del unused
