"""Load deterministic demo data: the org tree, sites, rooms, departments, categories, users, then
each area's own demo records (talent, cases, referrals, orders, outreach, callbacks, reports).

Areas add their seeders in their ``register(app)`` with ``add_seeder``, each in a stage; the stages run in
order, and within a stage the seeders run in the order the areas registered them. The order is part of
the demo: every seeder draws from one seeded random generator.
"""
import random
import time
from dataclasses import dataclass, field
from datetime import date, datetime, time as clock_time, timedelta

import click
import sqlalchemy as sa
from flask import current_app

from desk import orgimport
from desk.demo import holidays as demo_holidays
from desk.extensions import db
from desk.models import Category, Department, Level, OrgUnit, Role, Site, User
from desk.timeutil import freeze, frozen_at, to_local, utc_of_local, utcnow

DEMO_PASSWORD = "demo12345"
# The people who take on matters, then the matters, then what is done with them, then what follows.
SEED_STAGES = ("pool", "cases", "routing", "follow_up")


@dataclass
class SeedContext:
    """What the core seed made, handed to each area's seeder."""

    size: str
    rng: random.Random
    now: datetime          # naive UTC: the one moment the whole demo is built relative to
    today: date            # the local (China) date of ``now``
    units: dict[str, OrgUnit] = field(default_factory=dict)           # by code
    sites: dict[int, Site] = field(default_factory=dict)              # by org unit id
    departments: dict[tuple[int, str], Department] = field(default_factory=dict)  # (county id, code)
    categories: dict[str, Category] = field(default_factory=dict)     # by code
    users: dict[str, User] = field(default_factory=dict)              # by username
    extra: dict = field(default_factory=dict)                         # what one area seeder leaves for the next
    progress: bool = False

    def clock(self, stamp: datetime | None = None) -> datetime:
        """Pin the desk's clock at ``stamp`` for what a seeder does next (back to ``now`` without one).

        Never later than ``now``: a demo made at 08:00 on the 1st or at 23:30 on New Year's Eve holds
        nothing in the future, however its seeders place "today at 09:00"."""
        moment = self.now if stamp is None else min(stamp, self.now - timedelta(minutes=1))
        freeze(moment)
        return moment

    def today_at(self, hour: int, minute: int = 0) -> datetime:
        """Today at a local wall-clock time, or just before ``now`` when that time has not come yet (and
        never before today's local midnight)."""
        midnight = utc_of_local(self.today, clock_time(0))
        return max(midnight, min(utc_of_local(self.today, clock_time(hour, minute)), self.now - timedelta(minutes=1)))

    def level(self, level: Level) -> list[OrgUnit]:
        return [u for u in self.units.values() if u.level == level]

    def say(self, message: str) -> None:
        if self.progress:
            click.echo(message)

    def bar(self, items, label: str):
        """A progress bar on the terminal; silent in tests."""
        if self.progress:
            return click.progressbar(items, label=label, show_pos=True)
        return _NoBar(items)


class _NoBar:
    def __init__(self, items):
        self.items = items

    def __enter__(self):
        return self.items

    def __exit__(self, *exc):
        return False


def add_seeder(app, stage: str, seeder) -> None:
    """Run ``seeder(ctx)`` in ``stage`` when ``app`` loads the demo data."""
    if stage not in SEED_STAGES:
        raise ValueError(f"unknown seed stage {stage!r}")
    app.extensions.setdefault("desk.seeders", []).append((stage, seeder))


def area_seeders(app) -> list:
    """The areas' seeders in the order they run."""
    seeders = app.extensions.get("desk.seeders", [])
    return [seeder for stage in SEED_STAGES for seeder_stage, seeder in seeders if seeder_stage == stage]


