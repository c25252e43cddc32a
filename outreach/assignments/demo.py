"""Demo outreach in 台山市: 13 months of services (the measures have something to count), requests in every
state, offers waiting for the demo logins mediator / mediator2 / lawyer, one outreach checked in today with
a complaint registered on the spot, and mediations (an agreement, one under way, one terminated)."""
import random
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from desk.demo import catalog, people
from desk.demo.seed import SeedContext, demo_county
from desk.extensions import db
from desk.models import AuditEntry, Category, Channel, Level, OrgUnit, PetitionType
from intake.reception.services import PersonInput, VisitInput
from outreach.assignments import services as assignments
from outreach.assignments.matching import KIND_ROLES
from outreach.assignments.models import (AssignmentStatus as A, OutreachAssignment, OutreachRequest,
                                         RequestStatus as RS, ServiceKind)
from outreach.field import services as field
from outreach.field.models import ServiceRecord
from outreach.mediation.demo import seed_mediations
from referrals.talent.models import Talent

KINDS = [ServiceKind.mediation] * 4 + [ServiceKind.legal] * 3 + [ServiceKind.psychological, ServiceKind.social_work,
                                                                  ServiceKind.policy, ServiceKind.policy]
TOPICS = {ServiceKind.legal: "劳动合同、土地承包、婚姻继承咨询", ServiceKind.psychological: "家庭关系、情绪疏导",
          ServiceKind.social_work: "困难群众帮扶、留守老人探访", ServiceKind.mediation: "邻里纠纷、宅基地界址",
          ServiceKind.policy: "社保缴费、征地补偿政策"}
PER_MONTH = 8


def seed(ctx: SeedContext) -> None:
    county = demo_county(ctx)
    villages = [u for u in ctx.level(Level.village) if u.county_id == county.id]
    towns = [u for u in ctx.level(Level.town) if u.county_id == county.id]
    if not villages or not towns:
        return
    pool = _pool(county)
    demo = ctx.extra.get("demo_talent", {})
    requester = ctx.users.get("reception")
    _history(ctx, county, villages, pool, demo, requester)
    try:
        _current(ctx, county, villages, demo, requester)
        seed_mediations(ctx, county, demo, requester)
    finally:
        ctx.clock()
    db.session.flush()


def _pool(county: OrgUnit) -> dict[str, list[tuple[int, int | None]]]:
    """(talent id, user id) by role: a few dozen per role is plenty for the demo."""
    pool: dict[str, list] = {}
    for role_list in KIND_ROLES.values():
        for role in role_list:
            if role.value in pool:
                continue
            pool[role.value] = db.session.execute(
                sa.select(Talent.id, Talent.user_id)
                .where(Talent.county_id == county.id, Talent.role == role, Talent.active.is_(True))
                .order_by(Talent.id).limit(40)).all()
    return pool


def _history(ctx, county, villages, pool, demo, requester) -> None:
    """Thirteen months of finished (and some cancelled) outreach, inserted as history with its audit rows."""
    rng, today = ctx.rng, ctx.today
    asking = random.Random("outreach ratings")   # a stream of its own (see _ratings)
    first = (today.replace(day=1) - timedelta(days=365)).replace(day=1)
    demo_ids = {username: talent.id for username, talent in demo.items()}
    audit = []
    month = first
    while month <= today:
        for _ in range(PER_MONTH):
            day = month + timedelta(days=rng.randint(0, 27))
            if day >= today:
                continue
            kind = rng.choice(KINDS)
            talent_id = _pick_talent(rng, kind, pool, demo_ids)
            if talent_id is None:
                continue
            village = rng.choice(villages)
            site = ctx.sites.get(village.id) or ctx.sites.get(village.town_id)
            start = time(rng.choice([9, 10, 14, 15]), 0)
            cancelled = rng.random() < 0.08
            request = OutreachRequest(kind=kind, site_id=site.id if site else None,
                                      requested_by_id=requester.id if requester else None, on_date=day,
                                      start_time=start, end_time=time(start.hour + 2, 30),
                                      expected_people=rng.randint(8, 60), languages=rng.choice(
                                          ["cantonese", "taishanese", "cantonese,taishanese", ""]),
                                      notes="", status=RS.cancelled if cancelled else RS.done,
                                      talent_id=None if cancelled else talent_id,
                                      created_at=datetime.combine(day - timedelta(days=rng.randint(3, 10)), time(2)))
            request.place_at(village)
            db.session.add(request)
            db.session.flush()
            offered_at = request.created_at + timedelta(hours=1)
            assignment = OutreachAssignment(request_id=request.id, talent_id=talent_id,
                                            status=A.cancelled if cancelled else A.done, offered_at=offered_at,
                                            answered_at=offered_at + timedelta(hours=3))
            if not cancelled:
                assignment.checked_in_at = datetime.combine(day, start) - timedelta(hours=8, minutes=10)
                assignment.checked_out_at = assignment.checked_in_at + timedelta(hours=2, minutes=40)
            db.session.add(assignment)
            db.session.flush()
            audit += [AuditEntry(at=request.created_at, entity="outreach_request", entity_id=request.id,
                                 action="create", to_state="open"),
                      AuditEntry(at=offered_at, entity="outreach_assignment", entity_id=assignment.id, action="offer",
                                 to_state="offered")]
            if cancelled:
                audit.append(AuditEntry(at=offered_at + timedelta(days=1), entity="outreach_request",
                                        entity_id=request.id, action="cancel", from_state="open",
                                        to_state="cancelled", reason="村委会临时调整活动安排"))
                continue
            served = max(1, request.expected_people + rng.randint(-8, 12))
            record = ServiceRecord(assignment_id=assignment.id, request_id=request.id, talent_id=talent_id,
                                   site_id=request.site_id, kind=kind, served_on=day, people_served=served,
                                   topics=TOPICS[kind], outcome="现场解答群众咨询，发放宣传资料；复杂问题已引导到镇街服务站。",
                                   recorded_at=assignment.checked_out_at, **_ratings(asking, served))
            record.place_at(village)
            db.session.add(record)
            audit += [AuditEntry(at=assignment.answered_at, entity="outreach_assignment", entity_id=assignment.id,
                                 action="accept", from_state="offered", to_state="accepted"),
                      AuditEntry(at=assignment.checked_in_at, entity="outreach_assignment", entity_id=assignment.id,
                                 action="check_in", from_state="accepted", to_state="in_progress"),
                      AuditEntry(at=assignment.checked_out_at, entity="outreach_assignment",
                                 entity_id=assignment.id, action="record_service", from_state="in_progress",
                                 to_state="done")]
        month = (month + timedelta(days=32)).replace(day=1)
    db.session.add_all(audit)
    db.session.flush()


