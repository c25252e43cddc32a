"""Grid event test helpers: members of the test world's grid, and an event reported through the service."""
from datetime import datetime

from desk.extensions import db
from desk.models import Level, OrgUnit, Role
from desk.admin.services import assign_grids
from intake.grid import services as grid
from intake.grid.models import EventKind
from tests.factories import _unit, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
REPORTED = datetime(2026, 11, 2, 2, 0)   # 10:00 China time


def grid_member(world, *grids, username=None):
    member = make_user(world, Role.grid_member, unit=world.town, username=username)
    assign_grids(member, [g.id for g in (grids or (world.grid,))], actor=None)
    db.session.flush()
    return member


def second_grid(world) -> OrgUnit:
    return _unit("44078100100102", "石龙村第2网格", Level.grid, world.village)


def report(world, member, *, grid_unit=None, now=REPORTED, photos=(), tmp_path=None, **kw):
    return grid.report_event(actor=member, kind=kw.pop("kind", EventKind.dispute),
                             grid_id=(grid_unit or world.grid).id, category_id=world.category.id,
                             description=kw.pop("description", "两户村民因宅基地界线发生争执"), photos=photos,
                             folder=str(tmp_path) if tmp_path else None, now=now, **kw)