def seed_demo(size: str = "small", seed: int = 7, progress: bool = False, today: date | None = None) -> SeedContext:
    """Create the demo city; deterministic for a seed and a moment. Expects an empty database.

    Everything is built relative to one moment: the desk's clock now (or 18:00 China time on ``today``),
    pinned while the seeders run, so that history, today's queue, offers and orders agree with each other."""
    started = time.perf_counter()
    now = utc_of_local(today, clock_time(18)) if today else utcnow()
    ctx = SeedContext(size=size, rng=random.Random(seed), now=now, today=to_local(now).date(), progress=progress)
    steps = [("org tree", _seed_places), ("sites and rooms", _seed_sites), ("departments", _seed_departments),
             ("categories", _seed_categories), ("demo users", _seed_users),
             ("holiday schedule 2027 (demo data)", demo_holidays.seed)]
    steps += [(seeder.__module__, seeder) for seeder in area_seeders(current_app)]
    with frozen_at(now):
        for number, (label, step) in enumerate(steps, 1):
            ctx.say(f"[{number}/{len(steps)}] {label}")
            ctx.clock()
            step(ctx)
            db.session.commit()
    ctx.say(f"demo data ready ({size}, seed {seed}) in {time.perf_counter() - started:.1f} s")
    return ctx


def _seed_places(ctx: SeedContext) -> None:
    rows = orgimport.demo_rows(ctx.size, ctx.rng)
    with ctx.bar(list(Level), "org levels") as levels:
        for level in levels:
            units = orgimport.add_units([row for row in rows if row.level == level], ctx.units)
            ctx.units.update((unit.code, unit) for unit in units)


def _seed_sites(ctx: SeedContext) -> None:
    units = [u for u in ctx.units.values() if u.level in orgimport.SITE_LEVEL]
    with ctx.bar(units, "sites") as items:
        ctx.sites.update(orgimport.add_sites(items, ctx.rng))


def _seed_departments(ctx: SeedContext) -> None:
    ctx.departments.update(orgimport.add_departments(ctx.level(Level.county)))


def _seed_categories(ctx: SeedContext) -> None:
    ctx.categories.update(orgimport.add_categories())


# username, display name, roles, where ("county" = the demo county 台山市, "town" = its first town,
# "city"), department code for department officers.
DEMO_USERS = [
    ("reception", "接待员 李敏", [Role.receptionist], "county", None),
    ("mediator", "调解员 陈志强", [Role.talent], "county", None),
    ("mediator2", "调解员 黄丽华", [Role.talent], "county", None),
    ("lawyer", "律师 梁文博", [Role.talent], "county", None),
    ("commander", "镇街指挥 谭国华", [Role.commander], "town", None),
    ("officer", "人社局 关美玲", [Role.department_officer], "county", "hrss"),
    ("callback", "回访员 吴晓燕", [Role.callback_staff], "county", None),
    ("official", "县领导 司徒明", [Role.official], "county", None),
    ("cityofficial", "市领导 甄伟", [Role.official], "city", None),
    ("admin", "管理员 余建军", [Role.admin], "city", None),
    ("townreception", "镇接待员 邝小云", [Role.receptionist], "town", None),
    ("grid", "网格员 伍志明", [Role.grid_member], "town", None),
    ("grid2", "网格员 李秀英", [Role.grid_member], "town", None),
]


def demo_county(ctx: SeedContext) -> OrgUnit:
    """台山市 is the demo county in both sizes."""
    return ctx.units["440781"]


def demo_town(ctx: SeedContext) -> OrgUnit:
    county = demo_county(ctx)
    return min((u for u in ctx.level(Level.town) if u.parent_id == county.id), key=lambda u: u.code)


def _seed_users(ctx: SeedContext) -> None:
    from werkzeug.security import generate_password_hash
    password_hash = generate_password_hash(DEMO_PASSWORD)  # hashed once: every demo login shares it
    county, town = demo_county(ctx), demo_town(ctx)
    units = {"county": county, "town": town, "city": ctx.level(Level.city)[0]}
    for username, name, roles, where, dept_code in DEMO_USERS:
        unit = units[where]
        department = ctx.departments.get((county.id, dept_code)) if dept_code else None
        site = ctx.sites.get(unit.id)
        user = User(username=username, display_name=name, password_hash=password_hash, org_unit=unit,
                    department=department, site_id=site.id if site else None)
        user.set_roles(roles)
        db.session.add(user)
        ctx.users[username] = user
    db.session.flush()


def pick_weighted(rng: random.Random, weighted):
    """One value of ``[(value, weight), ...]``, drawn with the seed's generator."""
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def count_rows(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))
