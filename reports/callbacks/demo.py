"""Demo callbacks for every concluded case of the last 13 months, and last month's archived summaries.

Runs last (the demo seed's follow-up stage), so every other area's records exist. Bulk inserts: the
city-size demo has a few thousand concluded cases. Summaries are only claimed here; each PDF is rendered
on its first download, so `make run` starts in seconds.
"""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from desk.demo.seed import SeedContext, demo_county, pick_weighted
from desk.extensions import db
from desk.models import AuditEntry, Case, CaseStage, StageKind
from reports.callbacks.models import Callback, CallbackChannel, CallbackStatus, Rating
from reports.callbacks.services import PLACE_COLUMNS, credit_members, due_date
from reports.summary import services as summary

RATINGS = [(Rating.satisfied, 70), (Rating.basic, 22), (Rating.dissatisfied, 8)]
CHANNELS = [(CallbackChannel.phone, 62), (CallbackChannel.sms, 12), (CallbackChannel.visit, 8),
            (CallbackChannel.online, 6), (CallbackChannel.tracking_code, 12)]
COMMENTS = {
    Rating.satisfied: ["办理及时，态度很好", "问题已解决，感谢", "调解员很耐心", "", "", ""],
    Rating.basic: ["结果可以接受，但等待时间较长", "基本解决，希望后续跟进", "答复清楚，执行还要观察", ""],
    Rating.dissatisfied: ["补偿金额太少", "对方仍未履行", "认为处理意见不公平", "问题没有实际解决"],
}
NOT_RATED_SHARE = 0.12      # of the closed windows: the citizen could not be reached in time
PENDING_SHARE = 0.7         # of the open windows: still waiting in today's work list


def _stamp(ctx, day, rng) -> datetime:
    """Office hours on ``day``, never after the demo's now."""
    return min(datetime.combine(day, time(1, 0)) + timedelta(minutes=rng.randint(0, 480)), ctx.now)


def _review_requested_on():
    return (sa.select(CaseStage.started_on).where(CaseStage.case_id == Case.id, CaseStage.kind == StageKind.review)
            .scalar_subquery().label("review_requested_on"))


def seed(ctx: SeedContext) -> None:
    rng, today = ctx.rng, ctx.today
    staff = ctx.users["callback"]
    concluded = db.session.execute(
        sa.select(Case.id, Case.category_id, Case.concluded_on, _review_requested_on(),
                  *[getattr(Case, c) for c in PLACE_COLUMNS])
        .where(Case.concluded_on.is_not(None), Case.concluded_on >= today - timedelta(days=400))
        .order_by(Case.id)).all()
    rows, audits = [], []
    for case in concluded:
        due_on = due_date(case.concluded_on)
        row = {"case_id": case.id, "round": 1, "category_id": case.category_id, "concluded_on": case.concluded_on,
               "due_on": due_on, "status": CallbackStatus.pending.value, "rating": None, "channel": None,
               "comment": None, "rated_at": None, "recorded_by_id": None,
               **{c: getattr(case, c) for c in PLACE_COLUMNS}}
        window_open = due_on >= today
        reopened = case.review_requested_on is not None
        if window_open and not reopened and rng.random() < PENDING_SHARE:
            rows.append(row)
            continue
        if not window_open and not reopened and rng.random() < NOT_RATED_SHARE:
            row["status"] = CallbackStatus.not_rated_in_time.value
            rows.append(row)
            continue
        rating = Rating.dissatisfied if reopened else pick_weighted(rng, RATINGS)
        channel = pick_weighted(rng, CHANNELS)
        last_day = min(due_on, today, case.review_requested_on or today)
        rated_on = case.concluded_on + timedelta(days=rng.randint(1, max(1, (last_day - case.concluded_on).days)))
        row.update(status=CallbackStatus.rated.value, rating=rating.value, channel=channel.value,
                   comment=rng.choice(COMMENTS[rating]) or None, rated_at=_stamp(ctx, min(rated_on, last_day), rng),
                   recorded_by_id=None if channel == CallbackChannel.tracking_code else staff.id)
        rows.append(row)
    if rows:
        ids = db.session.execute(sa.insert(Callback).returning(Callback.id, sort_by_parameter_order=True),
                                 rows).scalars().all()
        for callback_id, row in zip(ids, rows):
            if row["status"] == CallbackStatus.rated.value:
                audits.append({"at": row["rated_at"], "actor_id": row["recorded_by_id"], "entity": "callback",
                               "entity_id": callback_id, "action": "rate", "from_state": "pending",
                               "to_state": "rated", "detail": {"case": row["case_id"], "round": 1,
                                                                "rating": row["rating"], "channel": row["channel"]}})
            elif row["status"] == CallbackStatus.not_rated_in_time.value:
                audits.append({"at": _stamp(ctx, row["due_on"] + timedelta(days=1), rng), "actor_id": None,
                               "entity": "callback", "entity_id": callback_id, "action": "not_rated_in_time",
                               "from_state": "pending", "to_state": "not_rated_in_time", "detail": None})
        if audits:
            db.session.execute(sa.insert(AuditEntry), audits)
        # As a rating recorded on screen does: the members who handled each rated matter are credited, so
        # the matching's "past satisfaction" differs from member to member.
        credited = credit_members([(row["case_id"], row["category_id"], row["rating"]) for row in rows
                                   if row["status"] == CallbackStatus.rated.value])
        ctx.say(f"  {credited} ratings credited to the members who handled the matters")
    ctx.say(f"  {len(rows)} callbacks")
    year, month = summary.previous_month(datetime.combine(today, time(4, 0)))
    summary.claim([demo_county(ctx)], year, month)
    db.session.flush()
