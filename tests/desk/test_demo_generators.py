"""The pure demo-data generators: geography, people, catalog. No database, no app."""
import random
import re
import time
from collections import Counter
from datetime import date

import pytest

from desk.demo import catalog, geography, people
from desk.demo.catalog import CATEGORIES, DEPARTMENTS, ROOM_KINDS, case_text, outcome_text, rooms_for_site, talent_spec
from desk.demo.geography import COUNTY_PREFIX, jiangmen_places

KNOWN_ROLES = {"mediator", "lawyer", "counselor", "social_worker", "grid_worker", "deputy", "judge", "prosecutor",
               "volunteer"}
KNOWN_LANGUAGES = {"mandarin", "cantonese", "taishanese", "hakka", "english"}
COUNTY_CODES = {"440703": "蓬江区", "440704": "江海区", "440705": "新会区", "440781": "台山市", "440783": "开平市",
                "440784": "鹤山市", "440785": "恩平市"}
EXPECTED_SHARES = {"mediator": 40, "lawyer": 15, "counselor": 8, "social_worker": 10, "grid_worker": 15,
                   "deputy": 5, "judge": 2, "prosecutor": 2, "volunteer": 3}
# What a petition of each top-level category must talk about (written independently of the templates).
SUBJECT_WORDS = {
    "labour": ("工资", "工伤", "社会保险", "社保", "劳动合同"),
    "land": ("宅基地", "征地", "征收", "山林", "承包", "土地", "耕地"),
    "housing": ("物业", "房屋", "商品房", "违法建设", "违建", "拆迁"),
    "family": ("赡养", "抚养", "离婚", "继承", "遗嘱", "家庭"),
    "neighbour": ("邻居", "楼上", "相邻"),
    "consumer": ("商家", "商品", "预付", "食品", "培训"),
    "medical": ("医院", "医疗", "医保", "卫生院"),
    "traffic": ("事故", "撞"),
    "environment": ("排污", "污染", "异味", "噪音", "河涌", "河道"),
    "overseas": ("侨", "overseas Chinese"),
    "marine": ("海域", "渔船", "养殖水面", "鱼塘", "用海", "渔民"),
    "law": ("法院", "判决", "派出所", "检察", "处罚"),
    "policy": ("咨询", "政策", "低保", "养老"),
    "suggestion": ("建议",),
    "accusation": ("反映", "举报"),
}
SUB_SUBJECT = {"labour.wages": "工资", "labour.injury": "工伤", "land.homestead": "宅基地", "land.forest": "山林",
               "housing.property": "物业", "housing.resettle": "拆迁", "family.support": "养",
               "family.inherit": "继承|遗", "marine.boats": "渔船", "overseas.house": "侨房|house",
               "traffic.ebike": "电动车"}
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CJK = re.compile(r"^[\u4e00-\u9fff]+$")


@pytest.fixture(scope="module")
def city():
    return jiangmen_places("city", random.Random(7))


def _by_level(places):
    levels: dict[str, list] = {}
    for place in places:
        levels.setdefault(place.level, []).append(place)
    return levels


# ---------------------------------------------------------------- geography

def test_city_counts(city):
    levels = _by_level(city)
    assert len(levels["city"]) == 1 and levels["city"][0].code == "440700" and levels["city"][0].name == "江门市"
    assert {p.code: p.name for p in levels["county"]} == COUNTY_CODES
    assert len(levels["town"]) == 73
    assert len(levels["village"]) == 1321
    assert 2800 <= len(levels["grid"]) <= 3200


def test_small_counts():
    levels = _by_level(jiangmen_places("small", random.Random(7)))
    assert {p.name for p in levels["county"]} == {"台山市", "蓬江区"}
    assert len(levels["town"]) == 6 and len(levels["village"]) == 24 and len(levels["grid"]) == 48
    towns_per_county = Counter(t.parent_code for t in levels["town"])
    assert towns_per_county == {"440781": 3, "440703": 3}
    assert Counter(v.parent_code for v in levels["village"]) == {t.code: 4 for t in levels["town"]}
    assert Counter(g.parent_code for g in levels["grid"]) == {v.code: 2 for v in levels["village"]}


