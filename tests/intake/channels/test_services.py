"""Landing a matter from a remote channel: the town's queue, a certain repeat linked, a shared phone or a
name alone never merged; the database rate limit."""
from datetime import timedelta

import pytest

from desk import ratelimit
from desk.extensions import db
from desk.models import CaseStatus, Channel, Visit
from intake.channels.services import MatterInput, land_matter
from intake.reception.services import PersonInput
from tests.factories import valid_id_number


def matter(world, *, name="陈大文", id_number=None, phone=None, title="拖欠工资三个月", facts="工厂拖欠工资三个月未发",
           channel=Channel.online, key=None, category=None):
    return MatterInput(channel=channel, place=world.village, category=category or world.category, title=title,
                       facts=facts, person=PersonInput(name=name, id_number=id_number, phone=phone),
                       submission_key=key)


def test_a_new_matter_lands_registered_in_the_town_of_its_place(world):
    landing = land_matter(data=matter(world, phone="13800138000"))
    db.session.commit()
    case = landing.case
    assert case.status == CaseStatus.registered and case.channel == Channel.online
    assert case.owner_unit_id == world.town.id and case.town_id == world.town.id
    assert landing.visit.channel == Channel.online and not landing.visit.is_repeat
    assert landing.repeat_of is None and case.petitioners[0].phone_hash


def test_same_id_and_same_matter_joins_the_earlier_case_as_a_repeat(world):
    id_number = valid_id_number(seq=11)
    first = land_matter(data=matter(world, id_number=id_number)).case
    again = land_matter(data=matter(world, id_number=id_number, channel=Channel.hotline,
                                    facts="工厂仍拖欠工资三个月未发"))
    assert again.repeat_of is first and again.case is first and again.visit.is_repeat
    assert len(first.visits) == 2


def test_same_phone_and_name_is_the_same_person_but_another_name_is_not(world):
    first = land_matter(data=matter(world, phone="13800138001")).case
    same = land_matter(data=matter(world, phone="13800138001"))
    assert same.case is first
    family = land_matter(data=matter(world, name="陈小文", phone="13800138001"))
    assert family.case is not first and family.visit.person_id != first.petitioners[0].id
    assert any(c.case is first for c in family.candidates)   # shown to the receptionist, never merged


def test_a_different_matter_of_the_same_person_is_a_new_case(world):
    id_number = valid_id_number(seq=12)
    first = land_matter(data=matter(world, id_number=id_number)).case
    other = land_matter(data=matter(world, id_number=id_number, title="邻居占用通道", facts="邻居长期占用通道堆放杂物",
                                    category=world.other_category))
    assert other.case is not first and other.visit.person_id == first.petitioners[0].id


def test_the_same_source_record_lands_once(world):
    one = land_matter(data=matter(world, phone="13800138002", key="12345:A1"))
    two = land_matter(data=matter(world, phone="13800138002", key="12345:A1"))
    assert one.visit is two.visit
    assert db.session.query(Visit).count() == 1


def test_rate_limit_counts_per_value_and_restarts_after_the_window(app, clock):
    now = clock("2026-11-20 10:00")
    limit = ratelimit.Limit(count=2, per=timedelta(hours=1))
    assert ratelimit.hit("online-phone", "13800138000", limit, now=now) == 1
    assert ratelimit.hit("online-phone", "13800138000", limit, now=now) == 2
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.hit("online-phone", "13800138000", limit, now=now + timedelta(minutes=30))
    assert 1700 < refused.value.retry_after <= 1801
    assert ratelimit.hit("online-phone", "13900139000", limit, now=now) == 1     # another phone
    assert ratelimit.hit("online-address", "13800138000", limit, now=now) == 1   # another kind
    assert ratelimit.hit("online-phone", "13800138000", limit, now=now + timedelta(hours=1)) == 1
    assert ratelimit.forget_old_counters(older_than=timedelta(hours=2), now=now + timedelta(hours=3)) == 2  # the restarted one is newer


def test_an_id_number_under_another_name_is_refused_and_a_known_phone_is_never_changed(world):
    from desk.errors import DomainError
    from desk.models import Person
    id_number = valid_id_number(seq=13)
    first = land_matter(data=matter(world, id_number=id_number, phone="13800138003")).case
    person = first.petitioners[0]
    db.session.commit()
    with pytest.raises(DomainError):
        land_matter(data=matter(world, name="王五", id_number=id_number, phone="13900139003"))
    db.session.rollback()
    again = land_matter(data=matter(world, id_number=id_number, phone="13900139004"))
    assert again.case.id == first.id and again.visit.person_id == person.id and again.visit.is_repeat
    assert db.session.get(Person, person.id).phone == "13800138003"
    assert db.session.query(Person).count() == 1
