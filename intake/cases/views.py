"""Case pages: detail with clocks and actions, the notices as PDFs, the list and its CSV export."""
import secrets

from flask import (Response, abort, current_app, flash, redirect, render_template, request, session,
                   stream_with_context, url_for)
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa
import sqlalchemy.orm
from werkzeug.datastructures import MultiDict

from desk import cases, crypto, prepared, stages
from desk.access import get_in_scope, require_roles
from desk.audit import timeline
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Case, Category, Outcome, PetitionType, Role, Route
from desk.timeutil import local_today
from desk.transactions import begin_write
from intake import bp
from intake.cases.documents import available_documents, render_case_document
from intake.cases.forms import (CaseFilterForm, ConcludeForm, DeliveryForm, EmptyForm, ReasonForm, RefuseForm,
                                RouteForm, TransferForm)
from intake.cases.models import Attachment
from intake.cases.services import (CaseFilters, awaiting_by_channel, cases_up_to, export_csv, export_params,
                                   page_of_cases)

VIEWERS = (Role.receptionist, Role.commander, Role.admin, Role.official, Role.callback_staff)
ACTORS = (Role.receptionist, Role.commander, Role.admin)
S = cases.S


def _action_forms(case: Case) -> dict:
    """The actions the case's state, type and stage allow, each with its form."""
    allowed = cases.CASE_MACHINE.allowed(case)
    forms = {}
    if S.accepted in allowed and (cases.is_heard_under_60_days(case)
                                  or case.petition_type == PetitionType.suggestion):
        forms["accept"] = EmptyForm(prefix="accept")
    if S.not_accepted in allowed and case.petition_type != PetitionType.accusation:
        forms["refuse"] = RefuseForm(prefix="refuse").narrow(cases.routes_for(case))
    if S.transferred in allowed and case.petition_type == PetitionType.accusation:
        forms["transfer"] = TransferForm(prefix="transfer").narrow(cases.routes_for(case))
    if S.in_progress in allowed and case.status == S.accepted:
        forms["start"] = EmptyForm(prefix="start")
    if stages.running_stage(case) is not None and case.status in (S.accepted, S.in_progress, S.under_review,
                                                                 S.under_rereview):
        forms["conclude"] = ConcludeForm(prefix="conclude")
    last = stages.last_replied_stage(case)
    if last is not None and last.delivered_on is None and stages.running_stage(case) is None:
        forms["deliver"] = DeliveryForm(prefix="deliver")
    if S.closed in allowed:
        forms["close"] = EmptyForm(prefix="close")
    if stages.next_stage_kind(case) is not None and case.request_due and local_today() <= case.request_due:
        forms["request"] = ReasonForm(prefix="request")
    return forms


def _approver_forms(case: Case) -> dict:
    """The head's actions: one extension, before the handling limit ends."""
    if (case.status in (S.accepted, S.in_progress) and case.extended_on is None and case.conclude_due
            and local_today() <= case.conclude_due):
        return {"extend": ReasonForm(prefix="extend")}
    return {}


def _render_detail(case: Case, forms: dict | None = None, status: int = 200):
    mine = {}
    if current_user.has_role(*ACTORS):
        mine.update(_action_forms(case))
    if current_user.has_role(*cases.EXTENSION_APPROVERS):
        mine.update(_approver_forms(case))
    mine.update(forms or {})
    attachments = db.session.scalars(sa.select(Attachment).where(Attachment.case_id == case.id)).all()
    clocks = stages.clocks(case)
    return render_template("intake/cases/detail.html", case=case, clocks=clocks,
                           entries=timeline("case", case.id), forms=mine, next_kind=stages.next_stage_kind(case),
                           documents=available_documents(case), attachments=attachments), status


@bp.route("/cases/<int:case_id>")
@require_roles(*VIEWERS)
def case_detail(case_id):
    return _render_detail(get_in_scope(Case, case_id, current_user))


