"""The reception desk through the web: register, repeat, groups, double submits, bad input."""
import io
import re

import sqlalchemy as sa

from desk.audit import timeline
from desk.extensions import db
from desk.models import Case, Category, Person, Role, Visit
from desk.models import Ticket
from intake.cases.models import Attachment
from tests.factories import make_case, make_person, valid_id_number


def _form(world, **overrides):
    data = {"id_number": valid_id_number(), "name": "陈大文", "phone": "13812345678", "language": "cantonese",
            "channel": "walk_in", "head_count": "1", "category_id": str(world.category.id),
            "petition_type": "demand", "demand_branch": "other", "title": "拖欠工资",
            "facts": "包工头拖欠工资三个月，多次讨要未果。", "demand": "请求支付工资", "place_id": str(world.village.id),
            "other_party": "某建筑公司", "submission_key": "k-" + valid_id_number(), "action": "save"}
    data.update(overrides)
    return data


def _reception(login_as, world):
    client = login_as(Role.receptionist, unit=world.county)
    client.user.site_id = world.county_site.id
    db.session.commit()
    return client


def test_first_time_visitor_is_registered_with_ticket_and_audit(login_as, world):
    client = _reception(login_as, world)
    response = client.post("/intake/", data=_form(world))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    visit = db.session.scalar(sa.select(Visit))
    assert visit.case.reference.startswith("TS-") and not visit.is_repeat
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.visit_id == visit.id))
    assert ticket.label in ("L-001", "R-001")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert visit.case.reference in page and ticket.label in page
    assert [e.action for e in timeline("visit", visit.id)] == ["register"]
    raw = db.session.execute(sa.text("SELECT id_number FROM person")).scalar()
    assert raw and "440781" not in raw


def test_double_submit_creates_one_visit(login_as, world):
    client = _reception(login_as, world)
    data = _form(world, submission_key="same-key")
    assert client.post("/intake/", data=data).status_code == 302
    assert client.post("/intake/", data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 1


def test_same_person_same_matter_is_flagged_and_linked(login_as, world):
    number = valid_id_number()
    person = make_person(world, id_number=number)
    earlier = make_case(world, person=person, title="拖欠工资", facts="包工头拖欠工资三个月，多次讨要未果。")
    db.session.commit()
    client = _reception(login_as, world)
    page = client.post("/intake/", data=_form(world, id_number=number)).get_data(as_text=True)
    assert earlier.reference in page and "同一事项" in page
    assert re.search(r'id="repeat_decision" autofocus', page)  # the cursor is on the question asked
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 1  # not saved: asks first
    response = client.post("/intake/", data=_form(world, id_number=number,
                                                  repeat_decision=f"{earlier.id}:{person.id}"))
    assert response.status_code == 302
    visit = db.session.scalars(sa.select(Visit).order_by(Visit.id.desc())).first()
    assert visit.case_id == earlier.id and visit.is_repeat and not visit.repeat_after_conclusion
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1


def test_new_matter_of_the_same_person_makes_a_new_case(login_as, world):
    number = valid_id_number()
    earlier = make_case(world, person=make_person(world, id_number=number))
    db.session.commit()
    client = _reception(login_as, world)
    assert client.post("/intake/", data=_form(world, id_number=number, repeat_decision="new")).status_code == 302
    visit = db.session.scalars(sa.select(Visit).order_by(Visit.id.desc())).first()
    assert visit.case_id != earlier.id and not visit.is_repeat


def test_group_of_seven_with_six_representatives_is_refused_and_keeps_input(login_as, world):
    client = _reception(login_as, world)
    data = _form(world, head_count="7", title="集体欠薪")
    for i in range(6):
        data[f"representatives-{i}-name"] = f"代表{i + 1}号"
    page = client.post("/intake/", data=data).get_data(as_text=True)
    assert "最多推选5名代表" in page
    assert 'value="代表6号"' in page and 'value="集体欠薪"' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0
    del data["representatives-5-name"]
    assert client.post("/intake/", data=data).status_code == 302
    case = db.session.scalar(sa.select(Case))
    assert case.is_group and case.head_count == 7
    assert sorted(p.role for p in case.parties).count("representative") == 5


def test_bad_id_number_is_explained_next_to_the_field(login_as, world):
    client = _reception(login_as, world)
    bad = valid_id_number()[:-1] + ("0" if valid_id_number()[-1] != "0" else "1")
    page = client.post("/intake/", data=_form(world, id_number="440781199002301234")).get_data(as_text=True)
    assert "出生日期不存在" in page and 'value="拖欠工资"' in page
    assert client.post("/intake/", data=_form(world, id_number=bad)).status_code in (200, 302)


def test_attachments_are_checked_by_content(login_as, world):
    client = _reception(login_as, world)
    fake = (io.BytesIO(b"MZ not an image"), "photo.jpg")
    page = client.post("/intake/", data={**_form(world), "attachments": [fake]},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "不是" in page and db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0
    png = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100), "photo.png")
    response = client.post("/intake/", data={**_form(world), "attachments": [png]}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Attachment)).mime == "image/png"


