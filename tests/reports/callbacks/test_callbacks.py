"""Callbacks: the work list, recording a rating, the citizen's rating by tracking code, the window, reopening."""
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from desk import cases
from desk.extensions import db
from desk.models import AuditEntry, Case, CaseStatus, Outcome, Role
from desk.scheduler import run_job
from desk.timeutil import freeze
from reports.callbacks import services as callbacks
from reports.callbacks.models import Callback, CallbackStatus, Rating
from tests.factories import make_case

NOW = datetime(2026, 11, 20, 2, 0)      # 10:00 in China on 20 November
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def clock():
    freeze(NOW)
    yield
    freeze(None)


def concluded(world, concluded_on: date, *, unit=None, close: bool = False, title="拖欠工资") -> Case:
    case = make_case(world, unit=unit, received_on=concluded_on - timedelta(days=20), title=title)
    cases.accept_case(case, actor=None, on=concluded_on - timedelta(days=18))
    cases.conclude_case(case, actor=None, outcome=Outcome.support, opinion="支持其合理诉求。", on=concluded_on,
                        delivered_on=concluded_on)
    if close:
        cases.close_case(case, actor=None, on=concluded_on)
    db.session.commit()
    return case


def callback_of(case: Case, round_: int = 1) -> Callback:
    return db.session.scalar(sa.select(Callback).where(Callback.case_id == case.id, Callback.round == round_))


def test_work_list_shows_exactly_the_due_callbacks_in_scope(world, login_as):
    due = concluded(world, date(2026, 11, 10), title="应回访的事项")
    closed_due = concluded(world, date(2026, 11, 12), close=True, title="已结案应回访")
    concluded(world, date(2026, 10, 20), title="窗口已过的事项")            # window ended 4 Nov
    concluded(world, date(2026, 11, 10), unit=world.far_village, title="外县事项")
    rated = concluded(world, date(2026, 11, 11), title="已评价事项")
    open_case = make_case(world, title="办理中事项")
    db.session.commit()
    callbacks.open_callbacks_for_concluded(NOW, case_id=rated.id)
    callbacks.record_callback(callback_of(rated), actor=None, rating="satisfied", channel="phone", now=NOW)
    db.session.commit()

    client = login_as(Role.callback_staff)
    before = client.get("/reports/callbacks").get_data(as_text=True)   # a GET writes nothing: it offers a POST
    assert 'data-testid="open-callbacks"' in before and before.count('data-testid="callback-row"') == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback)) == 1
    page = client.get(client.post("/reports/callbacks/open").headers["Location"]).get_data(as_text=True)

    assert page.count('data-testid="callback-row"') == 2
    assert due.reference in page and closed_due.reference in page
    for absent in ("窗口已过的事项", "外县事项", "已评价事项"):
        assert absent not in page.split("Recently recorded")[0].split("最近记录")[0]
    assert open_case.reference not in page
    # the out-of-county callback exists (the job opened it) but is not in this user's list
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback)) == 4
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback).where(
        Callback.county_id == world.other_county.id)) == 0   # the work list opens only its own scope
    callbacks.open_callbacks_for_concluded(NOW)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback)) == 5
    assert callbacks.open_callbacks_for_concluded(NOW) == 0   # idempotent


