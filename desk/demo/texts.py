"""Case and outcome texts for demo data, in the voice of petitioners and of handling opinions."""
import random
import string

from desk.demo.catalog import _BASIS, _CATEGORY, _DEPT, _SUBS, CATEGORIES, RESULTS
from desk.demo.geography import COUNTIES, place_name
from desk.demo.people import organization_name, person_name

# ---------------------------------------------------------------- case texts
# One template a line: subcategory | facts | demand alternatives separated by '/'. Slots: _SLOTS below.
# Lines marked en: are returned overseas Chinese who prefer English (a few of the 侨务 cases).
_TEXT_TABLE = """
labour.wages | 本人于{year}年{m1}月至{m2}月在{builder}承建的工地务工，包工头{man}拖欠工资共计{wage}万元，多次讨要未果。 | 请求协调支付拖欠工资/请求责令用人单位支付工资
labour.wages | 本人与{n}名工友在{factory}做工，公司以资金紧张为由拖欠{months}个月工资，合计约{bigwan}万元。 | 请求督促企业尽快发放拖欠的工资
labour.injury | 本人在{factory}上班期间被机器压伤右手，公司拒绝申报工伤，医药费{qian}元至今自行垫付。 | 请求认定工伤并赔偿/请求督促公司申报工伤
labour.injury | 家属{year}年{m1}月在{builder}工作时从高处坠落受伤，工伤认定后公司迟迟不支付伤残补助金。 | 请求落实工伤待遇
labour.insurance | {factory}自{year}年起未为员工足额缴纳社会保险费，涉及工人{n}名，影响退休待遇。 | 请求补缴社会保险费
labour.insurance | 本人在{company}工作{years}年，离职后发现公司有{months}个月社保断缴。 | 请求协调补缴社保并出具缴费证明
labour.contract | {company}在未提前通知的情况下解除本人劳动合同，拒绝支付经济补偿金约{wan}万元。 | 请求支付经济补偿金/请求调解劳动合同纠纷
labour.contract | 本人在{company}工作{years}年，公司一直不签订书面劳动合同，加班费也未足额发放。 | 请求补签劳动合同并支付加班费
land.homestead | 本人与邻居{person}因宅基地界址发生争议，对方建房时越界占用本人宅基地约{area}平方米。 | 请求确认宅基地界址/请求调解宅基地纠纷
land.homestead | 本人{year}年申请宅基地建房，{village}村委会至今未予审批，家中{n}口人挤住旧屋。 | 请求依法审批宅基地
land.compensation | {year}年村集体征收本人承包地{mu}亩用于道路建设，征地补偿款至今未足额发放，尚欠约{wan}万元。 | 请求按标准发放征地补偿款
land.compensation | {village}征地时青苗和地上附着物补偿标准偏低，与邻村相差较大，涉及{n}户村民。 | 请求公开征地补偿标准并重新核算
land.forest | 本村与邻村因一片约{mu}亩山林的权属长期争执，今年又因砍伐林木发生冲突。 | 请求依法确认山林权属
land.forest | 本人承包的{mu}亩山林被{farm}擅自砍伐种植速生桉，林权证明确归本人经营。 | 请求制止侵权并赔偿林木损失
land.contracting | 本人承包的{mu}亩责任田被村民小组收回另行发包，土地承包经营权证仍在本人名下。 | 请求恢复土地承包经营权
land.contracting | {farm}租用本村{mu}亩耕地，已拖欠土地租金{months}个月，涉及{n}户农户。 | 请求协调支付土地流转租金
housing.property | {property}服务不到位，小区电梯停运{days}天无人维修，业主多次反映物业无果。 | 请求督促物业尽快维修电梯/请求更换物业服务企业
housing.property | 小区物业未经业主同意上调物业管理费，并挪用公共收益，涉及业主约{n}户。 | 请求公开公共收益并规范收费
housing.quality | 所购商品房交付后墙体开裂、卫生间漏水，开发商{developer}拖延维修已{months}个月，房屋质量问题未解决。 | 请求开发商维修并赔偿
housing.quality | {year}年购买的房屋外墙瓷砖多处脱落，存在安全隐患，开发商以过了保修期为由推诿。 | 请求鉴定房屋质量并督促维修
housing.illegal | 邻居在楼顶违法加建约{area}平方米，影响本户采光和房屋安全。 | 请求依法查处违法建设/请求拆除违建
housing.illegal | {village}有人在河堤边违法建设厂房约{area}平方米，占用防洪通道。 | 请求依法拆除违法建筑
housing.resettle | 本人房屋于{year}年被纳入旧城改造拆迁范围，拆迁安置房至今未交付，过渡期已超{months}个月。 | 请求尽快落实拆迁安置
housing.resettle | 拆迁补偿按{area}平方米计算，但本户实际面积更大，与其他住户补偿标准不一致。 | 请求重新测量并按统一标准补偿拆迁款
family.support | 本人年过七十，体弱多病，{n}个子女互相推诿，拒绝支付赡养费。 | 请求调解落实赡养义务/请求子女每月支付赡养费
family.support | 离婚后对方每月{qian}元的子女抚养费已拖欠{months}个月未支付。 | 请求督促对方支付抚养费
family.divorce | 与配偶离婚时，对婚后共同购买的房屋分割无法达成一致，房屋价值约{wan}万元。 | 请求调解离婚财产分割
family.divorce | 离婚后前夫拒不搬出婚前属于本人的房屋，并拒绝归还共同存款约{wan}万元。 | 请求调解财产纠纷
family.inherit | 父亲去世后留下位于{village}的祖屋一间和存款约{wan}万元，兄弟姐妹{n}人对继承份额发生争议。 | 请求依法调解继承纠纷
family.inherit | 母亲生前立有遗嘱，但大哥不承认遗嘱效力，独自占用遗产房屋{years}年。 | 请求确认遗嘱并分割遗产
family.conflict | 婆媳长期不和，丈夫常年在外务工，家庭矛盾近{months}个月明显激化，已影响孩子学习。 | 请求调解家庭矛盾并提供心理疏导
family.conflict | 家人因沉迷赌博欠债约{wan}万元，经常与家人争吵，家庭矛盾激烈。 | 请求协助调解并提供帮扶
neighbour.boundary | 邻居{person}在公共通道堆放杂物、停放车辆，影响本户出行和消防安全。 | 请求调解清理通道/请求恢复通行
neighbour.boundary | 邻居新建房屋紧贴本户外墙，滴水直接落入本户院内，双方多次争吵。 | 请求调解相邻关系纠纷
neighbour.noise | 楼上住户卫生间长期漏水，导致本户天花板发霉，协商{days}天未果。 | 请求调解维修并赔偿损失
neighbour.noise | 邻居经营的麻将馆每晚营业至凌晨，噪音严重影响家中老人休息。 | 请求调解并制止噪音扰民
neighbour.damage | 邻居饲养的狗咬伤本人家属，花去医药费{qian}元，对方拒绝赔偿。 | 请求调解赔偿医药费
neighbour.damage | 邻居砍树时砸坏本户屋顶瓦面和太阳能热水器，损失约{qian}元，对方只愿赔一半。 | 请求调解赔偿财产损失
consumer.goods | 在{shop}购买的电动车使用{days}天即出现电池故障，商家拒绝退换商品。 | 请求退换商品/请求商家承担质量责任
consumer.goods | 在{town}一家电器店购买的空调安装后不制冷，维修{n}次仍未修好，商品质量明显有问题。 | 请求退货退款
consumer.prepaid | 在{shop}办理预付卡充值{qian}元，商家突然关门，预付卡余额无法退还，受影响会员约{n}人。 | 请求退还预付卡余额
consumer.prepaid | 为孩子在{town}一家培训机构预交培训费{qian}元，机构停课后拒绝退还剩余课时费用。 | 请求督促机构退还预付费用
consumer.food | {date}在{town}某餐馆就餐后，同桌{n}人出现腹泻呕吐，商家不承认食品安全责任。 | 请求查处并赔偿/请求监管部门调查
consumer.food | 在超市购买的食品已过保质期，商家拒绝按规定赔偿。 | 请求依法赔偿
medical.malpractice | 家属在{hospital}手术后出现严重并发症，怀疑存在医疗过错，已花费医疗费{wan}万元。 | 请求医疗损害鉴定和赔偿
medical.malpractice | 母亲在{hospital}住院期间跌倒骨折，医院护理不到位却拒绝承担责任。 | 请求调解医疗纠纷并赔偿
medical.fees | 父亲在{hospital}住院{days}天，费用清单中有多项重复收费，医院解释不清。 | 请求核查医疗收费
medical.fees | 在{hospital}做检查被收取项目外费用约{qian}元，医院未事先告知。 | 请求退还不合理医疗收费
medical.medicare | 本人在广州异地就医，医保报销被拒，涉及医疗费用{qian}元。 | 请求按政策报销医疗费/咨询异地就医医保报销
medical.medicare | 家人患慢性病需长期用药，门诊特定病种医保待遇申请{months}个月未获批。 | 请求落实医保待遇
traffic.compensation | 本人{date}骑电动车在{town}被货车撞伤，住院{days}天，交通事故对方赔偿不到位。 | 请求调解交通事故赔偿
traffic.compensation | 家人在{town}路口被小汽车撞伤，事故责任已认定对方全责，对方只愿赔偿医药费{qian}元。 | 请求调解事故赔偿
traffic.insurance | 交通事故责任认定后，保险公司以各种理由拖延理赔已{months}个月，涉及金额约{wan}万元。 | 请求协调保险理赔
traffic.insurance | 车辆在事故中全损，保险公司定损金额明显偏低，与修理厂报价相差{qian}元。 | 请求重新定损并理赔
traffic.ebike | 家人被一辆无牌电动车撞伤，肇事者无力赔偿医药费{qian}元，交通事故处理陷入僵局。 | 请求协调赔偿/请求申请道路交通事故救助基金
traffic.ebike | 本人骑电动车与另一辆电动车相撞，双方对事故责任有争议。 | 请求调解电动车事故纠纷
environment.pollution | 附近{factory}夜间偷排废水，河涌发黑发臭，村民多次投诉企业排污问题无果。 | 请求依法查处排污行为
environment.pollution | {village}旁的{factory}烟囱经常冒黑烟，附近居民夜间不敢开窗，污染问题已持续{months}个月。 | 请求监测废气并整改
environment.odour | 村旁养猪场异味严重，夏天无法开窗，影响约{n}户村民生活。 | 请求整治养殖异味/请求关停违规养殖场
environment.odour | {village}附近新建的养鸡场粪便随意堆放，异味和蚊蝇扰民。 | 请求督促养殖场规范处理粪污
environment.noise | {builder}的工地夜间施工噪音扰民，已持续{days}天，附近居民无法入睡。 | 请求限制夜间施工
environment.noise | 小区旁工地每天早上六点开始打桩，施工噪音严重影响学生休息。 | 请求核查施工许可并控制噪音
environment.water | {village}的河涌多年未清淤，雨季水浸农田{mu}亩，水体发臭。 | 请求清淤整治河涌
environment.water | 上游{builder}占用河道堆放砂石，河涌水位抬高，下游{n}户农田被淹。 | 请求清理河道障碍
overseas.house | 本人为归侨，父辈在{village}的侨房被亲戚{person}占用出租多年，收益从未分配。 | 请求协调归还侨房使用权
overseas.house | 旅居{country}的侨胞委托本人处理其在{town}的侨房，办理产权登记遇到困难。 | 请求指导办理侨房产权登记
overseas.rights | 本人是侨眷，{country}亲属寄回的侨汇被村里扣作集体费用，侨眷权益受损。 | 请求维护侨眷合法权益
overseas.rights | 归侨子女申请入学时，学校不认可侨眷身份证明，涉及照顾政策。 | 请求落实侨眷子女入学照顾政策
overseas.ancestral | {country}华侨后人回乡祭祖，发现{village}祖坟被{builder}施工破坏。 | 请求恢复祖坟并赔偿/请求协调处理祖坟纠纷
overseas.ancestral | 家族祖屋为侨房，旅居{country}的{n}位亲属与在乡亲属对祖屋修缮费用分摊发生争议。 | 请求协调侨房祖屋修缮纠纷
marine.sea_use | 本人养殖海域约{mu}亩被他人占用插桩，对方持有的用海手续存疑。 | 请求核查海域使用权
marine.sea_use | {builder}在{town}近岸填海作业，影响本村{n}户渔民传统作业海域。 | 请求核查用海审批并补偿渔民
marine.boats | 本人渔船{boat}停泊时被他人渔船碰撞，修船费用{wan}万元，双方对渔船碰撞责任有争议。 | 请求调解渔船碰撞纠纷
marine.boats | 与{person}合伙购置渔船{boat}，对方拒绝分配{year}年捕捞收益约{wan}万元。 | 请求调解渔船合伙纠纷
marine.aquaculture | 养殖水面承包到期后，村委会未按约定让本人优先续包，{mu}亩鱼塘被转包他人。 | 请求依约续包养殖水面
marine.aquaculture | 邻近鱼塘排水导致本人养殖水面鱼虾大量死亡，损失约{wan}万元。 | 请求调解养殖损失赔偿
law.enforcement | 人民法院{year}年判决对方支付本人{wan}万元，但至今{months}个月仍未执行到位。 | 请求督促法院执行
law.enforcement | 民事判决已生效，被执行人{person}名下有房产却一直未被执行。 | 请求加大执行力度
law.judgment | 对{year}年法院一审判决结果不服，认为事实认定错误，上诉期已过。 | 请求复查案件/咨询申请再审途径
law.judgment | 本人认为法院判决的赔偿金额过低，与实际损失{wan}万元相差很大。 | 请求依法重新审理
law.police | 对派出所{date}作出的治安处罚决定不服，认为处罚过重。 | 请求撤销治安处罚决定
law.police | 报警{months}个月后，派出所对本人被打一事仍未作出处理。 | 请求公安机关依法处理
law.supervision | 对法院生效判决不服，已申请再审被驳回，向检察院申请检察监督。 | 请求检察机关依法监督
law.supervision | 认为本人所涉刑事案件的侦查程序违法，向检察院申诉未获答复。 | 请求检察机关监督纠正
policy.welfare | 家庭因病致贫，向{town}申请低保{months}个月仍未批复。 | 咨询低保申请条件和进度
policy.welfare | 本人独居{village}，年老无子女，询问特困人员救助供养政策。 | 咨询特困救助政策
policy.pension | 本人工龄{years}年，退休后养老金计算与预期不符，相差约{qian}元。 | 咨询养老待遇计算办法/请求核查养老金
policy.pension | 本人曾在外省参保{years}年，回乡后养老保险关系转移接续遇到困难。 | 咨询养老保险转移政策
policy.education | 随迁子女入学需要哪些材料，积分如何计算，{town}学位是否充足。 | 咨询入学政策
policy.education | 孩子因户籍变动无法在{town}学校就读，询问入学政策。 | 咨询户籍与入学政策
suggestion.public | {village}村口道路路灯损坏{n}盏，夜间出行不便，公共设施长期缺乏维护。 | 建议尽快维修路灯
suggestion.public | 建议在{village}增设公共厕所和垃圾收集点，方便村民和游客。 | 建议完善公共设施
suggestion.governance | {village}村务公开栏信息更新不及时，村民对村务了解不多，基层治理有待加强。 | 建议定期公开村务信息
suggestion.governance | 建议在{town}推行网格员上门服务，方便老人办理事务。 | 建议完善基层治理服务
suggestion.transport | 建议在{village}增设公交站点，方便老人就医出行。 | 建议增设公交站点
suggestion.transport | {town}圩日路段交通拥堵，建议增设临时停车区和交通出行指引。 | 建议优化交通组织
accusation.cadre | 反映{village}村干部在工程发包中优亲厚友，涉及金额约{wan}万元。 | 请求调查处理村干部
accusation.cadre | 举报村干部{person}利用职务之便为亲属违规审批宅基地。 | 请求依法调查处理
accusation.funds | 反映{village}集体资金约{wan}万元使用不透明，账目多年未公开。 | 请求审计集体资金
accusation.funds | 举报村集体土地出租收入{wan}万元去向不明，村民未获分红。 | 请求调查集体资金去向
accusation.staff | 反映某部门工作人员办事推诿、态度恶劣，本人往返{n}次仍未办成。 | 请求调查处理/请求整改工作作风
accusation.staff | 举报某站所工作人员在办理业务时索要好处费{qian}元。 | 请求依法查处
en:overseas.house | I am a returned overseas Chinese from {en_country}. My late father's house in {village} has been rented out by a relative for {years} years without my consent. | Please help me recover the use of the overseas Chinese house
en:overseas.rights | My family emigrated to {en_country} in the 1980s; as relatives of overseas Chinese we were left out of the village dividend for {years} years. | Please protect our rights as overseas Chinese dependants
en:overseas.ancestral | I am an overseas Chinese living in {en_country} and came back to visit my ancestral home in {village}; the ancestral graves were damaged by road works of {builder}. | Please have the graves restored and the family compensated
"""
_TEXTS: dict[str, list[tuple[str, str]]] = {}
for _line in _TEXT_TABLE.strip().splitlines():
    _code, _facts, _demands = _line.split(" | ")
    _TEXTS.setdefault(_code, []).append((_facts, _demands))
