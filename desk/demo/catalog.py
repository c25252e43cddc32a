"""The category taxonomy, county departments, room kinds, talent and case texts for demo data."""
import random
from dataclasses import dataclass

from desk.demo.people import mobile_phone, organization_name, person_name


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


# code, 中文, English, roles, department, subcategories (code suffix, 中文, English)
_TAXONOMY = [
    ("labour", "劳动社保", "Labour and social security", "mediator lawyer", "hrss",
     [("wages", "拖欠工资", "Unpaid wages"), ("injury", "工伤认定与赔偿", "Work injury"),
      ("insurance", "社保缴费争议", "Social insurance contributions"), ("contract", "劳动合同纠纷", "Labour contracts")]),
    ("land", "土地山林", "Land and forests", "mediator lawyer", "resources",
     [("homestead", "宅基地纠纷", "Homestead plots"), ("compensation", "征地补偿", "Land requisition compensation"),
      ("forest", "山林权属", "Forest ownership"), ("contracting", "土地承包经营", "Land contracting")]),
    ("housing", "住房城建", "Housing and construction", "mediator lawyer", "housing",
     [("property", "物业管理", "Property management"), ("quality", "房屋质量", "Building quality"),
      ("illegal", "违法建设", "Illegal construction"), ("resettle", "拆迁安置", "Demolition and resettlement")]),
    ("family", "婚姻家庭", "Marriage and family", "mediator counselor social_worker lawyer", "justice",
     [("support", "赡养抚养", "Support of parents and children"), ("divorce", "离婚财产", "Divorce property"),
      ("inherit", "继承纠纷", "Inheritance")]),
    ("neighbour", "邻里纠纷", "Neighbour disputes", "mediator grid_worker", "justice",
     [("boundary", "相邻关系", "Boundaries and access"), ("noise", "噪音漏水", "Noise and leaks"),
      ("damage", "损害赔偿", "Damage claims")]),
    ("consumer", "消费维权", "Consumer rights", "mediator lawyer", "market",
     [("goods", "商品质量", "Product quality"), ("prepaid", "预付卡消费", "Prepaid cards"),
      ("food", "食品安全", "Food safety")]),
    ("medical", "医疗纠纷", "Medical disputes", "mediator lawyer counselor", "health",
     [("malpractice", "医疗损害", "Medical harm"), ("fees", "医疗收费", "Medical fees"), ("medicare", "医保报销", "Medical insurance")]),
    ("traffic", "交通事故", "Traffic accidents", "mediator lawyer judge", "police",
     [("compensation", "事故赔偿", "Accident compensation"), ("insurance", "保险理赔", "Insurance claims"),
      ("ebike", "电动车事故", "E-bike accidents")]),
    ("environment", "生态环境", "Environment", "mediator grid_worker", "ecology",
     [("pollution", "企业排污", "Industrial pollution"), ("odour", "养殖异味", "Farm odours"), ("noise", "施工噪音", "Construction noise")]),
    ("overseas", "侨务", "Overseas Chinese affairs", "mediator lawyer deputy", "overseas",
     [("house", "侨房纠纷", "Overseas Chinese houses"), ("rights", "侨眷权益", "Rights of relatives"),
      ("ancestral", "祖屋祖坟", "Ancestral homes and graves")]),
    ("marine", "海洋渔业", "Marine and fishery", "mediator lawyer", "fishery",
     [("sea_use", "海域使用", "Sea-area use"), ("boats", "渔船纠纷", "Fishing boats"), ("aquaculture", "养殖水面", "Aquaculture waters")]),
    ("law", "涉法涉诉", "Law-related petitions", "lawyer judge prosecutor", "court",
     [("enforcement", "执行难", "Judgment enforcement"), ("judgment", "不服判决", "Disputed judgments"),
      ("police", "治安处罚", "Public-security penalties")]),
    ("policy", "政策咨询", "Policy consultation", "grid_worker deputy social_worker volunteer", "petition",
     [("welfare", "低保救助", "Minimum living allowance"), ("pension", "养老待遇", "Pensions"),
      ("education", "入学政策", "School admission")]),
    ("suggestion", "建议意见", "Suggestions", "deputy grid_worker", "petition",
     [("public", "公共设施", "Public facilities"), ("governance", "基层治理", "Local governance")]),
    ("accusation", "检举控告", "Reports of misconduct", "lawyer prosecutor", "petition",
     [("cadre", "村干部作风", "Village cadre conduct"), ("funds", "集体资金", "Collective funds")]),
]
CATEGORIES: tuple[CategorySpec, ...] = tuple(
    spec for code, zh, en, roles, dept, subs in _TAXONOMY for spec in
    [CategorySpec(code, zh, en, None, tuple(roles.split()), dept)] +
    [CategorySpec(f"{code}.{sub}", szh, sen, code, tuple(roles.split()), dept) for sub, szh, sen in subs])