@pytest.mark.parametrize("size", ["small", "city"])
def test_hierarchy_is_well_formed(size):
    places = jiangmen_places(size, random.Random(3))
    seen: dict[str, object] = {}
    digits = {"city": 6, "county": 6, "town": 9, "village": 12, "grid": 14}
    parent_level = {"county": "city", "town": "county", "village": "town", "grid": "village"}
    kinds = {"city": {"市"}, "county": {"区", "市"}, "town": {"镇", "街道"}, "village": {"村", "社区"}, "grid": {"网格"}}
    for place in places:
        assert place.code not in seen, place
        assert len(place.code) == digits[place.level] and place.code.isdigit()
        assert place.kind in kinds[place.level]
        assert place.name.endswith(place.kind)
        if place.level == "city":
            assert place.parent_code is None
        else:
            parent = seen[place.parent_code]          # parents come first
            assert parent.level == parent_level[place.level]
            if place.level == "county":
                assert place.code[:4] == parent.code[:4]
            else:
                assert place.code.startswith(parent.code)
        seen[place.code] = place
    villages_by_town = Counter((p.parent_code, p.name) for p in places if p.level == "village")
    assert max(villages_by_town.values()) == 1    # village names unique within a town
    grids = [p for p in places if p.level == "grid"]
    assert all(re.fullmatch(r".+(村|社区)第\d网格", g.name) for g in grids)
    assert all(g.name.startswith(seen[g.parent_code].name) for g in grids)


def test_real_town_names(city):
    towns = {p.name for p in city if p.level == "town" and p.parent_code == "440781"}
    assert towns == set("台城街道 大江镇 水步镇 四九镇 白沙镇 三合镇 冲蒌镇 斗山镇 都斛镇 赤溪镇 端芬镇 广海镇 海宴镇 "
                        "汶村镇 深井镇 北陡镇 川岛镇".split())
    grids_per_village = Counter(p.parent_code for p in city if p.level == "grid")
    assert set(grids_per_village.values()) == {2, 3}


def test_county_prefixes():
    assert set(COUNTY_PREFIX) == set(COUNTY_CODES)
    assert COUNTY_PREFIX["440781"] == "TS" and COUNTY_PREFIX["440783"] == "KP" and COUNTY_PREFIX["440785"] == "EP"
    assert COUNTY_PREFIX["440784"] == "HS" and COUNTY_PREFIX["440705"] == "XH" and COUNTY_PREFIX["440703"] == "PJ"
    assert COUNTY_PREFIX["440704"] == "JH"
    assert all(re.fullmatch(r"[A-Z]{2}", p) for p in COUNTY_PREFIX.values())
    assert len(set(COUNTY_PREFIX.values())) == 7


def test_bad_size_is_refused():
    with pytest.raises(ValueError):
        jiangmen_places("province", random.Random(1))


# ---------------------------------------------------------------- determinism

def _everything(seed: int):
    rng = random.Random(seed)
    places = jiangmen_places("small", rng)
    talent = [talent_spec(rng, "440781") for _ in range(50)]
    texts = [case_text(rng, c.code) for c in CATEGORIES]
    names = [people.person_name(rng) for _ in range(50)]
    ids = [people.resident_id(rng, "440781", people.birth_date(rng), "F") for _ in range(20)]
    return places, talent, texts, names, ids, [people.organization_name(rng) for _ in range(10)]


def test_same_seed_same_output():
    assert _everything(42) == _everything(42)
    assert jiangmen_places("city", random.Random(5)) == jiangmen_places("city", random.Random(5))


def test_different_seed_different_names():
    first, second = _everything(1), _everything(2)
    assert first[3] != second[3]
    assert [p.name for p in first[0]] != [p.name for p in second[0]]
    assert first[1] != second[1] and first[2] != second[2]


