"""The case state machine: every legal move works and writes an audit row; every illegal one is refused."""
from datetime import date

import pytest

from desk import cases, stages
from desk.audit import timeline
from desk.errors import DomainError, IllegalTransition
from desk.extensions import db
from desk.models import CaseStatus, Outcome, Role, Route
from tests.factories import make_case, make_user

S = CaseStatus
ACTIONS = {
    S.accepted: lambda c, u: cases.accept_case(c, actor=u, on=date(2026, 11, 3)),
    S.not_accepted: lambda c, u: cases.refuse_case(c, actor=u, reason="属诉讼事项", route=Route.court,
                                                   directed_to="台山市人民法院"),
    S.in_progress: lambda c, u: cases.start_work(c, actor=u),
    S.concluded: lambda c, u: cases.conclude_case(c, actor=u, outcome=Outcome.support, opinion="支持诉求",
                                                  on=date(2026, 11, 20), delivered_on=date(2026, 11, 20)),
    S.closed: lambda c, u: cases.close_case(c, actor=u),
    S.under_review: lambda c, u: cases.request_next_stage(c, actor=u, reason="申请复查", on=date(2026, 11, 25)),
}


def _case_in(world, status, actor):
    case = make_case(world)
    path = {S.registered: [], S.accepted: [S.accepted], S.not_accepted: [S.not_accepted],
            S.in_progress: [S.accepted, S.in_progress], S.concluded: [S.accepted, S.in_progress, S.concluded],
            S.closed: [S.accepted, S.in_progress, S.concluded, S.closed],
            S.under_review: [S.accepted, S.in_progress, S.concluded, S.under_review]}[status]
    for step in path:
        ACTIONS[step](case, actor)
    return case


FROM = [S.registered, S.accepted, S.not_accepted, S.in_progress, S.concluded, S.closed, S.under_review]
ILLEGAL = [(src, dst) for src in FROM for dst in ACTIONS if dst not in cases.TRANSITIONS[src]]


@pytest.mark.parametrize("src,dst", ILLEGAL)
def test_illegal_moves_are_refused(world, src, dst):
    actor = make_user(world, Role.receptionist)
    case = _case_in(world, src, actor)
    before = len(timeline("case", case.id))
    with pytest.raises((IllegalTransition, DomainError)):
        ACTIONS[dst](case, actor)
    assert case.status == src
    assert len(timeline("case", case.id)) == before


def test_the_whole_life_of_a_case_is_audited(world):
    actor = make_user(world, Role.receptionist)
    head = make_user(world, Role.official, unit=world.county)
    case = make_case(world, received_on=date(2026, 11, 2))
    assert case.register_due == date(2026, 11, 17)
    cases.accept_case(case, actor=actor, on=date(2026, 11, 3))
    assert case.conclude_due == date(2027, 1, 4)  # 60 days = 2 Jan 2027, a Saturday → next working day
    cases.start_work(case, actor=actor)
    cases.extend_case(case, actor=head, reason="需调查取证", on=date(2026, 12, 20))
    assert case.conclude_due == date(2027, 2, 1)   # 3 Nov + 60 = 2 Jan, + 30 = 1 Feb 2027 (a Monday)
    with pytest.raises(DomainError):
        cases.extend_case(case, actor=head, reason="再次延期", on=date(2026, 12, 21))
    cases.conclude_case(case, actor=actor, outcome=Outcome.explanation, opinion="已解释政策", on=date(2027, 1, 10),
                        delivered_on=date(2027, 1, 10))
    cases.close_case(case, actor=actor, on=date(2027, 1, 12))
    cases.request_next_stage(case, actor=actor, reason="申请复查", on=date(2027, 1, 20))
    db.session.commit()
    actions = [e.action for e in timeline("case", case.id)]
    assert actions == ["accept", "start", "extend", "conclude", "deliver", "close", "request_review"]
    assert case.status == S.under_review
    assert case.concluded_on == date(2027, 1, 10)
    assert case.next_due == stages.stage(case, stages.StageKind.review).due_on


def test_review_outside_its_window_is_refused(world):
    actor = make_user(world, Role.receptionist)
    case = _case_in(world, S.concluded, actor)
    with pytest.raises(DomainError):
        cases.request_next_stage(case, actor=actor, reason="太迟了", on=date(2027, 6, 1))
    assert case.status == S.concluded


def test_not_accepting_requires_reason_route_and_body(world):
    actor = make_user(world, Role.receptionist)
    case = make_case(world)
    with pytest.raises(DomainError) as err:
        cases.refuse_case(case, actor=actor, reason="", route=Route.court, directed_to="法院")
    assert err.value.field == "reason"
    with pytest.raises(DomainError) as err:
        cases.refuse_case(case, actor=actor, reason="属诉讼事项", route=None, directed_to="法院")
    assert err.value.field == "route"
    with pytest.raises(DomainError) as err:
        cases.refuse_case(case, actor=actor, reason="属诉讼事项", route=Route.court, directed_to=" ")
    assert err.value.field == "directed_to"
    assert case.status == S.registered


def test_references_count_per_county_and_year(world):
    first = make_case(world, received_on=date(2026, 3, 1))
    second = make_case(world, received_on=date(2026, 3, 2))
    other = make_case(world, unit=world.far_village, received_on=date(2026, 3, 2))
    assert first.reference.startswith("TS-2026-")
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1
    assert other.reference == "KP-2026-000001"
