"""The agreement per 人民调解法 arts. 28–33: every party's details, one copy per party plus one kept, the
mediator and the named committee, consent to mediate and to each extension, and no mediation of accusations."""
import subprocess
from datetime import date

import pytest

from desk.audit import timeline
from desk.errors import DomainError
from desk.extensions import db
from desk.models import PetitionType, Role
from outreach.mediation import services as service
from outreach.mediation.documents import render_agreement
from outreach.mediation.models import ConsentMethod, MediationStatus as M
from outreach.mediation.services import Consent, PartyDetailsMissing
from tests.factories import make_case, make_person, make_talent, make_user, mediation_consents, valid_id_number

STARTED = date(2026, 11, 20)
AGREED = date(2026, 11, 25)
TERMS = dict(facts="四人合伙经营农家乐，因分红发生纠纷。", disputes="2025年度利润如何分配。",
             responsibilities="乙方未按约公开账目，负主要责任。", terms="乙方于十日内向甲方各支付分红人民币五千元。",
             performance_method="银行转账。", performance_deadline=date(2026, 12, 31), agreed_on=AGREED)
PERSON = dict(sex="M", age=45, ethnicity="汉族", occupation="个体经营者", address="台山市台城街道石龙村8号")


@pytest.fixture
def mediator(world):
    return make_talent(world, "伍调解", user=make_user(world, Role.talent))


@pytest.fixture
def case(world):
    person = make_person(world, "黄志明", id_number=valid_id_number(), phone="13800138000")
    case = make_case(world, person=person, title="合伙纠纷", facts="四人合伙经营农家乐，因分红发生纠纷。")
    case.other_party = "李国强"
    return case


def _four_parties(world, staff, case, mediator):
    mediation = service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                        consents=mediation_consents(STARTED, "黄志明", "李国强"))
    service.add_party(mediation, actor=staff, side="a", name="陈秀英", **dict(PERSON, sex="F", age=52))
    service.add_party(mediation, actor=staff, side="b", name="台山市某农家乐有限公司", is_organization=True,
                      address="台山市台城街道环北大道88号", representative="李建国（法定代表人）")
    for party in mediation.parties[:2]:
        service.update_party(mediation, party, actor=staff, name=party.name, id_number=party.id_number or "",
                             phone=party.phone or "", **dict(PERSON, sex=party.sex or "M",
                                                              birth_date=party.birth_date))
    return mediation


def _pdf_text(app, mediation, tmp_path) -> str:
    path = tmp_path / "agreement.pdf"
    with app.test_request_context():
        path.write_bytes(render_agreement(mediation, locale="zh_Hans"))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_a_four_party_agreement_is_made_in_five_copies_with_a_block_per_party(app, world, staff, case, mediator,
                                                                            tmp_path):
    """Before: copies counted per side ("一式3份" for four parties) and one signature line per side."""
    mediation = _four_parties(world, staff, case, mediator)
    service.record_agreement(mediation, actor=staff, **TERMS)
    assert mediation.copies == 5
    text = _pdf_text(app, mediation, tmp_path)
    compact = "".join(text.split())
    assert "本协议一式5份，当事人各执一份，调解委员会留存一份" in compact
    assert compact.count("（签名、盖章或按指印）") == 4
    for name in ("黄志明", "陈秀英", "李国强", "台山市某农家乐有限公司"):
        assert compact.count(name) >= 2, name  # the party's details, and its signature block
    for expected in ("汉族", "个体经营者", "台山市台城街道石龙村8号", "52岁", "李建国（法定代表人）",
                     "伍调解", "（签名）", "台山市台城街道人民调解委员会", "（盖章）",
                     "人民调解员签名并加盖人民调解委员会印章之日起生效", "按指印", "三十日内", "司法确认",
                     "2026年12月25日"):
        assert expected in compact, expected
    assert "13800138000" not in compact  # the phone is kept encrypted, never printed


def test_missing_details_are_refused_per_party_and_field(world, staff, case, mediator):
    mediation = service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                        consents=mediation_consents(STARTED))
    with pytest.raises(PartyDetailsMissing) as err:
        service.record_agreement(mediation, actor=staff, **TERMS)
    # The petitioner's sex and birth date come from the ID number; the other party has nothing yet.
    assert err.value.missing == {"黄志明": ["ethnicity", "occupation", "address"],
                                 "李国强": ["sex", "age", "ethnicity", "occupation", "address"]}
    assert mediation.status == M.ongoing
    with pytest.raises(DomainError) as bad:
        service.update_party(mediation, mediation.parties[1], actor=staff, name="李国强", id_number="123")
    assert bad.value.field == "id_number"
    with pytest.raises(DomainError) as bad:
        service.update_party(mediation, mediation.parties[1], actor=staff, name="李国强", phone="12")
    assert bad.value.field == "phone"
    with pytest.raises(DomainError) as bad:
        service.update_party(mediation, mediation.parties[1], actor=staff, name=" ")
    assert bad.value.field == "name"


