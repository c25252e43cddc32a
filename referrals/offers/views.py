"""Referrals: refer a case, the member's inbox ("my work"), and room boards."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
import sqlalchemy as sa

from desk.access import get_in_scope, in_scope, parse_id, require_roles
from desk.errors import DomainError
from desk.extensions import db
from desk.models import Case, Role, Room, Site
from desk.panels import case_panel
from desk.timeutil import local_today
from referrals import bp
from referrals.offers import services as offers
from referrals.offers.forms import DeclineForm, FinishForm, NoteForm
from referrals.offers.models import Referral, ReferralOutcome, ReferralStatus
from referrals.talent.matching import TITLES, WEIGHTS, rank_talent_for_case
from referrals.talent.models import Talent
from referrals.talent.rotation import duty_state, on_duty_in_room

REFERRERS = (Role.receptionist, Role.commander, Role.admin)


def _my_talent() -> Talent:
    talent = db.session.scalar(sa.select(Talent).where(Talent.user_id == current_user.id))
    if talent is None:
        abort(404)
    return talent


@bp.route("/my")
@require_roles(Role.talent)
def my_work():
    talent = _my_talent()
    rows = list(db.session.scalars(offers.visible_to(talent).order_by(Referral.offered_at.desc()).limit(100)))
    return render_template("referrals/offers/my_work.html", talent=talent, referrals=rows, R=ReferralStatus,
                           decline_form=DeclineForm(), note_form=NoteForm(), finish_form=FinishForm(),
                           duty=duty_state(talent, local_today()))


@bp.route("/r/<int:referral_id>/<any(accept, decline, check_in, note, finish):action>", methods=["POST"])
@require_roles(Role.talent)
def referral_action(referral_id, action):
    talent = _my_talent()
    referral = db.session.get(Referral, referral_id)
    if referral is None or not in_scope(current_user, referral):
        abort(404)
    # Anyone addressed may try to accept (and learn it was taken); everything else is the holder's.
    visible = db.session.scalar(offers.visible_to(talent).where(Referral.id == referral_id))
    addressed = referral.offered_to_id == talent.id or bool(talent.room_id and referral.room_id == talent.room_id)
    if action == "accept" and not addressed:
        abort(404)   # an offer to someone else: not even "already taken"
    try:
        if action == "accept":
            offers.accept(referral_id, talent=talent, actor=current_user)
            flash(_("Accepted. The case is yours."), "success")
        elif visible is None:
            abort(404)
        elif action == "decline":
            form = DeclineForm()
            offers.decline(referral, talent=talent, actor=current_user,
                           reason=form.reason.data or "" if form.validate_on_submit() else "")
        elif action == "check_in":
            offers.check_in(referral, actor=current_user)
        elif action == "note":
            form = NoteForm()
            offers.add_note(referral, actor=current_user, text=form.text.data or "")
        else:
            form = FinishForm()
            outcome = form.outcome.data if form.validate_on_submit() else ""
            offers.finish(referral, actor=current_user,
                          outcome=ReferralOutcome(outcome) if outcome else ReferralOutcome.advice,
                          note=form.note.data or "")
    except DomainError as err:
        db.session.rollback()
        flash(str(err.message), "error")
        return redirect(url_for("referrals.my_work") + f"#referral-{referral_id}")
    db.session.commit()
    return redirect(url_for("referrals.my_work") + f"#referral-{referral_id}")


@bp.route("/cases/<int:case_id>/refer", methods=["GET", "POST"])
@require_roles(*REFERRERS)
def refer_case(case_id):
    case = get_in_scope(Case, case_id, current_user)
    if request.method == "POST":
        try:
            talent_id, room_id = parse_id(request.form.get("talent_id")), parse_id(request.form.get("room_id"))
            if talent_id is not None:
                talent = db.session.get(Talent, talent_id)
                if talent is None or talent.county_id != case.county_id:
                    abort(400)
                offers.refer_to_talent(case, talent, actor=current_user, score=_score(request.form.get("score")))
            elif room_id is not None:
                room = db.session.get(Room, room_id)
                if room is None or not in_scope(current_user, room.site.org_unit):
                    abort(400)
                offers.refer_to_room(case, room, actor=current_user)
            else:
                abort(400)
        except DomainError as err:
            db.session.rollback()
            flash(str(err.message), "error")
        else:
            db.session.commit()
            flash(_("Referral offered."), "success")
            return redirect(url_for("intake.case_detail", case_id=case.id))
    result = rank_talent_for_case(case, limit=15)
    site = db.session.get(Site, case.site_id) if case.site_id else None
    rooms = site.rooms if site else []
    return render_template("referrals/offers/refer.html", case=case, result=result, rooms=rooms, TITLES=TITLES,
                           WEIGHTS=WEIGHTS)


def _score(text) -> float | None:
    """The ranking's score shown beside the member, sent back with the choice; anything else is no score."""
    try:
        value = float(text or 0)
    except ValueError:
        return None
    return value if 0 < value <= 1 else None


@bp.route("/rooms")
@require_roles(*REFERRERS)
def room_boards():
    sites = db.session.scalars(sa.select(Site).join(Site.org_unit).where(
        Site.org_unit_id == current_user.org_unit_id)).all() or \
        db.session.scalars(sa.select(Site).where(Site.id == current_user.site_id)).all()
    today = local_today()
    boards = [(room, on_duty_in_room(room.id, today), _room_referrals(room)) for site in sites for room in site.rooms]
    return render_template("referrals/offers/room_boards.html", boards=boards, today=today)


@bp.route("/rooms/<int:room_id>")
@require_roles(*REFERRERS)
def room_board(room_id):
    room = db.session.get(Room, room_id) if parse_id(room_id) else None
    if room is None or not in_scope(current_user, room.site.org_unit):
        abort(404)
    today = local_today()
    return render_template("referrals/offers/room_boards.html", boards=[(room, on_duty_in_room(room.id, today),
                                                                  _room_referrals(room))], today=today)


def _room_referrals(room: Room) -> list[Referral]:
    return list(db.session.scalars(sa.select(Referral).where(
        Referral.room_id == room.id, Referral.status.in_([ReferralStatus.offered, ReferralStatus.accepted,
                                                         ReferralStatus.in_progress]))
        .order_by(Referral.offered_at).limit(50)))


def room_queue_tickets(room: Room, day) -> list:
    """The room's tickets still waiting or being served (the desk's ticket queue)."""
    from desk.tickets import queue
    return [t for t in queue(room.site_id, day, room.id) if t.status.value in ("waiting", "called", "serving")]


@bp.app_context_processor
def _room_queue():
    return {"room_queue_tickets": room_queue_tickets}


@case_panel
def _referrals_panel(case: Case):
    rows = list(db.session.scalars(sa.select(Referral).where(Referral.case_id == case.id)
                                   .order_by(Referral.offered_at)))
    can_refer = current_user.has_role(*REFERRERS)
    if not rows and not can_refer:
        return None
    return Markup(render_template("referrals/offers/_case_panel.html", case=case, referrals=rows, can_refer=can_refer))

