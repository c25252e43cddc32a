"""Satisfaction callbacks (回访): opened when a case is concluded, rated by staff or by the citizen with the
tracking code, and "not rated in time" once the window has passed (DOMAIN.md: satisfaction measures)."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm
from flask import current_app
from flask_babel import lazy_gettext as _l

from desk import stages
from desk.access import scope_clause
from desk.audit import record_audit
from desk.caseworkers import talent_who_handled
from desk.crypto import lookup_hash
from desk.errors import Conflict, DomainError, IllegalTransition
from desk.extensions import db
from desk.models import REPLIED_STATUSES, Case, CaseStatus, Counter, OrgUnit, StageKind
from desk.statemachine import StateMachine
from desk.timeutil import to_local
from desk.transactions import insert_ignoring_duplicates
from referrals.talent.matching import record_talent_rating
from reports.callbacks.models import Callback, CallbackChannel, CallbackStatus, Rating

S = CallbackStatus
TRANSITIONS = {
    S.pending: {S.rated, S.not_rated_in_time},
    S.rated: set(),
    S.not_rated_in_time: set(),
}
CALLBACK_MACHINE = StateMachine("callback", TRANSITIONS)
PLACE_COLUMNS = ("city_id", "county_id", "town_id", "village_id", "grid_id")
STAFF_CHANNELS = (CallbackChannel.phone, CallbackChannel.sms, CallbackChannel.visit, CallbackChannel.online)


def window_days() -> int:
    return int(current_app.config.get("CALLBACK_WINDOW_DAYS", 15))


def due_date(concluded_on: date) -> date:
    """The last day a rating counts: CALLBACK_WINDOW_DAYS calendar days after conclusion (default 15)."""
    return concluded_on + timedelta(days=window_days())


def open_callbacks_for_concluded(now: datetime, *, unit: OrgUnit | None = None, case_id: int | None = None,
                                 dry_run: bool = False) -> int:
    """Open one pending callback per conclusion of a case that has none yet; idempotent.

    Every written reply gets its round: a review or re-review reply is newer than every callback's
    ``concluded_on`` (the date of the reply a callback asks about). Looks at cases just replied to, and at
    cases closed since the window began (closed soon after the reply, before any run saw them). ``dry_run`` only tells whether there is anything to open.
    """
    today = to_local(now).date()
    earlier = sa.select(Callback.id).where(Callback.case_id == Case.id,
                                           Callback.concluded_on >= Case.last_reply_on).exists()
    rounds = (sa.select(sa.func.coalesce(sa.func.max(Callback.round), 0)).where(Callback.case_id == Case.id)
              .scalar_subquery())
    query = (sa.select(Case.id, Case.category_id, Case.last_reply_on.label("concluded_on"), rounds.label("rounds"),
                       *[getattr(Case, c) for c in PLACE_COLUMNS])
             .where(Case.last_reply_on.is_not(None), ~earlier,
                    sa.or_(Case.status.in_([CaseStatus.concluded, CaseStatus.final]),
                           sa.and_(Case.status == CaseStatus.closed,
                                   Case.last_reply_on >= today - timedelta(days=window_days())))))
    if unit is not None:
        query = query.where(getattr(Case, f"{unit.level.value}_id") == unit.id)
    if case_id is not None:
        query = query.where(Case.id == case_id)
    if dry_run:
        return 1 if db.session.execute(query.limit(1)).first() else 0
    rows = [{"case_id": r.id, "round": r.rounds + 1, "category_id": r.category_id,
             "concluded_on": r.concluded_on, "due_on": due_date(r.concluded_on), "status": S.pending.value,
             **{c: getattr(r, c) for c in PLACE_COLUMNS}}
            for r in db.session.execute(query)]
    return insert_ignoring_duplicates(Callback.__table__, rows)


def work_list(user, today: date, *, town_id: int | None = None, limit: int = 200) -> list[Callback]:
    """Pending callbacks in the user's scope whose window is still open, the soonest due first."""
    query = (sa.select(Callback).where(scope_clause(Callback, user), Callback.status == S.pending,
                                       Callback.due_on >= today)
             .order_by(Callback.due_on, Callback.id).limit(limit).options(sa.orm.selectinload(Callback.case)))
    if town_id:
        query = query.where(Callback.town_id == town_id)
    return list(db.session.scalars(query))


def recently_recorded(user, *, limit: int = 20) -> list[Callback]:
    return list(db.session.scalars(
        sa.select(Callback).where(scope_clause(Callback, user), Callback.status == S.rated)
        .order_by(Callback.rated_at.desc(), Callback.id.desc()).limit(limit).options(sa.orm.selectinload(Callback.case))))


