"""Demo routing in 台山市: cases routed to departments (one objected and routed again, one confirmed, one
awaiting the answer), matters taken in at a town station and a village point escalated to the county
with the demo official as 包案 leader, a few cases graded 较大 / 重大. Deterministic: no random draws,
so the other areas' demo data stays what it was."""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from desk.demo.seed import SeedContext, demo_county, demo_town
from desk.extensions import db
from desk.models import HANDLING_STATUSES, Case, CaseGrade, Channel, Level, OrgUnit, PetitionType
from desk.timeutil import utc_of_local
from intake.reception.services import PersonInput, VisitInput, register_visit
from intake.routing import services as routing
from intake.routing.models import ExternalBody, RouteKind


def _at(ctx: SeedContext, day, hour: int = 10) -> datetime:
    return ctx.clock(utc_of_local(day, time(hour)))


def seed(ctx: SeedContext) -> None:
    county, town = demo_county(ctx), demo_town(ctx)
    reception, officer = ctx.users["reception"], ctx.users["officer"]
    departments = {code: dept for (county_id, code), dept in ctx.departments.items() if county_id == county.id}
    hrss = officer.department
    other = next((d for code, d in sorted(departments.items()) if d.id != hrss.id), None)
    try:
        recent = list(db.session.scalars(
            sa.select(Case).where(Case.county_id == county.id, Case.status.in_(HANDLING_STATUSES),
                                  Case.received_on >= ctx.today - timedelta(days=12),
                                  Case.received_on <= ctx.today - timedelta(days=4))
            .order_by(Case.received_on, Case.id)))
        if len(recent) >= 1 and other is not None:   # objected by 人社局, routed again to another department
            case = recent[0]
            first = case.received_on + timedelta(days=1)
            _at(ctx, first)
            route = routing.route_case(case, actor=reception, kind=RouteKind.transfer, department_id=hrss.id,
                                       reason="欠薪争议涉及劳动关系认定，转人社部门处理。", on=first)
            _at(ctx, first + timedelta(days=1), 15)
            routing.object_to_route(route, actor=officer, on=first + timedelta(days=1),
                                    reason="经核实系相邻权纠纷，不属于劳动保障监察职责范围。")
            _at(ctx, first + timedelta(days=2))
            routing.route_case(case, actor=reception, kind=RouteKind.assign, department_id=other.id,
                               reason="按职能重新交办。", on=first + timedelta(days=2))
        if len(recent) >= 2:                           # confirmed by 人社局
            case = recent[1]
            day = case.received_on + timedelta(days=1)
            _at(ctx, day)
            route = routing.route_case(case, actor=reception, kind=RouteKind.transfer, department_id=hrss.id,
                                       reason="劳动报酬争议，属人社部门职责。", on=day)
            _at(ctx, day + timedelta(days=1), 9)
            routing.confirm_route(route, actor=officer, on=day + timedelta(days=1))
        if len(recent) >= 3:                           # to an external body
            case = recent[2]
            day = case.received_on + timedelta(days=2)
            _at(ctx, day)
            routing.route_case(case, actor=reception, kind=RouteKind.transfer, body_kind=ExternalBody.court,
                               body_name="台山市人民法院", reason="已进入诉讼程序，依法转法院处理。", on=day)
        fresh = list(db.session.scalars(
            sa.select(Case).where(Case.county_id == county.id, Case.status.in_(HANDLING_STATUSES),
                                  Case.received_on >= ctx.today - timedelta(days=3))
            .order_by(Case.received_on.desc(), Case.id.desc()).limit(1)))
        if fresh:                                      # awaiting 人社局's answer
            ctx.clock()
            routing.route_case(fresh[0], actor=reception, kind=RouteKind.transfer, department_id=hrss.id,
                               reason="拖欠工资，转人社局劳动保障监察处理。", on=ctx.today)
        _escalated_cases(ctx, county, town)
        graded = list(db.session.scalars(sa.select(Case).where(Case.county_id == county.id, Case.is_group.is_(True))
                                         .order_by(Case.id).limit(3)))
        ctx.clock()
        for number, case in enumerate(graded):
            grade = CaseGrade.serious if number == 0 else CaseGrade.major
            routing.change_grade(case, actor=reception, grade=grade,
                                 reason="群体访，人数较多，存在一定稳定风险。" if grade == CaseGrade.major
                                 else "群体访，情绪激烈，有进京上访苗头。")
        routing.confirm_lapsed_routes(ctx.today)
    finally:
        ctx.clock()
    db.session.flush()


def _escalated_cases(ctx: SeedContext, county: OrgUnit, town: OrgUnit) -> None:
    """Two matters taken in at the town station and a village point, escalated up to the county, where
    the demo official takes them (包案)."""
    townreception, official = ctx.users["townreception"], ctx.users["official"]
    village = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.parent_id == town.id, OrgUnit.level == Level.village)
                                .order_by(OrgUnit.code).limit(1))
    category = next(c for code, c in sorted(ctx.categories.items()) if c.parent_id is not None)
    received = ctx.today - timedelta(days=2)
    for number, (unit, title) in enumerate([(village, "征地补偿款分配争议，多户村民联名反映"),
                                            (town, "厂房租赁纠纷引发多名工人讨薪")]):
        if unit is None or ctx.sites.get(unit.id) is None:
            continue
        _at(ctx, received, 9 + number)
        visit = register_visit(actor=townreception, site=ctx.sites[unit.id], data=VisitInput(
            person=PersonInput(name=["伍志坚", "李秀英"][number]), channel=Channel.walk_in, place=unit,
            category=category, petition_type=PetitionType.demand, title=title,
            facts="反映人称问题持续多月，多次协商未果，村（居）层面无法解决。", demand="请求上级协调解决。",
            received_on=received, submission_key=f"demo-routing-escalated-{number}"))
        case = visit.case
        _at(ctx, received, 14 + number)
        while case.level in routing.NEXT_LEVEL:
            routing.escalate_case(case, actor=townreception,
                                  reason="涉及多个部门，本级协调未果，报请上一级处理。")
        routing.change_grade(case, actor=townreception, grade=CaseGrade.major, reason="涉及人数多，需县级统筹。")
        _at(ctx, received + timedelta(days=1), 10 + number)
        routing.assign_leader(case, actor=official, leader_id=official.id)
