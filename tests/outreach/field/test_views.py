"""In the field, through the web: accept, check in, register complaints with the desk's own validation and
repeat detection (channel "outreach"), record the service with its follow-up cases."""
import re

import pytest
import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, Channel, Person, Role, Visit
from outreach.assignments import services as assignments
from outreach.assignments.models import AssignmentStatus as A, OutreachAssignment, RequestStatus as RS
from outreach.field.models import FollowUpCase, ServiceRecord
from tests.factories import make_case, make_person, make_talent, valid_id_number
from tests.outreach.helpers import make_request

BAD_ID = "440781198001011239"


def _form(world, **overrides):
    data = {"id_number": valid_id_number(), "name": "李阿婆", "phone": "13812345678", "language": "taishanese",
            "head_count": "1", "category_id": str(world.category.id), "petition_type": "demand",
            "demand_branch": "other", "title": "拖欠工资", "facts": "包工头拖欠工资三个月，多次讨要未果。",
            "demand": "请求支付工资", "place_id": str(world.village.id), "other_party": "某建筑公司",
            "submission_key": "k-" + valid_id_number(), "action": "save"}
    data.update(overrides)
    return data


@pytest.fixture
def in_the_field(login_as, world, staff, clock):
    """A member's client, checked in today at an outreach in 石龙村 (through the pages)."""
    client = login_as(Role.talent, unit=world.county)
    member = make_talent(world, "调解员甲", user=client.user)
    request = make_request(world, staff)
    [assignment] = assignments.offer(request, [member], actor=staff)
    db.session.commit()
    page = client.get("/outreach/my").get_data(as_text=True)
    assert f'id="assignment-{assignment.id}"' in page
    assert client.post(f"/outreach/a/{assignment.id}/accept").status_code == 302
    assert client.post(f"/outreach/a/{assignment.id}/check_in").status_code == 302
    db.session.expire_all()
    assert db.session.get(OutreachAssignment, assignment.id).status == A.in_progress
    return client, assignment.id


def _visits():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Visit))


def test_bad_id_number_is_refused_next_to_the_field_like_the_desk(in_the_field, login_as, world):
    client, assignment_id = in_the_field
    response = client.post(f"/outreach/a/{assignment_id}/intake", data=_form(world, id_number=BAD_ID))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _visits() == 0
    field_block = re.search(r'id="field-id_number".*?</div>\s*</div>', page, re.S).group(0)
    assert 'class="error"' in field_block
    assert "李阿婆" in page and "包工头拖欠工资三个月" in page and BAD_ID in page  # nothing typed is lost
    # The reception desk says exactly the same about the same number: one validation, not two.
    desk = login_as(Role.receptionist, unit=world.county)
    desk_page = desk.post("/intake/", data=_form(world, id_number=BAD_ID, channel="walk_in")).get_data(as_text=True)
    error = re.search(r'id="id_number-error"[^>]*>([^<]+)<', page).group(1)
    assert error in desk_page


def test_a_new_complaint_opens_an_outreach_case_linked_to_the_assignment(in_the_field, world):
    client, assignment_id = in_the_field
    response = client.post(f"/outreach/a/{assignment_id}/intake", data=_form(world))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    visit = db.session.scalar(sa.select(Visit))
    assert visit.channel == Channel.outreach and visit.case.channel == Channel.outreach and not visit.is_repeat
    assert visit.case.reference.startswith("TS-")
    assert db.session.scalar(sa.select(FollowUpCase.case_id)) == visit.case_id
    assert visit.case.reference in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_returning_person_is_flagged_and_linked_as_a_repeat(in_the_field, world):
    client, assignment_id = in_the_field
    number = valid_id_number()
    person = make_person(world, "李阿婆", id_number=number)
    earlier = make_case(world, person=person, title="拖欠工资", facts="包工头拖欠工资三个月，多次讨要未果。")
    db.session.commit()
    data = _form(world, id_number=number)
    page = client.post(f"/outreach/a/{assignment_id}/intake", data=data).get_data(as_text=True)
    assert earlier.reference in page and _visits() == 1  # only the earlier case's own visit
    assert re.search(r'id="field-repeat_decision" class="has-error"', page)
    data["repeat_decision"] = f"{earlier.id}:{person.id}"
    response = client.post(f"/outreach/a/{assignment_id}/intake", data=data)
    assert response.status_code == 302
    visit = db.session.scalar(sa.select(Visit).where(Visit.channel == Channel.outreach))
    assert visit.is_repeat and visit.case_id == earlier.id and visit.person_id == person.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Person)) == 1
    assert db.session.scalar(sa.select(FollowUpCase.case_id)) == earlier.id


def test_intake_needs_a_check_in(login_as, world, staff, clock):
    client = login_as(Role.talent, unit=world.county)
    member = make_talent(world, user=client.user)
    [assignment] = assignments.offer(make_request(world, staff), [member], actor=staff)
    db.session.commit()
    page = client.post(f"/outreach/a/{assignment.id}/intake", data=_form(world)).get_data(as_text=True)
    assert _visits() == 0 and "李阿婆" in page


