"""Ids the reception form carries (place, the hidden "case:person" of a repeat) come through the scoped
loader: another county's case, person or village is refused, nothing is written, nothing is revealed.
Each of these wrote into another county before the fix (issue "Scope by construction")."""
import sqlalchemy as sa

from desk.audit import timeline
from desk.crypto import lookup_hash
from desk.extensions import db
from desk.models import Case, Visit
from tests.factories import make_case, make_person, valid_id_number
from tests.intake.reception.test_views import _form, _reception


def _visits(case: Case) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Visit).where(Visit.case_id == case.id))


def test_a_repeat_onto_another_countys_case_is_refused(login_as, world):
    number = valid_id_number()
    theirs = make_person(world, name="陈大文", id_number=number, unit=world.far_village)
    far_case = make_case(world, person=theirs, unit=world.far_village)
    db.session.commit()
    client = _reception(login_as, world)
    page = client.post("/intake/", data=_form(world, id_number=number,
                                               repeat_decision=f"{far_case.id}:{theirs.id}")).get_data(as_text=True)
    assert _visits(far_case) == 1
    assert far_case.reference not in page and far_case.tracking_code not in page
    assert "不在您的辖区" in page or "not in your area" in page


def test_new_matter_naming_another_countys_person_does_not_touch_them(login_as, world):
    theirs = make_person(world, name="李四", phone="13900001111", unit=world.far_village)
    db.session.commit()
    client = _reception(login_as, world)
    response = client.post("/intake/", data=_form(world, id_number="", name="李四", phone="13700002222",
                                                   repeat_decision=f"new:{theirs.id}"))
    assert response.status_code == 200
    db.session.expire_all()
    assert theirs.phone_hash == lookup_hash("13900001111")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0


def test_a_place_in_another_county_is_refused(login_as, world):
    client = _reception(login_as, world)
    response = client.post("/intake/", data=_form(world, place_id=str(world.far_village.id)))
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0


def test_hostile_hidden_values_answer_a_form_error_never_500(login_as, world):
    client = _reception(login_as, world)
    for value in ("99999999999999999999:1", "1:99999999999999999999", "x:y", ":", "new:-1", "0:0", "1:"):
        response = client.post("/intake/", data=_form(world, repeat_decision=value,
                                                       submission_key=f"k-{value}"))
        assert response.status_code in (200, 302), value
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) <= 1


def test_an_id_number_never_reveals_the_name_on_record(login_as, world):
    number = valid_id_number()
    make_person(world, name="司徒秀英", id_number=number, unit=world.far_village)
    db.session.commit()
    client = _reception(login_as, world)
    page = client.post("/intake/", data=_form(world, id_number=number, name="张三")).get_data(as_text=True)
    assert "司徒秀英" not in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0
    lookup = client.post("/intake/lookup", data=_form(world, id_number=number, name="张三")).get_data(as_text=True)
    assert "司徒秀英" not in lookup


def test_changing_a_known_persons_phone_is_audited(login_as, world):
    number = valid_id_number()
    ours = make_person(world, name="陈大文", id_number=number, phone="13800000001")
    db.session.commit()
    client = _reception(login_as, world)
    assert client.post("/intake/", data=_form(world, id_number=number, phone="13800000002")).status_code == 302
    entries = [e for e in timeline("person", ours.id) if e.action == "update"]
    assert len(entries) == 1 and entries[0].detail == {"fields": ["phone"]}
    assert "13800000002" not in str(entries[0].detail)