DEPARTMENTS: tuple[DepartmentSpec, ...] = tuple(DepartmentSpec(*row) for row in [
    ("hrss", "人力资源和社会保障局", "Human Resources and Social Security Bureau"),
    ("housing", "住房和城乡建设局", "Housing and Urban-Rural Development Bureau"),
    ("market", "市场监督管理局", "Market Regulation Administration"),
    ("urban", "城市管理和综合执法局", "Urban Management and Law Enforcement Bureau"),
    ("police", "公安局", "Public Security Bureau"),
    ("resources", "自然资源局", "Natural Resources Bureau"),
    ("justice", "司法局", "Justice Bureau"),
    ("civil", "民政局", "Civil Affairs Bureau"),
    ("health", "卫生健康局", "Health Bureau"),
    ("ecology", "生态环境分局", "Ecology and Environment Bureau"),
    ("transport", "交通运输局", "Transport Bureau"),
    ("agriculture", "农业农村局", "Agriculture and Rural Affairs Bureau"),
    ("education", "教育局", "Education Bureau"),
    ("overseas", "外事侨务局", "Foreign and Overseas Chinese Affairs Bureau"),
    ("fishery", "海洋与渔业局", "Ocean and Fisheries Bureau"),
    ("petition", "信访局", "Letters and Visits Bureau"),
    ("court", "人民法院", "People's Court"),
    ("procuratorate", "人民检察院", "People's Procuratorate"),
    ("water", "水利局", "Water Resources Bureau"),
    ("emergency", "应急管理局", "Emergency Management Bureau"),
])

ROOM_KINDS: tuple[RoomKindSpec, ...] = tuple(RoomKindSpec(*row) for row in [
    ("reception", "接待窗口", "Reception window", "A", ()),
    ("mediation", "人民调解室", "People's mediation room", "R", ("mediator",)),
    ("lawyer", "律师工作室", "Lawyers' studio", "L", ("lawyer",)),
    ("counseling", "心理咨询室", "Psychological counseling room", "P", ("counselor",)),
    ("court", "巡回法院", "Circuit court", "C", ("judge",)),
    ("social_insurance", "社会保险费征缴争议调解室", "Social-insurance dispute mediation room", "S", ("mediator",)),
    ("overseas", "侨务事项调处室", "Overseas Chinese affairs room", "Q", ("mediator", "deputy")),
    ("marine", "海洋资源纠纷调解室", "Marine resource disputes room", "M", ("mediator",)),
])
_ROOMS = {kind.code: kind for kind in ROOM_KINDS}


def rooms_for_site(level: str, rng: random.Random) -> tuple[RoomKindSpec, ...]:
    """County center: every room; town station: reception, mediation, lawyers (+ counseling in half)."""
    if level == "county":
        return ROOM_KINDS
    if level == "town":
        kinds = ["reception", "mediation", "lawyer"] + (["counseling"] if rng.random() < 0.5 else [])
        return tuple(_ROOMS[k] for k in kinds)
    return (_ROOMS["reception"], _ROOMS["mediation"])


_ROLE_SHARES = [("mediator", 40), ("lawyer", 15), ("counselor", 8), ("social_worker", 10), ("grid_worker", 15),
                ("deputy", 5), ("judge", 2), ("prosecutor", 2), ("volunteer", 3)]
_ROLE_SKILLS = {
    "mediator": ["labour", "land", "housing", "family", "neighbour", "consumer", "traffic", "overseas", "marine"],
    "lawyer": ["labour", "land", "housing", "family", "law", "medical", "traffic", "consumer"],
    "counselor": ["family", "medical", "neighbour"], "social_worker": ["family", "policy", "neighbour"],
    "grid_worker": ["neighbour", "environment", "policy", "suggestion"], "deputy": ["suggestion", "policy", "overseas"],
    "judge": ["law", "traffic", "family"], "prosecutor": ["law", "accusation"], "volunteer": ["policy", "neighbour"],
}
_TAISHANESE = {"440781", "440783", "440785"}


