"""The default words of extreme intent (极端言行词库): phrases that, written in a matter's title, facts or demand,
call for a warning at once. Drawn from the way petitioners' statements read in Guangdong's petition records:
threats of self-harm or violence (red), carrying the matter to Beijing or the province, gathering, blocking
roads and gates, banners and sit-ins (orange), going to the press or the internet (yellow).

Kept in Simplified script; each is matched in Traditional script too (rules._variants). Administrators keep
the list afterwards (/intake/risk/lists): they add their own words and switch defaults off; a default switched
off stays off, since ``ensure_default_terms`` adds only the words not on the list in either script.

Chosen to be specific: a bare "堵" or "冲突" would flag a blocked drain (排水沟堵塞) or a boundary quarrel, so the
list holds phrases ("堵路", "冲击政府") rather than single characters."""
import sqlalchemy as sa

from desk.extensions import db
from desk.timeutil import utcnow
from intake.risk.models import RiskLevel, RiskTerm

RED, ORANGE, YELLOW = RiskLevel.red, RiskLevel.orange, RiskLevel.yellow

DEFAULT_TERMS: tuple[tuple[str, RiskLevel], ...] = (
    # self-harm, threats to life, violence
    ("跳楼", RED), ("跳河", RED), ("跳海", RED), ("自杀", RED), ("自焚", RED), ("喝农药", RED), ("服毒", RED),
    ("割腕", RED), ("轻生", RED), ("不想活了", RED), ("以死相逼", RED), ("同归于尽", RED), ("杀了他", RED),
    ("报复社会", RED), ("放火", RED), ("泼汽油", RED), ("炸药", RED),
    # carried to Beijing or the province, over the levels
    ("进京", ORANGE), ("赴京", ORANGE), ("去北京", ORANGE), ("到北京上访", ORANGE), ("到省里", ORANGE),
    ("去省里", ORANGE), ("去省城", ORANGE), ("越级上访", ORANGE), ("集体上访", ORANGE),
    # gathering, blocking, banners, sit-ins
    ("聚集", ORANGE), ("围堵", ORANGE), ("堵路", ORANGE), ("堵门", ORANGE), ("堵桥", ORANGE), ("拦车", ORANGE),
    ("拉横幅", ORANGE), ("打横幅", ORANGE), ("举牌", ORANGE), ("静坐", ORANGE), ("游行", ORANGE),
    ("冲击政府", ORANGE),
    # the press and the internet
    ("找媒体", YELLOW), ("找记者", YELLOW), ("曝光", YELLOW), ("发抖音", YELLOW), ("网上发帖", YELLOW),
    ("上热搜", YELLOW),
)


def missing_default_terms(kept: list[str]) -> list[tuple[str, RiskLevel]]:
    """The defaults not on the list yet, in either script (a list holding 跳樓 already covers 跳楼)."""
    from intake.risk.rules import _variants
    held = {variant for term in kept for variant in _variants(term)}
    return [(term, level) for term, level in DEFAULT_TERMS if not held & set(_variants(term))]


def ensure_default_terms() -> int:
    """Add the default words the list lacks (one INSERT); idempotent. Returns how many were added."""
    from intake.risk.rules import lists_changed
    kept = list(db.session.scalars(sa.select(RiskTerm.term)))
    missing = missing_default_terms(kept)
    if missing:
        now = utcnow()
        db.session.execute(sa.insert(RiskTerm.__table__), [
            {"term": term, "level": level.value, "active": True, "created_at": now} for term, level in missing])
        lists_changed()
    return len(missing)
