"""The risk lists page (/intake/risk/lists) over HTTP: sensitive dates and words of extreme intent added, edited,
switched off and on, removed, each audited in the same transaction and in force for the next registration (the
rules' in-memory lists see it); bad input next to its field with nothing typed lost, never a 500; the thresholds
shown from the settings with what a sensitive period makes of them; who may read and who may change."""
import re
from datetime import date

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import AuditEntry, Channel, PetitionType, Role
from intake.reception.services import PersonInput, VisitInput, register_visit
from intake.risk import rules
from intake.risk.models import RiskKind, RiskLevel, RiskTerm, RiskWarning, SensitiveDate
from tests.conftest import client_for
from tests.factories import make_user, valid_id_number

LISTS = "/intake/risk/lists"


@pytest.fixture
def now(clock):
    return clock("2026-11-20 10:00")


@pytest.fixture
def admin(world, login_as, now):
    """An administrator of the city: the lists hold for the whole city, so the city's administrators keep them."""
    return login_as(Role.admin, unit=world.city)


def text(response) -> str:
    return response.get_data(as_text=True)


def audits(entity: str) -> list[AuditEntry]:
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.entity == entity)
                                   .order_by(AuditEntry.id)))


def field_error(page: str, field: str) -> str:
    """The error shown next to a field (macros/forms.html: the field's box, then its error)."""
    box = re.search(rf'<div class="field has-error" id="field-{field}">(.*?)</div>\s*</div>', page, re.S)
    assert box, f"no error next to {field}"
    return re.sub(r"<[^>]+>", "", box.group(1).split('role="alert">', 1)[1]).strip()


def register(world, facts: str, *, head_count: int = 1, name: str = "陈大文"):
    data = VisitInput(person=PersonInput(name=name, id_number=valid_id_number()), channel=Channel.walk_in,
                      place=world.village, category=world.category, petition_type=PetitionType.demand,
                      title="拖欠工资", facts=facts, head_count=head_count, received_on=date(2026, 11, 20))
    visit = register_visit(actor=None, site=None, data=data)
    db.session.commit()
    return visit


def warnings(kind: RiskKind) -> list[RiskWarning]:
    return list(db.session.scalars(sa.select(RiskWarning).where(RiskWarning.kind == kind).order_by(RiskWarning.id)))


# --- sensitive dates ----------------------------------------------------------------------------------------------

def test_a_sensitive_period_added_lowers_the_thresholds_of_the_next_registration(world, admin):
    register(world, "拖欠工资", head_count=3, name="甲")
    assert warnings(RiskKind.group_visit) == []                        # 3 people: under the usual 5
    response = admin.post(f"{LISTS}/dates", data={"name": "重要会议期间", "starts_on": "2026-11-19",
                                                  "ends_on": "2026-11-22", "note": "市委通知"})
    assert response.status_code == 302 and response.headers["Location"].endswith(LISTS)
    row = db.session.scalar(sa.select(SensitiveDate))
    assert (row.name, row.starts_on, row.ends_on, row.created_by_id) == (
        "重要会议期间", date(2026, 11, 19), date(2026, 11, 22), admin.user.id)
    [entry] = audits("risk_sensitive_date")
    assert (entry.action, entry.entity_id, entry.actor_id, entry.reason) == ("create", row.id, admin.user.id,
                                                                             "市委通知")
    assert rules.sensitive_date_on(date(2026, 11, 20)).id == row.id
    assert rules.thresholds_on(date(2026, 11, 20)).group_size == 3    # 5 × 0.6
    register(world, "拖欠工资", head_count=3, name="乙")
    [warning] = warnings(RiskKind.group_visit)
    assert (warning.threshold, warning.sensitive_date_id) == (3, row.id)
    page = text(admin.get(LISTS))
    listed = re.search(rf'data-testid="date-{row.id}">(.*?)</tr>', page, re.S).group(1)
    assert "重要会议期间" in listed and "市委通知" in listed and "生效中" in listed
    assert "今天处于敏感期“重要会议期间”" in page


