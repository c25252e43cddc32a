"""Grid event measures over hand-made events: reported, closed by the period's end, closure rate, handled on
time, per town and per grid rows, and the rows behind every figure."""
from datetime import date, datetime, timedelta

import pytest

from desk.extensions import db
from desk.models import Role
from intake.grid.measures import event_measures, event_rows, events_by_grid, events_by_town
from intake.grid.models import EventKind, EventStatus as S, GridEvent
from tests.factories import make_user
from tests.intake.grid.helpers import second_grid

NOV = (date(2026, 11, 1), date(2026, 12, 1))


def _event(world, reporter, n, *, grid_unit=None, reported, status=S.reported, due=None, handled=None, closed=None):
    event = GridEvent(number=f"T-{n}", kind=EventKind.other, status=status, category=world.category, description="x",
                      reporter_id=reporter.id, reported_at=reported, handle_due_at=due, handled_at=handled,
                      closed_at=closed)
    event.place_at(grid_unit or world.grid)
    db.session.add(event)
    return event


@pytest.fixture
def events(world):
    reporter = make_user(world, Role.grid_member, unit=world.town)
    grid2 = second_grid(world)
    d = datetime(2026, 11, 5, 2)   # 10:00 China time
    due = d + timedelta(days=7)
    _event(world, reporter, 1, reported=d, status=S.rated, due=due, handled=d + timedelta(days=1),
           closed=d + timedelta(days=2))                                          # on time, closed
    _event(world, reporter, 2, reported=d, status=S.closed, due=due, handled=d + timedelta(days=9),
           closed=d + timedelta(days=10))                                         # late, closed
    _event(world, reporter, 3, grid_unit=grid2, reported=d, status=S.handled, due=due,
           handled=d + timedelta(days=3))                                         # handled, not closed
    _event(world, reporter, 4, grid_unit=grid2, reported=d, status=S.dispatched, due=due)   # open
    _event(world, reporter, 5, reported=datetime(2026, 11, 29, 2), status=S.closed, due=datetime(2026, 12, 6),
           handled=datetime(2026, 12, 1, 2), closed=datetime(2026, 12, 2, 2))    # closed after the period's end
    _event(world, reporter, 6, reported=datetime(2026, 10, 31, 15, 59), status=S.closed)   # 23:59 on 31 Oct local
    _event(world, reporter, 7, reported=datetime(2026, 11, 30, 15, 59), status=S.reported)  # 23:59 on 30 Nov local
    db.session.commit()
    return grid2


def test_totals_of_the_county_count_by_the_reported_day_and_the_periods_end(world, events):
    figures = event_measures(unit=world.county, start=NOV[0], end=NOV[1])
    assert figures["reported"] == 6          # events 1-5 and 7; 6 was reported in October (local time)
    assert figures["closed"] == 2            # 5 closed only in December
    assert figures["closure_rate"] == pytest.approx(2 / 6)
    assert figures["handled"] == 3 and figures["on_time"] == 2
    assert figures["on_time_rate"] == pytest.approx(2 / 3)
    december_view = event_measures(unit=world.county, start=NOV[0], end=date(2026, 12, 3))
    assert december_view["closed"] == 3


def test_per_town_and_per_grid_rows(world, events):
    towns = events_by_town(unit=world.county, start=NOV[0], end=NOV[1])
    assert [(r["unit"].id, r["reported"], r["closed"]) for r in towns] == [(world.town.id, 6, 2)]
    grids = events_by_grid(unit=world.county, start=NOV[0], end=NOV[1])
    assert [(r["unit"].id, r["reported"], r["closed"], r["handled"], r["on_time"]) for r in grids] == \
        [(world.grid.id, 4, 2, 2, 1), (events.id, 2, 0, 1, 1)]
    assert event_measures(unit=world.other_town, start=NOV[0], end=NOV[1])["closure_rate"] is None


def test_every_figure_equals_the_number_of_rows_behind_it(world, events):
    for unit in (world.county, world.town, world.grid, events):
        figures = event_measures(unit=unit, start=NOV[0], end=NOV[1])
        for figure in ("reported", "closed", "handled", "on_time"):
            rows = event_rows(unit=unit, start=NOV[0], end=NOV[1], figure=figure)
            assert len(rows) == figures[figure], (unit.name, figure)
    assert [e.number for e in event_rows(unit=world.county, start=NOV[0], end=NOV[1], figure="closed")] == ["T-1", "T-2"]
    with pytest.raises(ValueError):
        event_rows(unit=world.county, start=NOV[0], end=NOV[1], figure="nonsense")
