"""Demo talent pool: every county's members, with the demo talent logins among them."""
import sqlalchemy as sa

from desk.crypto import lookup_hash
from desk.demo import catalog
from desk.demo.seed import SeedContext, demo_county
from desk.extensions import db
from desk.models import Level, Room
from referrals.talent.models import Stationing, Talent, TalentRole, talent_skill

TALENT_PER_COUNTY = {"small": 30, "city": 16000 // 7}
ROOM_FOR_ROLE = {"mediator": "mediation", "lawyer": "lawyer", "counselor": "counseling", "judge": "court"}
# The demo logins that are talent: username -> (role, stationing).
DEMO_TALENT = {"mediator": TalentRole.mediator, "mediator2": TalentRole.mediator, "lawyer": TalentRole.lawyer}


def seed(ctx: SeedContext) -> None:
    counties = ctx.level(Level.county)
    total = TALENT_PER_COUNTY[ctx.size] * len(counties)
    if ctx.size == "city":
        total = 16000  # the city figure named by the design, exactly
    towns_by_county: dict[int, list] = {}
    for town in ctx.level(Level.town):
        towns_by_county.setdefault(town.county_id, []).append(town)
    rooms_by_site: dict[int, dict[str, int]] = {}
    for room in db.session.scalars(sa.select(Room)):
        rooms_by_site.setdefault(room.site_id, {})[room.kind] = room.id
    talent_rows, skills = [], []
    with ctx.bar(range(total), "talent") as numbers:
        for n in numbers:
            county = counties[n % len(counties)]
            spec = catalog.talent_spec(ctx.rng, county.code)
            # Resident members sit at the county center; others belong to a town station.
            unit = county if spec.stationing == "resident" or ctx.rng.random() < 0.3 else \
                ctx.rng.choice(towns_by_county[county.id])
            site = ctx.sites[unit.id]
            room_kind = ROOM_FOR_ROLE.get(spec.role)
            talent_rows.append(dict(
                name=spec.name, sex=spec.sex, role=spec.role, languages=",".join(spec.languages),
                site_id=site.id, room_id=rooms_by_site.get(site.id, {}).get(room_kind),
                stationing=spec.stationing, weekdays=",".join(str(d) for d in spec.weekdays),
                capacity=spec.capacity, open_load=0, licence_no=spec.licence_no,
                phone=spec.phone, phone_hash=lookup_hash(spec.phone), active=ctx.rng.random() > 0.03,
                city_id=unit.city_id, county_id=unit.county_id, town_id=unit.town_id, village_id=None,
                grid_id=None))
            skills.append([ctx.categories[code].id for code in spec.skills if code in ctx.categories])
    ids: list[int] = []
    insert = sa.insert(Talent).returning(Talent.id, sort_by_parameter_order=True)
    for start in range(0, len(talent_rows), 2000):
        ids.extend(db.session.scalars(insert, talent_rows[start:start + 2000]))
    skill_rows = [{"talent_id": talent_id, "category_id": category_id}
                  for talent_id, category_ids in zip(ids, skills) for category_id in category_ids]
    for start in range(0, len(skill_rows), 5000):
        db.session.execute(talent_skill.insert(), skill_rows[start:start + 5000])
    _link_demo_logins(ctx)
    db.session.flush()


def _link_demo_logins(ctx: SeedContext) -> None:
    county = demo_county(ctx)
    site = ctx.sites[county.id]
    rooms = {room.kind: room for room in site.rooms}
    skills = {TalentRole.mediator: ["neighbour", "family", "labour"], TalentRole.lawyer: ["labour", "land", "law"]}
    for username, role in DEMO_TALENT.items():
        user = ctx.users[username]
        name = user.display_name.split(" ")[-1]
        talent = Talent(user_id=user.id, name=name, sex="M", role=role, languages="mandarin,cantonese,taishanese",
                        site_id=site.id, room=rooms.get(ROOM_FOR_ROLE[role.value]),
                        stationing=Stationing.resident, weekdays="0,1,2,3,4", capacity=6, active=True)
        talent.place_at(county)
        talent.set_phone("13800138" + f"{user.id:03d}")
        talent.skills = [c for code, c in ctx.categories.items()
                         if c.parent_id is None and any(code.startswith(s) for s in skills[role])] or \
            [c for c in ctx.categories.values() if c.parent_id is None][:3]
        db.session.add(talent)
        ctx.extra.setdefault("demo_talent", {})[username] = talent
