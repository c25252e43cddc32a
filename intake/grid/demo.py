"""Demo grid events in the demo town of 台山市 over the last year, in every state: resolved on the spot, handled by
the town station or the demo mediator, dispatched to a department through a case and its dispatch order (人社局,
so the demo officer sees them), turned into cases, closed and rated; and today's fresh reports to dispatch.

History is written as rows with their audit trail (fast); events that need a case and an order go through the
services, with the desk's clock pinned at their moments. The draws come from a copy of the demo's generator,
so the other areas' demo data stays what it was."""
import random
from datetime import timedelta

import sqlalchemy as sa

from desk.demo.seed import SeedContext, demo_county, demo_town
from desk.extensions import db
from desk.models import AuditEntry, Counter, Level, OrgUnit, next_number
from desk.timeutil import to_local
from intake.grid import services as grid
from intake.grid.models import DispatchTarget, EventKind, EventRating, EventStatus as S, GridEvent

EVENTS = {"small": 300, "city": 600}
DEPARTMENT_DAYS = 20
TEXTS = {
    EventKind.dispute: ["两户村民因宅基地界线发生争执，情绪激动", "邻里因排水沟堵塞互相指责，需要调解",
                        "承包鱼塘合同到期后双方对补偿金额有争议"],
    EventKind.safety: ["村道旁电线杆倾斜，存在倒伏隐患", "出租屋楼道堆放电动车充电，存在消防隐患", "河堤护栏损坏，雨天路滑"],
    EventKind.sanitation: ["村口垃圾收集点满溢，气味较大", "小河涌有生活污水排入，水面发黑"],
    EventKind.livelihood: ["独居老人反映自来水压力不足", "村民反映路灯损坏多日无人维修", "低保户咨询医保报销手续"],
    EventKind.petition_sign: ["多名工人聚集讨要工资，扬言到市里上访", "村民对征地补偿分配方案不满，准备联名上访"],
    EventKind.other: ["群众反映流浪犬伤人，请求处理", "外来人员在村内长期滞留，需核实情况"],
}
RESULTS = ["已现场劝解，双方达成一致意见", "已联系相关单位维修完毕，群众表示满意", "已组织清理，并张贴告示提醒",
           "经调解双方签订协议，矛盾化解", "已上门核实并协调解决"]
KIND_WEIGHTS = [(EventKind.dispute, 30), (EventKind.safety, 20), (EventKind.sanitation, 18),
                (EventKind.livelihood, 18), (EventKind.petition_sign, 6), (EventKind.other, 8)]


def seed(ctx: SeedContext) -> None:
    county, town = demo_county(ctx), demo_town(ctx)
    members = [ctx.users.get("grid"), ctx.users.get("grid2")]
    commander = ctx.users.get("commander")
    grids = list(db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level == Level.grid, OrgUnit.town_id == town.id)
                                    .order_by(OrgUnit.code)))
    if None in members or commander is None or len(grids) < 2:
        return
    members[0].grids = grids[:2]
    members[1].grids = grids[2:4] or grids[:1]
    db.session.flush()
    rng = random.Random()
    rng.setstate(ctx.rng.getstate())
    officer, mediator = ctx.users.get("officer"), _mediator_talent(ctx)
    categories = sorted(ctx.categories.values(), key=lambda c: c.code)
    now = ctx.today_at(17)
    events = []
    for number in range(EVENTS.get(ctx.size, 300)):
        member = members[0] if number % 3 else members[1]
        grid_unit = rng.choice(member.grids)
        age = timedelta(days=rng.uniform(0, 365)) if number > 12 else timedelta(hours=rng.uniform(1, 60))
        reported = min(now - age, now - timedelta(minutes=30))
        reported = reported.replace(hour=min(reported.hour, 10))   # by 18:00 China time
        kind = _pick(rng, KIND_WEIGHTS)
        event = GridEvent(kind=kind, status=S.reported, category=rng.choice(categories),
                          description=rng.choice(TEXTS[kind]), reporter_id=member.id, reporter=member,
                          reported_at=reported, latitude=round(22.25 + grid_unit.id % 97 / 1000, 6),
                          longitude=round(112.79 + grid_unit.id % 89 / 1000, 6))
        event.place_at(grid_unit)
        events.append(event)
    events.sort(key=lambda e: e.reported_at)
    _number(county, events)
    audit = [_row(e, e.reporter_id, "create", None, S.reported, e.reported_at) for e in events]
    try:
        # The history is drawn in memory and inserted in one flush; the few that go through the services follow.
        deferred = [step for event in events
                    if (step := _life(ctx, rng, event, audit, now=now, commander=commander, officer=officer,
                                      mediator=mediator))]
        db.session.add_all(events)
        db.session.flush()
        db.session.execute(AuditEntry.__table__.insert(), [dict(row, entity_id=row["entity_id"].id) for row in audit])
        for step in deferred:
            step()
    finally:
        ctx.clock()
    db.session.flush()


def _number(county, events) -> None:
    """Numbers in the order of reporting, each year's taken from its counter in one step."""
    by_year: dict[int, list] = {}
    for event in events:
        by_year.setdefault(to_local(event.reported_at).year, []).append(event)
    for year, rows in by_year.items():
        key = f"grid_event:{county.id}:{year}"
        first = next_number(key)
        table = Counter.__table__
        db.session.execute(table.update().where(table.c.key == key).values(value=first + len(rows) - 1))
        for offset, event in enumerate(rows):
            event.number = f"{county.prefix or 'XX'}-WG-{year}-{first + offset:05d}"


