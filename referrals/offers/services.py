"""Referrals: a case offered to a room or a member; accepted by exactly one; expiring to the next candidate."""
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from desk import cases
from desk.audit import record_audit
from desk.caseworkers import case_worker_finder
from desk.errors import Conflict, DomainError
from desk.extensions import db
from desk.models import Case, CaseStatus, Room
from desk.notify import notify
from desk.statemachine import StateMachine
from desk.timeutil import local_today, utcnow
from referrals.offers.models import Referral, ReferralNote, ReferralOutcome, ReferralStatus
from referrals.talent.matching import rank_talent_for_case
from referrals.talent.models import Talent
from referrals.talent.rotation import on_duty_in_room

R = ReferralStatus
TRANSITIONS = {
    R.offered: {R.accepted, R.declined, R.expired},
    R.accepted: {R.in_progress},
    R.in_progress: {R.done},
    R.declined: set(),
    R.expired: set(),
    R.done: set(),
}
REFERRAL_MACHINE = StateMachine("referral", TRANSITIONS)
OPEN = (R.accepted, R.in_progress)


def _expiry(now: datetime) -> datetime:
    return now + timedelta(minutes=current_app.config["OFFER_EXPIRY_MINUTES"])


def _new_referral(case: Case, actor, *, room: Room | None = None, talent: Talent | None = None,
                  score: float | None = None) -> Referral:
    if case.status not in (CaseStatus.registered, CaseStatus.accepted, CaseStatus.in_progress):
        raise DomainError(_l("Only an open case can be referred."))
    now = utcnow()
    referral = Referral(case_id=case.id, room_id=room.id if room else None,
                        offered_to_id=talent.id if talent else None, score=score, offered_at=now,
                        expires_at=_expiry(now), created_by_id=getattr(actor, "id", None))
    _copy_place(referral, case)
    db.session.add(referral)
    db.session.flush()
    record_audit(actor=actor, entity="referral", entity_id=referral.id, action="offer", to_state=R.offered,
                 detail={"case": case.reference, "room": room.id if room else None,
                         "talent": talent.id if talent else None})
    title = f"{case.reference} {case.title}"
    targets = [talent] if talent else on_duty_in_room(room.id, local_today())
    for member in targets:
        if member.user_id:
            notify(member.user_id, "offer", title=title, link=f"/referrals/my#referral-{referral.id}",
                   dedupe_key=f"offer:{referral.id}:{member.id}")
    return referral


def _copy_place(referral: Referral, case: Case) -> None:
    for column in ("city_id", "county_id", "town_id", "village_id", "grid_id"):
        setattr(referral, column, getattr(case, column))


def refer_to_talent(case: Case, talent: Talent, *, actor, score: float | None = None) -> Referral:
    return _new_referral(case, actor, talent=talent, score=score)


def refer_to_room(case: Case, room: Room, *, actor) -> Referral:
    return _new_referral(case, actor, room=room)


def visible_to(talent: Talent) -> sa.Select:
    """Offers addressed to this member or to their room, and the referrals they hold."""
    mine = sa.or_(Referral.talent_id == talent.id,
                  sa.and_(Referral.status == R.offered, Referral.offered_to_id == talent.id))
    if talent.room_id:
        mine = sa.or_(mine, sa.and_(Referral.status == R.offered, Referral.room_id == talent.room_id))
    return sa.select(Referral).where(mine)


def accept(referral_id: int, *, talent: Talent, actor) -> Referral:
    """Exactly one member wins a slot: a single conditional UPDATE decides, whatever the concurrency."""
    table = Referral.__table__
    addressed = sa.or_(table.c.offered_to_id == talent.id, table.c.room_id == talent.room_id) \
        if talent.room_id else table.c.offered_to_id == talent.id
    now = utcnow()
    won = db.session.execute(
        table.update().where(table.c.id == referral_id, table.c.status == R.offered.value, addressed,
                             table.c.expires_at > now)
        .values(status=R.accepted.value, talent_id=talent.id, answered_at=now)).rowcount
    if won != 1:
        raise Conflict(_l("Already taken: someone else accepted this referral, or it expired."))
    referral = db.session.get(Referral, referral_id)
    db.session.refresh(referral)
    record_audit(actor=actor, entity="referral", entity_id=referral.id, action="accept", from_state=R.offered,
                 to_state=R.accepted)
    db.session.execute(sa.update(Talent).where(Talent.id == talent.id).values(open_load=Talent.open_load + 1))
    case = referral.case
    if case.status == CaseStatus.registered:
        cases.accept_case(case, actor=actor)
    if case.status == CaseStatus.accepted:
        cases.start_work(case, actor=actor, reason=_l("Referral accepted by %(name)s", name=talent.name))
    return referral


