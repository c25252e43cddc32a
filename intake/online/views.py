"""The citizens' online report (网上反映): no login, phone first; the answer is the tracking code."""
import os
import time

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from desk.access import public
from desk.errors import DomainError, show_on_form
from desk.extensions import db
from desk.i18n import current_locale, localize_text
from desk.models import Category
from desk.ratelimit import RateLimited
from desk.timeutil import utcnow
from intake import bp
from intake.online import services
from intake.online.forms import OnlineReportForm

RECEIPT = "online_receipt"   # the session key of the last receipt shown to this browser
CHOICES_SECONDS = 300


def _choices(form: OnlineReportForm) -> None:
    """Categories grouped by their top category, towns grouped by county, villages grouped by town; cached per
    language for a few minutes (the lists change rarely and this page is open to everyone)."""
    cache = current_app.extensions.setdefault("intake.online.choices", {})
    cached = cache.get(current_locale())
    if cached is None or cached[0] < time.monotonic():
        groups = services.category_groups()
        categories = {top.name: [(c.id, c.name) for c in children] if children else [(top.id, top.name)]
                      for top, children in groups}
        counties, towns, villages = services.place_tree()
        town_choices = {localize_text(county.name): [(t.id, localize_text(t.name)) for t in towns
                                                     if t.county_id == county.id] for county in counties}
        town_names = {t.id: localize_text(t.name) for t in towns}
        village_choices: dict = {}
        for village in villages:
            if village.town_id in town_names:
                village_choices.setdefault(town_names[village.town_id], []).append(
                    (village.id, localize_text(village.name), {"data-town": village.town_id}))
        village_towns: dict = {}
        for village in villages:
            village_towns.setdefault(village.town_id, set()).add(village.id)
        # The None group is drawn outside any <optgroup>: the empty first choice.
        cached = cache[current_locale()] = (
            time.monotonic() + CHOICES_SECONDS, {None: [("", _("Choose…"))], **categories},
            {None: [("", _("Choose…"))], **{k: v for k, v in town_choices.items() if v}},
            {None: [("", _("Not sure / not listed"))], **village_choices}, village_towns)
    _expires, form.category_id.choices, form.town_id.choices, form.village_id.choices, form.village_towns = cached


def _receipt(code: str | None):
    """Remember what to show on the receipt page, then go there (a reload never sends the form again)."""
    session[RECEIPT] = {"code": code}
    return redirect(url_for("intake.online_done"))


def _guard() -> services.Guard:
    return services.Guard.from_config(current_app.config)


@bp.route("/online", methods=["GET", "POST"])
@public
def online_report():
    form = OnlineReportForm()
    _choices(form)
    guard = _guard()
    status, headers = 200, {}
    if request.method == "POST":
        if services.landed_visit(form.submission_key.data) is not None:   # the same form sent twice
            return redirect(url_for("intake.online_done"))
        if form.website.data or services.filled_too_fast(form.started.data, now=utcnow(),
                                                         min_seconds=guard.min_fill_seconds):
            # A bot (or a script): it is answered as if it had succeeded, and nothing is stored.
            return _receipt(services.decoy_tracking_code())
        status = 400
        if form.validate_on_submit():
            limited = _count(form, guard)
            if limited is not None:
                status, headers = 429, {"Retry-After": str(limited.retry_after)}
            else:
                taken = _take_report(form, guard)
                if taken is not None:
                    return taken
    if request.method == "GET":
        # Shown again after an error, the form keeps its first render time: a person who only ticks the
        # consent box and sends again at once is not mistaken for a bot.
        form.started.data = services.sign_started(utcnow())
    dropped = [f.filename for f in form.photos.data or [] if getattr(f, "filename", "")] \
        if request.method == "POST" else []
    return render_template("intake/online/report.html", form=form, guard=guard, dropped_files=dropped), \
        status, headers


def _count(form: OnlineReportForm, guard: services.Guard) -> RateLimited | None:
    """Count the report against the limits per address and phone; None when within them. The count is committed
    whatever follows: a refused report (a wrong ID number tried, a bad photo) counts as much as a taken one."""
    limited = None
    try:
        services.count_submission(address=request.remote_addr, phone=form.phone.data, guard=guard)
    except RateLimited as err:
        show_on_form(None, err)
        limited = err
    db.session.commit()
    return limited


def _take_report(form: OnlineReportForm, guard: services.Guard):
    """Land the report and answer with its receipt, or put the refusal next to its field (None)."""
    photos = [(f.filename, f.read()) for f in form.photos.data or [] if getattr(f, "filename", "")]
    try:
        place = services.place_of(town_id=form.town_id.data, village_id=form.village_id.data)
        landing = services.submit_online_report(
            data=form.matter_input(place=place, category=db.session.get(Category, form.category_id.data)),
            photos=photos, folder=os.path.join(current_app.instance_path, "attachments"), guard=guard)
    except DomainError as err:
        db.session.rollback()
        show_on_form(form, err)
        return None
    # A matter that joined an earlier case shows no code: that case's code is not the sender's to see.
    code = None if landing.repeat_of is not None else landing.case.tracking_code
    db.session.commit()
    return _receipt(code)


@bp.route("/online/done")
@public
def online_done():
    receipt = session.get(RECEIPT)
    if not isinstance(receipt, dict):
        return redirect(url_for("intake.online_report"))
    return render_template("intake/online/done.html", code=receipt.get("code"))
