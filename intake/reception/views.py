"""Reception: the walk-in form, the look-up of earlier visits, the confirmation, revealing an ID number."""
import itertools
import os
import time

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa

from desk.access import find_in_scope, get_in_scope, in_scope, require_roles, scope_clause
from desk.audit import record_audit
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.i18n import current_locale, localize_text
from desk.timeutil import local_today
from desk.transactions import begin_write, read_first
from desk.widgets import cached_fragment
from desk.models import CaseStatus, Category, Channel, Level, OrgUnit, Person, Role, Ticket, Visit
from desk.uploads import check_upload
from intake import bp
from intake.cases.attachments import store_attachment
from intake.reception.forms import KeyedForm, ReceptionForm
from intake.reception.repeat import find_prior_cases
from intake.reception.services import register_visit, user_site
from intake.reception.typeahead import SYNONYMS, search_words

RECEPTION = (Role.receptionist,)


CHOICES_SECONDS = 300
_choice_versions = itertools.count(1)  # never reused in a process: names one loading of the choice lists


def _choices(form: ReceptionForm | None = None) -> int:
    """Categories and places change rarely: cached per scope and language for a few minutes, and put on
    ``form``. Returns the version of the lists (a new one each time they are loaded)."""
    cache = current_app.extensions.setdefault("intake.choices", {})
    key = (current_user.org_unit_id, current_locale())
    cached = cache.get(key)
    if cached is None or cached[0] < time.monotonic():
        categories = list(db.session.scalars(sa.select(Category).order_by(Category.code)))
        by_id = {c.id: c for c in categories}
        category_choices = [("", _("Type a name or its initials…"))] + [
            (c.id, _category_label(c, by_id), {"data-search": _category_search(c, by_id)}) for c in categories]
        places = list(db.session.scalars(sa.select(OrgUnit).where(
            scope_clause(OrgUnit, current_user), OrgUnit.level.in_([Level.village, Level.grid, Level.town]))
            .order_by(OrgUnit.code).limit(5000)))
        by_id = {u.id: u for u in places}
        place_choices = [("", _("Type the village name…"))] + [
            (u.id, ("　" if u.level == Level.grid else "") + _place_label(u, by_id),
             {"data-search": search_words(_place_label(u, by_id), u.name)}) for u in places]
        cached = cache[key] = (time.monotonic() + CHOICES_SECONDS, category_choices, place_choices,
                               next(_choice_versions))
    if form is not None:
        form.category_id.choices, form.place_id.choices = cached[1], cached[2]
    return cached[3]


def _category_label(category: Category, by_id: dict) -> str:
    parent = by_id.get(category.parent_id)
    return f"{parent.name} › {category.name}" if parent else category.name


def _category_search(category: Category, by_id: dict) -> str:
    """Chinese and English names, pinyin initials and the visitors' words, so typing finds the category."""
    parent = by_id.get(category.parent_id)
    return search_words(category.name_zh, parent.name_zh if parent else "", SYNONYMS.get(category.code, ""),
                        category.name_en, localize_text(category.name_zh))


def _place_label(unit: OrgUnit, by_id: dict) -> str:
    """Town + village + grid names without loading each parent row."""
    parts = [by_id[i].name for i in (unit.town_id, unit.village_id) if i in by_id and i != unit.id]
    return localize_text("".join(parts) + unit.name)


def _lookup(form: ReceptionForm) -> dict:
    """Earlier visits and cases of whoever this may be; an unknown area code is only a warning."""
    place = find_in_scope(OrgUnit, form.place_id.data, current_user) if form.place_id.data else None
    id_number = None if form.id_number.errors else form.id_number.data  # half-typed numbers find no one
    candidates = find_prior_cases(
        id_number=id_number or None, phone=form.phone.data or None, name=form.name.data or None,
        town_id=(place.town_id if place else None) or current_user.org_unit.town_id,
        category_id=form.category_id.data, text=f"{form.title.data or ''} {form.facts.data or ''}")
    visible = [c for c in candidates if in_scope(current_user, c.case)]
    return {"candidates": visible, "id_warning": form.id_number_warning(), "id_note": form.id_number_note(),
            "looked_up": True}


