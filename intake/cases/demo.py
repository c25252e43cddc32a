"""Demo cases across the last 13 months in every state, with visits, repeats, groups and today's queue.

Every record goes through the real services with the clock pinned to its date, so clocks, audit rows
and timestamps are what the product would have written."""
from datetime import datetime, time, timedelta

from desk import cases, stages, tickets
from desk.access import in_scope
from desk.demo import catalog, people
from desk.demo.seed import SeedContext, demo_county, pick_weighted
from desk.extensions import db
from desk.models import Channel, DemandBranch, Level, Outcome, PetitionType, Route, Ticket, TicketStatus
from intake.reception.services import PersonInput, VisitInput, register_visit

CASES = {"small": 420, "city": 3000}
CHANNELS = [(Channel.walk_in, 58), (Channel.phone, 10), (Channel.letter, 5), (Channel.online, 10),
            (Channel.grid, 9), (Channel.hotline, 6), (Channel.outreach, 2)]
TYPES = [(PetitionType.demand, 80), (PetitionType.suggestion, 12), (PetitionType.accusation, 8)]
BRANCHES = [(DemandBranch.other, 78), (DemandBranch.litigation, 8), (DemandBranch.administrative, 6),
            (DemandBranch.arbitration, 4), (DemandBranch.violation, 4)]


def _at(day, rng) -> datetime:
    """A UTC timestamp during office hours in China (08:30–17:30 local = 00:30–09:30 UTC)."""
    return datetime.combine(day, time(0, 30)) + timedelta(minutes=rng.randint(0, 540))


def seed(ctx: SeedContext) -> None:
    rng, today = ctx.rng, ctx.today
    county = demo_county(ctx)
    actor = ctx.users["reception"]
    villages = [u for u in ctx.level(Level.village)]
    home_villages = [v for v in villages if v.county_id == county.id]
    leaves = [c for c in ctx.categories.values() if c.parent_id is not None]
    population = [_person(rng, rng.choice(home_villages if rng.random() < 0.8 else villages))
                  for _ in range(int(CASES[ctx.size] * 0.8))]
    history: list[tuple] = []   # (case, person input, place)
    days = sorted((rng.randint(0, 395) for _ in range(CASES[ctx.size])), reverse=True)
    try:
        with ctx.bar(days, "cases") as items:
            for age in items:
                received = today - timedelta(days=age)
                stamp = ctx.clock(_at(received, rng))
                if history and rng.random() < 0.12:
                    _repeat_visit(rng, actor, ctx, history, received)
                    continue
                person, place = rng.choice(population)
                category = rng.choice(leaves)
                visit = register_visit(actor=actor, site=_site(ctx, place, county), data=_visit_input(
                    rng, person, place, category, received, stamp))
                _finish_ticket(visit)
                history.append((visit.case, person, place))
                _advance(rng, visit.case, actor, received, today, ctx)
            _showcase_stages(rng, ctx, county, actor, population, leaves)
            _todays_queue(rng, ctx, county, actor, population, leaves)
    finally:
        ctx.clock()
    ctx.extra["case_ids"] = [case.id for case, _p, _pl in history]
    db.session.flush()


def _person(rng, place):
    sex = rng.choice("MF")
    born = people.birth_date(rng)
    id_number = people.resident_id(rng, place.code[:6], born, sex) if rng.random() < 0.9 else None
    return PersonInput(name=people.person_name(rng, sex), id_number=id_number, sex=sex,
                       phone=people.mobile_phone(rng) if rng.random() < 0.85 else None,
                       language=rng.choice(["cantonese", "cantonese", "taishanese", "mandarin"])), place


def _site(ctx, place, county):
    return ctx.sites.get(county.id) if place.county_id == county.id else ctx.sites.get(place.town_id)


def _visit_input(rng, person, place, category, received, stamp) -> VisitInput:
    facts, demand = catalog.case_text(rng, category.code)
    petition_type = pick_weighted(rng, TYPES)
    group = rng.random() < 0.06
    reps = [PersonInput(name=people.person_name(rng)) for _ in range(rng.randint(1, 3))] if group else []
    return VisitInput(person=person, channel=pick_weighted(rng, CHANNELS), place=place, category=category,
                      petition_type=petition_type, demand_branch=pick_weighted(rng, BRANCHES)
                      if petition_type == PetitionType.demand else None,
                      title=f"{category.name_zh}：{demand}", facts=facts, demand=demand,
                      other_party=people.organization_name(rng) if rng.random() < 0.5 else people.person_name(rng),
                      head_count=rng.randint(len(reps) + 2, 15) if group else 1, representatives=reps,
                      received_on=received, submission_key=f"demo-{stamp.isoformat()}-{rng.random()}")


