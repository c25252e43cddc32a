"""Pages of risk early warning: the warnings of the user's scope with filters and counts, one warning with its
evidence and history, and the leader's two steps (acknowledge with a note, close with an outcome). Routes live
on the intake blueprint; every id from a request becomes a warning only through get_in_scope."""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from desk.access import get_in_scope, in_scope, may_open, require_roles, scope_clause, units_in_scope
from desk.audit import timeline
from desk.errors import DomainError, IllegalTransition, show_on_form
from desk.extensions import db
from desk.models import Level, OrgUnit, Role, User
from desk.timeutil import utc_of_local
from intake import bp
from intake.risk import services as risk
from intake.risk.forms import AcknowledgeWarningForm, CloseWarningForm, WarningFilterForm
from intake.risk.models import RiskEvidence, RiskKind, RiskLevel, RiskStatus, RiskWarning

S = RiskStatus
READERS = (Role.official, Role.commander, Role.admin)
PAGE = 50
ACTIONS = {"acknowledge": (AcknowledgeWarningForm, S.acknowledged), "close": (CloseWarningForm, S.closed)}
# Open first, then acknowledged, then closed; within each, red before orange before yellow.
STATUS_RANK = sa.case((RiskWarning.status == S.open, 0), (RiskWarning.status == S.acknowledged, 1), else_=2)
LEVEL_RANK = sa.case((RiskWarning.level == RiskLevel.red, 2), (RiskWarning.level == RiskLevel.orange, 1), else_=0)
# What the figure behind a warning counts, by kind (the threshold follows it in brackets).
MEASURES = {
    RiskKind.group_visit: _l("People in one visit"),
    RiskKind.same_matter: _l("People on similar matters within %(days)s days"),
    RiskKind.frequent: _l("Visits by one person within %(days)s days"),
    RiskKind.spike: _l("New matters within %(days)s days"),
}


# --- the list --------------------------------------------------------------------------------------------------

@dataclass
class WarningFilters:
    kind: RiskKind | None = None
    level: RiskLevel | None = None
    status: RiskStatus | None = None
    town_id: int | None = None
    start: object = None
    end: object = None


def _filters() -> tuple[WarningFilterForm, WarningFilters]:
    """The filters from the query string; a value that fails validation is shown next to its field and ignored."""
    form = WarningFilterForm(MultiDict([(k, v) for k, v in request.args.items(multi=True)
                                        if k in WarningFilterForm.FIELDS and v]))
    form.town_id.choices = [("", "—")] + [(u.id, u.name) for u in units_in_scope(current_user, Level.town)]
    form.validate()

    def valid(field):
        return None if field.errors or field.data in ("", None) else field.data

    return form, WarningFilters(
        kind=RiskKind(valid(form.kind)) if valid(form.kind) else None,
        level=RiskLevel(valid(form.level)) if valid(form.level) else None,
        status=S(valid(form.status)) if valid(form.status) else None,
        town_id=valid(form.town_id), start=valid(form.start), end=valid(form.end))


def _filtered(user, f: WarningFilters, *, by_count: bool = False):
    """The user's warnings under the filters; ``by_count`` leaves out status and level (the counts' own axes)."""
    stmt = sa.select(RiskWarning).where(scope_clause(RiskWarning, user))
    if f.kind:
        stmt = stmt.where(RiskWarning.kind == f.kind)
    if f.town_id:
        stmt = stmt.where(RiskWarning.town_id == f.town_id)
    if f.start:
        stmt = stmt.where(RiskWarning.raised_at >= utc_of_local(f.start, time(0)))
    if f.end:
        stmt = stmt.where(RiskWarning.raised_at < utc_of_local(f.end + timedelta(days=1), time(0)))
    if not by_count:
        if f.level:
            stmt = stmt.where(RiskWarning.level == f.level)
        if f.status:
            stmt = stmt.where(RiskWarning.status == f.status)
    return stmt


