"""Talent pool administration: list, edit with history, CSV import with progress."""
import uuid

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
import sqlalchemy as sa

from desk.access import get_in_scope, require_roles, scope_clause
from desk.audit import timeline
from desk.extensions import db
from desk.models import Category, Role, Room
from desk.params import id_arg
from referrals import bp
from referrals.talent import services as pool
from referrals.talent.forms import ImportForm, TalentForm
from referrals.talent.models import Talent, TalentRole, talent_skill

PAGE = 50


@bp.route("/talent")
@require_roles(Role.admin)
def talent_list():
    q, role, skill = request.args.get("q", "").strip(), request.args.get("role", ""), request.args.get("skill", "")
    language, after = request.args.get("language", ""), id_arg("after")
    stmt = sa.select(Talent).where(scope_clause(Talent, current_user))
    if q:
        stmt = stmt.where(Talent.name.contains(q))
    if role in {r.value for r in TalentRole}:
        stmt = stmt.where(Talent.role == TalentRole(role))
    if skill:
        stmt = stmt.where(Talent.id.in_(sa.select(talent_skill.c.talent_id).where(
            talent_skill.c.category_id == id_arg("skill"))))
    if language:
        stmt = stmt.where(Talent.languages.contains(language))
    if after:
        stmt = stmt.where(Talent.id > after)
    rows = list(db.session.scalars(stmt.order_by(Talent.id).limit(PAGE + 1)))
    next_after = rows[PAGE - 1].id if len(rows) > PAGE else None
    categories = db.session.scalars(sa.select(Category).order_by(Category.code)).all()
    args = {k: v for k, v in request.args.items() if k != "after"}
    return render_template("referrals/talent/list.html", talent=rows[:PAGE], categories=categories,
                           roles=TalentRole, args=args,
                           next_url=url_for("referrals.talent_list", after=next_after, **args) if next_after else None)


@bp.route("/talent/<int:talent_id>", methods=["GET", "POST"])
@require_roles(Role.admin)
def talent_edit(talent_id):
    talent = get_in_scope(Talent, talent_id, current_user)
    # Filled from the record only for display: a POST is read from the form alone (a field the browser did
    # not send must not keep the record's own value, e.g. its conflict rows in place of text).
    form = TalentForm(obj=talent) if request.method == "GET" else TalentForm()
    categories = db.session.scalars(sa.select(Category).order_by(Category.code)).all()
    form.skills.choices = [(c.id, c.name) for c in categories]
    rooms = db.session.scalars(sa.select(Room).where(Room.site_id == talent.site_id)).all() if talent.site_id else []
    form.room_id.choices = [(0, "—")] + [(r.id, r.name) for r in rooms]
    if request.method == "GET":
        form.skills.data = [c.id for c in talent.skills]
        form.languages.data = talent.language_list
        form.weekdays.data = talent.weekday_list
        form.room_id.data = talent.room_id or 0
        form.conflicts.data = "\n".join(c.name for c in talent.conflicts)
    if form.validate_on_submit():
        pool.update_talent(talent, actor=current_user, name=form.name.data, role=form.role.data,
                           skills=[c for c in categories if c.id in set(form.skills.data)],
                           languages=form.languages.data, stationing=form.stationing.data,
                           weekdays=form.weekdays.data, room_id=form.room_id.data or None,
                           capacity=form.capacity.data, licence_no=form.licence_no.data or "",
                           active=form.active.data, conflicts=(form.conflicts.data or "").splitlines())
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("referrals.talent_edit", talent_id=talent.id))
    return render_template("referrals/talent/edit.html", form=form, talent=talent,
                           entries=timeline("talent", talent.id))


@bp.route("/talent/import", methods=["GET", "POST"])
@require_roles(Role.admin)
def talent_import():
    form = ImportForm()
    if form.validate_on_submit():
        raw = form.file.data.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors.append(_("The file is not UTF-8 text."))
        else:
            key = uuid.uuid4().hex
            pool.start_background_import(current_app._get_current_object(), text, current_user.id, key)
            return redirect(url_for("referrals.talent_import_status", key=key))
    return render_template("referrals/talent/import.html", form=form, header=pool.CSV_HEADER, report=None, key=None)


@bp.route("/talent/import/<key>")
@require_roles(Role.admin)
def talent_import_status(key):
    report = pool.IMPORTS.get(key)
    if report is None:
        abort(404)
    if request.args.get("format") == "json":
        return jsonify(total=report.total, processed=report.processed, imported=report.imported,
                       errors=len(report.errors), done=report.done)
    return render_template("referrals/talent/import.html", form=None, header=pool.CSV_HEADER, report=report, key=key)
