"""Demo dispatch orders in 台山市 across the last 13 months, in every state: on time and late, returned
once, rated, overdue and escalated; and fresh orders from the demo commander (台城街道) to the demo
officer's department (人社局) to sign for, handle and report back, and one to verify.

History is written as rows with their audit trail (the cases it hangs on are long closed, so the
issue service, which wants an open case, does not apply); the fresh orders go through the services."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from desk.demo.seed import SeedContext, demo_county, demo_town
from desk.extensions import db
from desk.models import HANDLING_STATUSES, AuditEntry, Case, Category, next_number
from desk.timeutil import to_local
from referrals.orders import services as orders
from referrals.orders.jobs import run_order_clocks
from referrals.orders.models import DispatchOrder, OrderPriority, OrderReport, OrderStatus as S

ORDERS = {"small": 90, "city": 260}
INSTRUCTIONS = {
    "hrss": ["核实企业欠薪情况，督促限期足额支付劳动者工资", "对用工单位开展劳动保障监察，依法处理拖欠工资问题",
             "协助当事人申请劳动仲裁，并跟进社保补缴事宜"],
    "housing": ["核查房屋质量问题，组织开发商与业主协商维修方案", "督促物业公司整改，限期答复业主诉求"],
    "market": ["对涉事商户开展检查，依法处理消费纠纷", "核查预付卡退费问题，督促经营者履行承诺"],
    "urban": ["核查违章搭建情况，依法责令整改", "组织清理占道经营，回复群众诉求"],
}
GENERIC = ["会同属地镇街核实情况，依法依规处理并反馈", "约谈相关当事人，提出处理意见并书面反馈",
           "现场核查，制定处置方案，限期办结"]
REPORT_TEXT = ["已会同镇街工作人员现场核查，约谈相关责任方，问题已基本解决。",
               "已召集双方协调，达成处理意见，相关款项已落实。", "已依法立案调查并责令整改，整改情况将持续跟踪。"]
RETURN_REASONS = ["反馈未附整改凭证，请补充。", "处理意见未回应当事人主要诉求，请补充说明。", "现场照片不清晰，请重新提供。"]


@dataclass
class _Plan:
    case_id: int
    place: dict
    issued_at: datetime
    department_id: int
    department_code: str
    issued_by_id: int | None
    steps: list = field(default_factory=list)


def seed(ctx: SeedContext) -> None:
    rng = ctx.rng
    county, town = demo_county(ctx), demo_town(ctx)
    commander, officer = ctx.users.get("commander"), ctx.users.get("officer")
    departments = {code: d for (county_id, code), d in ctx.departments.items() if county_id == county.id}
    if not departments:
        return
    now = ctx.today_at(9)        # 09:00 in China on the demo day (or just before the demo's now)
    rows = db.session.execute(
        sa.select(Case.id, Case.created_at, Case.city_id, Case.county_id, Case.town_id, Case.village_id,
                  Case.grid_id, Category.department_code)
        .join(Category, Category.id == Case.category_id)
        .where(Case.county_id == county.id, Case.created_at < now - timedelta(days=3)).order_by(Case.id)).all()
    if not rows:
        return
    chosen = rng.sample(rows, min(ORDERS[ctx.size], len(rows)))
    plans = []
    for row in chosen:
        code = row.department_code if row.department_code in departments else rng.choice(sorted(departments))
        in_demo_town = row.town_id == town.id
        if in_demo_town and rng.random() < 0.5:
            code = "hrss" if "hrss" in departments else code
        issued_at = row.created_at + timedelta(hours=rng.randint(2, 96))
        if issued_at > now - timedelta(hours=2):
            issued_at = now - timedelta(hours=rng.randint(2, 30))
        plans.append(_Plan(case_id=row.id, issued_at=issued_at, department_id=departments[code].id,
                           department_code=code,
                           issued_by_id=commander.id if commander is not None and in_demo_town else None,
                           place={k: getattr(row, k) for k in ("city_id", "county_id", "town_id", "village_id",
                                                                  "grid_id")}))
    plans.sort(key=lambda p: p.issued_at)
    officer_id = officer.id if officer is not None else None
    for plan in plans:
        _history(rng, plan, county, now, officer_id)
    db.session.flush()
    if commander is not None and officer is not None and officer.department_id:
        _fresh(ctx, rng, town, commander, officer, now)
    try:
        ctx.clock(now)
        run_order_clocks(now)   # overdue and escalations of the history, as the scheduler would have
    finally:
        ctx.clock()
    db.session.flush()


def _history(rng, plan: _Plan, county, now: datetime, officer_id: int | None) -> None:
    """One order's life up to ``now``, drawn at random; stored with its audit rows and reports."""
    days = rng.choice([0, 1, 2, 2, 3, 3, 3, 5, 5, 7, 10])
    issued = plan.issued_at
    order = DispatchOrder(case_id=plan.case_id, issued_by_id=plan.issued_by_id, department_id=plan.department_id,
                          priority=rng.choices(list(OrderPriority), weights=[75, 20, 5])[0],
                          instructions=rng.choice(INSTRUCTIONS.get(plan.department_code, GENERIC)),
                          deadline_days=days, issued_at=issued,
                          sign_due_at=orders.sign_due(issued, days),
                          feedback_due_at=orders.feedback_due(issued, days), status=S.issued, **plan.place)
    year = to_local(issued).year
    order.number = f"{county.prefix or 'XX'}-ZL-{year}-{next_number(f'order:{county.id}:{year}'):04d}"
    trail = [("issue", None, S.issued, issued, plan.issued_by_id, None)]
    officer = officer_id if plan.department_code == "hrss" else None
    stuck = rng.random()

    def step(action, src, dst, at, actor, reason=None):
        if at > now:
            raise _Stop
        trail.append((action, src, dst, at, actor, reason))
        order.status = dst

    reports = []
    try:
        if stuck < 0.04:
            raise _Stop                                               # never signed
        signed = issued + timedelta(hours=rng.choice([0.5, 1, 2, 4, 6, 20, 30]) + rng.random())
        step("sign", S.issued, S.signed, signed, officer)
        order.signed_at = signed
        started = signed + timedelta(minutes=rng.randint(10, 300))
        step("start", S.signed, S.in_progress, started, officer)
        if stuck < 0.09:
            raise _Stop                                               # being handled (overdue if old)
        on_time = rng.random() < 0.8
        span = max(order.feedback_due_at - started, timedelta(hours=1))
        reported = started + span * rng.uniform(0.3, 0.95) if on_time else \
            order.feedback_due_at + timedelta(hours=rng.randint(2, 96))
        visits = rng.randint(1, 6)
        step("report", S.in_progress, S.reported, reported, officer)
        order.reported_at = reported
        reports.append(OrderReport(author_id=officer, text=rng.choice(REPORT_TEXT), staff_visits=visits, at=reported))
        order.staff_visits = visits
        last = reported
        if rng.random() < 0.2:
            returned = reported + timedelta(hours=rng.randint(3, 30))
            step("return", S.reported, S.in_progress, returned, plan.issued_by_id, rng.choice(RETURN_REASONS))
            order.returned_count = 1
            again = returned + timedelta(hours=rng.randint(5, 60))
            more = rng.randint(1, 3)
            step("report", S.in_progress, S.reported, again, officer)
            reports.append(OrderReport(author_id=officer, text="已按要求补充材料并再次核实。", staff_visits=more, at=again))
            order.staff_visits += more
            last = again
        if stuck < 0.14:
            raise _Stop                                               # awaiting verification
        verified = last + timedelta(hours=rng.randint(4, 72))
        step("verify", S.reported, S.verified, verified, plan.issued_by_id)
        order.verified_at = verified
        if rng.random() < 0.7:
            order.rating_speed = 5 if on_time and rng.random() < 0.6 else rng.randint(2, 4)
            order.rating_handling = rng.randint(3, 5)
            order.rating_result = rng.randint(3 if order.returned_count == 0 else 2, 5)
            order.rated_at = verified
    except _Stop:
        pass
    _stamp_clocks(order, now)
    order.reports = reports
    db.session.add(order)
    db.session.flush()
    db.session.add_all(AuditEntry(at=at, actor_id=actor, entity="dispatch_order", entity_id=order.id, action=action,
                                  from_state=src.value if src else None, to_state=dst.value, reason=reason)
                       for action, src, dst, at, actor, reason in trail)


