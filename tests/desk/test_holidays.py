"""Official holidays for a new year: an administrator enters the State Council's schedule; every clock and
every process uses it at once; bad input is refused next to its field with nothing lost."""
from datetime import date, datetime

from desk import deadlines, holidays
from desk.audit import timeline
from desk.extensions import db
from desk.models import CalendarDay, DayKind, Role
from desk.workcalendar import WorkCalendar, default_calendar
from referrals.orders import services as orders

DAYS_OFF = "2027-01-01 至 2027-01-03 元旦\n2027-02-05 至 2027-02-13 春节\n2027-10-01 至 2027-10-07 国庆节"
WORKING = "2027-02-20 春节\n2027-10-09 国庆节"


def _enter(admin, days_off=DAYS_OFF, working=WORKING, year=2027):
    return admin.post("/admin/holidays", data={"year": year, "days_off": days_off, "working_days": working})


def test_an_entered_spring_festival_moves_the_clocks_at_once(login_as, world, clock):
    clock("2026-12-03 10:00")
    admin = login_as(Role.admin, unit=world.city)
    handling = deadlines.DEFAULT_RULES["conclude"]
    holidays.sync_calendar()
    # 60 days from 8 December 2026 is Saturday 6 February 2027: the fallback's fixed-date Spring Festival
    # (the `holidays` package: 6–10 February) runs it to Thursday the 11th
    assert deadlines.due_date(date(2026, 12, 8), handling) == date(2027, 2, 11)
    assert default_calendar().uses_fallback(2027)
    assert _enter(admin).status_code == 302
    # the entered Spring Festival (5–13 Feb, then Sunday the 14th) runs it to Monday 15 February
    assert deadlines.due_date(date(2026, 12, 8), handling) == date(2027, 2, 15)
    assert deadlines.dispatch_due_date(date(2027, 2, 4), 3) == date(2027, 2, 17)
    assert default_calendar().is_working_day(date(2027, 2, 20))          # the adjusted working Saturday
    assert not default_calendar().uses_fallback(2027)
    assert default_calendar().fallback_notice(date(2027, 5, 5)) is None
    # a dispatch order issued the afternoon before it: 1.5 office hours on the 4th, 7.5 on Monday the 15th
    issued = datetime(2027, 2, 4, 8, 0)                                    # 16:00 in China
    assert orders.sign_due(issued, 3) == datetime(2027, 2, 15, 8, 0)


def test_the_admin_page_shows_the_fallback_notice_until_a_schedule_is_entered(login_as, world, clock):
    clock("2026-12-03 10:00")
    admin = login_as(Role.admin, unit=world.city)
    page = admin.get("/admin/holidays?year=2027").get_data(as_text=True)
    assert 'data-testid="calendar-fallback"' in page
    _enter(admin)
    page = admin.get("/admin/holidays?year=2027").get_data(as_text=True)
    assert 'data-testid="calendar-fallback"' not in page
    assert "2027-02-05 至 2027-02-13 春节" in page                 # the form shows the schedule as it stands
    assert page.count("<tr><td>") == 3 + 9 + 7 + 2


def test_entering_and_removing_days_is_audited(login_as, world, clock):
    clock("2026-12-03 10:00")
    admin = login_as(Role.admin, unit=world.city)
    _enter(admin)
    _enter(admin, days_off=DAYS_OFF.replace("2027-01-03", "2027-01-02"))
    entries = timeline("calendar_year", 2027)
    assert [e.action for e in entries] == ["enter_schedule", "enter_schedule"]
    assert entries[0].actor_id == admin.user.id and "2027-02-05" in entries[0].detail["days_off"]
    assert entries[1].detail["removed"] == ["2027-01-03"]
    day = db.session.scalar(db.select(CalendarDay).where(CalendarDay.day == date(2027, 10, 9)))
    assert day.kind == DayKind.working and day.name == "国庆节" and day.entered_by_id == admin.user.id
    assert admin.post(f"/admin/holidays/days/{day.id}/delete").status_code == 302
    assert [e.action for e in timeline("calendar_year", 2027)][-1] == "remove_day"
    assert not default_calendar().is_working_day(date(2027, 10, 9))       # a Saturday again


