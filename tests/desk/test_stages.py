"""The staged process (信访工作条例 2022): handling → reply delivered → review → review reply delivered →
re-review → final, each stage with its own clock, hand-checked across Spring Festival 2026 (15–23 Feb off)."""
from datetime import date

import pytest

from desk import cases, stages
from desk.audit import timeline
from desk.errors import DomainError, IllegalTransition
from desk.extensions import db
from desk.models import (Case, CaseStatus, DemandBranch, Outcome, PetitionType, Role, Route, StageKind)
from reports.dashboard import backlog, measures
from tests.factories import make_case, make_user

S = CaseStatus


@pytest.fixture
def staff(world):
    return make_user(world, Role.receptionist, unit=world.county)


@pytest.fixture
def head(world):
    return make_user(world, Role.official, unit=world.county)


def _accepted(world, staff, on=date(2025, 12, 18), **kw):
    case = make_case(world, received_on=date(2025, 12, 10), **kw)
    cases.accept_case(case, actor=staff, on=on)
    return case


def _reply(case, staff, on, delivered=None, outcome=Outcome.explanation):
    cases.conclude_case(case, actor=staff, outcome=outcome, opinion="经核查，依政策解释。", on=on)
    if delivered is not None:
        cases.record_delivery(case, actor=staff, delivered_on=delivered, today=delivered)
    return case


def test_full_chain_across_spring_festival(world, staff, head):
    case = _accepted(world, staff)
    # 18 Dec 2025 + 60 = Mon 16 Feb 2026, inside Spring Festival → the first working day after, Tue 24 Feb.
    assert case.conclude_due == date(2026, 2, 24) and case.next_due == date(2026, 2, 24)
    cases.start_work(case, actor=staff)
    cases.extend_case(case, actor=head, reason="需调查取证", on=date(2026, 2, 10))
    # The extension runs from the statutory 60th day (16 Feb) + 30 = Wed 18 Mar, not from 24 Feb (26 Mar).
    assert case.conclude_due == date(2026, 3, 18) and case.extended_by_id == head.id
    handling = stages.stage(case, StageKind.handling)
    assert handling.due_on == date(2026, 2, 24)   # the original limit is kept on the stage row

    _reply(case, staff, on=date(2026, 3, 10), delivered=date(2026, 3, 12))
    assert case.status == S.concluded and case.concluded_on == date(2026, 3, 10) and case.next_due is None
    # delivered Thu 12 Mar + 30 = Sat 11 Apr → Mon 13 Apr
    assert case.request_due == date(2026, 4, 13)

    cases.request_next_stage(case, actor=staff, reason="对处理意见不服，申请复查", on=date(2026, 4, 10))
    review = stages.stage(case, StageKind.review)
    assert case.status == S.under_review
    assert review.due_on == date(2026, 5, 11)       # 10 Apr + 30 = Sun 10 May → Mon 11 May
    assert review.body_unit_id == world.county.id   # the level above the town that handled it
    assert case.next_due == review.due_on

    _reply(case, staff, on=date(2026, 5, 6), delivered=date(2026, 5, 8), outcome=Outcome.no_support)
    assert case.status == S.concluded
    assert case.concluded_on == date(2026, 3, 10)   # the first reply's date is never overwritten
    assert case.last_reply_on == date(2026, 5, 6)
    assert case.request_due == date(2026, 6, 8)     # 8 May + 30 = Sun 7 Jun → Mon 8 Jun
    assert stages.next_stage_kind(case) == StageKind.rereview

    cases.request_next_stage(case, actor=staff, reason="对复查意见不服，申请复核", on=date(2026, 6, 1))
    rereview = stages.stage(case, StageKind.rereview)
    assert case.status == S.under_rereview and rereview.due_on == date(2026, 7, 1)
    assert rereview.body_unit_id == world.city.id   # the level above the reviewer

    _reply(case, staff, on=date(2026, 6, 25), delivered=date(2026, 6, 26))
    assert case.status == S.final and case.next_due is None and stages.next_stage_kind(case) is None
    with pytest.raises(DomainError, match="re-review|复核"):
        cases.request_next_stage(case, actor=staff, reason="再次申请", on=date(2026, 6, 30))
    db.session.commit()
    assert [s.kind for s in case.stages] == [StageKind.handling, StageKind.review, StageKind.rereview]
    assert [(s.started_on, s.ended_on) for s in case.stages] == [
        (date(2025, 12, 18), date(2026, 3, 10)), (date(2026, 4, 10), date(2026, 5, 6)),
        (date(2026, 6, 1), date(2026, 6, 25))]
    assert [e.action for e in timeline("case", case.id)] == [
        "accept", "start", "extend", "conclude", "deliver", "request_review", "reply_review", "deliver",
        "request_rereview", "reply_rereview", "deliver"]