def test_lookup_fragment_shows_earlier_cases(login_as, world):
    number = valid_id_number()
    earlier = make_case(world, person=make_person(world, id_number=number))
    db.session.commit()
    fragment = _reception(login_as, world).post("/intake/lookup", data=_form(world, id_number=number))
    assert earlier.reference in fragment.get_data(as_text=True)


def test_revealing_an_id_number_is_audited(login_as, world):
    number = valid_id_number()
    person = make_person(world, id_number=number)
    db.session.commit()
    page = _reception(login_as, world).post(f"/intake/people/{person.id}/reveal").get_data(as_text=True)
    assert number in page
    assert [e.action for e in timeline("person", person.id)] == ["reveal_id"]


def test_category_and_place_start_empty_and_are_required(login_as, world):
    client = _reception(login_as, world)
    page = client.get("/intake/").get_data(as_text=True)
    assert re.search(r'<option selected value="">[^<]*</option>', page.split('id="category_id"')[1])
    assert re.search(r'<option selected value="">[^<]*</option>', page.split('id="place_id"')[1])
    page = client.post("/intake/", data=_form(world, category_id="", place_id="")).get_data(as_text=True)
    assert "请选择事项类别" in page and "请选择事项所在的村（社区）或网格" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0
    # The cursor goes to the first field in error, not back to the ID number.
    assert re.search(r'<select[^>]*autofocus[^>]*id="category_id"', page)
    assert not re.search(r'autofocus[^>]*id="id_number"', page)


def test_categories_are_found_by_pinyin_initials_and_common_words(login_as, world):
    wages = Category(code="labour.wages", name_zh="拖欠工资", name_en="Unpaid wages", parent_id=world.category.id)
    db.session.add(wages)
    db.session.commit()
    page = _reception(login_as, world).get("/intake/").get_data(as_text=True)
    option = re.search(rf'<option data-search="([^"]*)" value="{wages.id}">([^<]*)</option>', page)
    assert option and option.group(2) == "劳动社保 › 拖欠工资"
    assert {"qx", "欠薪", "tqgz"} <= set(option.group(1).split())
    assert "北" not in option.group(1)
    village = re.search(rf'<option data-search="([^"]*)" value="{world.village.id}">', page)
    assert village and world.village.name in village.group(1)


def test_only_the_offending_representative_row_is_marked(login_as, world):
    client = _reception(login_as, world)
    data = _form(world, head_count="7")
    for i in range(6):
        data[f"representatives-{i}-name"] = f"代表{i + 1}号"
    page = client.post("/intake/", data=data).get_data(as_text=True)
    assert page.count('data-testid="representative-in-error"') == 1
    assert 'id="field-representatives"' in page and 'class="representatives has-error' not in page
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*autofocus[^>]*id="representatives-5-name"', page)


def test_attachments_are_asked_again_after_an_error(login_as, world):
    client = _reception(login_as, world)
    png = (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 100), "receipt.png")
    page = client.post("/intake/", data={**_form(world, title=""), "attachments": [png]},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "receipt.png" in page and "请重新选择" in page
    assert "您填写的内容均已保留" not in page
    assert re.search(r'autofocus[^>]*id="title"', page)


def test_lookup_flags_a_likely_repeat_from_the_subject_and_facts(login_as, world):
    number = valid_id_number()
    earlier = make_case(world, person=make_person(world, id_number=number), title="拖欠工资",
                        facts="包工头拖欠工资三个月，多次讨要未果。")
    db.session.commit()
    client = _reception(login_as, world)
    bare = client.post("/intake/lookup", data=_form(world, id_number=number, category_id="", title="", facts=""))
    assert earlier.reference in bare.get_data(as_text=True) and "可能是同一事项" not in bare.get_data(as_text=True)
    typed = client.post("/intake/lookup", data=_form(world, id_number=number)).get_data(as_text=True)
    assert earlier.reference in typed and "可能是同一事项" in typed


def test_lookup_with_a_bad_id_number_does_not_say_no_earlier_visits(login_as, world):
    client = _reception(login_as, world)
    good = valid_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")      # one number, its check digit changed
    fragment = client.post("/intake/lookup", data=_form(world, id_number=bad)).get_data(as_text=True)
    assert 'data-testid="check-id"' in fragment and 'data-testid="no-prior"' not in fragment


def test_area_codes_in_use_warn_nothing_and_retired_ones_get_a_note(login_as, world):
    client = _reception(login_as, world)
    current = client.post("/intake/lookup", data=_form(world, id_number=valid_id_number())).get_data(as_text=True)
    assert "flash-warning" not in current and 'data-testid="id-note"' not in current
    retired = valid_id_number(area="440782")  # 新会市, 1992-2002
    page = client.post("/intake/lookup", data=_form(world, id_number=retired)).get_data(as_text=True)
    assert "flash-warning" not in page and "新会市的地区码已停用" in page
