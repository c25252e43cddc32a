"""The category taxonomy, county departments, room kinds, talent and case texts for demo data.

Pure data and generators, no database; every generator draws only from the ``random.Random`` passed in.
"""
import random
from dataclasses import dataclass
from itertools import accumulate

from desk.demo.people import mobile_phone, person_name

ROLES = ("mediator", "lawyer", "counselor", "social_worker", "grid_worker", "deputy", "judge", "prosecutor",
         "volunteer")
LANGUAGES = ("mandarin", "cantonese", "taishanese", "hakka", "english")
RESULTS = ("support", "explanation", "no_support")


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name_zh: str
    name_en: str
    parent_code: str | None
    roles: tuple[str, ...]
    department_code: str | None


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class RoomKindSpec:
    code: str
    name_zh: str
    name_en: str
    ticket_prefix: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class TalentSpec:
    name: str
    sex: str
    role: str
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    stationing: str
    weekdays: tuple[int, ...]
    capacity: int
    licence_no: str | None
    phone: str


DEPARTMENTS: tuple[DepartmentSpec, ...] = tuple(DepartmentSpec(*row) for row in [
    ("hrss", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("housing", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("market", "市场监督管理局", "Market Regulation Administration"),
    ("urban", "城市管理和综合执法局", "Urban Management and Comprehensive Law Enforcement Bureau"),
    ("police", "公安局", "Public Security Bureau"), ("resources", "自然资源局", "Natural Resources Bureau"),
    ("justice", "司法局", "Justice Bureau"), ("civil", "民政局", "Civil Affairs Bureau"),
    ("health", "卫生健康局", "Health Bureau"), ("ecology", "生态环境局", "Ecology and Environment Bureau"),
    ("transport", "交通运输局", "Transport Bureau"), ("agriculture", "农业农村局", "Agriculture and Rural Affairs Bureau"),
    ("education", "教育局", "Education Bureau"), ("overseas", "外事侨务局", "Foreign and Overseas Chinese Affairs Bureau"),
    ("fishery", "海洋与渔业局", "Ocean and Fisheries Bureau"), ("petition", "信访局", "Letters and Visits Bureau"),
    ("court", "人民法院", "People's Court"), ("procuratorate", "人民检察院", "People's Procuratorate"),
    ("water", "水利局", "Water Resources Bureau"), ("emergency", "应急管理局", "Emergency Management Bureau"),
])
_DEPT = {d.code: d for d in DEPARTMENTS}

# top code, 中文, English, roles, department, legal basis for opinions,
#   [(sub code, 中文, English, department override or None)]
_TAXONOMY = [
    ("labour", "劳动社保", "Labour and social security", "mediator lawyer", "hrss", "《保障农民工工资支付条例》《劳动合同法》",
     [("wages", "拖欠工资", "Unpaid wages", None), ("injury", "工伤认定与赔偿", "Work injury", None),
      ("insurance", "社保缴费争议", "Social insurance contributions", None),
      ("contract", "劳动合同纠纷", "Labour contracts", None)]),
    ("land", "土地山林", "Land and forests", "mediator lawyer", "resources", "《土地管理法》《森林法》",
     [("homestead", "宅基地纠纷", "Homestead plots", None),
      ("compensation", "征地补偿", "Land requisition compensation", None),
      ("forest", "山林权属", "Forest ownership", None),
      ("contracting", "土地承包经营", "Land contracting", "agriculture")]),
    ("housing", "住房城建", "Housing and construction", "mediator lawyer", "housing", "《物业管理条例》《建设工程质量管理条例》",
     [("property", "物业管理", "Property management", None), ("quality", "房屋质量", "Building quality", None),
      ("illegal", "违法建设", "Illegal construction", "urban"),
      ("resettle", "拆迁安置", "Demolition and resettlement", None)]),
    ("family", "婚姻家庭", "Marriage and family", "mediator counselor social_worker lawyer", "justice", "《民法典》婚姻家庭编和继承编",
     [("support", "赡养抚养", "Support of parents and children", None),
      ("divorce", "离婚财产", "Divorce property", None), ("inherit", "继承纠纷", "Inheritance", None),
      ("conflict", "家庭矛盾", "Family conflict", None)]),
    ("neighbour", "邻里纠纷", "Neighbour disputes", "mediator grid_worker volunteer", "justice", "《民法典》相邻关系的规定",
     [("boundary", "相邻关系", "Boundaries and access", None), ("noise", "噪音漏水", "Noise and leaks", None),
      ("damage", "损害赔偿", "Damage claims", None)]),
    ("consumer", "消费维权", "Consumer rights", "mediator lawyer", "market", "《消费者权益保护法》",
     [("goods", "商品质量", "Product quality", None), ("prepaid", "预付卡消费", "Prepaid cards", None),
      ("food", "食品安全", "Food safety", None)]),
    ("medical", "医疗纠纷", "Medical disputes", "mediator lawyer counselor", "health", "《医疗纠纷预防和处理条例》",
     [("malpractice", "医疗损害", "Medical harm", None), ("fees", "医疗收费", "Medical fees", None),
      ("medicare", "医保报销", "Medical insurance", None)]),
    ("traffic", "交通事故", "Traffic accidents", "mediator lawyer judge", "police", "《道路交通安全法》",
     [("compensation", "事故赔偿", "Accident compensation", None), ("insurance", "保险理赔", "Insurance claims", None),
      ("ebike", "电动车事故", "E-bike accidents", None)]),
    ("environment", "生态环境", "Environment", "mediator grid_worker", "ecology", "《环境保护法》",
     [("pollution", "企业排污", "Industrial pollution", None), ("odour", "养殖异味", "Farm odours", None),
      ("noise", "施工噪音", "Construction noise", None), ("water", "河涌水体", "Rivers and canals", "water")]),
    ("overseas", "侨务", "Overseas Chinese affairs", "mediator lawyer deputy", "overseas", "《归侨侨眷权益保护法》",
     [("house", "侨房纠纷", "Overseas Chinese houses", None), ("rights", "侨眷权益", "Rights of relatives", None),
      ("ancestral", "祖屋祖坟", "Ancestral homes and graves", None)]),
    ("marine", "海洋渔业", "Marine and fishery", "mediator lawyer", "fishery", "《海域使用管理法》《渔业法》",
     [("sea_use", "海域使用", "Sea-area use", None), ("boats", "渔船纠纷", "Fishing boats", None),
      ("aquaculture", "养殖水面", "Aquaculture waters", None)]),
    ("law", "涉法涉诉", "Law-related petitions", "lawyer judge prosecutor", "court", "《民事诉讼法》",
     [("enforcement", "执行难", "Judgment enforcement", None), ("judgment", "不服判决", "Disputed judgments", None),
      ("police", "治安处罚", "Public-security penalties", "police"),
      ("supervision", "检察监督", "Procuratorial supervision", "procuratorate")]),
    ("policy", "政策咨询", "Policy consultation", "grid_worker deputy social_worker volunteer", "petition", "现行政策规定",
     [("welfare", "低保救助", "Minimum living allowance", "civil"), ("pension", "养老待遇", "Pensions", "hrss"),
      ("education", "入学政策", "School admission", "education")]),
    ("suggestion", "建议意见", "Suggestions", "deputy grid_worker volunteer", "petition", "《信访工作条例》",
     [("public", "公共设施", "Public facilities", None), ("governance", "基层治理", "Local governance", None),
      ("transport", "交通出行", "Transport", "transport")]),
    ("accusation", "检举控告", "Reports of misconduct", "lawyer prosecutor", "petition", "《信访工作条例》",
     [("cadre", "村干部作风", "Village cadre conduct", None), ("funds", "集体资金", "Collective funds", None),
      ("staff", "工作人员作风", "Officials' conduct", None)]),
]
CATEGORIES: tuple[CategorySpec, ...] = tuple(
    spec for code, zh, en, roles, dept, _basis, subs in _TAXONOMY for spec in
    [CategorySpec(code, zh, en, None, tuple(roles.split()), dept)] +
    [CategorySpec(f"{code}.{sub}", szh, sen, code, tuple(roles.split()), sdept or dept)
     for sub, szh, sen, sdept in subs])
_CATEGORY = {c.code: c for c in CATEGORIES}
_BASIS = {code: basis for code, _zh, _en, _r, _d, basis, _s in _TAXONOMY}
_SUBS = {code: tuple(f"{code}.{sub[0]}" for sub in subs) for code, *_rest, subs in _TAXONOMY}

ROOM_KINDS: tuple[RoomKindSpec, ...] = tuple(RoomKindSpec(*row) for row in [
    ("court", "巡回法院", "Circuit court", "C", ("judge",)),
    ("lawyer", "律师工作室", "Lawyers' studio", "L", ("lawyer",)),
    ("counseling", "心理咨询室", "Psychological counseling room", "P", ("counselor",)),
    ("social_insurance", "社会保险费征缴争议调解室", "Social-insurance dispute mediation room", "S", ("mediator",)),
    ("overseas", "侨务事项调处室", "Overseas Chinese affairs room", "Q", ("mediator", "deputy")),
    ("marine", "海洋资源纠纷调解室", "Marine resource disputes room", "M", ("mediator",)),
    ("mediation", "人民调解室", "People's mediation room", "R", ("mediator",)),
    ("reception", "接待窗口", "Reception window", "A", ()),
])
_ROOMS = {kind.code: kind for kind in ROOM_KINDS}


def rooms_for_site(level: str, rng: random.Random | None = None) -> tuple[RoomKindSpec, ...]:
    """Rooms of a site: county center all; town station reception, mediation, lawyers and, in about
    half the towns (decided by ``rng``; none without one), counseling; village point reception and
    mediation. City and grid levels have no site."""
    if level == "county":
        return ROOM_KINDS
    if level == "town":
        kinds = ["reception", "mediation", "lawyer"]
        if rng is not None and rng.random() < 0.5:
            kinds.append("counseling")
        return tuple(_ROOMS[k] for k in kinds)
    if level == "village":
        return (_ROOMS["reception"], _ROOMS["mediation"])
    if level in ("city", "grid"):
        return ()
    raise ValueError(f"unknown level {level!r}")


# ---------------------------------------------------------------- talent
ROLE_SHARES = {"mediator": 40, "lawyer": 15, "counselor": 8, "social_worker": 10, "grid_worker": 15,
               "deputy": 5, "judge": 2, "prosecutor": 2, "volunteer": 3}
_ROLE_CUM = tuple(accumulate(ROLE_SHARES.values()))
_ROLE_NAMES = tuple(ROLE_SHARES)
# Top-level skills per role, the first ones most likely.
_ROLE_SKILLS = {
    "mediator": ("neighbour", "family", "labour", "land", "housing", "consumer", "traffic", "overseas", "medical"),
    "lawyer": ("law", "labour", "land", "housing", "family", "traffic", "medical", "consumer", "overseas"),
    "counselor": ("family", "medical", "neighbour"),
    "social_worker": ("family", "policy", "neighbour", "labour"),
    "grid_worker": ("neighbour", "environment", "policy", "suggestion"),
    "deputy": ("suggestion", "policy", "overseas", "accusation"),
    "judge": ("law", "traffic", "family", "labour"),
    "prosecutor": ("law", "accusation"),
    "volunteer": ("policy", "neighbour", "family"),
}
_COASTAL = {"440781", "440705", "440785", "440704"}   # marine disputes: mediators and lawyers there
_TAISHANESE = {"440781", "440783", "440785"}          # Siyi dialect heartland
_HAKKA = {"440781": 0.08, "440785": 0.12, "440784": 0.10}
# (resident, rotating, on_call) weights per role
_STATIONING = {"mediator": (40, 40, 20), "lawyer": (10, 60, 30), "counselor": (20, 60, 20),
               "social_worker": (40, 40, 20), "grid_worker": (30, 10, 60), "deputy": (0, 40, 60),
               "judge": (10, 80, 10), "prosecutor": (0, 70, 30), "volunteer": (0, 60, 40)}
_CAPACITY = {"mediator": (4, 8), "lawyer": (3, 6), "counselor": (2, 5), "social_worker": (3, 7),
             "grid_worker": (3, 8), "deputy": (2, 4), "judge": (2, 5), "prosecutor": (2, 4), "volunteer": (2, 4)}
_STATIONS = ("resident", "rotating", "on_call")


def talent_spec(rng: random.Random, county_code: str) -> TalentSpec:
    """One talent-pool member of a county, with skills, languages and a schedule that fit the role."""
    role = rng.choices(_ROLE_NAMES, cum_weights=_ROLE_CUM)[0]
    sex = "M" if rng.random() < (0.7 if role in ("grid_worker", "judge", "prosecutor") else 0.5) else "F"
    pool = list(_ROLE_SKILLS[role])
    if role in ("mediator", "lawyer") and county_code in _COASTAL:
        pool.append("marine")
    tops = [pool[0]] if rng.random() < 0.5 else []
    for top in rng.sample(pool, k=rng.randint(1, min(3, len(pool)))):
        if top not in tops:
            tops.append(top)
    skills: list[str] = []
    for top in tops:
        skills.append(top)
        subs = _SUBS[top]
        skills.extend(rng.sample(subs, k=rng.randint(0, min(2, len(subs)))))
    languages = []
    if rng.random() < 0.97:
        languages.append("mandarin")
    if rng.random() < 0.95 or not languages:
        languages.append("cantonese")
    if rng.random() < (0.6 if county_code in _TAISHANESE else 0.05):
        languages.append("taishanese")
    if rng.random() < _HAKKA.get(county_code, 0.03):
        languages.append("hakka")
    if rng.random() < (0.10 if role == "lawyer" else 0.02):
        languages.append("english")
    stationing = rng.choices(_STATIONS, weights=_STATIONING[role])[0]
    if stationing == "resident":
        weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    elif stationing == "rotating":
        weekdays = tuple(sorted(rng.sample(range(5), k=rng.randint(1, 3))))
    else:
        weekdays = ()
    licence = None
    if role == "lawyer":   # 执业证号: category, area, first-licence year, kind, sex, sequence (17 digits)
        licence = (f"1{county_code[:4]}{rng.randint(1998, 2024)}{rng.choice('1112')}"
                   f"{1 if sex == 'M' else 0}{rng.randrange(10 ** 6):06d}")
    low, high = _CAPACITY[role]
    return TalentSpec(person_name(rng, sex), sex, role, tuple(skills), tuple(languages), stationing, weekdays,
                      rng.randint(low, high), licence, mobile_phone(rng))


from desk.demo.texts import case_text, outcome_text  # noqa: E402  (texts read the tables above)

__all__ = ["CATEGORIES", "DEPARTMENTS", "LANGUAGES", "RESULTS", "ROLES", "ROLE_SHARES", "ROOM_KINDS",
           "CategorySpec", "DepartmentSpec", "RoomKindSpec", "TalentSpec", "case_text", "outcome_text",
           "rooms_for_site", "talent_spec"]