@bp.route("/", methods=["GET", "POST"])
@require_roles(*RECEPTION)
@read_first
def reception():
    if request.method == "GET":
        # An unbound form shows only defaults and the cached lists: the same markup for everyone in this
        # scope and language, rendered once. Once it is, a fresh page needs only its CSRF token and
        # submission key (outside the cached part), not the whole form.
        key = ("intake.reception", current_user.org_unit_id, current_locale(), _choices())
        fresh = cached_fragment.get(key)
        if fresh is not None:
            return render_template("intake/reception/walk_in.html", form=KeyedForm(), fresh_form=fresh)
        form = ReceptionForm()
        _choices(form)
        form.show_representative_rows()
        return render_template("intake/reception/walk_in.html", form=form, candidates=[], id_warning=None,
                               looked_up=False, fresh_form_key=key)
    form = ReceptionForm()
    _choices(form)
    context = {"candidates": [], "id_warning": None, "looked_up": False}
    if request.form.get("action") == "lookup":
        form.validate()  # shows field errors, keeps everything typed
        context.update(_lookup(form))
    elif form.validate_on_submit():
        done = db.session.scalar(sa.select(Visit.id).where(Visit.submission_key == form.submission_key.data))
        if done is not None:  # the same form sent twice: show what the first submission made
            return redirect(url_for("intake.registered", visit_id=done))
        actor = current_user._get_current_object()
        uploads = [f for f in form.attachments.data or [] if getattr(f, "filename", "")]
        try:
            data = form.visit_input(user=actor, channel=Channel(form.channel.data))  # the place must be in scope
            context.update(_lookup(form))
            files = [(f.filename, f.read()) for f in uploads]
            for name, content in files:
                check_upload(name, content)
            if any(c.likely_same for c in context["candidates"]) and not form.repeat_decision.data:
                raise DomainError(_("This may be a matter that came before: choose “same matter” or “new matter”."),
                                  field="repeat_decision")
            final = next((c for c in context["candidates"] if c.likely_same and c.case.status == CaseStatus.final),
                         None)
            if final is not None and data.link_case_id is None:
                # 信访工作条例 第三十五条: after re-review the same facts and reasons are not accepted again.
                raise DomainError(_("%(ref)s on this matter was concluded after re-review: the same facts and reasons "
                                    "are not accepted again. Choose “same matter” to record this visit as a repeat.",
                                    ref=final.case.reference), field="repeat_decision")
            site = user_site(actor)
            # Validation and look-up done: take the write lock only for the writes. The user, the site and
            # its rooms, the place and category are not read again; the people and cases looked up are.
            begin_write(keep=(actor, site, data.place, data.category))
            visit = register_visit(actor=actor, site=site, data=data)
            folder = os.path.join(current_app.instance_path, "attachments")
            for name, content in files:
                store_attachment(case=visit.case, filename=name, data=content, folder=folder, actor=actor)
            visit_id = visit.id  # before the commit expires it: reading it after would take the lock again
        except DomainError as err:
            db.session.rollback()
            show_on_form(form, err)
        else:
            db.session.commit()
            return redirect(url_for("intake.registered", visit_id=visit_id))
    context["dropped_files"] = [f.filename for f in form.attachments.data or [] if getattr(f, "filename", "")]
    context["focus_id"] = first_field_in_error(form)
    form.show_representative_rows()
    return render_template("intake/reception/walk_in.html", form=form, **context)


# The order the walk-in page shows its fields in: the cursor goes to the first one with an error.
FIELD_ORDER = ("id_number", "name", "phone", "repeat_decision", "category_id", "place_id", "title", "facts",
               "demand", "other_party", "attachments", "language", "channel", "head_count", "representatives",
               "petition_type", "demand_branch")


def first_field_in_error(form: ReceptionForm) -> str | None:
    """The id of the input the cursor should be in after a refused save."""
    for name in FIELD_ORDER:
        if getattr(form, name).errors:
            if name == "representatives":
                rows = sorted(form.representative_rows_in_error())
                return f"representatives-{rows[0]}-name" if rows else "head_count"
            return name
    return None


@bp.route("/lookup", methods=["POST"])
@require_roles(*RECEPTION)
@read_first
def lookup():
    """The look-up fragment the reception page fetches as the receptionist types (POST: no ID in URLs)."""
    form = ReceptionForm()
    _choices(form)
    form.validate()
    return render_template("intake/reception/_lookup.html", form=form, **_lookup(form))


@bp.route("/visits/<int:visit_id>")
@require_roles(*RECEPTION)
def registered(visit_id):
    visit = get_in_scope(Visit, visit_id, current_user)
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.visit_id == visit.id))
    # 登记并出号: the ticket of today's visit opens for printing; an old visit's page only links to it.
    print_now = ticket is not None and ticket.day == local_today() and ticket.status.value == "waiting"
    return render_template("intake/reception/registered.html", visit=visit, case=visit.case, ticket=ticket,
                           print_now=print_now)


@bp.route("/people/<int:person_id>/reveal", methods=["POST"])
@require_roles(*RECEPTION)
def reveal_id(person_id):
    """Show one full ID number to a receptionist; every reveal is audited."""
    person = db.session.get(Person, person_id)
    if person is None or not in_scope(current_user, person):
        abort(404)
    record_audit(actor=current_user, entity="person", entity_id=person.id, action="reveal_id")
    db.session.commit()
    return render_template("intake/reception/_revealed.html", person=person)