def _ratings(rng, served: int) -> dict:
    """Most outreach asks some of the people served how satisfied they are (outreach satisfaction); some
    asks nobody. A stream of its own, so the rest of the demo comes out as before."""
    if rng.random() < 0.25:
        return {}
    asked = rng.randint(1, served)
    dissatisfied = sum(rng.random() < 0.06 for _ in range(asked))
    basic = sum(rng.random() < 0.25 for _ in range(asked - dissatisfied))
    return {"rated_satisfied": asked - dissatisfied - basic, "rated_basic": basic,
            "rated_dissatisfied": dissatisfied}


def _pick_talent(rng, kind, pool, demo_ids) -> int | None:
    demo_for_kind = {ServiceKind.mediation: ["mediator", "mediator2"], ServiceKind.legal: ["lawyer"]}
    names = [n for n in demo_for_kind.get(kind, []) if n in demo_ids]
    if names and rng.random() < 0.4:
        return demo_ids[rng.choice(names)]
    for role in KIND_ROLES[kind]:
        if pool.get(role.value):
            return rng.choice(pool[role.value])[0]
    return None


def _current(ctx, county, villages, demo, requester) -> None:
    """Today's and the coming days' outreach, through the services, for the demo logins' phones."""
    rng, today = ctx.rng, ctx.today
    if requester is None:
        return
    ctx.clock(ctx.today_at(8, 30))

    def ask(kind, days, village, start=9, people_count=20, languages=("cantonese", "taishanese")):
        site = ctx.sites.get(village.id) or ctx.sites.get(village.town_id)
        return assignments.create_request(actor=requester, unit=village, site=site, kind=kind,
                                          on_date=today + timedelta(days=days), start_time=time(start, 0),
                                          end_time=time(start + 2, 30), expected_people=people_count,
                                          languages=list(languages), notes="村委会二楼会议室", today=today)

    mediator, mediator2, lawyer = demo.get("mediator"), demo.get("mediator2"), demo.get("lawyer")
    spots = rng.sample(villages, min(len(villages), 7))
    while len(spots) < 7:
        spots.append(villages[0])
    if mediator is not None:
        # Checked in today, with a complaint registered on the spot.
        here = ask(ServiceKind.mediation, 0, spots[0], start=9, people_count=25)
        [mine] = assignments.offer(here, [mediator], actor=requester)
        assignments.accept(mine.id, talent=mediator, actor=mediator.user)
        db.session.refresh(mine)
        assignments.check_in(mine, actor=mediator.user)
        _field_complaint(ctx, mine, spots[0])
    if mediator is not None and mediator2 is not None:
        both = ask(ServiceKind.mediation, 1, spots[1], start=14)  # offered to both: first to accept takes it
        assignments.offer(both, [mediator, mediator2], actor=requester)
        taken = ask(ServiceKind.policy, 1, spots[2], start=9)
        [held] = assignments.offer(taken, [mediator2], actor=requester)
        assignments.accept(held.id, talent=mediator2, actor=mediator2.user)
    if lawyer is not None:
        legal = ask(ServiceKind.legal, 3, spots[3], start=10, people_count=30)
        assignments.offer(legal, [lawyer], actor=requester)
        turned = ask(ServiceKind.legal, 2, spots[4], start=15)
        [no] = assignments.offer(turned, [lawyer], actor=requester)
        assignments.decline(no, talent=lawyer, actor=lawyer.user, reason="当天下午在法院开庭")
    ask(ServiceKind.psychological, 4, spots[5], start=9, people_count=12)  # open, not yet offered
    called_off = ask(ServiceKind.social_work, 5, spots[6], start=14)
    assignments.cancel_request(called_off, actor=requester, reason="台风预警，活动取消")


def _field_complaint(ctx, assignment, village) -> None:
    rng = ctx.rng
    category = db.session.scalar(sa.select(Category).where(Category.parent_id.is_not(None)).order_by(Category.code))
    if category is None:
        return
    sex = rng.choice("MF")
    born = people.birth_date(rng)
    facts, demand = catalog.case_text(rng, category.code)
    person = PersonInput(name=people.person_name(rng, sex), sex=sex, language="taishanese",
                         id_number=people.resident_id(rng, village.code[:6], born, sex),
                         phone=people.mobile_phone(rng))
    data = VisitInput(person=person, channel=Channel.outreach, place=village,
                      category=category, petition_type=PetitionType.demand, title=f"{category.name_zh}：{demand}",
                      facts=facts, demand=demand, other_party=people.person_name(rng),
                      submission_key=f"demo-outreach-{assignment.id}")
    field.register_in_field(assignment, actor=assignment.talent.user, data=data)