def _rate(callback: Callback, *, actor, rating: Rating, channel: CallbackChannel, comment: str,
          now: datetime) -> Callback:
    """pending → rated by one conditional UPDATE: of two raters at once (staff and citizen) exactly one wins."""
    if not CALLBACK_MACHINE.can(callback, S.rated):
        raise IllegalTransition(_l("This callback has already been closed (%(status)s).",
                                   status=callback.status.title))
    today = to_local(now).date()
    if today > callback.due_on:
        raise Conflict(_l("The rating window closed on %(day)s.", day=callback.due_on.isoformat()))
    table = Callback.__table__
    won = db.session.execute(
        table.update().where(table.c.id == callback.id, table.c.status == S.pending.value,
                             table.c.due_on >= today)
        .values(status=S.rated.value, rating=rating.value, channel=channel.value, comment=comment or None,
                rated_at=now, recorded_by_id=getattr(actor, "id", None))).rowcount
    if won != 1:
        raise Conflict(_l("This matter has already been rated."))
    db.session.refresh(callback)
    credit_members([(callback.case_id, callback.category_id, rating)])
    record_audit(actor=actor, entity="callback", entity_id=callback.id, action="rate", from_state=S.pending,
                 to_state=S.rated, detail={"case": callback.case_id, "round": callback.round,
                                           "rating": rating.value, "channel": channel.value})
    return callback


SATISFIED = (Rating.satisfied, Rating.basic)   # DOMAIN.md: satisfied + basically satisfied


def credit_members(ratings: list[tuple[int, int, Rating]]) -> int:
    """Feed each (case id, category id, rating) to every member who handled the case, for the matching's
    "past satisfaction" in that category; returns how many member ratings were counted.

    Called once per callback, where it turns from pending to rated (a conditional UPDATE that succeeds
    once), so a callback is never counted twice. Who handled a case is what the areas say
    (desk.caseworkers): members who acted on a referral, and mediators. A member who only registered the
    matter during an outreach visit did not handle it and is not rated for it."""
    handled = talent_who_handled({case_id for case_id, _category, _rating in ratings})
    counted = 0
    for case_id, category_id, rating in ratings:
        for talent_id in sorted(handled.get(case_id, ())):
            record_talent_rating(talent_id, category_id, Rating(rating) in SATISFIED)
            counted += 1
    return counted


def record_callback(callback: Callback, *, actor, rating: str, channel: str, comment: str = "",
                    now: datetime) -> Callback:
    """Staff record the citizen's rating, how they were reached and what they said."""
    try:
        rating_value = Rating(rating)
    except ValueError:
        raise DomainError(_l("Choose the rating the citizen gave."), field="rating") from None
    try:
        channel_value = CallbackChannel(channel)
    except ValueError:
        channel_value = None
    if channel_value not in STAFF_CHANNELS:
        raise DomainError(_l("Choose how the citizen was reached."), field="channel")
    comment = (comment or "").strip()
    if rating_value == Rating.dissatisfied and not comment:
        raise DomainError(_l("Write down what the citizen is dissatisfied with."), field="comment")
    return _rate(callback, actor=actor, rating=rating_value, channel=channel_value, comment=comment, now=now)


def expire_unrated(now: datetime) -> int:
    """pending → not rated in time once the window has passed; a conditional UPDATE, safe to run twice."""
    today = to_local(now).date()
    table = Callback.__table__
    ids = list(db.session.scalars(sa.select(Callback.id).where(Callback.status == S.pending,
                                                               Callback.due_on < today).limit(20000)))
    count = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        expired = list(db.session.execute(
            table.update().where(table.c.id.in_(chunk), table.c.status == S.pending.value, table.c.due_on < today)
            .values(status=S.not_rated_in_time.value).returning(table.c.id)).scalars())
        for callback_id in expired:
            record_audit(actor=None, entity="callback", entity_id=callback_id, action="not_rated_in_time",
                         from_state=S.pending, to_state=S.not_rated_in_time)
        count += len(expired)
    return count


# --- reopening review after a dissatisfied rating -------------------------------------------------------------

def review_window(callback: Callback, today: date) -> dict:
    """Whether a dissatisfied rating can still lead to a review (复查) or re-review (复核): 30 days from the
    reply's delivery, once each."""
    case = callback.case
    kind = stages.next_stage_kind(case)
    open_ = (callback.rating == Rating.dissatisfied and kind is not None and case.request_due is not None
             and today <= case.request_due)
    later = [s for s in case.stages if s.kind != StageKind.handling and s.started_on >= callback.concluded_on]
    return {"open": open_, "until": case.request_due, "kind": kind, "reopened": bool(later)}