def talent_spec(rng: random.Random, county_code: str) -> TalentSpec:
    role = rng.choices([r for r, _ in _ROLE_SHARES], weights=[w for _, w in _ROLE_SHARES])[0]
    sex = rng.choice("MF")
    tops = rng.sample(_ROLE_SKILLS[role], k=min(len(_ROLE_SKILLS[role]), rng.randint(1, 3)))
    skills = []
    for top in tops:
        skills.append(top)
        subs = [c.code for c in CATEGORIES if c.parent_code == top]
        skills.extend(rng.sample(subs, k=rng.randint(0, min(2, len(subs)))))
    languages = ["mandarin"] + (["cantonese"] if rng.random() < 0.95 else [])
    if county_code in _TAISHANESE and rng.random() < 0.6:
        languages.append("taishanese")
    if rng.random() < 0.08:
        languages.append("hakka")
    if rng.random() < (0.12 if role == "lawyer" else 0.02):
        languages.append("english")
    stationing = rng.choices(["resident", "rotating", "on_call"], weights=[25, 45, 30])[0]
    weekdays = {"resident": (0, 1, 2, 3, 4), "on_call": ()}.get(
        stationing, tuple(sorted(rng.sample(range(5), k=rng.randint(1, 3)))))
    licence = f"1{county_code[:4]}{rng.randint(2000, 2024)}1{rng.randrange(10 ** 7):07d}" if role == "lawyer" else None
    return TalentSpec(person_name(rng, sex), sex, role, tuple(skills), tuple(languages), stationing, weekdays,
                      rng.randint(2, 8), licence, mobile_phone(rng))


_TEXTS = {
    "labour": [("本人于{year}年{m1}月至{m2}月在{org}务工，老板拖欠工资共计{amount}万元，多次讨要未果。", "请求协调支付拖欠工资"),
               ("本人在{org}上班期间被机器压伤右手，公司拒绝申报工伤，医药费{amount}万元自行垫付。", "请求认定工伤并赔偿"),
               ("{org}自{year}年起未为员工足额缴纳社保，共涉及工人{people}名。", "请求补缴社会保险费")],
    "land": [("与邻居因宅基地界址发生争议，对方在本人宅基地上砌墙约{area}平方米。", "请求确认宅基地界址"),
             ("村集体{year}年征收本人承包地{area}亩，补偿款至今未足额发放。", "请求按标准发放征地补偿款"),
             ("与邻村因一片约{area}亩山林的权属长期争执，今年又因砍伐林木发生冲突。", "请求依法确认山林权属")],
    "housing": [("{org}服务不到位，小区电梯停运{days}天无人维修，业主多次反映无果。", "请求督促物业尽快维修"),
                ("所购商品房交付后墙体开裂、漏水，开发商{org}拖延维修已{months}个月。", "请求开发商维修并赔偿"),
                ("邻居在楼顶违法加建约{area}平方米，影响本户采光和房屋安全。", "请求依法查处违法建设")],
    "family": [("父母年迈多病，兄弟{people}人互相推诿，拒绝支付赡养费。", "请求调解落实赡养义务"),
               ("与配偶离婚时对共同购买的房屋分割无法达成一致，房屋价值约{amount}万元。", "请求调解财产分割"),
               ("父亲去世后留下祖屋一间，兄弟姐妹对继承份额发生争议。", "请求依法调解继承纠纷")],
    "neighbour": [("楼上住户装修后长期漏水，导致本户天花板发霉，协商{days}天未果。", "请求调解维修并赔偿损失"),
                  ("邻居在公共通道堆放杂物、停放车辆，影响出行和消防安全。", "请求清理通道"),
                  ("邻居饲养的狗咬伤本人家属，医药费{amount}千元，对方拒绝赔偿。", "请求赔偿医药费")],
    "consumer": [("在{org}办理预付卡{amount}千元，商家突然关门，余额无法退还。", "请求退还预付卡余额"),
                 ("购买的电动车使用{days}天即出现故障，商家拒绝退换。", "请求退换商品"),
                 ("在本镇某餐馆就餐后多人出现腹泻，商家不承认责任。", "请求查处并赔偿")],
    "medical": [("家属在镇卫生院治疗后病情加重，怀疑存在误诊，已花费医疗费{amount}万元。", "请求医疗损害鉴定和赔偿"),
                ("住院费用清单中有多项重复收费，医院解释不清。", "请求核查医疗收费"),
                ("异地就医费用报销被拒，涉及金额{amount}千元。", "请求按政策报销医疗费")],
    "traffic": [("本人骑电动车被货车撞伤，住院{days}天，对方及保险公司赔偿不到位。", "请求调解交通事故赔偿"),
                ("交通事故责任认定后，保险公司以各种理由拖延理赔{months}个月。", "请求协调保险理赔"),
                ("家人被无牌电动车撞伤，肇事者无力赔偿医药费{amount}万元。", "请求协调赔偿")],
    "environment": [("附近{org}夜间偷排废水，河涌发黑发臭，村民多次投诉。", "请求依法查处排污行为"),
                    ("村旁养猪场异味严重，夏天无法开窗，影响约{people}户村民生活。", "请求整治养殖异味"),
                    ("工地夜间施工噪音扰民，持续{days}天。", "请求限制夜间施工")],
    "overseas": [("本人为归侨，祖屋被亲戚占用出租多年，收益从未分配。", "请求协调归还侨房使用权"),
                 ("海外亲属委托本人处理其在{village}的房产，遇到产权登记困难。", "请求指导办理侨房产权登记"),
                 ("I am a returned overseas Chinese from Canada; my family's ancestral house in {village} was "
                  "occupied without consent.", "Please help mediate the return of the ancestral house")],
    "marine": [("本人养殖海域被他人占用约{area}亩，对方持有的用海手续存疑。", "请求核查海域使用权"),
               ("渔船停泊时与他人渔船发生碰撞，修船费用{amount}万元，双方责任有争议。", "请求调解渔船碰撞纠纷"),
               ("养殖水面承包到期后，村委会未按约定优先续包。", "请求依约续包养殖水面")],
    "law": [("法院判决对方支付{amount}万元，但至今{months}个月仍未执行到位。", "请求督促法院执行"),
            ("对一审判决结果不服，认为事实认定错误。", "请求重新审理"),
            ("对派出所作出的治安处罚决定不服。", "请求撤销处罚决定")],
    "policy": [("家庭因病致贫，申请低保{months}个月仍未批复。", "咨询低保申请条件和进度"),
               ("本人工龄{years}年，退休后养老金计算与预期不符。", "咨询养老待遇计算办法"),
               ("随迁子女入学需要哪些材料，积分如何计算。", "咨询入学政策")],
    "suggestion": [("村口道路路灯损坏多盏，夜间出行不便。", "建议尽快维修路灯"),
                   ("建议在{village}增设公交站点，方便老人就医出行。", "建议增设公交站点"),
                   ("村务公开栏信息更新不及时。", "建议定期公开村务信息")],
    "accusation": [("反映村干部在工程发包中优亲厚友。", "请求调查处理"),
                   ("反映村集体资金约{amount}万元使用不透明。", "请求审计集体资金"),
                   ("反映某工作人员办事推诿、态度恶劣。", "请求调查处理")],
}
_VILLAGES = "石龙村 南安村 东华社区 沙岗村 新塘村 龙湾村 莲塘村".split()


