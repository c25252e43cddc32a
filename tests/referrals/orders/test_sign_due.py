"""The sign-for limit in working time (DOMAIN.md): ORDER_SIGN_HOURS (9) office hours, 08:30–17:30 China time on
working days, never on a holiday, never after the feedback limit. Times hand-checked against chinesecalendar
2026: Spring Festival off 15–23 Feb (Saturday 14 Feb works), National Day off 1–7 Oct (Saturday 10 Oct works)."""
from datetime import datetime, timedelta

import pytest

from desk.deadlines import add_working_hours
from desk.extensions import db
from desk.models import Role
from desk.timeutil import to_local
from referrals.orders import services as orders
from tests.factories import make_case, make_user


def _utc(stamp: str) -> datetime:
    """A China wall-clock time as the naive UTC the rows store."""
    return datetime.fromisoformat(stamp) - timedelta(hours=8)   # China keeps UTC+8 all year


@pytest.mark.parametrize("issued, days, sign_by, feedback_by", [
    # Saturday 14 Feb 2026, an adjusted working day before Spring Festival: 7.5 h that day, 1.5 h on Tue 24 Feb
    ("2026-02-14 10:00", 2, "2026-02-24 10:00", "2026-02-26 00:00"),
    # Wednesday 30 Sep, the day before National Day: 3.5 h that day, 5.5 h on Thursday 8 Oct
    ("2026-09-30 14:00", 3, "2026-10-08 14:00", "2026-10-11 00:00"),
    # a Friday afternoon: 1.5 h on Friday 27 Nov, the rest on Monday 30 Nov
    ("2026-11-27 16:00", 2, "2026-11-30 16:00", "2026-12-02 00:00"),
    # issued on a Sunday evening: the clock starts Monday 08:30 and runs the whole working day
    ("2026-11-22 20:00", 1, "2026-11-23 17:30", "2026-11-24 00:00"),
    # an ordinary Monday morning: one working day, the next morning at the same time
    ("2026-11-23 10:00", 2, "2026-11-24 10:00", "2026-11-26 00:00"),
    # a same-day order issued at 16:00: the sign-for limit is the feedback limit, the end of that day
    ("2026-11-23 16:00", 0, "2026-11-24 00:00", "2026-11-24 00:00"),
])
def test_sign_due_counts_office_hours_on_working_days_only(app, issued, days, sign_by, feedback_by):
    at = _utc(issued)
    feedback = orders.feedback_due(at, days)
    sign = orders.sign_due(at, days)
    assert (sign, feedback) == (_utc(sign_by), _utc(feedback_by))
    assert sign <= feedback
    local = to_local(sign)
    assert local.hour * 60 + local.minute in range(8 * 60 + 30, 17 * 60 + 31) or sign == feedback


def test_working_hours_never_land_on_a_rest_day(app):
    start = datetime(2026, 2, 13, 9, 0)           # Friday before Spring Festival, local wall clock
    for hours in range(0, 60):
        end = add_working_hours(start, hours)
        assert end.date() not in {datetime(2026, 2, d).date() for d in range(15, 24)}
        assert end.time() >= datetime(2026, 1, 1, 8, 30).time()


def test_an_issued_order_stores_the_capped_sign_for_limit(world):
    commander = make_user(world, Role.commander, unit=world.town)
    db.session.commit()
    order = orders.issue_dispatch_order(make_case(world), actor=commander, department_id=world.department.id,
                                        instructions="当天核实", deadline_days=0, now=_utc("2026-11-23 16:00"))
    assert order.sign_due_at == order.feedback_due_at == _utc("2026-11-24 00:00")
