"""Repeat-visit detection: same person by ID, phone or name in the town; similar matter; never merge two people."""
from desk.extensions import db
from intake.reception.repeat import LIKELY_SAME, find_prior_cases, text_similarity
from tests.factories import make_case, make_person, valid_id_number

WAGES = "本人在某建筑工地务工，包工头拖欠工资共计3.6万元，多次讨要未果。"


def test_text_similarity_scores_similar_chinese_text_high():
    same = text_similarity(WAGES, "包工头拖欠我的工资3.6万元，我多次讨要都没有结果。")
    other = text_similarity(WAGES, "邻居楼上装修漏水导致天花板发霉。")
    assert same > 0.5 > other
    assert text_similarity("", WAGES) == 0.0


def test_found_by_id_number_and_scored_by_matter(world):
    number = valid_id_number()
    person = make_person(world, id_number=number)
    earlier = make_case(world, person=person, title="拖欠工资", facts=WAGES)
    unrelated = make_case(world, person=person, category=world.other_category, title="邻居漏水",
                          facts="楼上漏水导致天花板发霉。")
    db.session.commit()
    found = find_prior_cases(id_number=number, category_id=world.category.id, text="拖欠工资 " + WAGES)
    assert [c.case.id for c in found][:1] == [earlier.id]
    best, worst = found[0], next(c for c in found if c.case.id == unrelated.id)
    assert best.same_person and best.by == "id" and best.likely_same and best.score >= LIKELY_SAME
    assert not worst.likely_same


def test_found_by_phone_when_no_id_and_by_name_in_the_town(world):
    by_phone = make_person(world, name="李四", phone="13800001111")
    make_case(world, person=by_phone)
    by_name = make_person(world, name="王五")
    make_case(world, person=by_name)
    db.session.commit()
    phone_hits = find_prior_cases(phone="13800001111", category_id=world.category.id, text=WAGES)
    assert phone_hits and phone_hits[0].by == "phone" and phone_hits[0].same_person
    name_hits = find_prior_cases(name="王五", town_id=world.town.id, category_id=world.category.id, text=WAGES)
    assert name_hits and name_hits[0].by == "name" and not name_hits[0].same_person
    assert find_prior_cases(name="王五", town_id=world.far_town.id) == []


def test_a_different_id_number_is_never_the_same_person(world):
    stored = make_person(world, name="陈大文", id_number=valid_id_number(), phone="13900002222")
    make_case(world, person=stored)
    db.session.commit()
    other_id = valid_id_number(birth="19900101")
    assert find_prior_cases(id_number=other_id, phone="13900002222", name="陈大文", town_id=world.town.id) == []
