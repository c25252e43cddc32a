"""Risk warning pages over HTTP: the list of the user's scope with its filters (bad input next to the field, never
a 500), counts, order and pages; one warning with its evidence, masked personal data and history; the leader's
two steps with errors next to the field, stale pages and refused moves; scope (another county's warning is a 404
on the page and on the actions), roles, CSRF, the leader's notification, zh-Hant."""
import re
from datetime import date
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import AuditEntry, Channel, PetitionType, Role, User
from intake.reception.services import PersonInput, VisitInput, register_visit
from intake.risk import views
from intake.risk.models import RiskKind, RiskLevel, RiskOutcome, RiskStatus, RiskWarning
from intake.risk.services import Signal, close_warning, raise_or_attach
from tests.conftest import client_for
from tests.desk.test_crawl import HOSTILE
from tests.factories import make_case, make_person, make_user, valid_id_number

DAY = date(2026, 11, 20)


@pytest.fixture
def now(clock):
    return clock("2026-11-20 10:00")


@pytest.fixture
def official(world, now):
    """The county's official: the responsible leader of warnings in the county without a town official."""
    user = make_user(world, Role.official, unit=world.county, username="county-official")
    db.session.commit()
    return user


def raise_warning(world, *, unit=None, kind=RiskKind.group_visit, level=RiskLevel.yellow, measure=6, threshold=5,
                  title="拖欠工资", detail=None) -> RiskWarning:
    """A warning on a new case's first visit, raised through the service (evidence, audit, leader notified)."""
    case = make_case(world, unit=unit or world.village, title=title)
    visit = case.visits[0]
    signal = Signal(kind, f"v{visit.id}", {f"v{visit.id}": (case.id, visit.id)}, measure, threshold, level, DAY, DAY,
                    case, case_id=case.id, category_id=case.category_id, person_id=visit.person_id,
                    detail=detail or {})
    warning = raise_or_attach(signal)
    db.session.commit()
    return warning


def numbers(page: str) -> list[str]:
    return re.findall(r'data-testid="warning-row" data-number="(YJ\d+)"', page)


def text(response) -> str:
    return response.get_data(as_text=True)


# --- the list ------------------------------------------------------------------------------------------------------

def test_each_user_sees_the_warnings_of_their_own_scope(world, login_as, official):
    here = raise_warning(world)
    other_town = raise_warning(world, unit=world.other_town)
    far = raise_warning(world, unit=world.far_village)
    county = text(login_as(Role.official, unit=world.county).get("/intake/risk/warnings"))
    town = text(login_as(Role.commander, unit=world.town).get("/intake/risk/warnings"))
    city = text(login_as(Role.official, unit=world.city).get("/intake/risk/warnings"))
    assert set(numbers(county)) == {here.number, other_town.number}
    assert numbers(town) == [here.number]
    assert set(numbers(city)) == {here.number, other_town.number, far.number}


def test_open_first_then_higher_level_then_newest(world, login_as, official, clock):
    clock("2026-11-20 09:00")
    old_red = raise_warning(world, level=RiskLevel.red)
    clock("2026-11-20 10:00")
    new_yellow = raise_warning(world, level=RiskLevel.yellow)
    clock("2026-11-20 11:00")
    newest_yellow = raise_warning(world, level=RiskLevel.yellow)
    orange_closed = raise_warning(world, level=RiskLevel.orange)
    orange_acknowledged = raise_warning(world, level=RiskLevel.orange)
    for w in (orange_closed, orange_acknowledged):
        w.status = RiskStatus.acknowledged
    close_warning(warning=orange_closed, actor=official, outcome=RiskOutcome.no_risk, note="核实无风险")
    db.session.commit()
    page = text(login_as(Role.official, unit=world.county).get("/intake/risk/warnings"))
    assert numbers(page) == [old_red.number, newest_yellow.number, new_yellow.number, orange_acknowledged.number,
                             orange_closed.number]


