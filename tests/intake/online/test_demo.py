"""The demo shows online reports in 台山市: some waiting for the town, some accepted and concluded, a few photos."""
from datetime import datetime

import sqlalchemy as sa

from desk.demo.seed import seed_demo
from desk.extensions import db
from desk.models import Case, CaseStatus, Channel, OrgUnit, Visit
from intake.cases.models import Attachment


def test_demo_online_reports_in_taishan(app, clock):
    clock(datetime(2026, 11, 20, 2, 0))
    seed_demo(size="small", seed=7)
    online = list(db.session.scalars(sa.select(Case).join(Visit, Visit.case_id == Case.id)
                                     .where(Visit.submission_key.like("demo-online-%"))))
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
    assert len(online) == 12 and all(c.county_id == county.id and c.channel == Channel.online for c in online)
    statuses = {c.status for c in online}
    assert CaseStatus.registered in statuses and CaseStatus.concluded in statuses
    assert sum(c.status == CaseStatus.registered for c in online) == 5
    with_photos = db.session.scalar(sa.select(sa.func.count(sa.distinct(Attachment.case_id)))
                                    .where(Attachment.case_id.in_([c.id for c in online])))
    assert with_photos == 3
    assert all(c.owner_unit_id == c.town_id for c in online)