def test_record_the_service_with_follow_up_cases(in_the_field, world):
    client, assignment_id = in_the_field
    assert client.post(f"/outreach/a/{assignment_id}/intake", data=_form(world)).status_code == 302
    case_ref = db.session.scalar(sa.select(Case.reference))
    page = client.get(f"/outreach/a/{assignment_id}/record").get_data(as_text=True)
    assert case_ref in page
    bad = client.post(f"/outreach/a/{assignment_id}/record", data={"people_served": "-3", "outcome": ""})
    assert bad.status_code == 200 and db.session.scalar(sa.select(ServiceRecord.id)) is None
    response = client.post(f"/outreach/a/{assignment_id}/record",
                           data={"people_served": "23", "topics": "欠薪；邻里", "outcome": "现场解答18人，登记1件"})
    assert response.status_code == 302
    record = db.session.scalar(sa.select(ServiceRecord))
    assert record.people_served == 23 and record.kind.value == "mediation" and record.county_id == world.county.id
    assert record.village_id == world.village.id and str(record.served_on) == "2026-11-25"
    assignment = db.session.get(OutreachAssignment, assignment_id)
    assert assignment.status == A.done and assignment.checked_out_at is not None
    assert assignment.request.status == RS.done
    history = client.get("/outreach/my/history").get_data(as_text=True)
    assert "现场解答18人" in history


def test_another_members_assignment_is_not_found(in_the_field, login_as, world):
    _client, assignment_id = in_the_field
    stranger = login_as(Role.talent, unit=world.county)
    make_talent(world, "乙", user=stranger.user)
    db.session.commit()
    assert stranger.get(f"/outreach/a/{assignment_id}/intake").status_code == 404
    assert stranger.post(f"/outreach/a/{assignment_id}/check_out").status_code == 404


def test_another_countys_case_cannot_be_linked_as_a_follow_up(in_the_field, world):
    """Before the fix a member linked a case of another county to a 台山 assignment through the hidden field."""
    client, assignment_id = in_the_field
    number = valid_id_number()
    theirs = make_person(world, "李阿婆", id_number=number, unit=world.far_village)
    far_case = make_case(world, person=theirs, unit=world.far_village)
    db.session.commit()
    response = client.post(f"/outreach/a/{assignment_id}/intake",
                           data=_form(world, id_number=number, repeat_decision=f"{far_case.id}:{theirs.id}"))
    assert response.status_code == 200
    assert far_case.reference not in response.get_data(as_text=True)
    assert _visits() == 1 and db.session.scalar(sa.select(FollowUpCase.case_id)) is None


def test_the_people_served_rate_the_service_on_the_record(in_the_field, world):
    client, assignment_id = in_the_field
    too_many = client.post(f"/outreach/a/{assignment_id}/record",
                           data={"people_served": "10", "outcome": "现场解答", "rated_satisfied": "8",
                                 "rated_basic": "3", "rated_dissatisfied": ""})
    page = too_many.get_data(as_text=True)
    assert too_many.status_code == 200 and db.session.scalar(sa.select(ServiceRecord.id)) is None
    assert "评价人数（11）多于服务人次（10）" in page and "现场解答" in page      # next to the field, nothing lost
    response = client.post(f"/outreach/a/{assignment_id}/record",
                           data={"people_served": "10", "outcome": "现场解答", "rated_satisfied": "6",
                                 "rated_basic": "2", "rated_dissatisfied": "1"})
    assert response.status_code == 302
    record = db.session.scalar(sa.select(ServiceRecord))
    assert (record.rated_satisfied, record.rated_basic, record.rated_dissatisfied) == (6, 2, 1)
    shown = client.get(f"/outreach/a/{assignment_id}/record").get_data(as_text=True)
    assert 'data-testid="service-rating-counts"' in shown


def test_the_category_starts_empty_and_a_retired_area_code_is_only_a_note(in_the_field, world):
    """No silent default: a complaint without a category is refused next to the field, nothing saved; an ID
    number of a retired area code (440782, the former 新会市) gets the look-up's soft note, not a warning."""
    client, assignment_id = in_the_field
    page = client.get(f"/outreach/a/{assignment_id}/intake").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="category_id".*?</select>', page, re.S).group(0)
    assert re.search(r'<option selected value="">|<option value="" selected>', select)
    response = client.post(f"/outreach/a/{assignment_id}/intake", data=_form(world, category_id=""))
    block = re.search(r'id="field-category_id".*?</div>\s*</div>', response.get_data(as_text=True), re.S).group(0)
    assert 'class="error"' in block and _visits() == 0
    retired = valid_id_number(area="440782")
    looked = client.post(f"/outreach/a/{assignment_id}/intake", data=_form(world, id_number=retired, action="lookup"))
    assert 'data-testid="id-note"' in looked.get_data(as_text=True)