def test_bad_lines_are_refused_next_to_their_field_and_nothing_is_lost(login_as, world, clock):
    clock("2026-12-03 10:00")
    admin = login_as(Role.admin, unit=world.city)
    typed = "2027-02-30 春节\n2028-01-01 元旦\n春节放假\n2027-02-13 至 2027-02-05"
    response = _enter(admin, days_off=typed, working="2027-10-01 国庆节")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for line in ("第 1 行", "第 2 行", "第 3 行", "第 4 行"):
        assert line in page
    assert "2027-02-30" in page and "不在 2027 年" in page and "既是休息日又是工作日" not in page
    assert typed.splitlines()[2] in page and "2027-10-01 国庆节" in page      # what was typed is still there
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarDay)) == 0
    conflict = _enter(admin, days_off="2027-10-01 至 2027-10-07 国庆节", working="2027-10-03")
    assert "既是休息日又是工作日" in conflict.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarDay)) == 0
    assert _enter(admin, year="20x7").status_code == 200


def test_another_process_sees_the_change_through_the_stamp(login_as, world, clock):
    clock("2026-12-03 10:00")
    worker = WorkCalendar()          # another gunicorn worker or the scheduler: its own cache
    holidays.sync_calendar(worker)
    assert not worker.is_working_day(date(2027, 2, 20)) and worker.uses_fallback(2027)
    _enter(login_as(Role.admin, unit=world.city))
    assert not worker.is_working_day(date(2027, 2, 20))                  # its cache until it looks again
    holidays.sync_calendar(worker)                                        # once per request / job run
    assert worker.is_working_day(date(2027, 2, 20)) and not worker.uses_fallback(2027)
    assert not worker.is_working_day(date(2027, 2, 10))


def test_a_request_compares_the_stamp_at_most_once_a_window(login_as, world, clock):
    clock("2026-12-03 10:00")
    worker = WorkCalendar()
    holidays.sync_calendar(worker, unless_checked_within=60)
    _enter(login_as(Role.admin, unit=world.city))
    holidays.sync_calendar(worker, unless_checked_within=60)              # it looked less than 60 s ago
    assert not worker.is_working_day(date(2027, 2, 20))
    worker.checked_until -= 61                                            # a minute later
    holidays.sync_calendar(worker, unless_checked_within=60)
    assert worker.is_working_day(date(2027, 2, 20))


def test_a_rolled_back_change_is_forgotten_at_the_next_look(login_as, world, clock):
    clock("2026-12-03 10:00")
    admin = login_as(Role.admin, unit=world.city).user
    holidays.enter_schedule(actor=admin, year=2027, days=holidays.parse_schedule(2027, DAYS_OFF, WORKING))
    assert not default_calendar().uses_fallback(2027)
    db.session.rollback()
    holidays.sync_calendar()
    assert default_calendar().uses_fallback(2027)


def test_the_cli_enters_a_year_from_a_file_and_refuses_a_bad_one(app, clock, tmp_path):
    clock("2026-12-03 10:00")
    good, bad = tmp_path / "2027.txt", tmp_path / "bad.txt"
    good.write_text("2027-02-05 至 2027-02-13 春节\n上班 2027-02-20 春节\n", encoding="utf-8")
    bad.write_text("2027-02-05 至 2027-02-13 春节\n上班 2027-02-06\n", encoding="utf-8")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["desk", "holidays", "2027", str(bad)])
    assert refused.exit_code != 0 and db.session.scalar(db.select(db.func.count()).select_from(CalendarDay)) == 0
    result = runner.invoke(args=["desk", "holidays", "2027", str(good)])
    assert result.exit_code == 0, result.output
    assert "9 days off, 1 adjusted working days" in result.output
    assert default_calendar().is_working_day(date(2027, 2, 20))
    assert [e.action for e in timeline("calendar_year", 2027)] == ["enter_schedule"]


def test_only_a_city_administrator_changes_the_national_schedule(login_as, world, clock):
    clock("2026-11-20 10:00")
    county_admin = login_as(Role.admin, unit=world.county)
    response = _enter(county_admin)
    assert response.status_code == 200 and "市级管理员" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(CalendarDay)) == 0