def test_a_period_is_edited_and_removed_with_its_history(world, admin):
    admin.post(f"{LISTS}/dates", data={"name": "国庆", "starts_on": "2026-10-01", "ends_on": "2026-10-07"})
    row = db.session.scalar(sa.select(SensitiveDate))
    form = text(admin.get(f"{LISTS}/dates/{row.id}"))
    assert 'value="国庆"' in form and 'value="2026-10-07"' in form
    response = admin.post(f"{LISTS}/dates/{row.id}", data={"name": "国庆节", "starts_on": "2026-09-30",
                                                            "ends_on": "2026-10-08", "note": "提前一天"})
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(SensitiveDate, row.id)
    assert (row.name, row.starts_on, row.ends_on) == ("国庆节", date(2026, 9, 30), date(2026, 10, 8))
    update = audits("risk_sensitive_date")[-1]
    assert update.action == "update" and update.reason == "提前一天"
    assert update.detail["before"] == {"name": "国庆", "starts_on": "2026-10-01", "ends_on": "2026-10-07"}
    assert 'value="国庆节"' in text(admin.get(f"{LISTS}/dates/{row.id}")) and "提前一天" in text(admin.get(LISTS))
    assert rules.sensitive_date_on(date(2026, 9, 30)).name == "国庆节"
    assert admin.post(f"{LISTS}/dates/{row.id}/remove").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SensitiveDate)) == 0
    assert [a.action for a in audits("risk_sensitive_date")] == ["create", "update", "remove"]
    assert rules.sensitive_date_on(date(2026, 9, 30)) is None
    history = text(admin.get(LISTS))
    history = history[history.index('data-testid="lists-history"'):]
    assert "已删除" in history and "国庆节 (2026-09-30 – 2026-10-08)" in history


def test_a_period_warnings_were_raised_under_stays_as_their_record(world, admin):
    admin.post(f"{LISTS}/dates", data={"name": "重要会议期间", "starts_on": "2026-11-19", "ends_on": "2026-11-22"})
    register(world, "拖欠工资", head_count=3)
    row = db.session.scalar(sa.select(SensitiveDate))
    page = text(admin.get(f"{LISTS}/dates/{row.id}"))
    assert 'data-testid="raised-during"' in page and 'data-testid="remove-date"' not in page
    response = admin.post(f"{LISTS}/dates/{row.id}/remove", follow_redirects=True)
    assert response.status_code == 200 and "1 条预警" in text(response)
    assert db.session.get(SensitiveDate, row.id) is not None
    assert [a.action for a in audits("risk_sensitive_date")] == ["create"]


@pytest.mark.parametrize("data, field, error", [
    ({"name": "两会", "starts_on": "2026-03-10", "ends_on": "2026-03-01"}, "ends_on", "最后一天早于第一天。"),
    ({"name": "", "starts_on": "2026-03-01", "ends_on": "2026-03-10"}, "name", "请填写敏感期名称。"),
    ({"name": "   ", "starts_on": "2026-03-01", "ends_on": "2026-03-10"}, "name", "请填写敏感期名称。"),
    ({"name": "长" * 81, "starts_on": "2026-03-01", "ends_on": "2026-03-10"}, "name", "80"),
    ({"name": "两会", "starts_on": "2026-13-45", "ends_on": "2026-03-10"}, "starts_on", "日期"),
    ({"name": "两会", "starts_on": "2026-03-01", "ends_on": ""}, "ends_on", "请填写最后一天。"),
    ({"name": "两会", "starts_on": "0001-01-01", "ends_on": "9999-12-31"}, "starts_on", "日期"),
    ({"name": "两会", "starts_on": "2026-03-01", "ends_on": "2026-03-10", "note": "注" * 501}, "note", "500"),
])
def test_bad_periods_are_refused_next_to_the_field_and_nothing_typed_is_lost(world, admin, data, field, error):
    response = admin.post(f"{LISTS}/dates", data=data)
    page = text(response)
    assert response.status_code == 400
    assert error in field_error(page, field)
    assert "请更正标出的字段" in page
    if data["name"].strip():
        assert f'value="{data["name"]}"' in page
    if data.get("note"):
        assert data["note"] in page
    for name in ("starts_on", "ends_on"):
        if data[name]:
            assert f'value="{data[name]}"' in page            # a date that is not one is kept as typed
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SensitiveDate)) == 0
    assert audits("risk_sensitive_date") == []