def test_recording_a_rating_is_audited_and_bad_input_is_a_field_error(world, login_as):
    case = concluded(world, date(2026, 11, 15))
    callbacks.open_callbacks_for_concluded(NOW)
    db.session.commit()
    callback = callback_of(case)
    client = login_as(Role.callback_staff)
    url = f"/reports/callbacks/{callback.id}"

    response = client.post(url, data={"rating": "delighted", "channel": "phone", "comment": "说法保留"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'class="error"' in body and "说法保留" in body          # the error is by the field; input kept
    response = client.post(url, data={"rating": "dissatisfied", "channel": "phone", "comment": ""})
    assert response.status_code == 400                             # dissatisfied needs what they said
    response = client.post(url, data={"rating": "satisfied", "channel": "carrier-pigeon"})
    assert response.status_code == 400

    response = client.post(url, data={"rating": "basic", "channel": "phone", "comment": "基本满意，希望更快"})
    assert response.status_code == 302
    db.session.expire_all()
    callback = db.session.get(Callback, callback.id)
    assert (callback.status, callback.rating, callback.channel.value) == (CallbackStatus.rated, Rating.basic, "phone")
    assert callback.recorded_by_id == client.user.id and callback.rated_at == NOW
    audit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "callback",
                                                           AuditEntry.entity_id == callback.id)).all()
    assert [(a.action, a.from_state, a.to_state, a.actor_id) for a in audit] == [
        ("rate", "pending", "rated", client.user.id)]
    # a second recording is refused, not silently overwritten
    response = client.post(url, data={"rating": "satisfied", "channel": "sms"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Callback, callback.id).rating == Rating.basic


def test_out_of_scope_callback_is_not_found(world, login_as):
    case = concluded(world, date(2026, 11, 15), unit=world.far_village)
    callbacks.open_callbacks_for_concluded(NOW)
    db.session.commit()
    client = login_as(Role.callback_staff)
    assert client.get(f"/reports/callbacks/{callback_of(case).id}").status_code == 404
    assert client.get("/reports/callbacks/999999").status_code == 404


def test_citizen_rates_once_by_tracking_code(world, client):
    case = concluded(world, date(2026, 11, 15))
    page = client.post("/reports/track", data={"code": case.tracking_code.lower()}).get_data(as_text=True)
    assert case.reference in page and 'data-testid="rate-form"' in page
    assert case.parties[0].person.name not in page                   # no personal data on the public page

    response = client.post("/reports/track/rate", data={"code": case.tracking_code, "rating": "satisfied",
                                                        "comment": "很好"})
    assert response.status_code == 200 and 'data-testid="thanks"' in response.get_data(as_text=True)
    callback = callback_of(case)
    assert (callback.status, callback.rating, callback.channel.value, callback.recorded_by_id) == \
        (CallbackStatus.rated, Rating.satisfied, "tracking_code", None)

    again = client.post("/reports/track/rate", data={"code": case.tracking_code, "rating": "dissatisfied"})
    assert again.status_code == 400
    db.session.expire_all()
    assert callback_of(case).rating == Rating.satisfied
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.entity == "callback", AuditEntry.action == "rate")) == 1


def test_unknown_code_gives_the_neutral_message_and_open_cases_cannot_be_rated(world, client):
    unknown = client.post("/reports/track", data={"code": "ZZZZZZZZZZ"}).get_data(as_text=True)
    short = client.post("/reports/track", data={"code": "AB"}).get_data(as_text=True)
    neutral = str(callbacks.NOT_FOUND)
    assert neutral in unknown and neutral in short
    case = make_case(world)
    db.session.commit()
    page = client.post("/reports/track", data={"code": case.tracking_code}).get_data(as_text=True)
    assert case.reference in page and 'data-testid="rate-form"' not in page
    response = client.post("/reports/track/rate", data={"code": case.tracking_code, "rating": "satisfied"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Callback)) == 0
    response = client.post("/reports/track/rate", data={"code": "ZZZZZZZZZZ", "rating": "satisfied"})
    assert neutral in response.get_data(as_text=True)