def test_a_review_is_granted_once(world, staff):
    case = _accepted(world, staff, on=date(2026, 1, 5))
    _reply(case, staff, on=date(2026, 2, 27), delivered=date(2026, 2, 27))
    cases.request_next_stage(case, actor=staff, reason="申请复查", on=date(2026, 3, 2))
    _reply(case, staff, on=date(2026, 3, 30), delivered=date(2026, 3, 30))
    cases.close_case(case, actor=staff, on=date(2026, 4, 1))
    # the next request is the re-review, once; a third round does not exist
    cases.request_next_stage(case, actor=staff, reason="申请复核", on=date(2026, 4, 10))
    assert case.status == S.under_rereview
    _reply(case, staff, on=date(2026, 5, 6), delivered=date(2026, 5, 6))
    with pytest.raises(DomainError):
        cases.request_next_stage(case, actor=staff, reason="第三次", on=date(2026, 5, 30))
    assert len(case.stages) == 3


def test_request_needs_delivery_and_its_window(world, staff):
    case = _accepted(world, staff, on=date(2026, 1, 5))
    _reply(case, staff, on=date(2026, 2, 27))
    with pytest.raises(DomainError, match="deliver|送达"):
        cases.request_next_stage(case, actor=staff, reason="申请复查", on=date(2026, 3, 2))
    with pytest.raises(DomainError):
        cases.record_delivery(case, actor=staff, delivered_on=date(2026, 2, 26), today=date(2026, 3, 1))
    with pytest.raises(DomainError):   # not in the future
        cases.record_delivery(case, actor=staff, delivered_on=date(2026, 3, 5), today=date(2026, 3, 1))
    cases.record_delivery(case, actor=staff, delivered_on=date(2026, 3, 1), today=date(2026, 3, 1))
    assert case.request_due == date(2026, 3, 31)
    with pytest.raises(DomainError, match="window|期限"):
        cases.request_next_stage(case, actor=staff, reason="申请复查", on=date(2026, 4, 1))
    cases.request_next_stage(case, actor=staff, reason="申请复查", on=date(2026, 3, 31))
    assert case.status == S.under_review


def test_extension_rules(world, staff, head):
    case = _accepted(world, staff)
    with pytest.raises(DomainError, match="head|负责人"):
        cases.extend_case(case, actor=staff, reason="需调查", on=date(2026, 2, 10))
    with pytest.raises(DomainError, match="ended|届满"):
        cases.extend_case(case, actor=head, reason="需调查", on=date(2026, 3, 20))   # due 24 Feb: too late
    assert case.extended_on is None and case.conclude_due == date(2026, 2, 24)
    cases.extend_case(case, actor=head, reason="需调查", on=date(2026, 2, 24))      # the last day still counts
    assert case.conclude_due == date(2026, 3, 18)
    with pytest.raises(DomainError):
        cases.extend_case(case, actor=head, reason="再延", on=date(2026, 3, 1))