def test_the_same_period_twice_is_refused(world, admin):
    data = {"name": "两会", "starts_on": "2026-03-01", "ends_on": "2026-03-10"}
    assert admin.post(f"{LISTS}/dates", data=data).status_code == 302
    response = admin.post(f"{LISTS}/dates", data=data)
    assert response.status_code == 400 and "这个敏感期已在清单上。" in field_error(text(response), "name")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SensitiveDate)) == 1


def test_a_bad_edit_keeps_what_was_typed(world, admin):
    admin.post(f"{LISTS}/dates", data={"name": "国庆", "starts_on": "2026-10-01", "ends_on": "2026-10-07"})
    row = db.session.scalar(sa.select(SensitiveDate))
    response = admin.post(f"{LISTS}/dates/{row.id}", data={"name": "国庆节改", "starts_on": "2026-10-09",
                                                            "ends_on": "2026-10-01", "note": "改期"})
    page = text(response)
    assert response.status_code == 400 and "最后一天早于第一天。" in field_error(page, "ends_on")
    assert 'value="国庆节改"' in page and 'value="2026-10-09"' in page and "改期" in page
    db.session.expire_all()
    assert db.session.get(SensitiveDate, row.id).name == "国庆"


# --- words of extreme intent ----------------------------------------------------------------------------------------

def test_a_word_added_in_one_script_raises_a_warning_written_in_the_other(world, admin):
    register(world, "老板再不给钱，我就去天台跳樓。", name="甲")
    assert warnings(RiskKind.extreme_words) == []
    response = admin.post(f"{LISTS}/terms", data={"term": "跳楼", "level": "red"}, follow_redirects=True)
    page = text(response)
    assert response.status_code == 200 and "“跳楼”已加入词库，同时匹配 跳樓。" in page
    term = db.session.scalar(sa.select(RiskTerm).where(RiskTerm.term == "跳楼"))
    row = re.search(rf'data-testid="term-{term.id}"[^>]*>(.*?)</tr>', page, re.S).group(1)
    assert "跳樓" in row and 'class="level red"' in row and "红色" in row
    [entry] = audits("risk_term")
    assert (entry.action, entry.entity_id, entry.actor_id, entry.detail) == (
        "create", term.id, admin.user.id, {"term": "跳楼", "level": "red"})
    register(world, "老板再不给钱，我就去天台跳樓。", name="乙")
    [warning] = warnings(RiskKind.extreme_words)
    assert (warning.level, warning.detail["terms"]) == (RiskLevel.red, ["跳楼"])


def test_a_word_in_traditional_script_shows_its_simplified_form(world, admin):
    admin.post(f"{LISTS}/terms", data={"term": "堵橋", "level": "orange"})
    term = db.session.scalar(sa.select(RiskTerm))
    assert term.term == "堵橋"
    assert [t for t, _level in rules.active_terms().find("村民说要去堵桥")] == ["堵橋"]
    row = re.search(rf'data-testid="term-{term.id}">(.*?)</tr>', text(admin.get(LISTS)), re.S).group(1)
    assert "堵桥" in row