def reopen_after_dissatisfaction(callback: Callback, *, actor, reason: str, on: date) -> Case:
    """A dissatisfied citizen's review request, taken at the callback: reopens the case within its window."""
    if callback.rating != Rating.dissatisfied:
        raise DomainError(_l("Only a dissatisfied rating can lead to a review request here."))
    if not (reason or "").strip():
        raise DomainError(_l("Give the reason for the review request."), field="reason")
    return stages.request_next_stage(callback.case, actor=actor, reason=reason.strip(), on=on)


# --- the citizen's page: status and rating by tracking code ---------------------------------------------------

@dataclass
class TrackedMatter:
    """What a citizen sees for a tracking code: no names, no phone numbers, no text of the matter."""

    reference: str
    category: str
    status: CaseStatus
    received_on: date
    concluded_on: date | None
    callback: Callback | None
    can_rate: bool
    review_due: date | None


NOT_FOUND = _l("We cannot show a matter for this code. Check the code on your notice, or ask at any service "
               "window.")


def normalize_code(code: str) -> str:
    return "".join((code or "").split()).upper()[:16]


def count_lookup(address: str, now: datetime) -> bool:
    """Count one look-up per address and hour; False once the hourly limit is reached (slows guessing).
    The address is stored only as a keyed hash."""
    key = f"track:{lookup_hash(address or '-')[:24]}:{now:%Y%m%d%H}"
    table = Counter.__table__
    value = db.session.execute(table.update().where(table.c.key == key).values(value=table.c.value + 1)
                               .returning(table.c.value)).scalar()
    if value is None:
        insert_ignoring_duplicates(table, [{"key": key, "value": 1}])
        value = 1
    return value <= int(current_app.config.get("TRACK_LOOKUPS_PER_HOUR", 30))


def forget_old_lookups(now: datetime) -> int:
    """Drop the look-up counters of past hours (they only matter for the current one)."""
    current = f"track:%:{now:%Y%m%d%H}"
    return db.session.execute(sa.delete(Counter).where(Counter.key.like("track:%"), ~Counter.key.like(current))
                              ).rowcount or 0


def _case_by_code(code: str) -> Case | None:
    code = normalize_code(code)
    if len(code) < 6:
        return None
    return db.session.scalar(sa.select(Case).where(Case.tracking_code == code))


def _latest_callback(case: Case) -> Callback | None:
    return db.session.scalar(sa.select(Callback).where(Callback.case_id == case.id)
                             .order_by(Callback.round.desc()).limit(1))


def track(code: str, *, now: datetime) -> TrackedMatter:
    """The status of the matter behind a tracking code, or the neutral NOT_FOUND error."""
    case = _case_by_code(code)
    if case is None:
        raise DomainError(NOT_FOUND, field="code")
    callback = _latest_callback(case)
    today = to_local(now).date()
    can_rate = (case.status in REPLIED_STATUSES and case.last_reply_on is not None
                and (callback is None or (callback.status == S.pending and callback.concluded_on == case.last_reply_on
                                          and today <= callback.due_on))
                and today <= due_date(case.last_reply_on))
    return TrackedMatter(reference=case.reference, category=case.category.name, status=case.status,
                         received_on=case.received_on, concluded_on=case.concluded_on, callback=callback,
                         can_rate=can_rate, review_due=case.request_due)


def rate_by_tracking_code(code: str, *, rating: str, comment: str = "", now: datetime) -> Callback:
    """The citizen rates their own concluded matter once, inside the window."""
    case = _case_by_code(code)
    if case is None:
        raise DomainError(NOT_FOUND, field="code")
    if case.status not in REPLIED_STATUSES or case.last_reply_on is None:
        raise DomainError(_l("This matter is not concluded yet; you can rate it once it is."))
    try:
        rating_value = Rating(rating)
    except ValueError:
        raise DomainError(_l("Choose your rating."), field="rating") from None
    open_callbacks_for_concluded(now, case_id=case.id)
    callback = _latest_callback(case)
    if callback is None or callback.status != S.pending:
        raise Conflict(_l("This matter has already been rated, or its rating window has closed."))
    return _rate(callback, actor=None, rating=rating_value, channel=CallbackChannel.tracking_code,
                 comment=(comment or "").strip()[:2000], now=now)
