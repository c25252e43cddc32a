"""Small factories for tests: a two-county world, users, people and cases."""
import itertools
from dataclasses import dataclass, field
from datetime import date, datetime

from desk.extensions import db
from desk.idnumber import check_digit
from desk.models import (Case, CaseParty, Category, Channel, DemandBranch, Department, Level, OrgUnit, PetitionType, Person,
                         Role, Room, Site, SiteLevel, User, Visit)

_seq = itertools.count(1)


@dataclass
class World:
    city: OrgUnit
    county: OrgUnit          # 台山市 (TS)
    other_county: OrgUnit    # 开平市 (KP)
    town: OrgUnit
    other_town: OrgUnit      # a second town of the same county
    village: OrgUnit
    grid: OrgUnit
    far_town: OrgUnit        # a town of the other county
    far_village: OrgUnit
    county_site: Site
    town_site: Site
    far_site: Site
    department: Department
    other_department: Department
    far_department: Department
    category: Category
    other_category: Category
    sites: dict = field(default_factory=dict)


def _unit(code, name, level, parent, prefix=None) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, level=level, kind="", prefix=prefix)
    db.session.add(unit)
    db.session.flush()
    unit.attach(parent)
    return unit


def _site(unit, level, name) -> Site:
    site = Site(org_unit_id=unit.id, name=name, level=level)
    site.rooms = [Room(kind="mediation", name_zh="人民调解室", name_en="People's mediation", ticket_prefix="R",
                       roles="mediator"),
                  Room(kind="lawyer", name_zh="律师工作室", name_en="Lawyers' studio", ticket_prefix="L",
                       roles="lawyer")]
    db.session.add(site)
    db.session.flush()
    return site


