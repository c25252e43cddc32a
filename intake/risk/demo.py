"""Demo risk warnings in 台山市 over the last months: every kind, every level and every status.

Nothing is written as a warning row by hand: the seeder registers visits through register_visit with the
desk's clock pinned at their moments (a group of villagers, workers of one factory coming one after another,
a petitioner coming week after week, facts with words of extreme intent, a run of complaints in one town and
category), so the registration check raises the warnings, with their evidence, audit rows and the leader's
notice, as it would have; the spike is found by the hourly scan run for its day. The leader then acknowledges
some warnings with a note and closes others with each outcome, through the warning's state machine.

``seed_terms`` (run first, in the "pool" stage) puts the default words on the list before any demo matter is
registered, as the migration does for a real database, so the demo reads the same wherever it is made.

The sensitive dates: the last 国庆 holiday period and a local one (台山市重要会议期间) a week or two ago, during
which every threshold is lower (a group of three is enough). Draws come from a generator of the seeder's own,
so the other areas' demo data stays what it was."""
import random
from dataclasses import dataclass
from datetime import date, datetime, time as clock_time, timedelta

import sqlalchemy as sa

from desk.demo import people
from desk.demo.seed import SeedContext, demo_county, demo_town
from desk.extensions import db
from desk.models import Channel, Level, OrgUnit, PetitionType, User
from desk.timeutil import utc_of_local
from intake.reception.services import PersonInput, VisitInput, register_visit
from intake.risk.models import RiskKind, RiskOutcome, RiskStatus, RiskWarning, SensitiveDate
from intake.risk.scan import run_risk_scan
from intake.risk.services import acknowledge_warning, close_warning
from intake.risk.terms import ensure_default_terms


def seed_terms(ctx: SeedContext) -> None:
    ensure_default_terms()


@dataclass
class Visitor:
    name: str
    id_number: str
    phone: str
    village: OrgUnit
    person_id: int | None = None
    case_id: int | None = None


# What the leader does with each warning: (kind, how it is found, status, outcome, acknowledgement, closing note).
HANDLING = [
    (RiskKind.group_visit, "red", RiskStatus.closed, RiskOutcome.handled_as_case,
     "已由市领导包案，组织国土、镇政府联合接访", "征地补偿已纳入案件办理，按标准分期兑付，群众已返回"),
    (RiskKind.group_visit, "orange", RiskStatus.acknowledged, None, "已通知人社局和镇政府派员现场接待", ""),
    (RiskKind.group_visit, "sensitive", RiskStatus.closed, RiskOutcome.defused,
     "国庆期间，镇街干部已到场做好解释疏导", "经解释疏导，来访群众情绪平稳，已离开"),
    (RiskKind.same_matter, "first", RiskStatus.closed, RiskOutcome.defused,
     "已约谈企业负责人，人社局介入", "企业已筹款发放拖欠工资，工人全部领到工资"),
    (RiskKind.frequent, "first", RiskStatus.closed, RiskOutcome.no_risk,
     "已安排专人回访了解诉求", "经核实为咨询政策，已答复清楚，无稳定风险"),
    (RiskKind.frequent, "second", RiskStatus.acknowledged, None, "已落实包案领导，约定下周面谈", ""),
    (RiskKind.extreme_words, "red", RiskStatus.acknowledged, None, "已通知镇街和派出所上门稳控，心理咨询师跟进", ""),
    (RiskKind.extreme_words, "orange", RiskStatus.closed, RiskOutcome.defused,
     "已安排律师和调解员上门做工作", "经调解双方达成协议，当事人表示不再组织拉横幅"),
    (RiskKind.after_rereview, "first", RiskStatus.acknowledged, None, "已告知复核意见为终结意见，安排教育疏导", ""),
]