def test_a_word_switched_off_matches_no_more_and_on_again_does(world, admin):
    admin.post(f"{LISTS}/terms", data={"term": "堵路", "level": "orange"})
    term = db.session.scalar(sa.select(RiskTerm))
    assert rules.active_terms().find("我们就去堵路")
    assert admin.post(f"{LISTS}/terms/{term.id}/deactivate").status_code == 302
    assert rules.active_terms().find("我们就去堵路") == []
    register(world, "再不解决我们就去堵路")
    assert warnings(RiskKind.extreme_words) == []
    page = text(admin.get(LISTS))
    assert "已停用" in re.search(rf'data-testid="term-{term.id}"[^>]*>(.*?)</tr>', page, re.S).group(1)
    again = admin.post(f"{LISTS}/terms/{term.id}/deactivate", follow_redirects=True)
    assert "该词已停用。" in text(again)                              # a stale page's second click changes nothing
    assert admin.post(f"{LISTS}/terms/{term.id}/reactivate").status_code == 302
    assert rules.active_terms().find("我们就去堵路")
    assert admin.post(f"{LISTS}/terms/{term.id}/remove").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RiskTerm)) == 0
    assert rules.active_terms().find("我们就去堵路") == []
    assert [a.action for a in audits("risk_term")] == ["create", "deactivate", "reactivate", "remove"]
    assert all(a.actor_id == admin.user.id and a.detail["term"] == "堵路" for a in audits("risk_term"))


@pytest.mark.parametrize("term, error", [
    ("", "请填写词语。"),
    ("   ", "请填写词语。"),
    ("跳", "至少 2 个字"),
    ("jump", "请用汉字"),
    ("跳" * 41, "40"),
    ("跳樓", "“跳樓”已在词库中（作“跳楼”）。"),        # the word already kept, in the other script
    ("跳楼", "“跳楼”已在词库中（作“跳楼”）。"),
])
def test_bad_words_are_refused_next_to_the_field(world, admin, term, error):
    db.session.add(RiskTerm(term="跳楼", level=RiskLevel.red))
    db.session.commit()
    response = admin.post(f"{LISTS}/terms", data={"term": term, "level": "yellow"})
    page = text(response)
    assert response.status_code == 400 and error in field_error(page, "term")
    if term.strip():
        assert f'value="{term}"' in page
    assert re.search(r'<option selected value="yellow">|<option value="yellow" selected>', page)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RiskTerm)) == 1
    assert audits("risk_term") == []


def test_an_unknown_level_is_an_error_not_a_500(world, admin):
    response = admin.post(f"{LISTS}/terms", data={"term": "堵路", "level": "purple"})
    assert response.status_code == 400 and field_error(text(response), "level")


# --- the thresholds -------------------------------------------------------------------------------------------------