# ---------------------------------------------------------------- people

def _check_digit(first17: str) -> str:
    remainder = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS)) % 11
    return "10X98765432"[remainder]   # the standard lookup table, equivalent to (12 - r) mod 11


def test_resident_ids_validate():
    rng = random.Random(11)
    for n in range(3000):
        sex = "M" if n % 2 else "F"
        born = people.birth_date(rng)
        area = rng.choice(list(COUNTY_CODES))
        number = people.resident_id(rng, area + "001002", born, sex)
        assert re.fullmatch(r"\d{17}[\dX]", number), number
        assert number[:6] == area
        assert number[6:14] == born.strftime("%Y%m%d")
        assert number[14:17] != "000"
        assert int(number[16]) % 2 == (1 if sex == "M" else 0)
        assert number[17] == _check_digit(number[:17])
    assert people.id_check_digit("11010519491231002") == "X"   # the standard's worked example


def test_resident_id_refuses_bad_input():
    with pytest.raises(ValueError):
        people.resident_id(random.Random(1), "4407", date(1980, 1, 1), "M")
    with pytest.raises(ValueError):
        people.resident_id(random.Random(1), "440781", date(1980, 1, 1), "X")


def test_birth_dates_fall_in_the_age_range():
    rng, today = random.Random(5), date(2026, 11, 23)
    dates = [people.birth_date(rng, min_age=18, max_age=85, today=today) for _ in range(5000)]
    ages = [today.year - d.year - ((today.month, today.day) < (d.month, d.day)) for d in dates]
    assert min(ages) >= 18 and max(ages) <= 85
    assert min(ages) <= 20 and max(ages) >= 83
    assert all(people.birth_date(rng, 30, 30, today=date(2024, 2, 29)).year in (1993, 1994) for _ in range(50))


def test_names_phones_and_organisations():
    rng = random.Random(9)
    names = [people.person_name(rng) for _ in range(5000)]
    assert all(CJK.match(n) and 2 <= len(n) <= 4 for n in names)
    surnames = Counter(n[0] for n in names)
    assert surnames.most_common(1)[0][0] == "陈"
    assert {"李", "黄", "梁", "关", "谭", "邝", "甄"} <= set(surnames)
    assert any(n.startswith("司徒") for n in names) and len(set(names)) > 3000
    assert any(len(n) == 2 for n in names) and any(len(n) == 3 for n in names)
    male = {people.person_name(rng, sex="M")[-1] for _ in range(500)}
    female = {people.person_name(rng, sex="F")[-1] for _ in range(500)}
    assert len(male - female) > 10
    phones = [people.mobile_phone(rng) for _ in range(2000)]
    assert all(re.fullmatch(r"1[3-9]\d{9}", p) for p in phones) and len(set(phones)) == len(phones)
    orgs = [people.organization_name(rng) for _ in range(500)]
    assert all(CJK.match(o) and len(o) >= 7 for o in orgs) and len(set(orgs)) > 300
    assert any(o.endswith("物业管理有限公司") for o in orgs)
    assert all("物业" in people.organization_name(rng, sector="property") for _ in range(50))


# ---------------------------------------------------------------- catalog

def test_twenty_departments():
    assert len(DEPARTMENTS) == 20 and len({d.code for d in DEPARTMENTS}) == 20
    names = {d.name_zh for d in DEPARTMENTS}
    for wanted in ("人力资源和社会保障局", "住房和城乡建设局", "市场监督管理局", "公安局", "自然资源局", "司法局",
                   "海洋与渔业局", "信访局", "人民法院", "人民检察院", "应急管理局"):
        assert wanted in names
    assert any("侨务" in n for n in names)
    assert all(d.name_en and d.name_en.isascii() for d in DEPARTMENTS)


