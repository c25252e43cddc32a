"""Mediation: sessions, the three endings, the agreement PDF read back, the judicial-confirmation clock."""
import subprocess
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from desk.audit import timeline
from desk.errors import DomainError, IllegalTransition
from desk.extensions import db
from desk.models import Notification, Role
from outreach.mediation import services as service
from outreach.mediation.documents import render_agreement
from outreach.mediation.jobs import judicial_confirmation_reminders
from outreach.mediation.machines import MEDIATION_MACHINE, MEDIATION_TRANSITIONS
from outreach.mediation.models import MediationStatus as M
from tests.factories import (make_case, make_mediation, make_person, make_talent, make_user, mediation_consents,
                             valid_id_number)

STARTED = date(2026, 11, 20)
AGREED = date(2026, 11, 25)


@pytest.fixture
def case(world):
    person = make_person(world, "黄志明", id_number=valid_id_number())
    case = make_case(world, person=person, title="工资纠纷", facts="黄志明在某建筑公司工地务工，公司拖欠三个月工资。")
    case.other_party = "台山市某建筑有限公司"
    return case


@pytest.fixture
def mediator(world):
    return make_talent(world, "伍调解", user=make_user(world, Role.talent))


def _start(case, actor, mediator, on=STARTED):
    return service.start_mediation(case, actor=actor, mediator=mediator, on=on, consents=mediation_consents(on))


def _agree(mediation, staff, **overrides):
    values = dict(facts="黄志明在该公司工地务工，2026年8月至10月工资未发。", disputes="欠薪金额及支付时间。",
                  responsibilities="公司应支付欠薪；黄志明配合办理结算。", terms="公司支付黄志明工资人民币一万八千元。",
                  performance_method="分两期银行转账，首期九千元。", performance_deadline=date(2026, 12, 31),
                  agreed_on=AGREED)
    values.update(overrides)
    _complete(mediation, staff)
    return service.record_agreement(mediation, actor=staff, **values)


def _complete(mediation, staff):
    """Every party's details as the agreement states them (a person's sex, age, ethnicity, occupation, address)."""
    for party in mediation.parties:
        if "公司" in party.name:
            fields = dict(is_organization=True, address="台山市台城街道环北大道88号", representative="李建国")
        else:
            fields = dict(sex=party.sex or "M", age=None if party.birth_date else 40, birth_date=party.birth_date,
                          ethnicity="汉族", occupation="建筑工人", address="台山市台城街道石龙村12号")
        service.update_party(mediation, party, actor=staff, name=party.name, id_number=party.id_number or "",
                             phone=party.phone or "", **fields)


@pytest.mark.parametrize("src,dst", [(s, d) for s in M for d in M if d not in MEDIATION_TRANSITIONS[s]])
def test_illegal_mediation_moves_are_refused(world, staff, case, src, dst):
    mediation = make_mediation(world, case, actor=staff, on=STARTED)
    mediation.status = src
    with pytest.raises(IllegalTransition):
        MEDIATION_MACHINE.move(mediation, dst, actor=staff)


def test_start_takes_the_parties_from_the_case(world, staff, case, mediator):
    mediation = _start(case, staff, mediator)
    assert [(p.side, p.name) for p in mediation.parties] == [("a", "黄志明"), ("b", "台山市某建筑有限公司")]
    assert mediation.copies == 3
    assert service.usual_completion(mediation) == date(2026, 12, 21)  # one month is Sunday 12-20: runs to Monday
    with pytest.raises(DomainError):
        make_mediation(world, case, actor=staff, on=STARTED)


def test_sessions_record_who_came_and_each_position(world, staff, case):
    mediation = make_mediation(world, case, actor=staff, on=STARTED)
    with pytest.raises(DomainError) as err:
        service.record_session(mediation, actor=staff, held_on=STARTED, place="调解室", parties_present="双方",
                               positions=[("", "")])
    assert err.value.field == "positions"
    with pytest.raises(DomainError) as err:
        service.record_session(mediation, actor=staff, held_on=date(2026, 11, 1), place="调解室",
                               parties_present="双方", positions=[("黄志明", "要求全额支付")])
    assert err.value.field == "held_on"
    session = service.record_session(mediation, actor=staff, held_on=STARTED, place="台城街道调解室",
                                     parties_present="黄志明、公司代表刘经理",
                                     positions=[("黄志明", "要求一次付清"), ("公司", "同意分期支付")])
    assert session.positions == [{"party": "黄志明", "position": "要求一次付清"},
                                 {"party": "公司", "position": "同意分期支付"}]
    assert [e.action for e in timeline("mediation", mediation.id)] == ["consent", "start", "session"]