def test_filters_and_the_counts_at_the_top(world, login_as, official, clock):
    clock("2026-11-18 10:00")
    early = raise_warning(world, kind=RiskKind.frequent, level=RiskLevel.orange, measure=6, threshold=3)
    clock("2026-11-20 10:00")
    red = raise_warning(world, level=RiskLevel.red, measure=20)
    elsewhere = raise_warning(world, unit=world.other_town)
    client = login_as(Role.official, unit=world.county)

    def listed(**query):
        response = client.get("/intake/risk/warnings?" + urlencode(query))
        assert response.status_code == 200, query
        return set(numbers(text(response)))

    assert listed(kind="frequent") == {early.number}
    assert listed(level="red") == {red.number}
    assert listed(status="open") == {early.number, red.number, elsewhere.number}
    assert listed(status="closed") == set()
    assert listed(town_id=world.other_town.id) == {elsewhere.number}
    assert listed(start="2026-11-19") == {red.number, elsewhere.number}
    assert listed(end="2026-11-18") == {early.number}
    assert listed(start="2026-11-18", end="2026-11-18", kind="frequent", level="orange") == {early.number}
    page = text(client.get("/intake/risk/warnings?town_id=%d" % world.town.id))
    counts = dict(re.findall(r'data-testid="count-(\w+)"[^>]*>.*?<strong>(\d+)</strong>', page))
    assert counts == {"open": "2", "acknowledged": "0", "closed": "0", "red": "1", "orange": "1", "yellow": "0"}
    assert re.search(r'data-testid="count-total">2<', page)


@pytest.mark.parametrize("query, field", [({"level": "purple"}, "level"), ({"kind": "x"}, "kind"),
                                          ({"status": "nonsense"}, "status"), ({"start": "2026-13-45"}, "start"),
                                          ({"end": "1900-01-01"}, "end"), ({"town_id": "abc"}, "town_id"),
                                          ({"start": "2026-11-20", "end": "2026-11-01"}, "end")])
def test_a_bad_filter_is_a_translated_error_next_to_its_field(world, login_as, official, query, field):
    warning = raise_warning(world)
    response = login_as(Role.official, unit=world.county).get("/intake/risk/warnings?" + urlencode(query))
    page = text(response)
    assert response.status_code == 400
    error = re.search(rf'<div class="error" id="{field}-error" role="alert">([^<]+)</div>', page)
    assert error and re.search(r"[\u4e00-\u9fff]", error.group(1)) and not re.search(r"[A-Za-z]{3}", error.group(1))
    assert numbers(page) == [warning.number]            # the bad filter is left out, the list still shows


def test_a_town_outside_the_scope_is_not_a_choice(world, login_as, official):
    raise_warning(world, unit=world.far_village)
    client = login_as(Role.commander, unit=world.town)
    response = client.get(f"/intake/risk/warnings?town_id={world.far_town.id}")
    assert response.status_code == 400 and 'id="town_id-error"' in text(response)
    assert numbers(text(response)) == []
    assert world.far_town.name not in text(response)


def test_hostile_query_strings_never_answer_500(world, login_as, official):
    raise_warning(world)
    client = login_as(Role.official, unit=world.county)
    keys = {"status": HOSTILE["status"], "start": HOSTILE["start"], "end": HOSTILE["end"],
            "town_id": HOSTILE["town_id"], "level": HOSTILE["level"], "kind": ["nonsense", "\x00"],
            "after": HOSTILE["after"] + HOSTILE["before"] + ["0,9,2026-01-01T00:00:00,1", "1,1,x,1"]}
    for key, values in keys.items():
        for value in values:
            response = client.get("/intake/risk/warnings?" + urlencode({key: value}))
            assert response.status_code < 500, (key, value)


def test_pages_follow_the_order_without_gaps_or_repeats(world, login_as, official, clock, monkeypatch):
    monkeypatch.setattr(views, "PAGE", 2)
    made = []
    for i, level in enumerate([RiskLevel.yellow, RiskLevel.red, RiskLevel.orange, RiskLevel.yellow,
                               RiskLevel.red]):
        clock(f"2026-11-20 0{i}:00")
        made.append(raise_warning(world, level=level))
    clock("2026-11-20 05:00")
    made.append(raise_warning(world, level=RiskLevel.yellow))     # the same moment as the next
    made.append(raise_warning(world, level=RiskLevel.yellow))
    client = login_as(Role.official, unit=world.county)
    url, seen = "/intake/risk/warnings?level=&kind=", []
    while url:
        page = text(client.get(url))
        seen += numbers(page)
        found = re.search(r'<a href="([^"]+)" rel="next">', page)
        url = found.group(1).replace("&amp;", "&") if found else None
    expected = sorted(made, key=lambda w: (-w.level.rank, -w.raised_at.timestamp(), -w.id))
    assert seen == [w.number for w in expected]