def test_categories_are_consistent():
    departments = {d.code for d in DEPARTMENTS}
    seen: set[str] = set()
    for category in CATEGORIES:
        assert category.code not in seen
        assert category.parent_code is None or category.parent_code in seen    # parents first
        assert category.roles and set(category.roles) <= KNOWN_ROLES, category
        assert category.department_code in departments, category
        assert category.name_zh and category.name_en.isascii()
        seen.add(category.code)
    tops = [c for c in CATEGORIES if c.parent_code is None]
    assert len(tops) >= 12
    children = Counter(c.parent_code for c in CATEGORIES if c.parent_code)
    assert all(3 <= children[t.code] <= 5 for t in tops)
    names = {c.name_zh for c in CATEGORIES}
    for wanted in ("劳动社保", "拖欠工资", "工伤认定与赔偿", "社保缴费争议", "土地山林", "宅基地纠纷", "征地补偿",
                   "山林权属", "物业管理", "拆迁安置", "赡养抚养", "继承纠纷", "邻里纠纷", "消费维权", "医疗纠纷",
                   "交通事故", "生态环境", "侨务", "侨房纠纷", "侨眷权益", "海域使用", "渔船纠纷", "涉法涉诉",
                   "政策咨询", "建议意见", "检举控告"):
        assert wanted in names, wanted


def test_rooms():
    assert len(ROOM_KINDS) == 8 and len({k.ticket_prefix for k in ROOM_KINDS}) == 8
    prefixes = {k.name_zh: k.ticket_prefix for k in ROOM_KINDS}
    assert prefixes == {"巡回法院": "C", "律师工作室": "L", "心理咨询室": "P", "社会保险费征缴争议调解室": "S",
                        "侨务事项调处室": "Q", "海洋资源纠纷调解室": "M", "人民调解室": "R", "接待窗口": "A"}
    assert all(set(k.roles) <= KNOWN_ROLES for k in ROOM_KINDS)
    assert rooms_for_site("county", random.Random(1)) == ROOM_KINDS
    assert {k.name_zh for k in rooms_for_site("village", random.Random(1))} == {"接待窗口", "人民调解室"}
    rng = random.Random(4)
    towns = [{k.name_zh for k in rooms_for_site("town", rng)} for _ in range(400)]
    assert all({"接待窗口", "人民调解室", "律师工作室"} <= t <= {"接待窗口", "人民调解室", "律师工作室", "心理咨询室"}
               for t in towns)
    assert 120 < sum("心理咨询室" in t for t in towns) < 280
    with pytest.raises(ValueError):
        rooms_for_site("province")


def test_talent_mix():
    rng = random.Random(2026)
    counties = list(COUNTY_CODES)
    specs = [(counties[n % 7], talent_spec(rng, counties[n % 7])) for n in range(16000)]
    shares = Counter(spec.role for _c, spec in specs)
    for role, expected in EXPECTED_SHARES.items():
        assert abs(100 * shares[role] / len(specs) - expected) <= 3, (role, shares[role])
    codes = {c.code for c in CATEGORIES}
    for county, spec in specs:
        assert spec.role in KNOWN_ROLES and spec.sex in ("M", "F") and CJK.match(spec.name)
        assert spec.skills and set(spec.skills) <= codes and len(set(spec.skills)) == len(spec.skills)
        assert spec.languages and set(spec.languages) <= KNOWN_LANGUAGES
        assert 2 <= spec.capacity <= 8
        assert re.fullmatch(r"1[3-9]\d{9}", spec.phone)
        if spec.stationing == "resident":
            assert spec.weekdays == (0, 1, 2, 3, 4)
        elif spec.stationing == "rotating":
            assert 1 <= len(spec.weekdays) <= 3 and set(spec.weekdays) <= set(range(7))
        else:
            assert spec.stationing == "on_call" and spec.weekdays == ()
        if spec.role == "lawyer":
            assert spec.licence_no and re.fullmatch(r"\d{17}", spec.licence_no)
        else:
            assert spec.licence_no is None
    every = [s for _c, s in specs]

    def share(pred, items):
        return sum(1 for s in items if pred(s)) / len(items)
    assert share(lambda s: "mandarin" in s.languages and "cantonese" in s.languages, every) > 0.85
    siyi = [s for c, s in specs if c in ("440781", "440783", "440785")]
    others = [s for c, s in specs if c not in ("440781", "440783", "440785")]
    assert share(lambda s: "taishanese" in s.languages, siyi) > 0.4 > 0.15 > share(
        lambda s: "taishanese" in s.languages, others)
    assert 0 < share(lambda s: "hakka" in s.languages, every) < 0.15
    assert 0.01 < share(lambda s: "english" in s.languages, every) < 0.06
    lawyers = [s for s in every if s.role == "lawyer"]
    assert share(lambda s: "english" in s.languages, lawyers) > share(lambda s: "english" in s.languages, every)
    assert share(lambda s: "law" in s.skills, lawyers) > 0.3
    counselors = [s for s in every if s.role == "counselor"]
    assert share(lambda s: "family" in s.skills, counselors) > 0.6
    grid = [s for s in every if s.role == "grid_worker"]
    assert share(lambda s: {"neighbour", "environment"} & set(s.skills), grid) > 0.6
    assert {s.stationing for s in every} == {"resident", "rotating", "on_call"}


