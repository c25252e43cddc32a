"""Person-times (人次) against hand-counted service records: by kind, site and member, any period and scope."""
from datetime import date, datetime

import pytest

from desk.extensions import db
from desk.models import Role
from outreach.assignments import services as assignments
from outreach.assignments.models import ServiceKind
from outreach.field import services as field
from outreach.field.measures import person_times, totals
from tests.factories import make_user
from tests.outreach.helpers import make_member, make_request


def _served(world, staff, member, *, on, kind, people, unit=None, site=None):
    request = make_request(world, staff, on_date=on, kind=kind, unit=unit, site=site)
    [assignment] = assignments.offer(request, [member], actor=staff)
    assignments.accept(assignment.id, talent=member, actor=None)
    db.session.refresh(assignment)
    assignments.check_in(assignment, actor=None, now=datetime.combine(on, datetime.min.time()).replace(hour=1))
    return field.record_service(assignment, actor=None, people_served=people, topics="", outcome="已服务")


@pytest.fixture
def served(world, staff):
    """Hand-counted: in 台山市 in November 2026 —
    甲 mediation 20 (石龙村, town site) + mediation 5 (大江镇) + legal 12 (石龙村) by 乙;
    on 2026-12-01 甲 mediation 7 (outside November); 开平市: 丙 legal 30."""
    a, b = make_member(world, "甲"), make_member(world, "乙", role="lawyer")
    c = make_member(world, "丙", role="lawyer", unit=world.far_village)
    far_staff = make_user(world, Role.receptionist, unit=world.other_county)
    _served(world, staff, a, on=date(2026, 11, 3), kind=ServiceKind.mediation, people=20, site=world.town_site)
    _served(world, staff, a, on=date(2026, 11, 30), kind=ServiceKind.mediation, people=5, unit=world.other_town)
    _served(world, staff, b, on=date(2026, 11, 10), kind=ServiceKind.legal, people=12)
    _served(world, staff, a, on=date(2026, 12, 1), kind=ServiceKind.mediation, people=7)
    _served(world, far_staff, c, on=date(2026, 11, 10), kind=ServiceKind.legal, people=30, unit=world.far_village)
    db.session.commit()
    return a, b, c


NOV = dict(start=date(2026, 11, 1), end=date(2026, 12, 1))


def _rows(rows):
    return [(r["key"], r["services"], r["people"]) for r in rows]


ZERO_KINDS = [("policy", 0, 0), ("psychological", 0, 0), ("social_work", 0, 0)]


def test_by_kind_keeps_every_kind(world, served):
    assert _rows(person_times(unit=world.county, by="kind", **NOV)) == [("mediation", 2, 25), ("legal", 1, 12),
                                                                         *ZERO_KINDS]
    assert _rows(person_times(unit=world.city, by="kind", **NOV)) == [("legal", 2, 42), ("mediation", 2, 25),
                                                                       *ZERO_KINDS]


def test_by_member_and_the_end_is_exclusive(world, served):
    a, b, _c = served
    assert _rows(person_times(unit=world.county, by="talent", **NOV)) == [(a.id, 2, 25), (b.id, 1, 12)]
    december = person_times(unit=world.county, by="talent", start=date(2026, 11, 30), end=date(2026, 12, 2))
    assert _rows(december) == [(a.id, 2, 12)]


def test_by_site_counts_a_request_without_a_site_at_its_place(world, served):
    rows = person_times(unit=world.county, by="site", **NOV)
    assert _rows(rows) == [(f"site:{world.town_site.id}", 1, 20), (f"unit:{world.village.id}", 1, 12),
                           (f"unit:{world.other_town.id}", 1, 5)]
    assert rows[0]["label"] == world.town_site.name and world.village.name in rows[1]["label"]


def test_scope_of_a_town_and_an_empty_period(world, served):
    assert _rows(person_times(unit=world.town, by="kind", **NOV)) == [("mediation", 1, 20), ("legal", 1, 12),
                                                                       *ZERO_KINDS]
    empty = person_times(unit=world.county, by="kind", start=date(2025, 1, 1), end=date(2025, 2, 1))
    assert [r["services"] for r in empty] == [0] * 5 and totals(empty) == {"services": 0, "people": 0}
    assert person_times(unit=world.county, by="talent", start=date(2025, 1, 1), end=date(2025, 2, 1)) == []


def test_unknown_grouping_is_refused(world):
    with pytest.raises(ValueError):
        person_times(unit=world.county, by="weather", **NOV)


def test_measures_page(login_as, world, served):
    client = login_as(Role.official, unit=world.county)
    page = client.get("/outreach/measures?start=2026-11-01&end=2026-11-30&by=kind").get_data(as_text=True)
    assert "矛盾调解" in page and ">25<" in page and ">37<" in page
    page = client.get(f"/outreach/measures?start=2025-01-01&end=2025-01-31&by=talent&unit_id={world.county.id}")
    assert 'data-testid="empty"' in page.get_data(as_text=True)
    assert client.get("/outreach/measures?start=notadate").status_code == 400
    assert client.get(f"/outreach/measures?unit_id={world.other_county.id}").status_code in (400,)
    assert client.get(f"/outreach/talent/{served[0].id}/history").status_code == 200
    assert client.get(f"/outreach/talent/{served[2].id}/history").status_code == 404