def _mediator_talent(ctx):
    from referrals.talent.models import Talent
    user = ctx.users.get("mediator")
    return db.session.scalar(sa.select(Talent).where(Talent.user_id == user.id)) if user else None


def _pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _row(event, actor_id, action, src, dst, at) -> dict:
    return {"actor_id": actor_id, "entity": "grid_event", "entity_id": event, "action": action,
            "from_state": src.value if src else None, "to_state": dst.value if dst else None, "at": at,
            "reason": None, "detail": None}


def _life(ctx, rng, event: GridEvent, audit: list, *, now, commander, officer, mediator):
    """One event's life up to ``now``, drawn at random; what needs the services is returned to run later."""
    reported, roll = event.reported_at, rng.random()
    if roll < 0.2 and event.kind == EventKind.petition_sign:
        at = min(reported + timedelta(hours=rng.randint(1, 20)), now)
        name = rng.choice(["陈伟强", "黄秀梅", "李国栋", "梁少芬"])
        return lambda: (ctx.clock(at), grid.convert_event(event, actor=commander, name=name, now=at))
    if roll < 0.35:                                               # resolved on the spot by the member
        at = min(reported + timedelta(minutes=rng.randint(10, 240)), now)
        event.status, event.result, event.handled_by_id = S.closed, rng.choice(RESULTS), event.reporter_id
        event.handled_at = event.closed_at = at
        event.closed_by_id, event.handle_due_at = event.reporter_id, grid.handle_due(at)
        audit.append(_row(event, event.reporter_id, "close", S.reported, S.closed, at))
        _rate(rng, event, audit, now)
        return
    dispatched = reported + timedelta(hours=rng.uniform(0.5, 30))
    if dispatched > now or (now - reported < timedelta(hours=30) and roll > 0.75):
        return                                                    # still waiting for the commander
    # Through a case and a dispatch order (the services: slower) for the last few weeks' events only.
    recent = now - reported < timedelta(days=DEPARTMENT_DAYS)
    target = DispatchTarget.department if roll < 0.6 and recent and officer is not None else \
        DispatchTarget.mediator if roll < 0.6 and mediator is not None else DispatchTarget.station
    if target == DispatchTarget.department:
        plan = random.Random(rng.random())
        return lambda: _through_an_order(ctx, plan, event, now=now, dispatched=dispatched, commander=commander,
                                         officer=officer)
    event.target, event.dispatched_by_id, event.dispatched_at = target, commander.id, dispatched
    event.handle_due_at, event.status = grid.handle_due(dispatched), S.dispatched
    event.assignee_id = mediator.user_id if target == DispatchTarget.mediator else None
    audit.append(_row(event, commander.id, "assign", S.reported, S.dispatched, dispatched))
    handler = event.assignee_id or commander.id
    handled = dispatched + timedelta(days=rng.choice([0.3, 1, 2, 3, 5, 6, 8, 10]))
    if handled > now:
        return
    event.status, event.result, event.handled_by_id, event.handled_at = S.handled, rng.choice(RESULTS), handler, handled
    audit.append(_row(event, handler, "done", S.dispatched, S.handled, handled))
    closed = handled + timedelta(hours=rng.uniform(2, 60))
    if closed > now:
        return
    event.status, event.closed_by_id, event.closed_at = S.closed, commander.id, closed
    audit.append(_row(event, commander.id, "close", S.handled, S.closed, closed))
    _rate(rng, event, audit, now)


def _rate(rng, event: GridEvent, audit: list, now) -> None:
    rated = event.closed_at + timedelta(hours=rng.uniform(1, 72))
    if rated > now or rng.random() < 0.25:
        return
    event.rating = _pick(rng, [(EventRating.satisfied, 80), (EventRating.basic, 16), (EventRating.dissatisfied, 4)])
    event.status, event.rated_at = S.rated, rated
    audit.append(_row(event, event.reporter_id, "rate", S.closed, S.rated, rated))


def _through_an_order(ctx, rng, event: GridEvent, *, now, dispatched, commander, officer) -> None:
    """Dispatch to 人社局 through the services (a case and its order), then the order's life as the officer and
    the commander live it, and the event following it."""
    from referrals.orders import services as orders
    ctx.clock(dispatched)
    grid.dispatch_event(event, actor=commander, target=DispatchTarget.department, department_id=officer.department_id,
                        instructions="请核实情况并依法处理，按时反馈", contact_name=event.reporter.display_name,
                        now=dispatched)
    order = event.order
    moments = [dispatched + timedelta(hours=h) for h in (2, 3, 24 * rng.uniform(1, 8), 24 * rng.uniform(8.5, 10))]
    for step, at in zip(("sign", "start", "report", "verify"), moments):
        if at > now:
            break
        ctx.clock(at)
        if step == "sign":
            orders.sign_order(order, actor=officer, now=at)
        elif step == "start":
            orders.start_order(order, actor=officer)
        elif step == "report":
            orders.report_order(order, actor=officer, text=rng.choice(RESULTS), staff_visits=rng.randint(1, 4), now=at)
        else:
            orders.verify_order(order, actor=commander, now=at)
    grid.follow_order(event)
    if event.status == S.closed:
        _rate_through_service(ctx, rng, event, now)


def _rate_through_service(ctx, rng, event: GridEvent, now) -> None:
    rated = event.closed_at + timedelta(hours=rng.uniform(1, 72))
    if rated > now or rng.random() < 0.25:
        return
    ctx.clock(rated)
    grid.rate_event(event, actor=event.reporter, rating=_pick(rng, [(EventRating.satisfied, 85),
                                                                   (EventRating.basic, 15)]), now=rated)