def test_extension_on_the_page_is_the_heads(login_as, world, clock):
    clock("2026-11-20 10:00")
    case = make_case(world, received_on=date(2026, 11, 2))
    cases.accept_case(case, actor=None, on=date(2026, 11, 3))
    db.session.commit()
    reception = login_as(Role.receptionist, unit=world.county)
    assert 'data-testid="action-extend"' not in reception.get(f"/intake/cases/{case.id}").get_data(as_text=True)
    assert reception.post(f"/intake/cases/{case.id}/extend", data={"extend-reason": "需调查"}).status_code == 403
    official = login_as(Role.official, unit=world.county)
    assert 'data-testid="action-extend"' in official.get(f"/intake/cases/{case.id}").get_data(as_text=True)
    assert official.post(f"/intake/cases/{case.id}/accept").status_code == 403
    assert official.post(f"/intake/cases/{case.id}/extend", data={"extend-reason": "需调查"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).extended_by.roles == {Role.official}


def test_suggestions_have_their_own_clock_and_no_review(world, staff):
    case = make_case(world, received_on=date(2026, 3, 2), petition_type=PetitionType.suggestion)
    cases.accept_case(case, actor=staff, on=date(2026, 3, 3))
    assert case.conclude_due == date(2026, 5, 6)   # 3 Mar + 60 = Sat 2 May (Labour Day) → Wed 6 May
    _reply(case, staff, on=date(2026, 4, 1), delivered=date(2026, 4, 1), outcome=Outcome.support)
    assert case.request_due is None and stages.next_stage_kind(case) is None
    with pytest.raises(DomainError, match="suggestion|建议"):
        cases.request_next_stage(case, actor=staff, reason="申请复查", on=date(2026, 4, 3))


@pytest.mark.parametrize("branch", [DemandBranch.litigation, DemandBranch.arbitration, DemandBranch.party_member,
                                    DemandBranch.administrative, DemandBranch.violation])
def test_statutory_branches_are_not_accepted_and_take_their_route(world, staff, branch):
    case = make_case(world, demand_branch=branch)
    with pytest.raises(DomainError):
        cases.accept_case(case, actor=staff)
    wrong = Route.discipline
    with pytest.raises(DomainError) as err:
        cases.refuse_case(case, actor=staff, reason="不属信访受理范围", route=wrong, directed_to="某机关")
    assert err.value.field == "route"
    route = cases.routes_for(case)[0]
    cases.refuse_case(case, actor=staff, reason="不属信访受理范围", route=route, directed_to="台山市有关机关")
    assert case.status == S.not_accepted and case.route == route
    assert case.litigation_track == (branch == DemandBranch.litigation)


def test_accusations_are_transferred_never_accepted_or_refused(world, staff):
    case = make_case(world, petition_type=PetitionType.accusation, title="举报村干部侵占集体资金")
    with pytest.raises(DomainError):
        cases.accept_case(case, actor=staff)
    with pytest.raises(DomainError):
        cases.refuse_case(case, actor=staff, reason="x", route=Route.court, directed_to="法院")
    with pytest.raises(DomainError):
        cases.transfer_accusation(case, actor=staff, reason="", route=Route.court, directed_to="法院")
    cases.transfer_accusation(case, actor=staff, reason="", route=Route.discipline, directed_to="台山市纪委监委")
    assert case.status == S.transferred and case.next_due is None
    with pytest.raises(IllegalTransition):
        cases.start_work(case, actor=staff)


def test_routes_counted_by_the_refusal_page(login_as, world, tmp_path):
    case = make_case(world, demand_branch=DemandBranch.litigation)
    db.session.commit()
    client = login_as(Role.receptionist, unit=world.county)
    page = client.get(f"/intake/cases/{case.id}").get_data(as_text=True)
    refuse = page[page.index('data-testid="action-refuse"'):]
    refuse = refuse[:refuse.index("</form>")]
    assert 'value="court"' in refuse and 'value="arbitration"' not in refuse
    assert 'data-testid="action-accept"' not in page
    response = client.post(f"/intake/cases/{case.id}/refuse", data={
        "refuse-reason": "属诉讼事项", "refuse-route": "arbitration", "refuse-directed_to": "台山市人民法院"})
    assert response.status_code == 400 and 'value="台山市人民法院"' in response.get_data(as_text=True)
    response = client.post(f"/intake/cases/{case.id}/refuse", data={
        "refuse-reason": "属诉讼事项", "refuse-route": "court", "refuse-directed_to": "台山市人民法院"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, case.id).route == Route.court


def test_under_review_the_running_clock_is_the_reviews(world, staff, clock):
    clock("2026-05-20 10:00")
    case = _accepted(world, staff, on=date(2026, 1, 5))   # handling due 6 Mar, long past by May
    _reply(case, staff, on=date(2026, 2, 27), delivered=date(2026, 2, 27))
    cases.request_next_stage(case, actor=staff, reason="申请复查", on=date(2026, 3, 20))
    _reply(case, staff, on=date(2026, 4, 10), delivered=date(2026, 4, 10))
    cases.request_next_stage(case, actor=staff, reason="申请复核", on=date(2026, 5, 8))
    db.session.commit()
    shown = {c["key"]: c["state"] for c in cases.clocks(case)}
    assert shown["conclude"] == "done" and shown["review_reply"] == "done" and shown["rereview_reply"] == "ok"
    # the overdue list at 20 May does not hold it (re-review due Mon 8 Jun); at 15 Jun it does, with that date
    assert not backlog.overdue_cases(unit=world.county, on=date(2026, 5, 20))
    rows = backlog.overdue_cases(unit=world.county, on=date(2026, 6, 15))
    assert [(r["case_id"], r["due"]) for r in rows] == [(case.id, date(2026, 6, 8))]
    from intake.cases.services import CaseFilters, page_of_cases
    rows, _ = page_of_cases(staff, CaseFilters(clock="overdue"), date(2026, 6, 15))
    assert [c.id for c in rows] == [case.id]
    assert not page_of_cases(staff, CaseFilters(clock="overdue"), date(2026, 5, 20))[0]


def test_backlog_at_a_past_date_reads_the_stages(world, staff):
    case = _accepted(world, staff, on=date(2026, 1, 5))
    _reply(case, staff, on=date(2026, 2, 27), delivered=date(2026, 2, 27))
    cases.request_next_stage(case, actor=staff, reason="申请复查", on=date(2026, 3, 20))
    db.session.commit()
    open_on = {on: sum(r["open"] for r in backlog.backlog_by_age(unit=world.county, on=on))
               for on in (date(2026, 2, 1), date(2026, 3, 1), date(2026, 3, 15), date(2026, 3, 21))}
    # open while handled, not between the reply and the review request, open again under review
    assert open_on == {date(2026, 2, 1): 1, date(2026, 3, 1): 0, date(2026, 3, 15): 0, date(2026, 3, 21): 1}


def test_a_month_with_a_review_in_it_is_counted_once(world, staff):
    """Hand count for March 2026: one case concluded (the first reply, 10 Mar); its review is requested and
    answered in March too; a second case is concluded in March. Concluded = 2, not 3; participation ≤ 100%."""
    from reports.callbacks import services as callbacks
    from datetime import datetime
    first = _accepted(world, staff, on=date(2026, 1, 20))
    _reply(first, staff, on=date(2026, 3, 10), delivered=date(2026, 3, 10))
    second = _accepted(world, staff, on=date(2026, 2, 2))
    _reply(second, staff, on=date(2026, 3, 12), delivered=date(2026, 3, 12))
    callbacks.open_callbacks_for_concluded(datetime(2026, 3, 12, 4))
    for case in (first, second):
        cb = callbacks._latest_callback(case)
        callbacks.record_callback(cb, actor=None, rating="dissatisfied" if case is first else "satisfied",
                                  channel="phone", comment="不满意", now=datetime(2026, 3, 13, 4))
    cases.request_next_stage(first, actor=staff, reason="申请复查", on=date(2026, 3, 16))
    _reply(first, staff, on=date(2026, 3, 27), delivered=date(2026, 3, 27))
    callbacks.open_callbacks_for_concluded(datetime(2026, 3, 27, 4))
    cb = callbacks._latest_callback(first)
    assert cb.round == 2
    callbacks.record_callback(cb, actor=None, rating="satisfied", channel="phone", now=datetime(2026, 3, 28, 4))
    db.session.commit()
    got = {m.key: m for m in measures.summary(unit=world.county, start=date(2026, 3, 1), end=date(2026, 4, 1))}
    assert got["concluded"].value == 2
    assert got["participation_rate"].numerator == 2 and got["participation_rate"].denominator == 2
    assert got["satisfaction_rate"].numerator == 1   # the first reply's rating: one of two satisfied


def test_nothing_moves_a_final_or_transferred_matter(world, staff, head):
    final = _accepted(world, staff, on=date(2026, 1, 5))
    _reply(final, staff, on=date(2026, 2, 27), delivered=date(2026, 2, 27))
    cases.request_next_stage(final, actor=staff, reason="申请复查", on=date(2026, 3, 2))
    with pytest.raises(DomainError):   # a reply is not dated before its stage began
        _reply(final, staff, on=date(2026, 3, 1))
    _reply(final, staff, on=date(2026, 3, 30), delivered=date(2026, 3, 30))
    cases.request_next_stage(final, actor=staff, reason="申请复核", on=date(2026, 4, 10))
    _reply(final, staff, on=date(2026, 5, 6), delivered=date(2026, 5, 6))
    transferred = make_case(world, petition_type=PetitionType.accusation)
    cases.transfer_accusation(transferred, actor=staff, reason="", route=Route.discipline, directed_to="台山市纪委监委")
    moves = [lambda c: cases.accept_case(c, actor=staff), lambda c: cases.start_work(c, actor=staff),
             lambda c: cases.close_case(c, actor=staff),
             lambda c: cases.extend_case(c, actor=head, reason="延期", on=date(2026, 5, 7)),
             lambda c: _reply(c, staff, on=date(2026, 5, 8)),
             lambda c: cases.request_next_stage(c, actor=staff, reason="再次申请", on=date(2026, 5, 8)),
             lambda c: cases.refuse_case(c, actor=staff, reason="x", route=Route.court, directed_to="法院")]
    for case in (final, transferred):
        before, status = len(timeline("case", case.id)), case.status
        for move in moves:
            with pytest.raises((DomainError, IllegalTransition)):
                move(case)
        assert case.status == status and len(timeline("case", case.id)) == before


def test_routes_are_counted_and_each_row_lists_its_matters(world, staff, login_as):
    from reports.dashboard import drill
    from reports.dashboard.routes import routes_counted
    court = [make_case(world, demand_branch=DemandBranch.litigation) for _ in range(2)]
    for case in court:
        cases.refuse_case(case, actor=staff, reason="属诉讼事项", route=Route.court, directed_to="台山市人民法院",
                          on=date(2026, 11, 5))
    accused = make_case(world, petition_type=PetitionType.accusation)
    cases.transfer_accusation(accused, actor=staff, reason="", route=Route.discipline, directed_to="台山市纪委监委",
                              on=date(2026, 11, 6))
    late = make_case(world, demand_branch=DemandBranch.arbitration)
    cases.refuse_case(late, actor=staff, reason="属仲裁事项", route=Route.arbitration, directed_to="台山市仲裁委",
                      on=date(2026, 12, 1))   # next month: not counted in November
    db.session.commit()
    rows = {r["route"]: r for r in routes_counted(unit=world.county, start=date(2026, 11, 1), end=date(2026, 12, 1))}
    assert len(rows) == len(Route) and rows["arbitration"]["total"] == 0
    assert (rows["court"]["not_accepted"], rows["court"]["litigation"]) == (2, True)
    assert (rows["discipline"]["transferred"], rows["discipline"]["litigation"]) == (1, False)
    for key, expected in (("court", {c.id for c in court}), ("discipline", {accused.id})):
        stmt = drill.drill_down(measure_key=f"route_{key}", unit=world.county, start=date(2026, 11, 1),
                                end=date(2026, 12, 1))
        assert set(db.session.scalars(stmt)) == expected
    page = login_as(Role.official, unit=world.county).get("/reports/dashboard?month=2026-11").get_data(as_text=True)
    assert "measure=route_court" in page and 'data-testid="table-routes"' in page
