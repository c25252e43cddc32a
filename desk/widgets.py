"""Form widgets shared by the areas, and a cache for page parts that are the same for many users."""
import threading
from collections import OrderedDict
from functools import cached_property

from markupsafe import Markup
from wtforms import SelectField
from wtforms.validators import ValidationError
from wtforms.widgets import Select

from desk.i18n import current_locale


class CachedSelect(Select):
    """A <select> rendered once per choice list, language, chosen value and attributes.

    Long option lists (categories, the places of a county) cost more to render than the rest of a page;
    they change rarely, and the views hand the same cached choice list to every form, so the markup is
    kept too. The cache entry holds the choice list itself, so its ``id`` cannot be reused while cached.
    """

    def __init__(self, size: int = 512, multiple: bool = False):
        super().__init__(multiple=multiple)
        self.size = size
        self.rendered: OrderedDict = OrderedDict()

    def __call__(self, field, **kwargs) -> Markup:
        choices = field.choices
        key = (id(choices), field.name, field.id, current_locale(), str(field.data),
               tuple(sorted((k, str(v)) for k, v in kwargs.items())))
        hit = self.rendered.get(key)
        if hit is not None and hit[0] is choices:
            self.rendered.move_to_end(key)
            return hit[1]
        html = super().__call__(field, **kwargs)
        self.rendered[key] = (choices, html)
        if len(self.rendered) > self.size:
            self.rendered.popitem(last=False)
        return html


class FragmentCache:
    """Page parts rendered once for everyone who shares their key (and other values made once per key).

    In a template, ``{% call cached_fragment(key) %}...{% endcall %}`` renders the block on a miss and
    keeps the markup; a ``None`` (or undefined) key always renders it (a bound form, a form with errors). The key must
    name everything the part depends on (scope, language, the version of its choice lists), and nothing
    that belongs to one user or one request (CSRF token, one-time keys, typed values, errors) may be
    rendered inside the block.
    """

    def __init__(self, size: int = 64):
        self.size = size
        self.rendered: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key) -> Markup | None:
        """The part kept under ``key``, if it is."""
        with self.lock:
            html = self.rendered.get(key)
            if html is not None:
                self.rendered.move_to_end(key)
            return html

    def __call__(self, key, caller) -> Markup:
        if not key:  # None, or undefined in a template that renders the part for someone else
            return caller()
        with self.lock:
            html = self.rendered.get(key)
            if html is not None:
                self.rendered.move_to_end(key)
                return html
        html = caller()
        with self.lock:
            self.rendered[key] = html
            if len(self.rendered) > self.size:
                self.rendered.popitem(last=False)
        return html


cached_fragment = FragmentCache()
# The page header (brand, navigation, language menu): one per role set, language and page, so more of them.
cached_chrome = FragmentCache(size=1024)


class CachedSelectField(SelectField):
    """A select over a long choice list that the view shares between forms: rendered by CachedSelect, and a
    sent value checked against the list's set of values, kept per list (the entry holds the list, so its id
    cannot be reused while kept), instead of against every option."""

    _kept_values = FragmentCache()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", CachedSelect())
        super().__init__(*args, **kwargs)

    def pre_validate(self, form):
        if self.process_errors or not self.validate_choice or not isinstance(self.choices, (list, tuple)):
            return super().pre_validate(form)
        choices = self.choices
        _list, values = self._kept_values(("values", id(choices)), lambda: (choices, frozenset(
            self.coerce(c[0] if isinstance(c, (list, tuple)) else c) for c in choices)))
        if self.data not in values:
            raise ValidationError(self.invalid_choice_message or self.gettext("Not a valid choice."))


class Lazy:
    """A value a template may not need (it renders from a cached part): made on first use."""

    def __init__(self, make):
        self._make = make

    @cached_property
    def value(self):
        return self._make()

    def __iter__(self):
        return iter(self.value)

    def __bool__(self):
        return bool(self.value)

    def __str__(self):
        return str(self.value)

    def __getattr__(self, name):
        if name in ("value", "_make"):   # made, or being made, without it: not a name of the value
            raise AttributeError(name)
        return getattr(self.value, name)
