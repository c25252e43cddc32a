"""Outreach satisfaction and the mediation success rate against a hand-counted November 2026 in 台山市:
the figures, "—" for a month without ended mediations, the drill-down equal to the figure, the dashboard,
the service record's ratings and the monthly PDF read back with pdftotext."""
import re
import subprocess
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from desk.errors import DomainError
from desk.extensions import db
from desk.models import Role
from desk.timeutil import freeze
from outreach.assignments import services as assignments
from outreach.field import services as field
from outreach.mediation.models import Mediation, MediationStatus as M
from reports.dashboard import drill, outreach_measures
from reports.summary import services as summary
from tests.factories import make_case, make_user
from tests.outreach.helpers import make_member, make_request

NOW = datetime(2026, 12, 3, 2, 0)
NOV = (date(2026, 11, 1), date(2026, 12, 1))


@pytest.fixture(autouse=True)
def clock():
    freeze(NOW)
    yield
    freeze(None)


def _mediated(world, *outcomes, unit=None):
    """One case with a mediation per (status, ended_on) pair."""
    case = make_case(world, unit=unit, received_on=date(2026, 10, 20))
    for status, ended_on in outcomes:
        db.session.add(Mediation(case_id=case.id, started_on=date(2026, 10, 25), status=status, ended_on=ended_on))
    db.session.flush()
    return case


def _served(world, staff, member, *, on, people, ratings=None, unit=None):
    request = make_request(world, staff, on_date=on, unit=unit)
    [assignment] = assignments.offer(request, [member], actor=staff)
    assignments.accept(assignment.id, talent=member, actor=None)
    db.session.refresh(assignment)
    assignments.check_in(assignment, actor=None, now=datetime.combine(on, datetime.min.time()).replace(hour=1))
    return field.record_service(assignment, actor=None, people_served=people, topics="", outcome="已服务",
                                ratings=ratings)


@pytest.fixture
def november(world):
    """Mediation in 台山市, ended in November: A agreement (5 Nov); B agreement (10 Nov); C no agreement
    (12 Nov), then mediated again, agreement (26 Nov): one dispute, resolved; D terminated (29 Nov).
    => 3 resolved of 4 ended = 75.0%. Not counted: E under way; F agreement on 1 Dec; G in 开平市 (agreement,
    Nov); H terminated in October.
    Outreach in 台山市, November: 20 served, rated 12 satisfied + 5 basic + 3 dissatisfied; 10 served, nobody
    asked; 12 served, rated 6 + 1 + 1. => (17 + 7) / (20 + 8) = 24 / 28 = 85.7%. Not counted: 开平市 (9 of 9
    dissatisfied), 台山市 on 1 Dec (5 dissatisfied)."""
    _mediated(world, (M.agreement, date(2026, 11, 5)))
    _mediated(world, (M.agreement, date(2026, 11, 10)))
    _mediated(world, (M.no_agreement, date(2026, 11, 12)), (M.agreement, date(2026, 11, 26)))
    _mediated(world, (M.terminated, date(2026, 11, 29)))
    _mediated(world, (M.ongoing, None))
    _mediated(world, (M.agreement, date(2026, 12, 1)))
    _mediated(world, (M.agreement, date(2026, 11, 15)), unit=world.far_village)
    _mediated(world, (M.terminated, date(2026, 10, 30)))
    staff = make_user(world, Role.receptionist, unit=world.county)
    far_staff = make_user(world, Role.receptionist, unit=world.other_county)
    member = make_member(world, "甲")
    far_member = make_member(world, "丙", unit=world.far_village)
    rate = lambda s, b, d: {"rated_satisfied": s, "rated_basic": b, "rated_dissatisfied": d}  # noqa: E731
    _served(world, staff, member, on=date(2026, 11, 3), people=20, ratings=rate(12, 5, 3))
    _served(world, staff, member, on=date(2026, 11, 10), people=10)
    _served(world, staff, member, on=date(2026, 11, 20), people=12, ratings=rate(6, 1, 1))
    _served(world, staff, member, on=date(2026, 12, 1), people=5, ratings=rate(0, 0, 5))
    _served(world, far_staff, far_member, on=date(2026, 11, 10), people=9, ratings=rate(0, 0, 9),
            unit=world.far_village)
    db.session.commit()
    return world


def _by_key(measures):
    return {m.key: m for m in measures}