def decline(referral: Referral, *, talent: Talent, actor, reason: str) -> Referral:
    if not reason.strip():
        raise DomainError(_l("Give the reason for declining."), field="reason")
    if referral.offered_to_id != talent.id:
        raise DomainError(_l("A room's offer is left for the others on duty; only a personal offer is declined."))
    REFERRAL_MACHINE.move(referral, R.declined, actor=actor, action="decline", reason=reason)
    referral.decline_reason, referral.answered_at = reason, utcnow()
    offer_next(referral, actor=actor)
    return referral


def check_in(referral: Referral, *, actor) -> Referral:
    REFERRAL_MACHINE.move(referral, R.in_progress, actor=actor, action="check_in")
    referral.checked_in_at = utcnow()
    return referral


def add_note(referral: Referral, *, actor, text: str) -> ReferralNote:
    if not text.strip():
        raise DomainError(_l("Write the note."), field="text")
    note = ReferralNote(referral_id=referral.id, author_id=actor.id, text=text.strip())
    db.session.add(note)
    return note


def finish(referral: Referral, *, actor, outcome: ReferralOutcome, note: str = "") -> Referral:
    """Record the outcome; concluding the case stays a staff action on the case page."""
    REFERRAL_MACHINE.move(referral, R.done, actor=actor, action="done", detail={"outcome": outcome.value})
    referral.outcome, referral.outcome_note, referral.done_at = outcome, note.strip() or None, utcnow()
    db.session.execute(sa.update(Talent).where(Talent.id == referral.talent_id, Talent.open_load > 0)
                       .values(open_load=Talent.open_load - 1))
    return referral


def offer_next(referral: Referral, *, actor) -> Referral | None:
    """Offer the case to the best-ranked member not yet asked for it."""
    case = referral.case
    if case.status not in (CaseStatus.registered, CaseStatus.accepted, CaseStatus.in_progress):
        return None
    if db.session.scalar(sa.select(Referral.id).where(Referral.case_id == case.id, Referral.status.in_(
            (R.offered,) + OPEN)).limit(1)):
        return None  # someone holds it or another offer is still open
    asked = set(db.session.scalars(sa.select(Referral.offered_to_id).where(Referral.case_id == case.id,
                                                                           Referral.offered_to_id.is_not(None))))
    result = rank_talent_for_case(case, exclude_talent_ids=asked, limit=1)
    if not result.ranked:
        return None
    best = result.ranked[0]
    return refer_to_talent(case, best.talent, actor=actor, score=best.score)


def expire_offers(now: datetime, *, actor=None) -> int:
    """Expire unanswered offers and pass each case on to the next candidate; safe to run twice."""
    table = Referral.__table__
    due = list(db.session.scalars(sa.select(Referral.id).where(Referral.status == R.offered,
                                                               Referral.expires_at <= now)))
    count = 0
    for referral_id in due:
        expired = db.session.execute(table.update().where(table.c.id == referral_id,
                                                          table.c.status == R.offered.value)
                                     .values(status=R.expired.value, answered_at=now)).rowcount
        if not expired:
            continue
        referral = db.session.get(Referral, referral_id)
        db.session.refresh(referral)
        record_audit(actor=actor, entity="referral", entity_id=referral.id, action="expire", from_state=R.offered,
                     to_state=R.expired)
        if referral.offered_to and referral.offered_to.user_id:
            notify(referral.offered_to.user_id, "offer_expired", title=referral.case.reference,
                   dedupe_key=f"offer_expired:{referral.id}")
        offer_next(referral, actor=actor)
        count += 1
    return count


@case_worker_finder
def members_who_acted(case_ids: list[int]):
    """(case id, member id) of referrals a member took on and acted on (checked in, or done): an offer
    declined, expired or taken on but never started is no handling of the case."""
    return db.session.execute(sa.select(Referral.case_id, Referral.talent_id).where(
        Referral.case_id.in_(case_ids), Referral.talent_id.is_not(None),
        Referral.status.in_([ReferralStatus.in_progress, ReferralStatus.done]))).all()
