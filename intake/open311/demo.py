"""Demo Open311 client: the 12345 hotline platform of 台山市 with a fixed key (README), and a few matters it
submitted (channel hotline), so GET requests.json shows them right after `make run`. Deterministic."""
from datetime import time, timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from desk.demo.seed import SeedContext, demo_county, demo_town
from desk.extensions import db
from desk.models import Channel, Level, OrgUnit
from desk.timeutil import utc_of_local
from intake.open311 import services

DEMO_CLIENT_NAME = "12345 热线平台（演示）"
DEMO_KEY = "demo-open311-taishan-key"   # documented in the README; stored hashed like any other key
# (days ago, hour, service code, description, caller) — descriptions name nobody: GET answers show subjects.
SUBMISSIONS = [
    (6, 9, "environment.noise", "夜间施工噪音扰民，持续两周。晚上十一点后仍在打桩。", ("伟强", "李", "13926001101")),
    (3, 14, "labour.wages", "工厂拖欠三个月工资未发。多名工友一起反映。", ("秀英", "黄", "13926001102")),
    (1, 10, "suggestion.public", "村口路灯损坏多日。夜间出行不便，建议尽快维修。", ("国华", "陈", "13926001103")),
]


def seed(ctx: SeedContext) -> None:
    county, town = demo_county(ctx), demo_town(ctx)
    admin = ctx.users.get("admin")
    client, _key = services.create_client(actor=admin, name=DEMO_CLIENT_NAME, unit=county, channel=Channel.hotline,
                                           key=DEMO_KEY)
    village = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.parent_id == town.id, OrgUnit.level == Level.village)
                                .order_by(OrgUnit.code))
    for days_ago, hour, code, description, (first, last, phone) in SUBMISSIONS:
        if code not in ctx.categories:
            continue
        ctx.clock(utc_of_local(ctx.today - timedelta(days=days_ago), time(hour)))
        services.submit_request(client=client, county=county, values=MultiDict({
            "service_code": code, "description": description, "address_id": (village or town).code,
            "first_name": first, "last_name": last, "phone": phone}))
    ctx.clock()