def case_text(rng: random.Random, category_code: str) -> tuple[str, str]:
    """(facts, demand) in the voice of a petitioner, varied in amounts, dates and places."""
    top = category_code.split(".")[0]
    template, demand = rng.choice(_TEXTS.get(top, _TEXTS["neighbour"]))
    m1 = rng.randint(1, 9)
    facts = template.format(year=rng.randint(2023, 2026), m1=m1, m2=m1 + rng.randint(1, 3),
                            amount=round(rng.uniform(0.3, 30), 1), area=rng.randint(10, 300),
                            days=rng.randint(5, 60), months=rng.randint(2, 18), people=rng.randint(2, 40),
                            years=rng.randint(10, 38), org=organization_name(rng), village=rng.choice(_VILLAGES))
    return facts, demand


_OUTCOMES = {
    "support": ["经调查核实，诉求合理，已责成{dept}于{days}日内落实。", "经协调，对方同意履行义务，诉求予以支持。"],
    "explanation": ["经调查，相关做法符合现行政策，已向信访人作出解释说明。", "已就有关政策规定向信访人释法明理，信访人表示理解。"],
    "no_support": ["经调查核实，诉求缺乏事实和法律依据，不予支持。", "诉求超出现行政策规定范围，不予支持，并告知其他救济途径。"],
}


def outcome_text(rng: random.Random, category_code: str, result: str) -> str:
    dept = next((d.name_zh for d in DEPARTMENTS
                 for c in CATEGORIES if c.code == category_code and c.department_code == d.code), "有关部门")
    return rng.choice(_OUTCOMES[result]).format(dept=dept, days=rng.choice([5, 10, 15, 30]))


__all__ = ["CATEGORIES", "DEPARTMENTS", "ROOM_KINDS", "CategorySpec", "DepartmentSpec", "RoomKindSpec",
           "TalentSpec", "case_text", "outcome_text", "rooms_for_site", "talent_spec", "person_name"]