_OPENERS = ("本人系{town}{village}村民，", "我是{village}居民，", "", "", "")
_CLOSERS = {None: ("希望有关部门尽快协调处理。", "此事已持续较长时间，严重影响生活。", "曾向村委会反映，未得到解决。",
                   "本人家庭困难，恳请帮助解决。", "", "", ""),
            "policy": ("希望工作人员详细解答。", "", ""), "suggestion": ("望予以采纳。", "", ""),
            "accusation": ("请予以调查核实。", "本人愿意配合调查。", "", "")}
_TOWNS = tuple(t for *_c, towns in COUNTIES for t in towns)
_COUNTY_NAMES = tuple(name for _code, name, *_r in COUNTIES)
_COUNTRIES = ("美国", "加拿大", "澳大利亚", "秘鲁", "马来西亚", "新西兰", "英国", "新加坡")
_EN_COUNTRIES = ("the United States", "Canada", "Australia", "New Zealand", "the United Kingdom")


def _amount(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


_SLOTS = {
    "year": lambda r: str(r.randint(2022, 2025)), "m1": None, "m2": None,
    "wan": lambda r: _amount(r.uniform(0.5, 30)), "qian": lambda r: str(r.randrange(800, 20000, 100)),
    "area": lambda r: str(r.randint(12, 300)), "mu": lambda r: str(r.randint(2, 120)),
    "days": lambda r: str(r.randint(5, 60)), "months": lambda r: str(r.randint(2, 18)),
    "n": lambda r: str(r.randint(2, 40)), "years": lambda r: str(r.randint(3, 35)),
    "wage": lambda r: _amount(r.uniform(0.8, 6)), "bigwan": lambda r: str(r.randint(10, 200)),
    "org": organization_name, "person": person_name, "man": lambda r: person_name(r, "M"),
    **{slot: (lambda sector: lambda r: organization_name(r, sector=sector))(sector) for slot, sector in
       [("builder", "construction"), ("factory", "factory"), ("property", "property"),
        ("developer", "developer"), ("shop", "shop"), ("farm", "farm")]},
    "company": lambda r: organization_name(r, sector=r.choice(("factory", "shop", "transport", "staffing"))),
    "village": lambda r: place_name(r) + "村", "town": lambda r: r.choice(_TOWNS),
    "date": lambda r: f"{r.randint(2023, 2025)}年{r.randint(1, 10)}月{r.randint(1, 28)}日",
    "hospital": lambda r: (r.choice(_COUNTY_NAMES) + "人民医院" if r.random() < 0.5 else
                           r.choice(_TOWNS).removesuffix("街道").removesuffix("镇") + "卫生院"),
    "country": lambda r: r.choice(_COUNTRIES), "en_country": lambda r: r.choice(_EN_COUNTRIES),
    "boat": lambda r: f"粤江{r.choice('台新恩')}渔{r.randrange(10000, 99999)}",
}
_FORMATTER = string.Formatter()


def _compile(template: str) -> tuple[str, tuple[str, ...]]:
    return template, tuple(dict.fromkeys(f for _t, f, _s, _c in _FORMATTER.parse(template) if f))


def _prepare(texts: dict) -> dict[str, tuple]:
    return {code: tuple((_compile(facts), tuple(demands.split("/"))) for facts, demands in rows)
            for code, rows in texts.items()}


_PREPARED = _prepare({c: rows for c, rows in _TEXTS.items() if not c.startswith("en:")})
_PREPARED_EN = _prepare({c[3:]: rows for c, rows in _TEXTS.items() if c.startswith("en:")})
assert set(_PREPARED) == {c.code for c in CATEGORIES if c.parent_code}, "every subcategory needs texts"
_OPENERS_C = tuple(_compile(t) for t in _OPENERS)
_CLOSERS_C = {top: tuple(_compile(t) for t in texts) for top, texts in _CLOSERS.items()}


def _fill(rng: random.Random, compiled: tuple[str, tuple[str, ...]], values: dict) -> str:
    template, fields = compiled
    for field in fields:
        if field not in values:
            if field in ("m1", "m2"):
                values["m1"] = str(m1 := rng.randint(1, 8))
                values["m2"] = str(min(12, m1 + rng.randint(1, 4)))
            else:
                values[field] = _SLOTS[field](rng)
    return template.format(**values) if fields else template


def case_text(rng: random.Random, category_code: str) -> tuple[str, str]:
    """(facts, demand) in the voice of a petitioner; a top-level code draws from all its subcategories."""
    top = category_code.split(".")[0]
    if category_code in _PREPARED:
        code = category_code
    elif top in _SUBS:
        code = rng.choice(_SUBS[top])
    else:
        raise ValueError(f"unknown category {category_code!r}")
    values: dict[str, str] = {}
    if code in _PREPARED_EN and rng.random() < 0.12:
        facts, demands = rng.choice(_PREPARED_EN[code])
        return _fill(rng, facts, values), rng.choice(demands)
    facts, demands = rng.choice(_PREPARED[code])
    opener, body = _fill(rng, rng.choice(_OPENERS_C), values), _fill(rng, facts, values)
    if opener.endswith("，") and body.startswith("本人"):
        body = body[2:]   # 本人系某村村民，于2025年……
    return opener + body + _fill(rng, rng.choice(_CLOSERS_C.get(top, _CLOSERS_C[None])), values), rng.choice(demands)


_OUTCOMES = {
    "support": (
        "经调查核实，信访人反映的{subject}问题基本属实，诉求合理。依据{basis}，已责成{dept}于{days}日内落实，并将结果书面告知信访人。",
        "经调解，双方自愿达成调解协议，对方同意在{days}日内履行相关义务，信访人的{subject}诉求予以支持。",
        "经{dept}核查，信访人反映情况属实，依据{basis}予以支持，相关整改已列入督办事项，限期{days}日办结。"),
    "explanation": (
        "经调查，{dept}对该{subject}事项的处理符合{basis}的规定。已向信访人解释有关政策，信访人表示理解。",
        "信访人反映的{subject}问题已有相应处理，工作人员已就{basis}的相关规定释法明理，并告知后续办理途径。",
        "经核查，该事项按现行规定办理并无不当，已当面向信访人作出解释说明，并提供法律咨询。"),
    "no_support": (
        "经调查核实，信访人关于{subject}的诉求缺乏事实依据，依据{basis}不予支持。如不服，可自收到本意见书之日起30日内申请复查。",
        "信访人的{subject}诉求超出现行政策规定范围，不予支持，并已告知其可通过诉讼等途径依法维护权益。",
        "经{dept}调查，信访人所述情况与事实不符，诉求不予支持。如不服，可在30日内向上一级机关申请复查。"),
}


def outcome_text(rng: random.Random, category_code: str, result: str) -> str:
    """A short handling opinion for a ``result`` of 'support', 'explanation' or 'no_support'."""
    if result not in _OUTCOMES:
        raise ValueError(f"result must be one of {RESULTS}, not {result!r}")
    category = _CATEGORY.get(category_code)
    dept = _DEPT[category.department_code].name_zh if category and category.department_code else "有关部门"
    subject = category.name_zh if category else "有关"
    basis = _BASIS.get(category_code.split(".")[0], "有关法律法规")
    return rng.choice(_OUTCOMES[result]).format(subject=subject, dept=dept, basis=basis,
                                                days=rng.choice((5, 7, 10, 15, 30)))