def seed(ctx: SeedContext) -> None:
    county, town = demo_county(ctx), demo_town(ctx)
    official = ctx.users.get("official")
    if official is None:
        return
    rng = random.Random()
    rng.setstate(ctx.rng.getstate())
    today = ctx.today
    villages = list(db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level == Level.village,
                                                                OrgUnit.county_id == county.id)
                                       .order_by(OrgUnit.code)))
    own = [v for v in villages if v.town_id == town.id]
    other_town = next((v.town_id for v in villages if v.town_id != town.id), town.id)
    elsewhere = [v for v in villages if v.town_id == other_town]
    demo = _Demo(ctx, rng, county, own, elsewhere)
    national_day = _national_day(today)
    local_days = (today - timedelta(days=12), today - timedelta(days=6))
    db.session.add_all([
        SensitiveDate(name=f"{national_day.year}年国庆假期前后", starts_on=national_day - timedelta(days=2),
                      ends_on=national_day + timedelta(days=7), created_by_id=ctx.users["admin"].id),
        SensitiveDate(name="台山市重要会议期间", starts_on=local_days[0], ends_on=local_days[1],
                      created_by_id=ctx.users["admin"].id)])
    db.session.flush()
    stories = [
        ("group", lambda: demo.group(today - timedelta(days=75), 22, "land.compensation",
                                     "村民对征地补偿款分配方案不满，二十多人集体到市信访超市反映。")),
        ("group", lambda: demo.group(today - timedelta(days=40), 11, "labour.wages",
                                     "工地十多名工人一起来反映包工头拖欠工资，情绪激动。")),
        ("group", lambda: demo.group(national_day - timedelta(days=1), 3, "housing.resettle",
                                     "三名拆迁户一起来反映安置房迟迟未交付，节前要求给个说法。")),
        ("group", lambda: demo.group(local_days[0] + timedelta(days=2), 3, "environment.odour",
                                     "三户村民一起来反映养猪场臭味，要求关停。", place=demo.elsewhere)),
        ("same matter", lambda: demo.same_matter(today - timedelta(days=55), [1, 1, 1, 1, 1])),
        ("same matter", lambda: demo.same_matter(today - timedelta(days=5), [1, 4, 1, 4, 1])),
        ("frequent", lambda: demo.frequent([100, 92, 84])),
        ("frequent", lambda: demo.frequent([38, 33, 27, 21, 16, 10])),
        ("words", lambda: demo.words(today - timedelta(days=20), "labour.wages",
                                     "包工头欠我八个月工资，一家老小没法过年，再不给钱我就去工地楼顶跳楼。")),
        ("words", lambda: demo.words(today - timedelta(days=60), "land.forest",
                                     "邻村强行砍伐我们的山林，村民商量要到镇政府门口拉横幅，再不处理就集体上访。")),
        ("words", lambda: demo.words(today - timedelta(days=3), "consumer.prepaid",
                                     "健身房老板卷款跑路，会员们说要找媒体曝光。")),
        ("words", lambda: demo.words(today - timedelta(days=8), "overseas.house",
                                     "本人為歸僑，祖屋被親戚霸佔多年，再不解決我們就到市政府門口拉橫幅，進京上訪。")),   # 繁體
        ("spike", lambda: demo.spike(today - timedelta(days=30), "environment.pollution", 10)),
        ("spike", lambda: demo.spike(today - timedelta(days=2), "neighbour.noise", 6)),
    ]
    try:
        with ctx.bar(stories, "risk warnings") as items:
            for _label, story in items:
                story()
        _handle(ctx, official)
    finally:
        ctx.clock()
    db.session.flush()


def _national_day(today: date) -> date:
    """1 October of the last National Day the demo's months hold (this year's once it is past)."""
    this_year = date(today.year, 10, 1)
    return this_year if today >= this_year + timedelta(days=8) else date(today.year - 1, 10, 1)