def test_the_party_id_number_and_phone_are_stored_encrypted(world, staff, case, mediator):
    mediation = service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                        consents=mediation_consents(STARTED))
    party = mediation.parties[0]
    db.session.flush()
    raw = db.session.execute(db.text("SELECT id_number, phone FROM mediation_party WHERE id = :id"),
                             {"id": party.id}).one()
    assert party.phone == "13800138000" and raw.phone != "13800138000" and party.id_number not in raw.id_number
    assert party.phone_masked == "138****8000"


def test_no_mediator_is_refused(world, staff, case):
    with pytest.raises(DomainError) as err:
        service.start_mediation(case, actor=staff, mediator=None, on=STARTED, consents=mediation_consents(STARTED))
    assert err.value.field == "mediator_id"


def test_an_accusation_is_never_mediated(world, staff, mediator):
    case = make_case(world, petition_type=PetitionType.accusation, title="检举村干部")
    case.other_party = "被检举的村干部"
    with pytest.raises(DomainError) as err:
        service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                consents=mediation_consents(STARTED))
    assert "检举控告" in str(err.value.message) and service.mediation_of(case) is None


def test_consent_to_mediate_is_required_from_both_sides_before_the_start(world, staff, case, mediator):
    with pytest.raises(DomainError) as err:
        service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                consents=mediation_consents(STARTED)[:1])
    assert err.value.field == "consent_b_by"
    late = [Consent("a", "黄志明", STARTED, ConsentMethod.application),
            Consent("b", "李国强", date(2026, 11, 21), ConsentMethod.oral)]
    with pytest.raises(DomainError) as err:
        service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED, consents=late)
    assert err.value.field == "consent_b_on"
    mediation = service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                        consents=mediation_consents(STARTED, "黄志明", "李国强"))
    consent, start = timeline("mediation", mediation.id)
    assert consent.action == "consent" and [c["by"] for c in consent.detail["consents"]] == ["黄志明", "李国强"]
    assert start.action == "start" and start.detail["due"] == "2026-12-21"


def test_an_extension_needs_both_sides_consent_and_moves_the_due_date(world, staff, case, mediator):
    mediation = service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                        consents=mediation_consents(STARTED))
    assert service.usual_completion(mediation) == date(2026, 12, 21)
    only_a = [Consent("a", "黄志明", date(2026, 12, 10), ConsentMethod.written)]
    with pytest.raises(DomainError) as err:
        service.extend_mediation(mediation, actor=staff, new_due=date(2027, 1, 20), consents=only_a)
    assert err.value.field == "consent_b_by" and service.usual_completion(mediation) == date(2026, 12, 21)
    with pytest.raises(DomainError) as err:
        service.extend_mediation(mediation, actor=staff, new_due=date(2026, 12, 1),
                                 consents=mediation_consents(date(2026, 12, 10)))
    assert err.value.field == "new_due"
    service.extend_mediation(mediation, actor=staff, new_due=date(2027, 1, 20),
                             consents=mediation_consents(date(2026, 12, 10), "黄志明", "李国强"))
    assert service.usual_completion(mediation) == date(2027, 1, 20)
    extension = [c for c in mediation.consents if c.purpose == "extend"]
    assert [(c.side, c.extends_to) for c in extension] == [("a", date(2027, 1, 20)), ("b", date(2027, 1, 20))]
    entry = timeline("mediation", mediation.id)[-1]
    assert entry.action == "extend" and entry.detail["from"] == "2026-12-21" and entry.detail["to"] == "2027-01-20"
    assert len(entry.detail["consents"]) == 2