def _counts(user, f: WarningFilters) -> dict:
    """Warnings by status and by level under the other filters."""
    inner = _filtered(user, f, by_count=True).with_only_columns(RiskWarning.status, RiskWarning.level).subquery()
    rows = db.session.execute(sa.select(inner.c.status, inner.c.level, sa.func.count())
                              .group_by(inner.c.status, inner.c.level)).all()
    by_status, by_level = {s: 0 for s in S}, {lv: 0 for lv in reversed(list(RiskLevel))}
    for status, level, n in rows:
        by_status[S(status)] += n
        by_level[RiskLevel(level)] += n
    return {"status": by_status, "level": by_level, "total": sum(by_status.values())}


def _cursor(w: RiskWarning) -> str:
    return f"{list(S).index(w.status)},{w.level.rank},{w.raised_at.isoformat()},{w.id}"


def _after(cursor: str | None):
    """SQL: the rows after the cursor in the list's order (status up, level down, raised down, id down)."""
    try:
        status, level, raised, ident = (cursor or "").split(",")
        status, level, raised, ident = int(status), int(level), datetime.fromisoformat(raised), int(ident)
    except ValueError:
        return None
    if not (0 <= status <= 2 and 0 <= level <= 2 and 0 < ident < 2**31):
        return None
    same_status, same_level = STATUS_RANK == status, LEVEL_RANK == level
    return sa.or_(STATUS_RANK > status, sa.and_(same_status, LEVEL_RANK < level),
                  sa.and_(same_status, same_level, RiskWarning.raised_at < raised),
                  sa.and_(same_status, same_level, RiskWarning.raised_at == raised, RiskWarning.id < ident))


def _places(warnings: list[RiskWarning]) -> dict[int, OrgUnit]:
    ids = {w.place_unit_id for w in warnings if w.place_unit_id}
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(sa.select(OrgUnit).where(OrgUnit.id.in_(ids)))}


@bp.route("/risk/warnings")
@require_roles(*READERS)
def risk_warnings():
    form, filters = _filters()
    stmt = _filtered(current_user, filters)
    after = _after(request.args.get("after"))
    if after is not None:
        stmt = stmt.where(after)
    rows = list(db.session.scalars(
        stmt.options(sa.orm.selectinload(RiskWarning.leader), sa.orm.selectinload(RiskWarning.category),
                     sa.orm.selectinload(RiskWarning.case))
        .order_by(STATUS_RANK, LEVEL_RANK.desc(), RiskWarning.raised_at.desc(), RiskWarning.id.desc())
        .limit(PAGE + 1)))
    args = {k: v for k, v in request.args.items() if k in WarningFilterForm.FIELDS and v and not form[k].errors}
    next_url = url_for("intake.risk_warnings", after=_cursor(rows[PAGE - 1]), **args) if len(rows) > PAGE else None
    return render_template("intake/risk/warnings.html", form=form, warnings=rows[:PAGE], places=_places(rows),
                           counts=_counts(current_user, filters), args=args, next_url=next_url, S=S,
                           RiskLevel=RiskLevel, measure=measure_text), 400 if form.errors else 200


# --- one warning -----------------------------------------------------------------------------------------------

def measure_text(w: RiskWarning) -> str:
    """The figure behind the warning against its threshold, in the reader's language."""
    if w.kind == RiskKind.extreme_words:
        return _("Words of extreme intent found: %(terms)s", terms="、".join((w.detail or {}).get("terms", [])))
    if w.kind == RiskKind.after_rereview:
        ended = (w.detail or {}).get("rereview_ended_on") or w.window_start.isoformat()
        return _("Came back after the re-review ended on %(day)s", day=ended)
    days = (w.window_end - w.window_start).days + 1
    what = str(MEASURES[w.kind]) % {"days": days}
    return _("%(what)s: %(measure)s (threshold %(threshold)s)", what=what, measure=w.measure, threshold=w.threshold)


