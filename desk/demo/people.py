"""Realistic Guangdong names, valid resident ID numbers, mobile phones and organisation names.

Every function draws only from the ``random.Random`` passed in, so output is deterministic per seed.
"""
import random
from datetime import date, timedelta
from itertools import accumulate

from desk.demo.geography import place_name

DEMO_TODAY = date(2026, 11, 23)

# Surnames with rough weights for the Pearl River Delta and the Siyi (四邑) counties around Jiangmen:
# 陈 李 黄 梁 lead; 关 谭 余 邝 甄 伍 司徒 are far more common here than nationally.
_SURNAME_WEIGHTS = [
    ("陈", 120), ("李", 75), ("黄", 72), ("梁", 55), ("张", 40), ("林", 38), ("刘", 36), ("吴", 30),
    ("关", 22), ("谭", 28), ("余", 20), ("邝", 12), ("甄", 10), ("伍", 18), ("何", 22), ("朱", 14),
    ("罗", 14), ("郑", 16), ("冯", 14), ("叶", 14), ("曾", 12), ("麦", 10), ("区", 6), ("钟", 10),
    ("胡", 9), ("周", 12), ("赵", 9), ("杨", 14), ("许", 9), ("潘", 9), ("卢", 10), ("邓", 12),
    ("苏", 9), ("蔡", 8), ("郭", 8), ("容", 5), ("冼", 5), ("岑", 5), ("莫", 7), ("温", 6),
    ("简", 4), ("雷", 4), ("方", 5), ("源", 3), ("司徒", 9), ("欧阳", 4), ("司马", 1), ("上官", 1),
]
_SURNAMES = tuple(s for s, _ in _SURNAME_WEIGHTS)
_SURNAME_CUM = tuple(accumulate(w for _, w in _SURNAME_WEIGHTS))

_MALE = tuple("伟 强 志 国 建 文 明 华 杰 荣 俊 辉 勇 浩 锦 耀 家 永 德 海 振 宏 健 富 新 添 炳 松 汉 达 "
              "卓 冠 炜 沛 铭 鸿 柏 权 兆 培 灿 锐 彬 嘉 子 梓 轩 宇 晖 树 满 胜 钊 坤 棠 焕 润 启".split())
_FEMALE = tuple("丽 敏 静 燕 芳 玲 娟 霞 雪 婷 慧 美 秀 月 莲 翠 凤 惠 琼 嘉 欣 颖 倩 妙 碧 玉 少 桂 珍 银 "
                "咏 诗 晓 淑 婉 蕙 洁 佩 思 雅 楚 彩 爱 金 转 好 宝 素 明 艳 萍 晴 梓 琳 韵".split())
_SINGLE_GIVEN_SHARE = 0.18

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# Mobile number segments (China Mobile, Unicom, Telecom, Broadcast), common ones repeated.
_MOBILE_PREFIXES = tuple(
    "134 135 136 137 138 139 150 151 152 157 158 159 182 183 184 187 188 147 178 198 "
    "130 131 132 155 156 185 186 145 166 175 176 "
    "133 153 180 181 189 177 173 199 191 193 "
    "135 136 137 138 139 138 159 158 189 186 188 131 180 192".split())

# For "the other party": trade names and business kinds seen around Jiangmen.
_TRADE_NAMES = tuple("恒盛 华发 富利 信达 新鸿 泰丰 裕兴 隆昌 宏图 安居 嘉华 海鸿 侨兴 联发 永利 金茂 "
                     "锦绣 骏达 美景 粤海 江华 银洲 碧桂 东湖 凤城 五邑 潭江 侨乡 广和 汇丰源 宝利来 "
                     "大昌 祥记 合胜 荣兴 德信 长盈 顺景 利民".split())
