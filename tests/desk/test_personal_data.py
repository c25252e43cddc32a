"""ID numbers and phones are encrypted at rest, found by keyed hash and masked on screen."""
import sqlalchemy as sa

from desk.crypto import lookup_hash
from desk.extensions import db
from desk.models import Person
from tests.factories import make_person, valid_id_number


def test_stored_encrypted_and_found_by_hash(world):
    number = valid_id_number()
    person = make_person(world, id_number=number, phone="13812345678")
    db.session.commit()
    raw = db.session.execute(sa.text("SELECT id_number, phone FROM person WHERE id = :id"),
                             {"id": person.id}).one()
    assert number not in raw.id_number and "13812345678" not in raw.phone
    found = db.session.scalar(sa.select(Person).where(Person.id_hash == lookup_hash(number)))
    assert found.id == person.id
    db.session.expire_all()
    assert db.session.get(Person, person.id).id_number == number


def test_masked_for_display(world):
    number = valid_id_number()
    person = make_person(world, id_number=number, phone="13812345678")
    assert person.id_masked == number[:6] + "*" * 8 + number[-4:]
    assert person.phone_masked == "138****5678"