def test_hand_counted_figures(november):
    figures = _by_key(outreach_measures.figures(unit=november.county, start=NOV[0], end=NOV[1]))
    mediation, outreach = figures["mediation_success_rate"], figures["outreach_satisfaction"]
    assert (mediation.numerator, mediation.denominator, mediation.value) == (3, 4, 0.75)
    assert (outreach.numerator, outreach.denominator) == (24, 28)
    assert outreach.value == pytest.approx(24 / 28)
    october = _by_key(outreach_measures.figures(unit=november.county, start=date(2026, 10, 1), end=NOV[0]))
    assert (october["mediation_success_rate"].numerator, october["mediation_success_rate"].denominator) == (0, 1)
    city = _by_key(outreach_measures.figures(unit=november.city, start=NOV[0], end=NOV[1]))
    assert (city["mediation_success_rate"].numerator, city["mediation_success_rate"].denominator) == (4, 5)
    assert (city["outreach_satisfaction"].numerator, city["outreach_satisfaction"].denominator) == (24, 37)


def test_a_month_without_ended_mediations_has_no_rate(november):
    september = _by_key(outreach_measures.figures(unit=november.county, start=date(2026, 9, 1),
                                                  end=date(2026, 10, 1)))
    assert september["mediation_success_rate"].value is None
    assert september["outreach_satisfaction"].value is None


@pytest.mark.parametrize("part, expected", [("numerator", 3), ("denominator", 4)])
def test_drill_down_lists_as_many_cases_as_the_figure(november, part, expected):
    stmt = drill.drill_down(measure_key="mediation_success_rate", unit=november.county, start=NOV[0], end=NOV[1],
                            part=part)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) == expected


def test_dashboard_shows_both_beside_the_case_measures(november, login_as):
    client = login_as(Role.official, unit=november.county)
    page = client.get(f"/reports/dashboard?unit={november.county.id}&month=2026-11").get_data(as_text=True)
    tiles = page[page.index('data-testid="outreach-measures"'):page.index('data-testid="table-by_town"')]
    assert "调解化解率" in tiles and "外送服务群众满意度" in tiles
    assert re.search(r'data-testid="value-mediation_success_rate">\s*<a href="[^"]*measure=mediation_success_rate'
                     r'[^"]*">75.0%</a>', tiles)
    assert re.search(r'data-testid="value-outreach_satisfaction">\s*85.7%\s*<', tiles)   # people, not cases
    assert 'id="def-mediation_success_rate"' in page and 'id="def-outreach_satisfaction"' in page
    drilled = client.get(f"/reports/dashboard/cases?unit={november.county.id}&month=2026-11"
                         f"&measure=mediation_success_rate&part=denominator").get_data(as_text=True)
    assert re.search(r'data-testid="drill-total">\s*4\b', drilled)
    september = client.get(f"/reports/dashboard?unit={november.county.id}&month=2026-09").get_data(as_text=True)
    assert re.search(r'data-testid="value-mediation_success_rate">\s*—\s*<', september)
    export = client.get(f"/reports/dashboard/export?unit={november.county.id}&month=2026-11"
                        f"&table=outreach_measures&fmt=csv").get_data(as_text=True)
    assert "0.75" in export and "0.8571" in export


def test_ratings_cannot_exceed_the_people_served(world):
    staff = make_user(world, Role.receptionist, unit=world.county)
    member = make_member(world, "甲")
    with pytest.raises(DomainError) as err:
        _served(world, staff, member, on=date(2026, 11, 3), people=5,
                ratings={"rated_satisfied": 4, "rated_basic": 2, "rated_dissatisfied": 0})
    assert err.value.field == "rated_satisfied"


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("locale, titles", [("zh_Hans", ("调解化解率", "外送服务群众满意度")),
                                            ("en", ("Mediation success rate", "Outreach satisfaction"))])
def test_monthly_pdf_shows_both_figures(november, tmp_path, locale, titles):
    pdf = summary.render_monthly_summary(unit=november.county, year=2026, month=11, locale=locale, now=NOW)
    text = _pdf_text(pdf, tmp_path)
    for title in titles:
        assert title in text
    # "title<footnote> value" in the measures table, the parts under the title (pdftotext may wrap them)
    assert re.search(re.escape(titles[0]) + r"\d+ 75\.0%", text), text
    assert re.search(re.escape(titles[1]) + r"\d+ 85\.7%", text), text
    assert re.search(r"\b3 ?/ ?4\b", text) and re.search(r"\b24 ?/ ?28\b", text)