# Business kinds by sector, with weights; organization_name(sector=None) draws from all of them.
ORG_SECTORS: dict[str, tuple[tuple[str, int], ...]] = {
    "property": (("物业管理有限公司", 12), ("物业服务有限公司", 4)),
    "construction": (("建筑工程有限公司", 10), ("装饰工程有限公司", 5), ("建设工程有限公司", 3)),
    "developer": (("房地产开发有限公司", 8), ("置业有限公司", 3)),
    "factory": (("五金制品有限公司", 6), ("家具有限公司", 4), ("电器有限公司", 4), ("卫浴实业有限公司", 3),
                ("纺织制衣厂", 3), ("食品有限公司", 3), ("摩托车配件厂", 2), ("不锈钢制品厂", 2)),
    "shop": (("商贸有限公司", 5), ("餐饮管理有限公司", 4), ("汽车销售服务有限公司", 2), ("健身会所", 2),
             ("美容美发店", 2), ("教育培训中心", 2), ("电器商行", 2)),
    "farm": (("水产养殖专业合作社", 4), ("农业发展有限公司", 4), ("生猪养殖场", 2), ("渔业有限公司", 2)),
    "transport": (("汽车运输有限公司", 4), ("物流有限公司", 3)),
    "staffing": (("劳务派遣有限公司", 5),),
}
_SECTOR_TABLES = {
    sector: (tuple(k for k, _ in rows), tuple(accumulate(w for _, w in rows)))
    for sector, rows in [*ORG_SECTORS.items(), (None, tuple(r for rows in ORG_SECTORS.values() for r in rows))]}
_ORG_PLACES = ("江门市", "江门市", "蓬江区", "江海区", "新会区", "台山市", "台山市", "开平市", "鹤山市", "恩平市")


def surname(rng: random.Random) -> str:
    return rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]


def person_name(rng: random.Random, sex: str | None = None) -> str:
    """A Chinese full name; ``sex`` is 'M', 'F' or None (either)."""
    if sex is None:
        sex = "M" if rng.random() < 0.5 else "F"
    elif sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M', 'F' or None, not {sex!r}")
    chars = _MALE if sex == "M" else _FEMALE
    first = rng.choice(chars)
    if rng.random() < _SINGLE_GIVEN_SHARE:
        return surname(rng) + first
    second = rng.choice(chars)
    while second == first and rng.random() < 0.8:   # reduplicated names (婷婷) occur, but rarely
        second = rng.choice(chars)
    return surname(rng) + first + second


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    value = (12 - sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11) % 11
    return "X" if value == 10 else str(value)


def resident_id(rng: random.Random, area_code: str, birth_date: date, sex: str) -> str:
    """A valid 18-character resident ID number: area, birth date, sequence (odd = male), check."""
    area = str(area_code)[:6]
    if len(area) != 6 or not area.isdigit():
        raise ValueError("area_code must start with 6 digits")
    if sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    last = rng.choice((1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8))
    sequence = rng.randrange(100) * 10 + last
    if sequence == 0:
        sequence = 10 * rng.randrange(1, 100)   # 000 is never issued
    body = f"{area}{birth_date:%Y%m%d}{sequence:03d}"
    return body + id_check_digit(body)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:                      # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def birth_date(rng: random.Random, min_age: int = 18, max_age: int = 85,
               today: date = DEMO_TODAY) -> date:
    """A birth date for someone aged between ``min_age`` and ``max_age`` (inclusive) on ``today``."""
    if min_age > max_age:
        raise ValueError("min_age must not exceed max_age")
    latest = _years_before(today, min_age)
    earliest = _years_before(today, max_age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def mobile_phone(rng: random.Random) -> str:
    """An 11-digit mainland mobile number."""
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10 ** 8):08d}"


def organization_name(rng: random.Random, place: str | None = None, sector: str | None = None) -> str:
    """A local company, cooperative or village body, e.g. 台山市嘉华物业管理有限公司.

    ``sector`` narrows the kind: one of ORG_SECTORS ('property', 'construction', 'developer', 'factory',
    'shop', 'farm', 'transport', 'staffing'); None draws any kind, and now and then a village body.
    """
    if sector is None and rng.random() < 0.08:
        return place_name(rng) + rng.choice(("村股份经济合作社", "村民委员会", "经济联合社"))
    kinds, cum = _SECTOR_TABLES[sector]
    where = place or rng.choice(_ORG_PLACES)
    return where + rng.choice(_TRADE_NAMES) + rng.choices(kinds, cum_weights=cum)[0]


__all__ = ["ORG_SECTORS", "birth_date", "id_check_digit", "mobile_phone", "organization_name", "person_name", "resident_id",
           "surname"]