def _route(form):
    return Route(form.route.data) if form.route.data in Route.__members__ else None


ACTIONS = {
    "accept": (EmptyForm, lambda case, f: cases.accept_case(case, actor=current_user)),
    "refuse": (RefuseForm, lambda case, f: cases.refuse_case(case, actor=current_user, reason=f.reason.data,
                                                            route=_route(f), directed_to=f.directed_to.data)),
    "transfer": (TransferForm, lambda case, f: cases.transfer_accusation(
        case, actor=current_user, reason=f.reason.data or "", route=_route(f), directed_to=f.directed_to.data)),
    "start": (EmptyForm, lambda case, f: cases.start_work(case, actor=current_user)),
    "extend": (ReasonForm, lambda case, f: cases.extend_case(case, actor=current_user, reason=f.reason.data)),
    "conclude": (ConcludeForm, lambda case, f: stages.conclude_case(
        case, actor=current_user, outcome=Outcome(f.outcome.data), opinion=f.opinion.data,
        legal_basis=f.legal_basis.data or "", delivered_on=f.delivered_on.data)),
    "deliver": (DeliveryForm, lambda case, f: stages.record_delivery(case, actor=current_user,
                                                                     delivered_on=f.delivered_on.data)),
    "close": (EmptyForm, lambda case, f: cases.close_case(case, actor=current_user)),
    "request": (ReasonForm, lambda case, f: stages.request_next_stage(case, actor=current_user,
                                                                      reason=f.reason.data)),
}


@bp.route("/cases/<int:case_id>/<any(accept, refuse, transfer, start, extend, conclude, deliver, close, request):action>",
          methods=["POST"])
@require_roles(*ACTORS, *cases.EXTENSION_APPROVERS)
def case_action(case_id, action):
    case = get_in_scope(Case, case_id, current_user)
    if not current_user.has_role(*(cases.EXTENSION_APPROVERS if action == "extend" else ACTORS)):
        abort(403)
    form_class, perform = ACTIONS[action]
    form = form_class(prefix=action)
    if isinstance(form, RouteForm):
        form.narrow(cases.routes_for(case))
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields; nothing you typed has been lost."), "error")
        return _render_detail(case, {action: form}, 400)
    try:
        perform(case, form)
    except DomainError as err:
        db.session.rollback()
        field = getattr(form, err.field, None) if err.field else None
        if field is not None:
            field.errors = list(field.errors) + [err.message]
        flash(str(err.message), "error")
        return _render_detail(db.session.get(Case, case_id), {action: form}, 400)
    db.session.commit()
    flash(_("Saved: %(status)s.", status=case.status.title), "success")
    return redirect(url_for("intake.case_detail", case_id=case.id))


@bp.route("/cases/<int:case_id>/documents/<any(acceptance, non_acceptance, extension, opinion, review_opinion, rereview_opinion):kind>.pdf")
@require_roles(*VIEWERS)
def case_document(case_id, kind):
    case = get_in_scope(Case, case_id, current_user)
    try:
        pdf = render_case_document(case, kind)
    except DomainError as err:
        flash(str(err.message), "error")
        return redirect(url_for("intake.case_detail", case_id=case.id))
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{case.reference}-{kind}.pdf"'})


@bp.route("/cases/<int:case_id>/attachments/<int:attachment_id>")
@require_roles(*VIEWERS)
def case_attachment(case_id, attachment_id):
    case = get_in_scope(Case, case_id, current_user)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        abort(404)
    with open(attachment.path, "rb") as handle:
        return Response(handle.read(), mimetype=attachment.mime,
                        headers={"Content-Disposition": f'inline; filename="attachment-{attachment.id}"'})


SEARCHES_KEPT = 10