def _forms(warning: RiskWarning) -> dict:
    """The step this user may take on the warning now, with a blank form."""
    if not risk.may_handle(current_user, warning):
        return {}
    return {name: form_class(formdata=None, prefix=name) for name, (form_class, target) in ACTIONS.items()
            if risk.WARNING_MACHINE.can(warning, target)}


def _evidence(warning: RiskWarning) -> list[dict]:
    rows = db.session.scalars(sa.select(RiskEvidence).where(RiskEvidence.warning_id == warning.id)
                              .options(sa.orm.selectinload(RiskEvidence.case), sa.orm.selectinload(RiskEvidence.visit))
                              .order_by(RiskEvidence.id)).all()
    may_link = may_open("intake.case_detail", current_user)
    return [{"case": e.case, "visit": e.visit, "link": may_link and in_scope(current_user, e.case)} for e in rows]


def _render(warning: RiskWarning, forms: dict | None = None, status: int = 200):
    actions = _forms(warning)
    actions.update({k: v for k, v in (forms or {}).items() if k in actions})
    leader_id = warning.leader_id or risk.responsible_leader(warning)
    leader = db.session.get(User, leader_id) if leader_id else None
    place = db.session.get(OrgUnit, warning.place_unit_id) if warning.place_unit_id else None
    return render_template("intake/risk/warning.html", warning=warning, actions=actions, leader=leader,
                           leader_stored=warning.leader_id is not None, place=place, measure=measure_text(warning),
                           evidence=_evidence(warning), history=timeline("risk_warning", warning.id),
                           case_link=warning.case is not None and may_open("intake.case_detail", current_user)
                           and in_scope(current_user, warning.case), S=S), status


@bp.route("/risk/warnings/<int:warning_id>")
@require_roles(*READERS)
def risk_warning(warning_id):
    return _render(get_in_scope(RiskWarning, warning_id, current_user))


@bp.route("/risk/warnings/<int:warning_id>/<any(acknowledge, close):action>", methods=["POST"])
@require_roles(*READERS)
def risk_warning_action(warning_id, action):
    warning = get_in_scope(RiskWarning, warning_id, current_user)
    db.session.refresh(warning, with_for_update=True)   # two clicks at once move it once (PostgreSQL)
    if not risk.may_handle(current_user, warning):
        abort(403)
    form_class, target = ACTIONS[action]
    if not risk.WARNING_MACHINE.can(warning, target):   # a stale page: someone moved it meanwhile
        flash(_stale_message(warning, action), "error")
        return _render(warning, status=409)
    form = form_class(prefix=action)
    if not form.validate_on_submit():
        return _render(warning, {action: form}, 400)
    try:
        if action == "acknowledge":
            risk.acknowledge_warning(warning=warning, actor=current_user, note=form.note.data)
        else:
            risk.close_warning(warning=warning, actor=current_user, outcome=form.outcome.data, note=form.note.data)
    except DomainError as err:
        db.session.rollback()
        warning = get_in_scope(RiskWarning, warning_id, current_user)
        if isinstance(err, IllegalTransition):
            flash(str(err.message), "error")
            return _render(warning, status=409)
        show_on_form(form, err)
        return _render(warning, {action: form}, 400)
    db.session.commit()
    flash(_("Warning %(number)s: %(status)s.", number=warning.number, status=warning.status.title), "success")
    return redirect(url_for("intake.risk_warning", warning_id=warning.id))


def _stale_message(warning: RiskWarning, action: str) -> str:
    if action == "acknowledge":
        return _("Warning %(number)s is now “%(status)s”: it cannot be acknowledged again. The page shows its "
                 "current state.", number=warning.number, status=warning.status.title)
    return _("Warning %(number)s is now “%(status)s”: it cannot be closed now. The page shows its current state.",
             number=warning.number, status=warning.status.title)
