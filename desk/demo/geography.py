"""A Jiangmen-sized city: 7 county-level units, 73 towns and streets, 1,321 villages, ~3,000 grids.

Pure data, no database: ``jiangmen_places(size, rng)`` returns ``PlaceSpec`` rows, parents before
children, deterministic for the state of the ``random.Random`` passed in.
"""
import random
from dataclasses import dataclass

LEVELS = ("city", "county", "town", "village", "grid")


@dataclass(frozen=True)
class PlaceSpec:
    code: str
    name: str
    level: str               # 'city' | 'county' | 'town' | 'village' | 'grid'
    parent_code: str | None
    kind: str                # 市 | 区 | 镇 | 街道 | 村 | 社区 | 网格


CITY = ("440700", "江门市")
# GB area code, name, kind, and its towns and streets (the real divisions: 12 streets, 61 towns).
COUNTIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = tuple(
    (code, name, kind, tuple(towns.split())) for code, name, kind, towns in [
        ("440703", "蓬江区", "区", "环市街道 潮连街道 白沙街道 棠下镇 荷塘镇 杜阮镇"),
        ("440704", "江海区", "区", "江南街道 外海街道 礼乐街道"),
        ("440705", "新会区", "区", "会城街道 大泽镇 司前镇 罗坑镇 双水镇 崖门镇 沙堆镇 古井镇 三江镇 睦洲镇 大鳌镇"),
        ("440781", "台山市", "市", "台城街道 大江镇 水步镇 四九镇 白沙镇 三合镇 冲蒌镇 斗山镇 都斛镇 赤溪镇 端芬镇 "
                                 "广海镇 海宴镇 汶村镇 深井镇 北陡镇 川岛镇"),
        ("440783", "开平市", "市", "长沙街道 三埠街道 月山镇 水口镇 沙塘镇 苍城镇 龙胜镇 大沙镇 马冈镇 塘口镇 赤坎镇 "
                                 "百合镇 蚬冈镇 金鸡镇 赤水镇"),
        ("440784", "鹤山市", "市", "沙坪街道 龙口镇 雅瑶镇 古劳镇 桃源镇 鹤城镇 共和镇 址山镇 宅梧镇 双合镇"),
        ("440785", "恩平市", "市", "恩城街道 横陂镇 圣堂镇 良西镇 沙湖镇 牛江镇 君堂镇 大槐镇 东成镇 那吉镇 大田镇"),
    ])
COUNTY_NAMES: dict[str, str] = {code: name for code, name, _kind, _towns in COUNTIES}
# Two-letter prefixes for case reference numbers, e.g. TS-2026-000123.
COUNTY_PREFIX: dict[str, str] = {"440703": "PJ", "440704": "JH", "440705": "XH", "440781": "TS",
                                 "440783": "KP", "440784": "HS", "440785": "EP"}
SMALL_TOWNS = {"440781": 3, "440703": 3}   # the small demo: these counties, this many towns each
SMALL_VILLAGES_PER_TOWN = 4
SMALL_GRIDS_PER_VILLAGE = 2
CITY_TOWNS = 73
CITY_VILLAGES = 1321
THIRD_GRID_SHARE = 0.27                    # 1,321 villages x 2.27 grids ≈ 3,000 grids

# Syllables of Pearl River Delta place names: a qualifier, then a landform or settlement word.
_HEADS = tuple("石 南 东 西 北 上 下 新 大 小 长 龙 凤 莲 沙 水 平 安 和 兴 福 永 庆 华 富 隆 联 美 竹 荔 "
               "松 梅 桂 白 黄 青 金 银 三 五 六 高 良 仁 义 宁 泰 丰 乐 光 朗 潮 礼 荷 那 古 坑 塘".split())
_TAILS = tuple("龙 安 华 头 边 岗 尾 塘 洞 坑 田 美 兴 和 阳 溪 浦 滘 湖 山 岭 江 海 桥 冈 围 堡 坪 洲 林 园 埠 "
               "朗 涌 基 圩 墩 冲 背 环 里 坊 岸 步 寮 湾".split())


def place_name(rng: random.Random) -> str:
    """A plausible two-character Cantonese-area place name (without 村/社区)."""
    while True:
        head, tail = rng.choice(_HEADS), rng.choice(_TAILS)
        if head != tail:
            return head + tail


def _village_names(rng: random.Random, count: int, street: bool) -> list[tuple[str, str]]:
    """``count`` (name, kind) pairs unique within one town; streets are mostly communities."""
    community_share = 0.75 if street else 0.12
    names: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(names) < count:
        base = place_name(rng)
        if base in seen:
            continue
        seen.add(base)
        kind = "社区" if rng.random() < community_share else "村"
        names.append((base + kind, kind))
    return names


def _spread(total: int, parts: int, rng: random.Random, floor: int = 8) -> list[int]:
    """Split ``total`` into ``parts`` varied counts (each at least ``floor``) that sum exactly."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    scale = sum(weights)
    counts = [max(floor, int(total * w / scale)) for w in weights]
    while sum(counts) > total:
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < total:
        counts[rng.randrange(parts)] += 1
    return counts


def jiangmen_places(size: str, rng: random.Random) -> list[PlaceSpec]:
    """Every place of the demo city ('small' or 'city'), parents before children.

    Codes: city 440700, county = GB code (440781), town = county + 3 digits, village = town + 3 digits,
    grid = village + 2 digits.
    """
    if size not in ("small", "city"):
        raise ValueError(f"size must be 'small' or 'city', not {size!r}")
    city = PlaceSpec(CITY[0], CITY[1], "city", None, "市")
    counties: list[PlaceSpec] = []
    towns: list[PlaceSpec] = []
    for code, name, kind, town_names in COUNTIES:
        if size == "small":
            if code not in SMALL_TOWNS:
                continue
            town_names = town_names[:SMALL_TOWNS[code]]
        counties.append(PlaceSpec(code, name, "county", city.code, kind))
        for number, town in enumerate(town_names, 1):
            towns.append(PlaceSpec(f"{code}{number:03d}", town, "town", code,
                                   "街道" if town.endswith("街道") else "镇"))
    if size == "city":
        assert len(towns) == CITY_TOWNS
        per_town = _spread(CITY_VILLAGES, len(towns), rng)
    else:
        per_town = [SMALL_VILLAGES_PER_TOWN] * len(towns)
    villages: list[PlaceSpec] = []
    for town, count in zip(towns, per_town):
        for number, (name, kind) in enumerate(_village_names(rng, count, town.kind == "街道"), 1):
            villages.append(PlaceSpec(f"{town.code}{number:03d}", name, "village", town.code, kind))
    grids: list[PlaceSpec] = []
    for village in villages:
        if size == "small":
            count = SMALL_GRIDS_PER_VILLAGE
        else:
            count = 3 if rng.random() < THIRD_GRID_SHARE else 2
        for number in range(1, count + 1):
            grids.append(PlaceSpec(f"{village.code}{number:02d}", f"{village.name}第{number}网格", "grid",
                                   village.code, "网格"))
    return [city, *counties, *towns, *villages, *grids]


__all__ = ["CITY", "COUNTIES", "COUNTY_NAMES", "COUNTY_PREFIX", "LEVELS", "PlaceSpec", "jiangmen_places",
           "place_name"]