class _Demo:
    """The stories: each registers visits the way a receptionist of the county center would."""

    def __init__(self, ctx, rng, county, own, elsewhere):
        self.ctx, self.rng, self.county = ctx, rng, county
        self.own, self.elsewhere = own, elsewhere or own
        self.site = ctx.sites.get(county.id)
        self.actor = ctx.users["reception"]
        self.categories = ctx.categories

    def visitor(self, place: list | None = None) -> Visitor:
        rng = self.rng
        sex = rng.choice("MF")
        village = rng.choice(place or self.own)
        born = people.birth_date(rng, 25, 75, today=self.ctx.today)
        return Visitor(people.person_name(rng, sex), people.resident_id(rng, village.code[:6], born, sex),
                       people.mobile_phone(rng), village)

    def register(self, who: Visitor, day: date, code: str, title: str, facts: str, *, head_count: int = 1,
                 minute: int = 0):
        """One visit on ``day`` (office hours); the visitor's earlier matter when they have one."""
        self.ctx.clock(utc_of_local(day, clock_time(9, 30)) + timedelta(minutes=minute))
        category = self.categories[code]
        visit = register_visit(actor=self.actor, site=self.site, data=VisitInput(
            person=PersonInput(name=who.name, id_number=who.id_number, phone=who.phone, language="taishanese"),
            channel=Channel.walk_in, place=who.village, category=category, petition_type=PetitionType.demand,
            title=title, facts=facts, demand="请求依法协调解决", head_count=head_count, received_on=day,
            link_case_id=who.case_id, person_id=who.person_id))
        who.person_id, who.case_id = visit.person_id, visit.case_id
        return visit

    def group(self, day: date, heads: int, code: str, facts: str, *, place=None) -> None:
        who = self.visitor(place)
        self.register(who, day, code, facts[:20], facts, head_count=heads)

    def same_matter(self, day: date, heads: list[int]) -> None:
        """Workers of one factory, one after another over a few days, each on their own matter."""
        factory = people.organization_name(self.rng, place="台山市", sector="factory")
        village = self.rng.choice(self.own)
        for k, head_count in enumerate(heads):
            who = self.visitor()
            who.village = village
            facts = (f"{factory}拖欠我们{self.rng.choice(('两', '三'))}个月工资，老板已经失联，"
                     f"{self.rng.choice(('工人们', '我们几十个工人', '车间工友'))}讨薪无门。")
            self.register(who, day + timedelta(days=k // 2), "labour.wages", f"{factory}拖欠工资", facts,
                          head_count=head_count, minute=20 * k)

    def frequent(self, ages: list[int]) -> None:
        """One petitioner back on the same matter again and again."""
        who = self.visitor()
        facts = "本人宅基地被邻居占用，村委会调解后对方仍不拆除围墙，多次反映未解决。"
        for age in ages:
            self.register(who, self.ctx.today - timedelta(days=age), "land.homestead", "宅基地被占用", facts)

    def words(self, day: date, code: str, facts: str) -> None:
        who = self.visitor()
        self.register(who, day, code, facts[:16], facts)

    def spike(self, end: date, code: str, count: int) -> None:
        """``count`` new matters of one town and category within a week (each its own, different facts), then
        the hourly scan of that day finds the rise."""
        from desk.demo.texts import case_text
        for k in range(count):
            who = self.visitor(self.elsewhere)
            facts, demand = case_text(self.rng, code)
            self.register(who, end - timedelta(days=k % 6), code, demand[:30], facts, minute=7 * k)
        self.ctx.clock(datetime.combine(end, clock_time(11)))      # 19:00 in China: the evening's run
        run_risk_scan(end)


def _handle(ctx, official) -> None:
    """The leader's part: the plan's warnings acknowledged with a note or closed with their outcome, a few
    hours to a few days after they were raised (the rest stay open)."""
    county = demo_county(ctx)
    warnings = list(db.session.scalars(sa.select(RiskWarning).where(RiskWarning.county_id == county.id)
                                       .order_by(RiskWarning.raised_at, RiskWarning.id)))
    taken = set()
    for kind, which, status, outcome, note, closing in HANDLING:
        warning = _pick(warnings, kind, which, taken)
        if warning is None:
            continue
        taken.add(warning.id)
        leader = db.session.get(User, warning.leader_id) if warning.leader_id else official
        at = warning.raised_at + timedelta(hours=3)
        ctx.clock(at)
        acknowledge_warning(warning=warning, actor=leader, note=note)
        if status == RiskStatus.closed:
            ctx.clock(at + timedelta(days=2))
            close_warning(warning=warning, actor=leader, outcome=outcome, note=closing)
        db.session.flush()


def _pick(warnings, kind, which, taken):
    """The plan's warning of a kind: the first, the second, the one at a level, the one of a sensitive date."""
    mine = [w for w in warnings if w.kind == kind and w.id not in taken and w.status == RiskStatus.open]
    if which == "sensitive":
        mine = [w for w in mine if w.sensitive_date_id is not None]
    elif which in ("red", "orange", "yellow"):
        mine = [w for w in mine if w.level.value == which]
    return mine[0] if mine else None
