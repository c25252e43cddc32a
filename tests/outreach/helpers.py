"""Small builders for the outreach tests (through the real services)."""
from datetime import date, time

from desk.extensions import db
from desk.models import Role
from outreach.assignments import services as assignments
from outreach.assignments.models import ServiceKind
from tests.factories import make_talent, make_user

DAY = date(2026, 11, 25)  # a Wednesday, a working day


def make_member(world, name="调解员甲", *, role="mediator", unit=None, languages="mandarin,cantonese"):
    """A talent-pool member with a login (role talent)."""
    user = make_user(world, Role.talent, unit=world.county)
    return make_talent(world, name, role=role, unit=unit or world.county, user=user, languages=languages)


def make_request(world, actor, *, on_date=DAY, kind=ServiceKind.mediation, unit=None, site=None,
                 start=time(9, 0), end=time(11, 30), people=20, languages=("cantonese",)):
    request = assignments.create_request(actor=actor, unit=unit or world.village, site=site, kind=kind,
                                         on_date=on_date, start_time=start, end_time=end, expected_people=people,
                                         languages=list(languages), notes="村委会礼堂", today=on_date)
    db.session.flush()
    return request
