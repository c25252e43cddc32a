"""The demo shows routing in 台山市: objected and routed again, confirmed, pending; escalated with a leader; graded."""
from datetime import datetime

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, CaseGrade, Level, OrgUnit, User
from intake.routing.models import CaseRoute, RouteStatus
from tests.demo_snapshots import load_demo


def test_demo_routing_in_taishan(app, clock):
    clock(datetime(2026, 11, 20, 2, 0))
    load_demo(size="small", seed=7)
    county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
    routes = list(db.session.scalars(sa.select(CaseRoute).join(Case).where(Case.county_id == county.id)))
    statuses = {r.status for r in routes}
    assert {RouteStatus.objected, RouteStatus.confirmed, RouteStatus.pending} <= statuses
    objected = next(r for r in routes if r.status == RouteStatus.objected)
    assert any(r.case_id == objected.case_id and r.id > objected.id for r in routes)   # routed again
    official = db.session.scalar(sa.select(User).where(User.username == "official"))
    led = list(db.session.scalars(sa.select(Case).where(Case.county_id == county.id, Case.leader_id == official.id)))
    assert len(led) >= 2 and all(c.level == Level.county for c in led)
    grades = set(db.session.scalars(sa.select(Case.grade).where(Case.county_id == county.id)))
    assert {CaseGrade.major, CaseGrade.serious} <= grades
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.owner_unit_id.is_(None))) == 0