def build_world() -> World:
    city = _unit("440700", "江门市", Level.city, None)
    county = _unit("440781", "台山市", Level.county, city, prefix="TS")
    other_county = _unit("440783", "开平市", Level.county, city, prefix="KP")
    town = _unit("440781001", "台城街道", Level.town, county)
    other_town = _unit("440781002", "大江镇", Level.town, county)
    village = _unit("440781001001", "石龙村", Level.village, town)
    grid = _unit("44078100100101", "石龙村第1网格", Level.grid, village)
    far_town = _unit("440783001", "长沙街道", Level.town, other_county)
    far_village = _unit("440783001001", "东华社区", Level.village, far_town)
    departments = []
    for c, code, zh, en in [(county, "hrss", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
                            (county, "housing", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
                            (other_county, "hrss", "人力资源和社会保障局", "Human Resources and Social Security Bureau")]:
        dept = Department(county_id=c.id, code=code, name_zh=zh, name_en=en)
        db.session.add(dept)
        departments.append(dept)
    labour = Category(code="labour", name_zh="劳动社保", name_en="Labour and social security",
                      roles="mediator,lawyer", department_code="hrss")
    neighbour = Category(code="neighbour", name_zh="邻里纠纷", name_en="Neighbour disputes", roles="mediator")
    db.session.add_all([labour, neighbour])
    db.session.flush()
    world = World(city=city, county=county, other_county=other_county, town=town, other_town=other_town,
                  village=village, grid=grid, far_town=far_town, far_village=far_village,
                  county_site=_site(county, SiteLevel.county_center, "台山市信访超市"),
                  town_site=_site(town, SiteLevel.town_station, "台城街道服务站"),
                  far_site=_site(other_county, SiteLevel.county_center, "开平市信访超市"),
                  department=departments[0], other_department=departments[1], far_department=departments[2],
                  category=labour, other_category=neighbour)
    return world


def make_user(world: World, *roles: Role, unit: OrgUnit | None = None, department: Department | None = None,
              username: str | None = None, password: str = "secret-pass-1") -> User:
    unit = unit or world.county
    if Role.department_officer in roles and department is None:
        department = world.department
    user = User(username=username or f"user{next(_seq)}", display_name=f"测试用户{next(_seq)}", org_unit=unit,
                department=department)
    user.password_hash = _fast_hash(password)
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    return user


def _fast_hash(password: str) -> str:
    # Tests create many users; a cheap pbkdf2 round count keeps them fast (production uses the default).
    from werkzeug.security import generate_password_hash
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


def valid_id_number(area: str = "440781", birth: str = "19800101", seq: int | None = None) -> str:
    seq = next(_seq) % 1000 if seq is None else seq
    body = f"{area}{birth}{seq:03d}"
    return body + check_digit(body)


def make_person(world: World, name: str = "陈大文", *, id_number: str | None = None, phone: str | None = None,
                unit: OrgUnit | None = None) -> Person:
    person = Person(name=name)
    person.place_at(unit or world.village)
    person.set_id_number(id_number)
    person.set_phone(phone)
    db.session.add(person)
    db.session.flush()
    return person


def make_case(world: World, *, person: Person | None = None, unit: OrgUnit | None = None,
              category: Category | None = None, received_on: date | None = None, title: str = "拖欠工资",
              facts: str = "包工头拖欠工资三个月，多次讨要未果。", channel: Channel = Channel.walk_in,
              petition_type: PetitionType = PetitionType.demand, created_by: User | None = None,
              demand_branch: DemandBranch | None = None) -> Case:
    """A registered case with its first visit, clocks started (through the real clock service)."""
    from desk.cases import new_reference, new_tracking_code, start_case_clocks
    from intake.routing.services import set_first_owner
    unit = unit or world.village
    person = person or make_person(world, unit=unit)
    county = db.session.get(OrgUnit, unit.county_id)
    received_on = received_on or date(2026, 11, 2)
    case = Case(reference=new_reference(county, received_on.year), tracking_code=new_tracking_code(),
                category=category or world.category, petition_type=petition_type, demand_branch=demand_branch,
                title=title, facts=facts,
                channel=channel, created_by=created_by,
                created_at=datetime.combine(received_on, datetime.min.time()).replace(hour=2))
    case.place_at(unit)
    start_case_clocks(case, received_on)
    set_first_owner(case, actor=created_by)
    case.parties.append(CaseParty(person=person, role="petitioner"))
    db.session.add(case)
    db.session.flush()
    visit = Visit(case=case, person=person, channel=channel, visited_at=case.created_at)
    visit.place_at(unit)
    db.session.add(visit)
    db.session.flush()
    return case


def make_talent(world: World, name: str = "调解员甲", *, role: str = "mediator", unit: OrgUnit | None = None,
                skills=(), languages: str = "mandarin,cantonese", stationing: str = "resident",
                weekdays: str = "0,1,2,3,4", capacity: int = 4, room=None, user: User | None = None,
                active: bool = True):
    from referrals.talent.models import Stationing, Talent, TalentRole
    unit = unit or world.county
    talent = Talent(name=name, role=TalentRole(role), languages=languages, stationing=Stationing(stationing),
                    weekdays=weekdays, capacity=capacity, active=active, room=room,
                    user_id=user.id if user else None, site_id=world.county_site.id)
    talent.place_at(unit)
    talent.skills = list(skills)
    db.session.add(talent)
    db.session.flush()
    return talent


def mediation_consents(on: date, a: str = "申请人", b: str = "被申请人") -> list:
    """Both sides' recorded consent to mediate (or to an extension), given on ``on``."""
    from outreach.mediation.models import ConsentMethod
    from outreach.mediation.services import Consent
    return [Consent("a", a, on, ConsentMethod.application), Consent("b", b, on, ConsentMethod.written)]


def make_mediation(world: World, case: Case | None = None, *, mediator=None, actor: User | None = None,
                   on: date = date(2026, 11, 25)):
    """A mediation under way, both sides' consent recorded, with a mediator of the case's county."""
    from outreach.mediation.services import start_mediation
    case = case or make_case(world)
    mediator = mediator or make_talent(world, "调解员乙")
    return start_mediation(case, actor=actor, mediator=mediator, on=on, consents=mediation_consents(on))