def test_the_pages_show_details_consents_and_the_due_date(login_as, world, case, mediator):
    client = login_as(Role.receptionist, unit=world.county)
    mediation = service.start_mediation(case, actor=client.user, mediator=mediator, on=STARTED,
                                        consents=mediation_consents(STARTED, "黄志明", "李国强"))
    db.session.commit()
    page = client.get(f"/outreach/mediations/{mediation.id}").get_data(as_text=True)
    assert 'data-testid="party-missing"' in page and "台山市台城街道人民调解委员会" in page
    assert 'data-testid="mediation-due"' in page and page.count('data-testid="consent"') == 2
    petitioner, other = mediation.parties
    edit = client.get(f"/outreach/mediations/{mediation.id}?party={petitioner.id}").get_data(as_text=True)
    assert petitioner.id_number not in edit and petitioner.id_masked in edit and "13800138000" not in edit
    assert client.get(f"/outreach/mediations/{mediation.id}?party=abc").status_code == 404
    bad = client.post(f"/outreach/mediations/{mediation.id}/party", data={
        "party_id": str(other.id), "name": "李国强", "sex": "M", "age": "", "ethnicity": "汉族",
        "occupation": "个体经营者", "address": "桥湖路5号", "id_number": "44078119800101001", "phone": ""})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "桥湖路5号" in body and 'class="field has-error" id="field-id_number"' in body
    ok = client.post(f"/outreach/mediations/{mediation.id}/party", data={
        "party_id": str(other.id), "name": "李国强", "sex": "M", "age": "46", "ethnicity": "汉族",
        "occupation": "个体经营者", "address": "桥湖路5号"})
    assert ok.status_code == 302
    db.session.refresh(other)
    assert other.age == 46 and other.address == "桥湖路5号"
    assert client.post(f"/outreach/mediations/{mediation.id}/party",
                       data={"party_id": "999999", "name": "x"}).status_code == 404
    refused = client.post(f"/outreach/mediations/{mediation.id}/extend", data={
        "new_due": "2027-01-20", "consent_a_by": "黄志明", "consent_a_on": "2026-12-10",
        "consent_a_method": "written", "consent_b_by": "", "consent_b_on": "2026-12-10",
        "consent_b_method": "oral"})
    assert refused.status_code == 400
    extended = client.post(f"/outreach/mediations/{mediation.id}/extend", data={
        "new_due": "2027-01-20", "consent_a_by": "黄志明", "consent_a_on": "2026-12-10",
        "consent_a_method": "written", "consent_b_by": "李国强", "consent_b_on": "2026-12-10",
        "consent_b_method": "oral"})
    assert extended.status_code == 302
    db.session.refresh(mediation)
    assert mediation.due_on == date(2027, 1, 20)


def test_the_case_page_offers_no_mediation_for_an_accusation_and_a_refused_start_keeps_what_was_typed(
        login_as, world, mediator):
    client = login_as(Role.receptionist, unit=world.county)
    accusation = make_case(world, petition_type=PetitionType.accusation)
    demand = make_case(world)
    demand.other_party = "李国强"
    db.session.commit()
    page = client.get(f"/intake/cases/{accusation.id}").get_data(as_text=True)
    assert 'data-testid="no-mediation"' in page and 'data-testid="start-mediation"' not in page
    refused = client.post(f"/outreach/cases/{accusation.id}/mediation", data={
        "mediator_id": str(mediator.id), "started_on": "2026-11-20", "consent_a_by": "甲", "consent_a_on": "2026-11-20",
        "consent_a_method": "written", "consent_b_by": "乙", "consent_b_on": "2026-11-20", "consent_b_method": "oral"})
    assert refused.status_code == 400 and service.mediation_of(accusation) is None
    no_mediator = client.post(f"/outreach/cases/{demand.id}/mediation", data={
        "mediator_id": "0", "started_on": "2026-11-20", "consent_a_by": "陈大文", "consent_a_on": "2026-11-20",
        "consent_a_method": "written", "consent_b_by": "李国强", "consent_b_on": "2026-11-20",
        "consent_b_method": "oral"})
    body = no_mediator.get_data(as_text=True)
    assert no_mediator.status_code == 400 and "李国强" in body and 'id="field-mediator_id"' in body
    assert "has-error" in body and service.mediation_of(demand) is None


def test_an_impossible_year_is_refused_next_to_its_field(world, staff, case, mediator):
    far = date(9999, 12, 31)
    with pytest.raises(DomainError) as err:
        service.start_mediation(case, actor=staff, mediator=mediator, on=far, consents=mediation_consents(STARTED))
    assert err.value.field == "started_on"
    mediation = service.start_mediation(case, actor=staff, mediator=mediator, on=STARTED,
                                        consents=mediation_consents(STARTED))
    with pytest.raises(DomainError) as err:
        service.extend_mediation(mediation, actor=staff, new_due=far, consents=mediation_consents(STARTED))
    assert err.value.field == "new_due"
