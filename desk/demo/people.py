"""Realistic Guangdong names, valid resident ID numbers, phones and organisation names."""
import random
from datetime import date, timedelta

# Surnames weighted the way they occur in the Pearl River Delta (common first), a few two-character ones.
_SURNAMES = ("陈" * 14 + "李" * 8 + "黄" * 8 + "梁" * 6 + "张" * 5 + "林" * 5 + "刘" * 5 + "吴" * 4 + "关" * 3 +
             "谭" * 4 + "余" * 3 + "邝" * 2 + "甄" * 2 + "伍" * 3 + "朱" * 2 + "何" * 3 + "罗" * 2 + "郑" * 2 +
             "冯" * 2 + "叶" * 2 + "曾" * 2 + "麦" + "区" + "钟" + "胡" + "周" + "赵" + "杨" + "许" + "潘" + "卢")
_DOUBLE = ["司徒", "欧阳", "上官"]
_MALE = "伟 强 志 国 建 文 明 华 杰 荣 俊 辉 勇 浩 锦 耀 家 永 德 海 振 宏 健 富 新 添 炳 松 汉 达".split()
_FEMALE = "丽 敏 静 燕 芳 玲 娟 霞 雪 婷 慧 美 秀 月 莲 翠 凤 惠 琼 嘉 欣 颖 倩 妙 碧 玉 少 桂 珍 银".split()
_ORG_WORDS = "恒 盛 华 发 富 利 信 达 新 鸿 泰 裕 兴 隆 宏 安 嘉 海 侨 联".split()
_ORG_KINDS = ["物业管理有限公司", "建筑工程有限公司", "五金制品厂", "水产养殖专业合作社", "房地产开发有限公司",
              "家具有限公司", "汽车运输有限公司", "电器有限公司", "劳务派遣有限公司", "农业发展有限公司"]
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def person_name(rng: random.Random, sex: str | None = None) -> str:
    sex = sex or rng.choice("MF")
    surname = rng.choice(_DOUBLE) if rng.random() < 0.02 else rng.choice(_SURNAMES)
    chars = _MALE if sex == "M" else _FEMALE
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.8 else "")
    return surname + given


def _check(first17: str) -> str:
    value = (12 - sum(int(d) * w for d, w in zip(first17, _WEIGHTS)) % 11) % 11
    return "X" if value == 10 else str(value)


def resident_id(rng: random.Random, area_code: str, born: date, sex: str) -> str:
    """A valid 18-character GB 11643-1999 number (odd sequence digit for men, even for women)."""
    sequence = rng.randrange(0, 100) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8))
    body = f"{area_code[:6]}{born:%Y%m%d}{sequence:03d}"
    return body + _check(body)


def birth_date(rng: random.Random, min_age: int = 18, max_age: int = 85, today: date = date(2026, 11, 23)) -> date:
    return today - timedelta(days=rng.randint(min_age * 365 + 5, max_age * 365))


def mobile_phone(rng: random.Random) -> str:
    prefix = rng.choice(["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
                         "182", "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133",
                         "153", "180", "181", "189", "199", "191"])
    return prefix + f"{rng.randrange(10 ** 8):08d}"


def organization_name(rng: random.Random, place: str = "台山市") -> str:
    return place + rng.choice(_ORG_WORDS) + rng.choice(_ORG_WORDS) + rng.choice(_ORG_KINDS)