def _repeat_visit(rng, actor, ctx, history, received):
    case, person, place = rng.choice(history[-200:])
    if case.received_on >= received:
        return
    data = VisitInput(person=person, channel=rng.choice([Channel.walk_in, Channel.phone]), place=place,
                      category=case.category, petition_type=case.petition_type, title=case.title,
                      facts=case.facts, link_case_id=case.id, person_id=case.petitioners[0].id,
                      received_on=received)
    # a matter of another county comes back there: the demo's receptionist (台山) may not touch it
    visit = register_visit(actor=actor if in_scope(actor, case) else None, site=ctx.sites.get(case.county_id),
                           data=data)
    # The demo runs each matter to its end when it registers it, so a backdated repeat would read the matter's
    # final status: flag it from the first reply's date, as a live visit on that day would have been flagged.
    visit.repeat_after_conclusion = case.concluded_on is not None and case.concluded_on <= received
    _finish_ticket(visit)


def _finish_ticket(visit):
    """Served a few minutes after the ticket was taken (never before: a wait is never negative)."""
    ticket = db.session.scalar(db.select(Ticket).where(Ticket.visit_id == visit.id))
    if ticket is not None:
        ticket.status = TicketStatus.done
        ticket.called_at = ticket.arrived_at + timedelta(minutes=4 + visit.id % 23)
        ticket.started_at = ticket.called_at + timedelta(minutes=1)
        ticket.finished_at = ticket.started_at + timedelta(minutes=8 + visit.id % 31)


ROUTE_BODIES = {Route.court: "台山市人民法院", Route.procuratorate: "台山市人民检察院", Route.police: "台山市公安局",
                Route.arbitration: "台山市劳动人事争议仲裁委员会", Route.party_organ: "中共台山市委组织部",
                Route.reconsideration: "台山市人民政府行政复议办公室", Route.law_enforcement: "台山市市场监督管理局",
                Route.discipline: "台山市纪委监委", Route.other: "台山市信访局"}
REFUSALS = {DemandBranch.litigation: "属于诉讼程序处理事项，依法应通过诉讼解决",
            DemandBranch.arbitration: "属于劳动人事争议仲裁事项", DemandBranch.administrative: "属于行政复议事项",
            DemandBranch.violation: "属于请求查处违法行为事项，由执法机关依法处理"}


def _advance(rng, case, actor, received, today, ctx):
    """Move the case as far as its age allows, through the real state machine and its stages."""
    age = (today - received).days
    if age < 2 or (age < 10 and rng.random() < 0.4):
        return  # still registered (some of these are due soon or overdue for registration)
    decided = received + timedelta(days=rng.randint(1, 12 if rng.random() < 0.9 else 20))
    if decided > today:
        return
    _at_day(ctx, decided, rng)
    if case.petition_type == PetitionType.accusation:
        route = rng.choice([Route.discipline, Route.discipline, Route.police, Route.other])
        cases.transfer_accusation(case, actor=actor, on=decided, route=route, directed_to=ROUTE_BODIES[route],
                                  reason="检举控告事项，依法转送有权处理的机关")
        return
    if case.demand_branch in REFUSALS:
        route = rng.choice(cases.routes_for(case))
        cases.refuse_case(case, actor=actor, on=decided, reason=REFUSALS[case.demand_branch], route=route,
                          directed_to=ROUTE_BODIES[route])
        return
    cases.accept_case(case, actor=actor, on=decided)
    if rng.random() < 0.85:
        cases.start_work(case, actor=actor)
    if rng.random() < 0.06:
        extended = decided + timedelta(days=rng.randint(40, 58))
        if extended <= min(today, case.conclude_due):
            _at_day(ctx, extended, rng)
            if case.status == cases.S.accepted:
                cases.start_work(case, actor=actor)
            cases.extend_case(case, actor=ctx.users["official"], on=extended, reason="案情复杂，需进一步调查核实")
    concluded = decided + timedelta(days=rng.randint(5, 75))
    if concluded > today or rng.random() < 0.07:
        return  # still in progress; some of these are overdue
    _reply(rng, ctx, case, actor, concluded, today)
    if not cases.is_reviewable(case) or case.stages[-1].delivered_on is None:
        return
    for _stage in ("review", "rereview"):
        if rng.random() > (0.05 if _stage == "review" else 0.45):
            break
        requested = case.stages[-1].delivered_on + timedelta(days=rng.randint(3, 25))
        if requested > today:
            return
        _at_day(ctx, requested, rng)
        stages.request_next_stage(case, actor=actor, on=requested, reason=REQUESTS[_stage])
        replied = requested + timedelta(days=rng.randint(10, 32))
        if replied > today or rng.random() < 0.15:
            return  # under review or re-review now, some of them overdue
        _reply(rng, ctx, case, actor, replied, today)
        if case.stages[-1].delivered_on is None:
            return
    if case.status == cases.S.concluded:
        closed = case.last_reply_on + timedelta(days=rng.randint(31, 45))
        if closed <= today and rng.random() < 0.75:
            _at_day(ctx, closed, rng)
            cases.close_case(case, actor=actor, on=closed)


REQUESTS = {"review": "信访人对处理意见不服，申请复查", "rereview": "信访人对复查意见不服，申请复核"}