def test_agreement_needs_every_part_and_starts_the_30_day_clock(world, staff, case, mediator):
    mediation = _start(case, staff, mediator)
    with pytest.raises(DomainError) as err:
        _agree(mediation, staff, terms=" ")
    assert err.value.field == "terms" and mediation.status == M.ongoing
    with pytest.raises(DomainError) as err:
        _agree(mediation, staff, performance_deadline=date(2026, 11, 1))
    assert err.value.field == "performance_deadline"
    _agree(mediation, staff)
    assert mediation.status == M.agreement and mediation.number == "TS-TJ-2026-00001"
    # 30 calendar days, the day of the agreement not counted (人民调解法 第三十三条); 12-25 is a working day.
    assert mediation.judicial_confirmation_due == date(2026, 12, 25)
    notices = db.session.scalars(sa.select(Notification).where(Notification.kind == "judicial_confirmation")).all()
    assert {n.user_id for n in notices} == {staff.id, mediator.user_id}
    with pytest.raises(DomainError):
        service.record_session(mediation, actor=staff, held_on=AGREED, place="x", parties_present="x",
                               positions=[("a", "b")])


def test_agreement_needs_a_party_on_each_side(world, staff):
    mediation = make_mediation(world, make_case(world), actor=staff, on=STARTED)
    with pytest.raises(DomainError):
        _agree(mediation, staff)
    service.add_party(mediation, actor=staff, side="b", name="张三", details="石龙村村民")
    _agree(mediation, staff)
    assert mediation.status == M.agreement


def test_no_agreement_and_termination_say_which_routes_were_told(world, staff, case):
    mediation = make_mediation(world, case, actor=staff, on=STARTED)
    with pytest.raises(DomainError) as err:
        service.end_without_agreement(mediation, actor=staff, status=M.terminated, outcome="一方拒绝继续",
                                      routes_told="", on=AGREED)
    assert err.value.field == "routes_told"
    service.end_without_agreement(mediation, actor=staff, status=M.terminated, outcome="公司拒绝继续调解",
                                  routes_told="劳动人事争议仲裁；向人民法院起诉", on=AGREED)
    assert mediation.status == M.terminated and mediation.routes_told == "劳动人事争议仲裁；向人民法院起诉"
    entry = timeline("mediation", mediation.id)[-1]
    assert entry.to_state == "terminated" and entry.detail == {"routes": "劳动人事争议仲裁；向人民法院起诉"}


