"""Matching: every scoring component, the exclusions, the ranking and the reason when nobody fits."""
from datetime import date, datetime

from desk.extensions import db

from referrals.talent import matching
from referrals.talent.models import Stationing, TalentConflict
from referrals.talent.rotation import OFF, ON_CALL, ON_DUTY, duty_state
from tests.factories import make_case, make_person, make_talent


def test_components():
    assert matching.skill_score({5}, 5, 1) == 1.0
    assert matching.skill_score({1}, 5, 1) == 0.7
    assert matching.skill_score({9}, 5, 1) == 0.0
    assert matching.role_score("mediator", ["mediator", "lawyer"]) == 1.0
    assert matching.role_score("lawyer", ["mediator", "lawyer"]) == 0.9
    assert matching.role_score("judge", ["mediator"]) == 0.0
    assert matching.language_score(["mandarin", "taishanese"], ("taishanese",)) == 1.0
    assert matching.language_score(["mandarin"], ("taishanese", "mandarin")) == 0.5
    assert matching.language_score(["mandarin"], ()) == 0.5
    assert matching.duty_score(ON_DUTY) == 1.0 and matching.duty_score(ON_CALL) == 0.5 and matching.duty_score(OFF) == 0
    assert matching.load_score(1, 4) == 0.75 and matching.load_score(4, 4) == 0.0
    assert matching.satisfaction_score(0, 0) == 0.5 and matching.satisfaction_score(8, 8) == 0.9


def test_distance(world):
    village_member = make_talent(world, unit=world.village)
    town_member = make_talent(world, unit=world.other_town)
    county_member = make_talent(world, unit=world.county)
    assert matching.distance_score(village_member, world.village) == 1.0
    assert matching.distance_score(make_talent(world, unit=world.town), world.village) == 0.7
    assert matching.distance_score(town_member, world.village) == 0.4
    assert matching.distance_score(county_member, world.village) == 0.4


def test_ranking_explains_itself_and_excludes(world):
    labour = world.category
    case = make_case(world, person=make_person(world, name="陈大文"))
    case.other_party = "台山市恒发建筑有限公司"
    make_talent(world, "最合适", skills=[labour], unit=world.village, languages="mandarin,cantonese")
    make_talent(world, "次合适", role="lawyer", unit=world.county)
    make_talent(world, "已停用", skills=[labour], active=False)
    full = make_talent(world, "已满额", skills=[labour], capacity=2)
    full.open_load = 2
    conflicted = make_talent(world, "有冲突", skills=[labour])
    conflicted.conflicts = [TalentConflict(name="恒发建筑")]
    related = make_talent(world, "认识当事人", skills=[labour])
    related.conflicts = [TalentConflict(person_id=case.petitioners[0].id, name="陈大文")]
    make_talent(world, "外县", skills=[labour], unit=world.other_county)
    db.session.flush()
    result = matching.rank_talent_for_case(case, at=datetime(2026, 11, 23, 2, 0))
    names = [r.talent.name for r in result.ranked]
    assert names == ["最合适", "次合适"]
    assert result.excluded == {"inactive": 1, "full": 1, "conflict": 2}
    assert set(result.ranked[0].components) == set(matching.WEIGHTS)
    assert result.ranked[0].components["skill"] == 1.0 and result.ranked[1].components["skill"] == 0.0


def test_reason_when_nobody_fits(world):
    case = make_case(world, category=world.other_category)
    result = matching.rank_talent_for_case(case)
    assert result.ranked == [] and result.reason_if_empty is not None
    make_talent(world, "停用", active=False, skills=[world.other_category])
    assert "已停用: 1" in str(matching.rank_talent_for_case(case).reason_if_empty)
    assert matching.rank_talent_for_case(case).excluded["inactive"] == 1


def test_satisfaction_is_recorded_per_category(world):
    member = make_talent(world, skills=[world.category])
    matching.record_talent_rating(member.id, world.category.id, True)
    matching.record_talent_rating(member.id, world.category.id, False)
    case = make_case(world)
    ranked = matching.rank_talent_for_case(case).ranked[0]
    assert ranked.components["satisfaction"] == 0.5  # (1 + 1) / (2 + 2)


def test_rotation_across_a_week_and_a_holiday(world):
    resident = make_talent(world, stationing="resident")
    rotating = make_talent(world, stationing="rotating", weekdays="0,3")  # Monday and Thursday
    on_call = make_talent(world, stationing="on_call", weekdays="")
    week = [date(2026, 9, 28 + i) if i < 3 else date(2026, 10, i - 2) for i in range(7)]
    assert [duty_state(resident, d) for d in week[:3]] == [ON_DUTY] * 3      # Mon–Wed 28–30 Sep
    assert duty_state(rotating, date(2026, 9, 28)) == ON_DUTY                  # Monday
    assert duty_state(rotating, date(2026, 9, 29)) == OFF                      # Tuesday
    assert duty_state(rotating, date(2026, 10, 1)) == OFF                      # a Thursday, National Day
    assert duty_state(resident, date(2026, 10, 5)) == OFF                      # a Monday in the holiday
    assert duty_state(resident, date(2026, 10, 10)) == ON_DUTY                 # adjusted working Saturday
    assert duty_state(rotating, date(2026, 10, 10)) == OFF
    assert duty_state(rotating, date(2026, 10, 8)) == ON_DUTY                  # Thursday after the holiday
    assert duty_state(on_call, date(2026, 10, 3)) == ON_CALL
    assert resident.stationing == Stationing.resident


def test_database_score_equals_the_components_shown(world):
    """The ranking is computed in SQL; the page shows components computed in Python: they must agree."""
    case = make_case(world, person=make_person(world, name="林某"))
    case.petitioners[0].language = "taishanese"
    make_talent(world, "甲", skills=[world.category], unit=world.village, languages="mandarin,taishanese")
    rotating = make_talent(world, "乙", role="lawyer", stationing="rotating", weekdays="0,2")
    rotating.open_load = 1
    make_talent(world, "丙", stationing="on_call", weekdays="", languages="cantonese")
    matching.record_talent_rating(rotating.id, world.category.id, True)
    db.session.flush()
    for at in (datetime(2026, 11, 23, 2, 0), datetime(2026, 11, 24, 2, 0), datetime(2026, 10, 3, 2, 0)):
        result = matching.rank_talent_for_case(case, at=at)
        assert len(result.ranked) == 3
        for ranked in result.ranked:
            expected = sum(matching.WEIGHTS[k] * v for k, v in ranked.components.items())
            assert abs(ranked.score - expected) < 1e-3, (ranked.talent.name, at, ranked.components)