def _reply(rng, ctx, case, actor, on, today):
    """The running stage's written reply, usually handed over the same day or a few days later."""
    _at_day(ctx, on, rng)
    result = rng.choices(list(Outcome), weights=[45, 40, 15])[0]
    delivered = on + timedelta(days=rng.choice([0, 0, 0, 1, 3, 7]))
    stages.conclude_case(case, actor=actor, on=on, outcome=result,
                         opinion=catalog.outcome_text(rng, case.category.code, result.value),
                         legal_basis="《信访工作条例》第三十二条")
    if delivered <= today:
        _at_day(ctx, delivered, rng)
        stages.record_delivery(case, actor=actor, delivered_on=delivered)


def _showcase_stages(rng, ctx, county, actor, population, leaves):
    """Three matters that surely show the later stages: one concluded after re-review and visited again since,
    one under review, one whose re-review opinion is overdue."""
    today = ctx.today
    local = [p for p in population if p[1].county_id == county.id and p[0].id_number]
    plans = [("final", 260), ("under_review", 70), ("under_rereview", 190)]
    for goal, age in plans:
        person, place = rng.choice(local)
        received = today - timedelta(days=age)
        stamp = ctx.clock(_at(received, rng))
        data = _visit_input(rng, person, place, rng.choice(leaves), received, stamp)
        data.petition_type, data.demand_branch = PetitionType.demand, DemandBranch.other
        case = register_visit(actor=actor, site=ctx.sites.get(county.id), data=data).case
        day = received + timedelta(days=4)
        _at_day(ctx, day, rng)
        cases.accept_case(case, actor=actor, on=day)
        cases.start_work(case, actor=actor)
        _reply(rng, ctx, case, actor, day + timedelta(days=40), today)
        if case.stages[-1].delivered_on is None:   # the reply is handed over in these stories
            stages.record_delivery(case, actor=actor, delivered_on=day + timedelta(days=40))
        for kind, gap in (("review", 12), ("rereview", 10)):
            requested = case.stages[-1].delivered_on + timedelta(days=gap)
            _at_day(ctx, requested, rng)
            stages.request_next_stage(case, actor=actor, on=requested, reason=REQUESTS[kind])
            if goal == f"under_{kind}":
                break
            _at_day(ctx, requested + timedelta(days=25), rng)
            stages.conclude_case(case, actor=actor, on=requested + timedelta(days=25), outcome=Outcome.explanation,
                                 opinion=catalog.outcome_text(rng, case.category.code, "explanation"),
                                 legal_basis="《信访工作条例》第三十五条", delivered_on=requested + timedelta(days=25))
        if goal == "final":
            back = today - timedelta(days=20)
            ctx.clock(_at(back, rng))
            register_visit(actor=actor, site=ctx.sites.get(county.id), data=VisitInput(
                person=person, channel=Channel.walk_in, place=place, category=case.category,
                petition_type=case.petition_type, title=case.title, facts=case.facts, link_case_id=case.id,
                person_id=case.petitioners[0].id, received_on=back))


def _at_day(ctx, day, rng):
    ctx.clock(_at(day, rng))


def _todays_queue(rng, ctx, county, actor, population, leaves):
    """Walk-ins today at the county center, in every queue state, so the board and display show something."""
    site = ctx.sites[county.id]
    # from 09:00, or earlier when the demo is made before the morning's queue could have formed
    base = min(ctx.today_at(9), max(ctx.today_at(0), ctx.now - timedelta(minutes=110)))
    local = [p for p in population if p[1].county_id == county.id]
    for n in range(9):
        stamp = ctx.clock(base + timedelta(minutes=11 * n))
        person, place = rng.choice(local)
        data = _visit_input(rng, person, place, rng.choice(leaves), ctx.today, stamp)
        data.channel = Channel.walk_in
        visit = register_visit(actor=actor, site=site, data=data)
        ticket = db.session.scalar(db.select(Ticket).where(Ticket.visit_id == visit.id))
        if n < 3:
            ctx.clock(stamp + timedelta(minutes=6))
            tickets.call(ticket, actor=actor, reason="demo")
            tickets.start(ticket, actor=actor)
            ctx.clock(stamp + timedelta(minutes=20))
            tickets.finish(ticket, actor=actor)
        elif n == 3:
            tickets.no_show(ticket, actor=actor)
        elif n in (4, 5):
            ctx.clock(stamp + timedelta(minutes=5))
            tickets.call(ticket, actor=actor, reason="demo")
            if n == 5:
                tickets.start(ticket, actor=actor)


def seed_prepared_export(ctx: SeedContext) -> None:
    """The county official's export of the county's concluded matters, prepared as a large one would be: its
    page and the notice that it is ready are there to open (prepared here in line, not in a thread)."""
    from desk import prepared
    from intake.cases.services import CaseFilters, export_params
    official = ctx.users["official"]
    row = prepared.ask("case_export", user=official, title="案件清单导出（已办结）",
                       params={**export_params(CaseFilters(status="concluded"), ctx.today),
                               "back": "/intake/cases?status=concluded"},
                       file_name="cases.csv", mimetype="text/csv; charset=utf-8", unit_label="rows")
    db.session.commit()
    prepared.prepare(row.id)