# --- one warning ---------------------------------------------------------------------------------------------------

def test_the_warning_page_shows_figure_evidence_leader_and_history_with_masked_data(world, login_as, official):
    id_number = valid_id_number()
    person = make_person(world, "黄大仙", id_number=id_number)
    case = make_case(world, person=person, title="征地补偿纠纷")
    visit = case.visits[0]
    warning = raise_or_attach(Signal(RiskKind.group_visit, f"v{visit.id}", {f"v{visit.id}": (case.id, visit.id)}, 8,
                                     5, RiskLevel.yellow, DAY, DAY, case, case_id=case.id,
                                     category_id=case.category_id, person_id=person.id))
    db.session.commit()
    page = text(login_as(Role.official, unit=world.county).get(f"/intake/risk/warnings/{warning.id}"))
    assert warning.number in page and "黄色" in page and "集体访" in page
    assert "一次来访人数：8（阈值 5）" in page
    assert f'href="/intake/cases/{case.id}"' in page and case.reference in page
    assert id_number not in page and id_number[:6] + "********" + id_number[-4:] in page
    assert official.display_name in page and "待签收" in page and "发出预警" in page
    assert 'data-testid="action-acknowledge"' in page and 'data-testid="action-close"' not in page


def test_the_leader_is_named_by_the_rule_when_none_is_stored(world, login_as):
    warning = raise_warning(world)            # no official yet: nobody was notified
    assert warning.leader_id is None and warning.notified_at is None
    leader = make_user(world, Role.official, unit=world.town, username="town-official")
    db.session.commit()
    page = text(login_as(Role.commander, unit=world.town).get(f"/intake/risk/warnings/{warning.id}"))
    assert leader.display_name in page and "按规则确定" in page and "未通知" in page


def test_words_and_sensitive_figures_read_in_words(world, login_as, official):
    words = raise_warning(world, kind=RiskKind.extreme_words, level=RiskLevel.red, measure=2, threshold=1,
                          detail={"terms": ["跳楼", "堵路"]})
    page = text(login_as(Role.official, unit=world.county).get(f"/intake/risk/warnings/{words.id}"))
    assert "发现极端言行词语：跳楼、堵路" in page and "无：按常规阈值" in page


# --- scope, roles, CSRF -----------------------------------------------------------------------------------------------

def test_another_countys_warning_is_a_404_on_the_page_and_on_both_actions(world, login_as, official):
    warning = raise_warning(world, unit=world.far_village)
    client = login_as(Role.official, unit=world.county)
    assert client.get(f"/intake/risk/warnings/{warning.id}").status_code == 404
    assert client.post(f"/intake/risk/warnings/{warning.id}/acknowledge", data={"acknowledge-note": "看看"}
                       ).status_code == 404
    assert client.post(f"/intake/risk/warnings/{warning.id}/close",
                       data={"close-outcome": "no_risk", "close-note": "无"}).status_code == 404
    commander = login_as(Role.commander, unit=world.other_town)
    own_county = raise_warning(world)
    assert commander.get(f"/intake/risk/warnings/{own_county.id}").status_code == 404
    for bad in ("99999999999", "0"):
        assert client.get(f"/intake/risk/warnings/{bad}").status_code == 404
    db.session.expire_all()
    assert db.session.get(RiskWarning, warning.id).status == RiskStatus.open


def test_roles(world, login_as, official):
    warning = raise_warning(world)
    for role in (Role.receptionist, Role.talent, Role.department_officer, Role.callback_staff, Role.grid_member):
        client = login_as(role, unit=world.county)
        assert client.get("/intake/risk/warnings").status_code == 403
        assert client.get(f"/intake/risk/warnings/{warning.id}").status_code == 403
        assert client.post(f"/intake/risk/warnings/{warning.id}/acknowledge",
                           data={"acknowledge-note": "x"}).status_code == 403
    admin = login_as(Role.admin, unit=world.county)
    page = admin.get(f"/intake/risk/warnings/{warning.id}")
    assert page.status_code == 200 and 'data-testid="action-acknowledge"' not in text(page)
    assert admin.post(f"/intake/risk/warnings/{warning.id}/acknowledge",
                      data={"acknowledge-note": "管理员不能签收"}).status_code == 403
    assert db.session.get(RiskWarning, warning.id).status == RiskStatus.open
    nav = text(login_as(Role.commander, unit=world.town).get("/intake/risk/warnings"))
    assert 'href="/intake/risk/warnings" aria-current="page"' in nav
    assert "/intake/risk/warnings" not in text(login_as(Role.receptionist).get("/intake/cases"))