def _filter_args() -> dict:
    """The list's filters: from the query string, except the free-text search (a reference, name, phone or
    ID number is personal data and never goes in a URL, an access log, a next-page link or an export link):
    that comes from a search saved in the session (encrypted) by a POST, named by a random token."""
    args = {k: v for k, v in request.args.items() if k not in ("q", "search", "before") and v}
    saved = session.get("case_searches", {}).get(request.args.get("search") or "")
    if saved:
        args["q"] = crypto.decrypt(saved)
    return args


def _link_args() -> dict:
    """What next-page and export links carry: the filters without the text, plus the saved search's token."""
    args = {k: v for k, v in request.args.items() if k not in ("q", "before") and v}
    if "search" in args and args["search"] not in session.get("case_searches", {}):
        args.pop("search")
    return args


def _save_search(text: str) -> str:
    token = secrets.token_urlsafe(9)
    searches = dict(session.get("case_searches", {}))
    while len(searches) >= SEARCHES_KEPT:
        searches.pop(next(iter(searches)))
    searches[token] = crypto.encrypt(text)
    session["case_searches"] = searches
    return token


def _filters() -> tuple[CaseFilterForm, CaseFilters]:
    form = CaseFilterForm(MultiDict(_filter_args()))
    categories = db.session.scalars(sa.select(Category).order_by(Category.code)).all()
    form.category_id.choices = [("", "—")] + [(c.id, c.name) for c in categories]
    form.validate()
    filters = CaseFilters(
        q=form.q.data or "", status=_valid(form.status) or "",
        category_id=_valid(form.category_id), channel=_valid(form.channel) or "", clock=_valid(form.overdue) or "",
        due_days=_valid(form.due_days), repeat=_valid(form.repeat) == "1",
        start=_valid(form.start), end=_valid(form.end), owner_id=_valid(form.owner))
    return form, filters


def _valid(field):
    """A filter field's value, or None when it failed validation (shown as the field's error)."""
    return None if field.errors else field.data


@bp.route("/cases", methods=["GET", "POST"])
@require_roles(*VIEWERS)
def case_list():
    if request.method == "POST":   # the filter form posts, so that what was typed stays out of the URL
        text = (request.form.get("q") or "").strip()[:60]
        args = {k: v for k, v in request.form.items() if k in CaseFilterForm.FIELDS and k != "q" and v}
        if text:
            args["search"] = _save_search(text)
        return redirect(url_for("intake.case_list", **args))
    form, filters = _filters()
    rows, next_cursor = page_of_cases(current_user, filters, local_today(), before=request.args.get("before"),
                                      soon_days=current_app.config["DUE_SOON_DAYS"],
                                      load=[sa.orm.selectinload(Case.parties)])   # petitioners with the page
    args = _link_args()
    return render_template("intake/cases/list.html", form=form, cases=rows, today=local_today(),
                           awaiting=awaiting_by_channel(current_user),
                           next_url=url_for("intake.case_list", before=next_cursor, **args) if next_cursor else None,
                           export_url=url_for("intake.case_export", **args))


@bp.route("/cases/export.csv")
@require_roles(*VIEWERS)
def case_export():
    """Streamed at once when small; a large one (a county's or the city's history) is prepared in the background,
    with its progress on a page: a million rows take most of a minute, longer than a web worker may."""
    _form, filters = _filters()
    user, today = current_user._get_current_object(), local_today()
    inline = current_app.config["EXPORT_INLINE_ROWS"]
    if cases_up_to(user, filters, today, inline + 1) > inline:
        back = url_for("intake.case_list", **_link_args())
        begin_write(keep=(user,))
        row = prepared.ask("case_export", user=user, title=_("Case list export"), params={
            **export_params(filters, today), "back": back},
            file_name="cases.csv", mimetype="text/csv; charset=utf-8", unit_label="rows")
        db.session.commit()
        prepared.start(current_app._get_current_object(), row.id)
        return redirect(url_for("core.prepared_file", file_id=row.id), 303)
    stream = stream_with_context(export_csv(user, filters, today))
    return Response(stream, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="cases.csv"'})
