"""A Jiangmen-sized city: 7 county-level units, 73 towns and streets, 1,321 villages, ~3,000 grids."""
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class PlaceSpec:
    code: str
    name: str
    level: str
    parent_code: str | None
    kind: str


CITY = ("440700", "江门市")
# County code, name, kind, and its towns/streets (real names of Jiangmen's divisions).
COUNTIES = [
    ("440703", "蓬江区", "区", "环市街道 潮连街道 白沙街道 棠下镇 荷塘镇 杜阮镇"),
    ("440704", "江海区", "区", "江南街道 外海街道 礼乐街道"),
    ("440705", "新会区", "区", "会城街道 大泽镇 司前镇 罗坑镇 双水镇 崖门镇 沙堆镇 古井镇 三江镇 睦洲镇 大鳌镇"),
    ("440781", "台山市", "市", "台城街道 大江镇 水步镇 四九镇 白沙镇 三合镇 冲蒌镇 斗山镇 都斛镇 赤溪镇 端芬镇 "
                             "广海镇 海宴镇 汶村镇 深井镇 北陡镇 川岛镇"),
    ("440783", "开平市", "市", "长沙街道 三埠街道 月山镇 水口镇 沙塘镇 苍城镇 龙胜镇 大沙镇 马冈镇 塘口镇 赤坎镇 "
                             "百合镇 蚬冈镇 金鸡镇 赤水镇"),
    ("440784", "鹤山市", "市", "沙坪街道 龙口镇 雅瑶镇 古劳镇 桃源镇 鹤城镇 共和镇 址山镇 宅梧镇 双合镇"),
    ("440785", "恩平市", "市", "恩城街道 横陂镇 圣堂镇 良西镇 沙湖镇 牛江镇 君堂镇 大槐镇 东成镇 那吉镇 大田镇"),
]
COUNTY_PREFIX = {"440703": "PJ", "440704": "JH", "440705": "XH", "440781": "TS", "440783": "KP",
                 "440784": "HS", "440785": "EP"}
SMALL = {"440781": 3, "440703": 3}   # counties and how many towns each in the small demo
CITY_VILLAGES = 1321

_FIRST = "石 南 东 西 北 上 下 新 旧 大 小 长 龙 凤 莲 塘 沙 湾 岗 岭 坑 冲 朗 水 平 安 和 兴 福 永 庆 华 富 隆 桥 联 美 竹 荔"
_SECOND = "龙 安 华 头 边 岗 尾 塘 洞 坑 田 村 美 兴 和 阳 溪 浦 滘 湖 山 岭 江 海 桥 冈 围 堡 坪 洲 林 园 埠 头 朗 塘"


def _village_names(rng: random.Random, count: int) -> list[str]:
    firsts, seconds = _FIRST.split(), _SECOND.split()
    names: list[str] = []
    seen: set[str] = set()
    while len(names) < count:
        base = rng.choice(firsts) + rng.choice(seconds)
        if base in seen or base[0] == base[1]:
            continue
        seen.add(base)
        names.append(base + ("社区" if rng.random() < 0.18 else "村"))
    return names


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Spread ``total`` over ``parts`` with some variety, each part at least 8."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    counts = [max(8, int(total * w / sum(weights))) for w in weights]
    while sum(counts) > total:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < total:
        counts[rng.randrange(parts)] += 1
    return counts


def jiangmen_places(size: str, rng: random.Random) -> list[PlaceSpec]:
    """Every place, parents before children; deterministic for the rng's seed."""
    if size not in ("small", "city"):
        raise ValueError("size is 'small' or 'city'")
    places = [PlaceSpec(CITY[0], CITY[1], "city", None, "市")]
    towns: list[PlaceSpec] = []
    for code, name, kind, town_names in COUNTIES:
        names = town_names.split()
        if size == "small":
            if code not in SMALL:
                continue
            names = names[:SMALL[code]]
        places.append(PlaceSpec(code, name, "county", CITY[0], kind))
        for number, town in enumerate(names, 1):
            spec = PlaceSpec(f"{code}{number:03d}", town, "town", code, "街道" if town.endswith("街道") else "镇")
            towns.append(spec)
    places.extend(towns)
    per_town = [4] * len(towns) if size == "small" else _split(CITY_VILLAGES, len(towns), rng)
    villages: list[PlaceSpec] = []
    for town, count in zip(towns, per_town):
        for number, name in enumerate(_village_names(rng, count), 1):
            villages.append(PlaceSpec(f"{town.code}{number:03d}", name, "village", town.code,
                                      "社区" if name.endswith("社区") else "村"))
    places.extend(villages)
    for village in villages:
        grids = 2 if size == "small" else (3 if rng.random() < 0.27 else 2)
        for number in range(1, grids + 1):
            places.append(PlaceSpec(f"{village.code}{number:02d}", f"{village.name}第{number}网格", "grid",
                                    village.code, "网格"))
    return places
