"""The small demo loads deterministically and every demo login reaches its home page."""
import pytest
import sqlalchemy as sa

from desk.demo.seed import DEMO_PASSWORD, DEMO_USERS, count_rows, seed_demo
from desk.extensions import db
from desk.models import Category, Department, Level, OrgUnit, Room, Site, User
from referrals.talent.models import Talent
from tests.demo_snapshots import load_demo


@pytest.fixture
def demo(app):
    """Seeded for the first test of this process, copied in for the others (tests/demo_snapshots.py)."""
    load_demo(size="small", seed=7)


def test_small_demo_counts(demo):
    levels = dict(db.session.execute(sa.select(OrgUnit.level, sa.func.count()).group_by(OrgUnit.level)).all())
    assert levels[Level.county] == 2 and levels[Level.town] == 6 and levels[Level.village] == 24
    assert count_rows(Site) == 2 + 6 + 24
    assert count_rows(Room) > count_rows(Site)
    assert count_rows(Department) == 2 * 20
    assert count_rows(Category) > 30
    assert count_rows(User) == len(DEMO_USERS)
    assert count_rows(Talent) >= 60


def test_demo_feeds_satisfaction_to_matching_and_outreach(demo):
    """Callbacks credit the members who handled the matters (so the ranking's satisfaction varies), and the
    outreach records carry the people's ratings (outreach satisfaction is not empty)."""
    from outreach.field.models import ServiceRecord
    from referrals.talent.matching import satisfaction_score
    from referrals.talent.models import TalentCategoryStat
    stats = db.session.execute(sa.select(TalentCategoryStat.rated, TalentCategoryStat.satisfied)).all()
    assert len({satisfaction_score(rated, satisfied) for rated, satisfied in stats}) > 1
    assert db.session.scalar(sa.select(sa.func.sum(ServiceRecord.rated_satisfied + ServiceRecord.rated_basic))) > 0


def test_every_demo_login_reaches_its_home_page(demo, app):
    for username, *_ in DEMO_USERS:
        client = app.test_client()
        response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        home = client.get(response.headers["Location"])
        assert home.status_code == 200, (username, response.headers["Location"])


def test_demo_is_deterministic(app):
    seed_demo(size="small", seed=11)
    first = [t.name for t in db.session.scalars(sa.select(Talent).order_by(Talent.id).limit(20))]
    names = db.session.scalars(sa.select(OrgUnit.name).where(OrgUnit.level == Level.village)
                               .order_by(OrgUnit.code)).all()
    from tests.conftest import _empty_all_tables
    db.session.remove()
    _empty_all_tables()
    seed_demo(size="small", seed=11)
    assert [t.name for t in db.session.scalars(sa.select(Talent).order_by(Talent.id).limit(20))] == first
    assert db.session.scalars(sa.select(OrgUnit.name).where(OrgUnit.level == Level.village)
                              .order_by(OrgUnit.code)).all() == names


def test_demo_talent_phones_read_back_as_phone_numbers(demo):
    """The column encrypts on write: the demo hands it the plain number (once encrypted, not twice)."""
    phones = [t.phone for t in db.session.scalars(sa.select(Talent).where(Talent.phone.is_not(None)).limit(20))]
    assert phones and all(p.isdigit() and len(p) == 11 for p in phones), phones[:3]
    assert all(len(t.phone_masked) <= 13 for t in db.session.scalars(sa.select(Talent).limit(20)))
