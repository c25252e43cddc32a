"""A dozen online reports (网上反映) in 台山市's towns over the last weeks: some still waiting for the town to
accept them, some accepted and concluded; a few with a photo.

Drawn from a generator of its own, so adding these leaves every other seeder's random draws as they were;
every matter goes through the real channel function with the clock pinned to its day."""
import os
import random
import struct
import zlib
from datetime import datetime, time, timedelta

from flask import current_app

from desk import cases, stages
from desk.demo import catalog, people
from desk.demo.seed import SeedContext, demo_county, demo_town
from desk.extensions import db
from desk.models import Channel, Level, Outcome
from intake.cases.attachments import store_attachment
from intake.channels.services import MatterInput, land_matter
from intake.reception.services import PersonInput

MATTERS = 12
AWAITING = 5      # the newest ones are still registered, waiting for the town to accept them


def tiny_png(rgb: tuple[int, int, int], size: int = 8) -> bytes:
    """A small solid-colour PNG (a stand-in for a citizen's photo)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes(rgb) * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def seed(ctx: SeedContext) -> None:
    rng = random.Random(1717)
    county, home_town = demo_county(ctx), demo_town(ctx)
    villages = sorted((u for u in ctx.level(Level.village) if u.county_id == county.id), key=lambda u: u.code)
    near = [v for v in villages if v.town_id == home_town.id]
    leaves = sorted((c for c in ctx.categories.values() if c.parent_id is not None), key=lambda c: c.code)
    if not villages or not leaves:
        return
    folder = os.path.join(current_app.instance_path, "attachments")
    ages = sorted(rng.sample(range(1, 36), MATTERS))   # days ago, newest first
    try:
        for n, age in enumerate(ages):
            received = ctx.today - timedelta(days=age)
            ctx.clock(datetime.combine(received, time(1, 0)) + timedelta(minutes=rng.randint(0, 720)))
            place = rng.choice(near if near and n % 2 == 0 else villages)
            category = rng.choice(leaves)
            facts, demand = catalog.case_text(rng, category.code)
            sex = rng.choice("MF")
            person = PersonInput(name=people.person_name(rng, sex), phone=people.mobile_phone(rng),
                                 id_number=people.resident_id(rng, place.code[:6], people.birth_date(rng), sex)
                                 if rng.random() < 0.5 else None)
            landing = land_matter(data=MatterInput(
                channel=Channel.online, place=place, category=category, title=f"{category.name_zh}：{demand}"[:100],
                facts=facts, demand=demand, person=person, received_on=received,
                submission_key=f"demo-online-{n}"))
            if n % 4 == 1:
                store_attachment(case=landing.case, filename=f"现场照片{n + 1}.png", folder=folder, actor=None,
                                 data=tiny_png((rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))))
            if n >= AWAITING:
                _accept_and_conclude(ctx, rng, landing.case, received)
    finally:
        ctx.clock()
    db.session.flush()


def _accept_and_conclude(ctx: SeedContext, rng: random.Random, case, received) -> None:
    """Accepted a day or two after it came in; the older ones answered in writing and handed over."""
    actor = ctx.users["townreception"] if case.town_id == demo_town(ctx).id else ctx.users["reception"]
    accepted = min(received + timedelta(days=rng.randint(1, 2)), ctx.today)
    ctx.clock(datetime.combine(accepted, time(2, 0)))
    cases.accept_case(case, actor=actor, on=accepted)
    cases.start_work(case, actor=actor)
    replied = accepted + timedelta(days=rng.randint(6, 14))
    if replied >= ctx.today:
        return
    ctx.clock(datetime.combine(replied, time(3, 0)))
    outcome = rng.choice([Outcome.support, Outcome.explanation])
    stages.conclude_case(case, actor=actor, on=replied, outcome=outcome,
                         opinion=catalog.outcome_text(rng, case.category.code, outcome.value),
                         legal_basis="《信访工作条例》第三十二条", delivered_on=replied)