def test_the_agreement_pdf_reads_back_with_parties_terms_deadline_and_the_cjk_font(app, world, staff, case,
                                                                                    mediator, tmp_path):
    mediation = _start(case, staff, mediator)
    _agree(mediation, staff)
    path = tmp_path / "agreement.pdf"
    with app.test_request_context():
        path.write_bytes(render_agreement(mediation, locale="zh_Hans"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    compact = "".join(text.split())
    for expected in ("人民调解协议书", "黄志明", "台山市某建筑有限公司", "伍调解", "公司支付黄志明工资人民币一万八千元",
                     "分两期银行转账", "2026年12月31日", "2026年12月25日", "TS-TJ-2026-00001"):
        assert expected in compact, expected
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cjk = [line.split() for line in fonts.splitlines() if "Noto-Sans-CJK" in line or "NotoSansCJK" in line]
    assert cjk and all(row[-5] == "yes" for row in cjk)  # the "emb" column: the font is embedded


def test_agreement_pdf_through_the_web(login_as, world, case, mediator):
    client = login_as(Role.receptionist, unit=world.county)
    mediation = _start(case, client.user, mediator)
    _complete(mediation, client.user)
    db.session.commit()
    assert client.get(f"/outreach/mediations/{mediation.id}/agreement.pdf").status_code == 404
    page = client.get(f"/outreach/mediations/{mediation.id}").get_data(as_text=True)
    assert "黄志明" in page and "台山市某建筑有限公司" in page
    bad = client.post(f"/outreach/mediations/{mediation.id}/agreement", data={"facts": "事实"})
    assert bad.status_code == 400 and "事实" in bad.get_data(as_text=True)
    response = client.post(f"/outreach/mediations/{mediation.id}/agreement", data={
        "facts": "欠薪三个月", "disputes": "金额", "responsibilities": "公司负主要责任", "terms": "支付一万八千元",
        "performance_method": "银行转账", "performance_deadline": "2026-12-31", "agreed_on": "2026-11-25"})
    assert response.status_code == 302
    pdf = client.get(f"/outreach/mediations/{mediation.id}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    panel = client.get(f"/intake/cases/{case.id}").get_data(as_text=True)
    assert 'data-testid="mediation-panel"' in panel and "TS-TJ-2026-00001" in panel


def test_start_mediation_from_the_case_page(login_as, world, case, mediator):
    client = login_as(Role.receptionist, unit=world.county)
    db.session.commit()
    page = client.get(f"/intake/cases/{case.id}").get_data(as_text=True)
    assert 'data-testid="start-mediation"' in page
    response = client.post(f"/outreach/cases/{case.id}/mediation", data={
        "mediator_id": str(mediator.id), "started_on": "2026-11-20", "committee": "",
        "consent_a_by": "黄志明", "consent_a_on": "2026-11-19", "consent_a_method": "application",
        "consent_b_by": "公司代表刘经理", "consent_b_on": "2026-11-20", "consent_b_method": "written"})
    assert response.status_code == 302
    mediation = service.mediation_of(case)
    assert mediation.mediator_id == mediator.id and mediation.status == M.ongoing
    assert mediation.committee == "台山市台城街道人民调解委员会"
    assert [(c.side, c.given_by, c.method.value) for c in mediation.consents] == [
        ("a", "黄志明", "application"), ("b", "公司代表刘经理", "written")]


def test_judicial_confirmation_reminder_fires_once_near_the_end(world, staff, case, mediator):
    mediation = _start(case, staff, mediator)
    _agree(mediation, staff)
    due = mediation.judicial_confirmation_due

    def at(day):
        return datetime.combine(day, datetime.min.time()) + timedelta(hours=2)
    assert judicial_confirmation_reminders(at(due - timedelta(days=20))) == 0
    assert judicial_confirmation_reminders(at(due - timedelta(days=5))) == 2
    assert judicial_confirmation_reminders(at(due - timedelta(days=4))) == 0
    assert judicial_confirmation_reminders(at(due + timedelta(days=1))) == 0
    kinds = db.session.scalars(sa.select(Notification.dedupe_key).where(
        Notification.user_id == mediator.user_id, Notification.kind == "judicial_confirmation")).all()
    assert len(kinds) == 2  # one when agreed, one near the end


def test_a_case_with_an_agreement_is_not_mediated_again_but_a_failed_one_may_be(world, staff, case):
    first = make_mediation(world, case, actor=staff, on=STARTED)
    service.end_without_agreement(first, actor=staff, status=M.no_agreement, outcome="双方分歧较大",
                                  routes_told="向人民法院起诉", on=STARTED)
    second = make_mediation(world, case, actor=staff, on=AGREED)
    _agree(second, staff, agreed_on=AGREED)
    with pytest.raises(DomainError):
        make_mediation(world, case, actor=staff, on=AGREED)


def test_a_member_reads_only_the_mediations_they_mediate(login_as, world, staff, case):
    """Before the fix any talent member read any mediation and its agreement with the parties' positions."""
    own = login_as(Role.talent, unit=world.county)
    other = login_as(Role.talent, unit=world.county)
    mine = make_talent(world, "伍调解", user=own.user)
    make_talent(world, "别的调解员", user=other.user)
    mediation = _start(case, staff, mine)
    _agree(mediation, staff)
    db.session.commit()
    for path in (f"/outreach/mediations/{mediation.id}", f"/outreach/mediations/{mediation.id}/agreement.pdf"):
        assert own.get(path).status_code == 200, path
        assert other.get(path).status_code == 404, path
    assert other.post(f"/outreach/mediations/{mediation.id}/session", data={}).status_code == 404
