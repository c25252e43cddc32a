"""The thresholds of risk early warning on a given day, the level a count earns, and the words of extreme
intent (DOMAIN.md, "Risk early warning"). Every number is a setting (desk/config.py, RISK_*); a sensitive
period administrators keep lowers every threshold by RISK_SENSITIVE_FACTOR."""
import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from desk.extensions import db
from intake.risk.models import RiskLevel, RiskTerm, SensitiveDate


@dataclass(frozen=True)
class Thresholds:
    group_size: int
    same_matter_people: int
    same_matter_days: int
    similarity: float
    frequent_visits: int
    frequent_days: int
    spike_days: int
    spike_weeks: int
    spike_sigmas: float
    spike_min_count: int
    orange_factor: float
    red_factor: float
    sensitive: SensitiveDate | None = None


def sensitive_date_on(day: date) -> SensitiveDate | None:
    return db.session.scalar(sa.select(SensitiveDate)
                             .where(SensitiveDate.starts_on <= day, SensitiveDate.ends_on >= day)
                             .order_by(SensitiveDate.starts_on, SensitiveDate.id).limit(1))


def thresholds_on(day: date, *, sensitive: SensitiveDate | None | bool = True) -> Thresholds:
    """The thresholds in force on ``day``: the settings, lowered during a sensitive period.

    ``sensitive=True`` looks the period up; pass a SensitiveDate or None when already known."""
    cfg = current_app.config
    period = sensitive_date_on(day) if sensitive is True else (sensitive or None)
    factor = float(cfg["RISK_SENSITIVE_FACTOR"]) if period is not None else 1.0

    def count(name: str) -> int:
        value = int(cfg[name])
        return value if period is None else max(2, math.ceil(value * factor - 1e-9))

    return Thresholds(
        group_size=count("RISK_GROUP_SIZE"), same_matter_people=count("RISK_SAME_MATTER_PEOPLE"),
        same_matter_days=int(cfg["RISK_SAME_MATTER_DAYS"]), similarity=float(cfg["RISK_SAME_MATTER_SIMILARITY"]),
        frequent_visits=count("RISK_FREQUENT_VISITS"), frequent_days=int(cfg["RISK_FREQUENT_DAYS"]),
        spike_days=int(cfg["RISK_SPIKE_DAYS"]), spike_weeks=int(cfg["RISK_SPIKE_WEEKS"]),
        spike_sigmas=float(cfg["RISK_SPIKE_SIGMAS"]) * factor, spike_min_count=count("RISK_SPIKE_MIN_COUNT"),
        orange_factor=float(cfg["RISK_ORANGE_FACTOR"]), red_factor=float(cfg["RISK_RED_FACTOR"]),
        sensitive=period)


def level_for(measure: float, threshold: float, t: Thresholds, *, floor: RiskLevel = RiskLevel.yellow) -> RiskLevel:
    """Yellow at the threshold, orange at RISK_ORANGE_FACTOR times it, red at RISK_RED_FACTOR times it."""
    ratio = measure / threshold if threshold > 0 else 1.0
    level = RiskLevel.red if ratio >= t.red_factor else RiskLevel.orange if ratio >= t.orange_factor \
        else RiskLevel.yellow
    return max(level, floor, key=lambda lv: lv.rank)


# --- words of extreme intent ------------------------------------------------------------------------------

@lru_cache(maxsize=2048)
def _variants(term: str) -> tuple[str, ...]:
    """The term as kept and in the other script (zh-Hans and zh-Hant), so either matches either."""
    forms = {term, _converter("s2t")(term), _converter("t2s")(term)}
    return tuple(sorted(f for f in forms if f))


@lru_cache(maxsize=2)
def _converter(config: str):
    import opencc   # opencc-python-reimplemented
    return opencc.OpenCC(config).convert


@dataclass(frozen=True)
class TermList:
    pattern: re.Pattern | None
    level_of: dict          # variant -> (term as kept, RiskLevel)

    def find(self, text: str) -> list[tuple[str, RiskLevel]]:
        """The kept terms found in ``text`` (each once, in order of first appearance) with their levels."""
        if self.pattern is None or not text:
            return []
        found = {}
        for match in self.pattern.finditer(text):
            term, level = self.level_of[match.group(0)]
            found.setdefault(term, level)
        return list(found.items())


_compiled: dict = {}


def active_terms() -> TermList:
    """The active terms as one compiled pattern; rebuilt only when the list changed (one small query)."""
    rows = db.session.execute(sa.select(RiskTerm.term, RiskTerm.level).where(RiskTerm.active)
                              .order_by(RiskTerm.id)).all()
    signature = tuple((r.term, r.level) for r in rows)
    cached = _compiled.get("terms")
    if cached is not None and cached[0] == signature:
        return cached[1]
    level_of = {}
    for term, level in signature:
        for variant in _variants(term):
            level_of.setdefault(variant, (term, level))
    variants = sorted(level_of, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, variants))) if variants else None
    terms = TermList(pattern, level_of)
    _compiled["terms"] = (signature, terms)
    return terms