def test_the_thresholds_come_from_the_settings_with_their_sensitive_values(world, admin, app):
    app.config["RISK_GROUP_SIZE"] = 7
    page = text(admin.get(LISTS))
    row = re.search(r'data-testid="threshold-RISK_GROUP_SIZE">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">(?:<strong>)?([\d.]+)', row) == ["7", "5"]    # ceil(7 × 0.6)
    row = re.search(r'data-testid="threshold-RISK_FREQUENT_DAYS">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">(?:<strong>)?([\d.]+)', row) == ["30", "30"]  # days are not lowered
    row = re.search(r'data-testid="threshold-RISK_SPIKE_SIGMAS">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r'<td class="num">(?:<strong>)?([\d.]+)', row) == ["3", "1.8"]
    assert "今天不在敏感期" in page
    assert "<input" not in page[page.index('data-testid="thresholds"'):page.index('data-testid="lists-history"')]


# --- who may read, who may change ---------------------------------------------------------------------------------

def test_a_county_administrator_reads_the_lists_and_changes_nothing(world, login_as, now):
    term = RiskTerm(term="堵路", level=RiskLevel.orange)
    period = SensitiveDate(name="两会", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 10))
    db.session.add_all([term, period])
    db.session.commit()
    county_admin = login_as(Role.admin, unit=world.county)
    page = text(county_admin.get(LISTS))
    assert 'data-testid="read-only"' in page and "堵路" in page and "两会" in page
    assert 'data-testid="term-form"' not in page and 'data-testid="date-form"' not in page
    assert "/deactivate" not in page
    refused = [county_admin.post(f"{LISTS}/terms", data={"term": "静坐", "level": "orange"}),
               county_admin.post(f"{LISTS}/terms/{term.id}/deactivate"),
               county_admin.post(f"{LISTS}/terms/{term.id}/remove"),
               county_admin.post(f"{LISTS}/dates", data={"name": "x", "starts_on": "2026-01-01",
                                                         "ends_on": "2026-01-02"}),
               county_admin.get(f"{LISTS}/dates/{period.id}"),
               county_admin.post(f"{LISTS}/dates/{period.id}", data={"name": "y", "starts_on": "2026-01-01",
                                                                     "ends_on": "2026-01-02"}),
               county_admin.post(f"{LISTS}/dates/{period.id}/remove")]
    assert [r.status_code for r in refused] == [403] * len(refused)
    db.session.expire_all()
    assert db.session.get(RiskTerm, term.id).active and db.session.get(SensitiveDate, period.id).name == "两会"
    assert audits("risk_term") == [] and audits("risk_sensitive_date") == []


@pytest.mark.parametrize("role", [Role.official, Role.commander, Role.receptionist, Role.callback_staff])
def test_other_roles_are_refused(world, login_as, now, role):
    client = login_as(role, unit=world.city if role == Role.official else world.county)
    assert client.get(LISTS).status_code == 403
    assert client.post(f"{LISTS}/terms", data={"term": "静坐", "level": "orange"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RiskTerm)) == 0


def test_ids_that_name_no_row_are_404_never_500(world, admin):
    for ident in ("999999", "abc", "-1", "0", "9" * 30):
        assert admin.get(f"{LISTS}/dates/{ident}").status_code == 404
        assert admin.post(f"{LISTS}/dates/{ident}/remove").status_code == 404
        assert admin.post(f"{LISTS}/terms/{ident}/remove").status_code == 404
    assert admin.post(f"{LISTS}/terms/1/explode").status_code == 404


def test_the_nav_item_and_the_page_in_every_language(world, admin):
    db.session.add(RiskTerm(term="跳楼", level=RiskLevel.red))
    db.session.commit()
    page = text(admin.get(LISTS))
    assert 'href="/intake/risk/lists"' in page and "风险清单" in page
    main = re.sub(r"<code[^>]*>.*?</code>", " ", page[page.index("<main"):], flags=re.S)   # the settings' names
    visible = re.sub(r"<[^>]+>|RISK_[A-Z_]+", " ", main)
    english = re.findall(r"\b[A-Za-z]{4,}\b", visible)
    assert not english, english[:20]
    admin.post("/language", data={"locale": "zh_Hant"})
    assert "風險清單" in text(admin.get(LISTS)) and "敏感期" in text(admin.get(LISTS))


def test_the_changes_need_the_csrf_token(csrf_app):
    from tests.factories import build_world
    world = build_world()
    user = make_user(world, Role.admin, unit=world.city)
    db.session.add(RiskTerm(term="堵路", level=RiskLevel.orange))
    db.session.commit()
    term_id = db.session.scalar(sa.select(RiskTerm.id))
    client = client_for(csrf_app, user)
    assert client.post(f"{LISTS}/terms/{term_id}/remove").status_code == 400
    assert client.post(f"{LISTS}/terms", data={"term": "静坐", "level": "orange"}).status_code == 400
    db.session.expire_all()
    assert [t.term for t in db.session.scalars(sa.select(RiskTerm))] == ["堵路"]
    page = text(client.get(LISTS))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"{LISTS}/terms/{term_id}/remove", data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RiskTerm)) == 0
