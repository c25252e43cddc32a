"""Search words for the reception's category and place pickers: the names, their pinyin initials and a few
words visitors use for each category, so "qx" or "欠薪" finds 拖欠工资 without scrolling a 66-option list."""
import bisect

# GB 2312 orders its 3,755 common characters (0xB0A1–0xD7F9) by pinyin: the first code of each initial.
# Rarer characters (ordered by radical) get no initial; their name still matches as typed.
_GB_STARTS = [0xB0A1, 0xB0C5, 0xB2C1, 0xB4EE, 0xB6EA, 0xB7A2, 0xB8C1, 0xB9FE, 0xBBF7, 0xBFA6, 0xC0AC, 0xC2E8,
              0xC4C3, 0xC5B6, 0xC5BE, 0xC6DA, 0xC8BB, 0xC8F6, 0xCBFA, 0xCDDA, 0xCEF4, 0xD1B9, 0xD4D1]
_GB_LETTERS = "abcdefghjklmnopqrstwxyz"
_GB_END = 0xD7F9

# Words visitors and receptionists say for a category (by code), beyond its own name.
SYNONYMS = {
    "labour": "劳动 社保", "labour.wages": "欠薪 讨薪 工钱 欠工资 包工头", "labour.injury": "工伤 受伤 赔偿",
    "labour.insurance": "社保 养老保险 断缴", "labour.contract": "合同 辞退 开除 解雇",
    "land.homestead": "宅基地 建房", "land.compensation": "征地 补偿款", "land.forest": "山林 林地",
    "land.contracting": "承包地 流转", "housing.property": "物业 管理费", "housing.quality": "漏水 裂缝",
    "housing.illegal": "违建 乱搭建", "housing.resettle": "拆迁 安置", "family.support": "赡养 抚养 养老",
    "family.divorce": "离婚 分财产", "family.inherit": "遗产 继承", "family.conflict": "家暴 吵架",
    "neighbour.boundary": "边界 通道 滴水", "neighbour.noise": "噪音 漏水", "neighbour.damage": "赔偿 损坏",
    "consumer.goods": "假货 质量 退货", "consumer.prepaid": "预付卡 会员卡 跑路", "consumer.food": "食品 变质",
    "medical.malpractice": "医疗事故 误诊", "medical.fees": "乱收费", "medical.medicare": "医保 报销",
    "traffic.compensation": "车祸 撞人", "traffic.insurance": "理赔 保险", "traffic.ebike": "电动车 摩托",
    "environment.pollution": "污染 排污 废水", "environment.odour": "臭味 养猪 养殖", "environment.noise": "噪音 施工",
    "environment.water": "河涌 水质 黑臭", "overseas.house": "侨房", "overseas.rights": "侨眷 华侨",
    "overseas.ancestral": "祖屋 祖坟", "marine.sea_use": "海域", "marine.boats": "渔船", "marine.aquaculture": "养殖 鱼塘",
    "law.enforcement": "执行 判决不执行", "law.judgment": "判决 上诉 申诉", "law.police": "罚款 拘留",
    "law.supervision": "检察院", "policy.welfare": "低保 救助 困难", "policy.pension": "养老金 退休",
    "policy.education": "入学 学位 读书", "suggestion.public": "路灯 道路 设施", "suggestion.governance": "村务",
    "suggestion.transport": "公交 出行", "accusation.cadre": "村干部 村官 贪污", "accusation.funds": "集体资金 账目",
    "accusation.staff": "干部 作风 不作为",
}


def pinyin_initials(text: str) -> str:
    """The pinyin initial of each common Chinese character ("拖欠工资" → "tqgz"); other characters are kept
    lower-cased (Latin letters, digits) or left out."""
    letters = []
    for ch in text:
        if ch.isascii():
            letters.append(ch.lower() if ch.isalnum() else "")
            continue
        try:
            raw = ch.encode("gb2312")
        except UnicodeEncodeError:
            continue
        code = raw[0] << 8 | raw[1] if len(raw) == 2 else 0
        if _GB_STARTS[0] <= code <= _GB_END:
            letters.append(_GB_LETTERS[bisect.bisect_right(_GB_STARTS, code) - 1])
    return "".join(letters)


def search_words(*texts: str) -> str:
    """What a picker matches against: the texts themselves and each one's pinyin initials."""
    words = [t for t in texts if t]
    return " ".join(words + [pinyin_initials(w) for text in words for w in text.split()]).lower()