def test_lookups_are_limited_per_address_and_hour(app, world, client):
    app.config["TRACK_LOOKUPS_PER_HOUR"] = 3
    codes = [client.post("/reports/track", data={"code": "ZZZZZZZZZZ"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    freeze(NOW + timedelta(hours=1))
    assert client.post("/reports/track", data={"code": "ZZZZZZZZZZ"}).status_code == 200


def test_not_rated_in_time_after_the_window_and_the_job_twice_is_the_same(app, world):
    late = concluded(world, date(2026, 11, 1))      # window: 1 Nov + 15 = 16 Nov, passed on 20 Nov
    on_time = concluded(world, date(2026, 11, 6))   # 21 Nov: still open
    edge = concluded(world, date(2026, 11, 5))      # 20 Nov: last day today, still open
    first = run_job("callbacks_not_rated_in_time", now=NOW)
    states = {c.id: callback_of(c).status for c in (late, on_time, edge)}
    second = run_job("callbacks_not_rated_in_time", now=NOW)
    db.session.expire_all()
    assert (first.ok, first.count, second.ok, second.count) == (True, 1, True, 0)
    assert states == {late.id: CallbackStatus.not_rated_in_time, on_time.id: CallbackStatus.pending,
                      edge.id: CallbackStatus.pending}
    assert {c.id: callback_of(c).status for c in (late, on_time, edge)} == states
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "not_rated_in_time")) == 1
    with pytest.raises(Exception):
        callbacks.record_callback(callback_of(late), actor=None, rating="satisfied", channel="phone", now=NOW)
    db.session.rollback()
    later = NOW + timedelta(days=1)
    assert run_job("callbacks_not_rated_in_time", now=later).count == 1          # the edge one, a day on
    db.session.expire_all()
    assert callback_of(edge).status == CallbackStatus.not_rated_in_time


def test_dissatisfied_reopens_review_within_the_window_and_is_refused_outside(world, login_as):
    recent = concluded(world, date(2026, 11, 10))      # review window: 30 days → 10 Dec
    old = concluded(world, date(2026, 10, 8))          # review window ended 7 Nov
    callbacks.open_callbacks_for_concluded(NOW)
    db.session.commit()
    # the old one's rating window has passed too; it was rated dissatisfied in time (on 20 Oct)
    callbacks.record_callback(callback_of(old), actor=None, rating="dissatisfied", channel="phone",
                              comment="不服处理意见", now=datetime(2026, 10, 20, 2, 0))
    db.session.commit()
    client = login_as(Role.callback_staff)
    recent_cb = callback_of(recent)
    client.post(f"/reports/callbacks/{recent_cb.id}", data={"rating": "dissatisfied", "channel": "phone",
                                                            "comment": "补偿金额太少"})
    page = client.get(f"/reports/callbacks/{recent_cb.id}").get_data(as_text=True)
    assert 'data-testid="reopen-form"' in page

    response = client.post(f"/reports/callbacks/{recent_cb.id}/reopen", data={"reason": ""})
    assert response.status_code == 400
    response = client.post(f"/reports/callbacks/{recent_cb.id}/reopen", data={"reason": "信访人申请复查"})
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, recent.id)
    assert case.status == CaseStatus.under_review and case.stages[-1].started_on == TODAY
    assert case.next_due == date(2026, 12, 21)   # 30 days = Sunday 20 Dec → Monday

    old_cb = callback_of(old)
    page = client.get(f"/reports/callbacks/{old_cb.id}").get_data(as_text=True)
    assert 'data-testid="reopen-form"' not in page and 'data-testid="review-state"' in page
    response = client.post(f"/reports/callbacks/{old_cb.id}/reopen", data={"reason": "信访人申请复查"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, old.id).status == CaseStatus.concluded

    # the review reply: a second round of callback
    cases.conclude_case(case, actor=None, outcome=Outcome.explanation, opinion="复查维持。", on=TODAY)
    db.session.commit()
    assert callbacks.open_callbacks_for_concluded(NOW) == 1
    assert callback_of(case, 2).status == CallbackStatus.pending and callback_of(case, 1).rating == Rating.dissatisfied


def test_satisfied_rating_cannot_reopen(world):
    case = concluded(world, date(2026, 11, 15))
    callbacks.open_callbacks_for_concluded(NOW)
    callbacks.record_callback(callback_of(case), actor=None, rating="satisfied", channel="visit", now=NOW)
    with pytest.raises(Exception):
        callbacks.reopen_after_dissatisfaction(callback_of(case), actor=None, reason="x", on=TODAY)


def test_a_rating_written_meanwhile_by_someone_else_wins_and_ours_is_refused(world):
    """The conditional UPDATE decides: our loaded row still says "pending", the database says "rated"."""
    from desk.errors import Conflict
    case = concluded(world, date(2026, 11, 15))
    callbacks.open_callbacks_for_concluded(NOW)
    db.session.commit()
    ours = callback_of(case)
    db.session.expunge(ours)            # keep our loaded (stale) copy; end our read transaction
    db.session.commit()
    with db.engine.begin() as other:    # the citizen, on another connection, rates first
        other.execute(Callback.__table__.update().where(Callback.id == ours.id)
                      .values(status="rated", rating="satisfied", channel="tracking_code"))
    with pytest.raises(Conflict):
        callbacks.record_callback(ours, actor=None, rating="dissatisfied", channel="phone", comment="x", now=NOW)
    db.session.rollback()
    assert callback_of(case).rating == Rating.satisfied


def test_revealing_the_phone_to_call_is_audited(world, login_as):
    from tests.factories import make_person
    person = make_person(world, "黄小梅", phone="13812345678")
    case = make_case(world, person=person, received_on=date(2026, 10, 20))
    cases.accept_case(case, actor=None, on=date(2026, 10, 21))
    cases.conclude_case(case, actor=None, outcome=Outcome.support, opinion="支持。", on=date(2026, 11, 15))
    callbacks.open_callbacks_for_concluded(NOW)
    db.session.commit()
    client = login_as(Role.callback_staff)
    page = client.get(f"/reports/callbacks/{callback_of(case).id}").get_data(as_text=True)
    assert "13812345678" not in page and "5678" in page                  # masked on the record page
    shown = client.post(f"/reports/callbacks/{callback_of(case).id}/phone").get_data(as_text=True)
    assert "13812345678" in shown
    audit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == "person",
                                                           AuditEntry.entity_id == person.id)).all()
    assert [(a.action, a.actor_id) for a in audit] == [("reveal_phone", client.user.id)]