def test_case_text_names_the_subject_and_varies():
    rng = random.Random(8)
    for category in CATEGORIES:
        texts = [case_text(rng, category.code) for _ in range(60)]
        assert len(set(texts)) > 30, category.code
        top = category.code.split(".")[0]
        for facts, demand in texts:
            assert facts and demand
            assert any(word in facts + demand for word in SUBJECT_WORDS[top]), (category.code, facts, demand)
            assert "{" not in facts + demand
            if category.code in SUB_SUBJECT:
                assert re.search(SUB_SUBJECT[category.code], facts + demand), (category.code, facts)
    first, second = case_text(rng, "labour.wages"), case_text(rng, "labour.wages")
    assert first != second


def test_case_text_templates_and_english_overseas():
    rng = random.Random(12)
    for top in SUBJECT_WORDS:
        shapes = {re.sub(r"[\d.]+|[^\u4e00-\u9fffA-Za-z]", "", case_text(rng, top)[1]) for _ in range(300)}
        assert len(shapes) >= 3, top    # at least three different demands, i.e. templates
    overseas = [case_text(rng, "overseas") for _ in range(600)]
    english = [f for f, _d in overseas if f.isascii() or re.match(r"[A-Za-z]", f)]
    assert 5 < len(english) < 200
    with pytest.raises(ValueError):
        case_text(rng, "no-such-category")


def test_outcome_text():
    rng = random.Random(3)
    for category in CATEGORIES:
        for result in ("support", "explanation", "no_support"):
            text = outcome_text(rng, category.code, result)
            assert text and "{" not in text and len(text) > 15
    supports = {outcome_text(rng, "labour.wages", "support") for _ in range(50)}
    assert len(supports) > 1
    assert "不予支持" in outcome_text(rng, "land.homestead", "no_support")
    with pytest.raises(ValueError):
        outcome_text(rng, "labour.wages", "maybe")


# ---------------------------------------------------------------- speed

def test_full_city_is_fast():
    started = time.process_time()   # this process's CPU: other work on the machine does not count
    rng = random.Random(99)
    places = jiangmen_places("city", rng)
    counties = [p.code for p in places if p.level == "county"]
    talent = [talent_spec(rng, counties[n % len(counties)]) for n in range(16000)]
    codes = [c.code for c in CATEGORIES if c.parent_code]
    texts = [case_text(rng, codes[n % len(codes)]) for n in range(50000)]
    elapsed = time.process_time() - started
    assert len(talent) == 16000 and len(texts) == 50000
    assert elapsed < 2.0, f"{elapsed:.2f} s"