def test_the_actions_need_the_csrf_token(csrf_app):
    from tests.factories import build_world
    world = build_world()
    leader = make_user(world, Role.official, unit=world.county)
    db.session.commit()
    warning = raise_warning(world)
    client = client_for(csrf_app, leader)
    url = f"/intake/risk/warnings/{warning.id}/acknowledge"
    assert client.post(url, data={"acknowledge-note": "已安排"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(RiskWarning, warning.id).status == RiskStatus.open
    page = text(client.get(f"/intake/risk/warnings/{warning.id}"))
    token = re.search(r'name="acknowledge-csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(url, data={"acknowledge-note": "已安排", "acknowledge-csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(RiskWarning, warning.id).status == RiskStatus.acknowledged


# --- the leader's two steps ---------------------------------------------------------------------------------------

def test_the_leader_is_notified_then_acknowledges_and_closes(app, world, official):
    data = VisitInput(person=PersonInput(name="冯群", id_number=valid_id_number()), channel=Channel.walk_in,
                      place=world.village, category=world.category, petition_type=PetitionType.demand,
                      title="集体讨薪", facts="工地二十名工人集体讨要工资。", head_count=20, received_on=DAY)
    register_visit(actor=None, site=None, data=data)
    db.session.commit()
    warning = db.session.scalar(sa.select(RiskWarning))
    assert warning.leader_id == official.id and warning.level == RiskLevel.red
    client = client_for(app, official)
    notice = text(client.get("/notifications"))
    assert f'<a href="/intake/risk/warnings/{warning.id}">风险预警 {warning.number} 已将您列为责任领导，请及时签收。</a>' \
        in notice
    url = f"/intake/risk/warnings/{warning.id}"
    response = client.post(url + "/acknowledge", data={"acknowledge-note": "已派信访干部到工地与工人代表沟通"})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = text(client.get(url))
    assert "已派信访干部到工地与工人代表沟通" in page and "已签收" in page and 'data-testid="action-close"' in page
    response = client.post(url + "/close", data={"close-outcome": "defused", "close-note": "企业已结清工资，工人散去"})
    assert response.status_code == 302
    db.session.expire_all()
    warning = db.session.get(RiskWarning, warning.id)
    assert (warning.status, warning.outcome, warning.closed_by_id) == (RiskStatus.closed, RiskOutcome.defused,
                                                                       official.id)
    audits = db.session.execute(sa.select(AuditEntry.action, AuditEntry.actor_id, AuditEntry.reason).where(
        AuditEntry.entity == "risk_warning", AuditEntry.entity_id == warning.id).order_by(AuditEntry.id)).all()
    assert [(a.action, a.actor_id) for a in audits] == [("raise", None), ("acknowledge", official.id),
                                                        ("close", official.id)]
    assert audits[1].reason == "已派信访干部到工地与工人代表沟通"
    page = text(client.get(url))
    assert "风险已化解" in page and "企业已结清工资，工人散去" in page and "action-" not in page
    listed = text(client.get("/intake/risk/warnings?status=closed"))
    assert numbers(listed) == [warning.number] and "已处置" in listed


def test_a_commander_of_the_town_may_act_too(world, login_as, official):
    warning = raise_warning(world)
    commander = login_as(Role.commander, unit=world.town)
    assert commander.post(f"/intake/risk/warnings/{warning.id}/acknowledge",
                          data={"acknowledge-note": "镇街已派人稳控"}).status_code == 302
    assert db.session.get(RiskWarning, warning.id).acknowledged_by_id == commander.user.id


@pytest.mark.parametrize("action, data, field, kept", [
    ("acknowledge", {"acknowledge-note": "   "}, "acknowledge-note", None),
    ("acknowledge", {"acknowledge-note": "长" * 2001}, "acknowledge-note", "长" * 2001),
    ("close", {"close-note": "已经妥善处置完毕"}, "close-outcome", "已经妥善处置完毕"),
    ("close", {"close-outcome": "everything", "close-note": "已经妥善处置完毕"}, "close-outcome", "已经妥善处置完毕"),
    ("close", {"close-outcome": "no_risk", "close-note": ""}, "close-note", None),
])
def test_bad_input_is_shown_next_to_the_field_and_keeps_what_was_typed(world, login_as, official, action, data,
                                                                       field, kept):
    warning = raise_warning(world)
    if action == "close":
        warning.status = RiskStatus.acknowledged
        db.session.commit()
    client = login_as(Role.official, unit=world.county)
    response = client.post(f"/intake/risk/warnings/{warning.id}/{action}", data=data)
    page = text(response)
    assert response.status_code == 400
    assert re.search(rf'id="{field}-error" role="alert">[^<]*[\u4e00-\u9fff]', page)
    if kept:
        assert kept in page
    if data.get("close-outcome") == "no_risk":
        assert re.search(r'checked[^>]*value="no_risk"|value="no_risk"[^>]*checked', page)
    db.session.expire_all()
    assert db.session.get(RiskWarning, warning.id).status == (RiskStatus.acknowledged if action == "close"
                                                              else RiskStatus.open)


def test_closing_twice_or_from_a_stale_page_is_a_clear_message_not_an_error(world, login_as, official):
    warning = raise_warning(world)
    client = login_as(Role.official, unit=world.county)
    url = f"/intake/risk/warnings/{warning.id}"
    early_close = client.post(url + "/close", data={"close-outcome": "no_risk", "close-note": "没签收就想办结"})
    assert early_close.status_code == 409 and "现在不能处置办结" in text(early_close)
    assert client.post(url + "/acknowledge", data={"acknowledge-note": "第一次签收"}).status_code == 302
    again = client.post(url + "/acknowledge", data={"acknowledge-note": "另一位领导在旧页面上签收"})
    assert again.status_code == 409 and f"预警 {warning.number} 当前为“已签收”，不能再次签收" in text(again)
    assert client.post(url + "/close", data={"close-outcome": "no_risk", "close-note": "核实"}).status_code == 302
    twice = client.post(url + "/close", data={"close-outcome": "defused", "close-note": "再办结一次"})
    assert twice.status_code == 409 and "当前为“已处置”" in text(twice)
    db.session.expire_all()
    warning = db.session.get(RiskWarning, warning.id)
    assert (warning.acknowledge_note, warning.outcome) == ("第一次签收", RiskOutcome.no_risk)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry).where(
        AuditEntry.entity == "risk_warning", AuditEntry.action == "close")) == 1


def test_the_state_machine_names_a_warning_in_the_readers_language(app, world, official):
    warning = raise_warning(world)
    from desk.errors import IllegalTransition
    for language, expected in (("zh-CN", "该风险预警不能从“待签收”变更为“已处置”。"),
                               ("en", "This risk warning cannot move from “Awaiting acknowledgement” to "
                                      "“Dealt with and closed”.")):
        with app.test_request_context(headers={"Accept-Language": language}):
            with pytest.raises(IllegalTransition) as refused:
                close_warning(warning=warning, actor=official, outcome=RiskOutcome.no_risk, note="跳过签收")
            assert str(refused.value.message) == expected
    db.session.rollback()


def test_the_pages_read_in_traditional_chinese(app, world, login_as, official):
    warning = raise_warning(world, level=RiskLevel.red)
    client = login_as(Role.official, unit=world.county)
    user = db.session.get(User, client.user.id)
    user.locale = "zh_Hant"
    db.session.commit()
    listed = text(client.get("/intake/risk/warnings"))
    page = text(client.get(f"/intake/risk/warnings/{warning.id}"))
    assert 'lang="zh-TW"' in page and "風險預警" in listed and "紅色" in listed and "責任領導" in listed
    assert "簽收預警" in page and "預警依據" in page and "集體訪" in page
    notice = text(client_for(app, official).get("/notifications"))
    assert "风险预警" in notice          # the leader reads Simplified (no language chosen)


def test_the_date_filters_use_the_local_day(world, login_as, official, clock):
    clock("2026-11-21 07:30")          # 23:30 UTC on the 20th: the 21st in China
    warning = raise_warning(world)
    client = login_as(Role.official, unit=world.county)
    assert numbers(text(client.get("/intake/risk/warnings?start=2026-11-21&end=2026-11-21"))) == [warning.number]
    assert numbers(text(client.get("/intake/risk/warnings?end=2026-11-20"))) == []