def _stamp_clocks(order: DispatchOrder, now: datetime) -> None:
    """Overdue and escalation stamps where the scheduler would have set them (so it does not refire)."""
    if order.status == S.issued and order.sign_due_at < now:
        due = order.sign_due_at
    elif order.status in orders.OPEN and order.feedback_due_at < now:
        due = order.feedback_due_at
    elif order.reported_at and order.reported_at > order.feedback_due_at:
        due = order.feedback_due_at       # reported late: it was overdue for a while
    else:
        return
    order.overdue_at = due
    config = current_app.config
    if orders.is_overdue(order, now):
        head = due + timedelta(hours=config["ORDER_ESCALATE_HEAD_HOURS"])
        county = due + timedelta(hours=config["ORDER_ESCALATE_COUNTY_HOURS"])
        order.escalated_head_at = head if head <= now else None
        order.escalated_county_at = county if county <= now else None


class _Stop(Exception):
    """The order's life reached the demo day."""


def _fresh(ctx, rng, town, commander, officer, now: datetime) -> None:
    """Orders the demo logins act on right away: sign, start, report back (officer) and verify (commander)."""
    cases = list(db.session.scalars(sa.select(Case).where(Case.town_id == town.id, Case.status.in_(HANDLING_STATUSES))
                                    .order_by(Case.id.desc()).limit(6)))
    if not cases:
        return
    plan = [  # (hours before now, working days, priority, how far the department got)
        (1, 2, OrderPriority.urgent, "issued"),
        (3, 3, OrderPriority.normal, "issued"),
        (20, 3, OrderPriority.normal, "signed"),
        (28, 5, OrderPriority.normal, "in_progress"),
        (50, 3, OrderPriority.critical, "reported"),
    ]
    try:
        for (hours, days, priority, reach), case in zip(plan, cases):
            at = now - timedelta(hours=hours)
            # audit rows take their time when flushed: flush each step before the clock moves on
            ctx.clock(at)
            order = orders.issue_dispatch_order(
                case, actor=commander, department_id=officer.department_id, deadline_days=days, priority=priority,
                instructions=rng.choice(INSTRUCTIONS["hrss"]), now=at)
            db.session.flush()
            if reach == "issued":
                continue
            ctx.clock(at + timedelta(hours=1))
            orders.sign_order(order, actor=officer, now=at + timedelta(hours=1))
            if reach != "signed":
                orders.start_order(order, actor=officer)
            db.session.flush()
            if reach in ("signed", "in_progress"):
                continue
            ctx.clock(at + timedelta(hours=30))
            orders.report_order(order, actor=officer, text=REPORT_TEXT[0], staff_visits=3,
                                now=at + timedelta(hours=30))
            db.session.flush()
    finally:
        ctx.clock()
