"""The thresholds of risk early warning on a given day, the level a count earns, and the words of extreme
intent (DOMAIN.md, "Risk early warning"). Every number is a setting (desk/config.py, RISK_*); a sensitive
period administrators keep lowers every threshold by RISK_SENSITIVE_FACTOR.

The two lists administrators keep (sensitive dates, words) are read at every registration, so each process
keeps them in memory (``_lists``), one copy per database, and reads them again:

- at once after any write to their tables from this process: the ORM, Core statements, the tests' TRUNCATE
  (an engine event watches the statements), and ``lists_changed()``, which the pages that edit the lists
  call after their commit to say so plainly;
- after LISTS_TTL seconds otherwise, which bounds how long another process (a second web worker, the
  scheduler) may go on with the lists as they were: a word or a date added on one worker is in force on all
  within that time.
"""
import math
import re
import threading
import time
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app

from desk.extensions import db
from intake.risk.models import RiskLevel, RiskTerm, SensitiveDate

LISTS_TTL = 30.0            # seconds another process may keep using lists changed elsewhere
_LIST_TABLES = (RiskTerm.__tablename__, SensitiveDate.__tablename__)


@dataclass(frozen=True)
class SensitivePeriod:
    """A sensitive date as the in-memory list holds it (the row's id, name and days)."""
    id: int
    name: str
    starts_on: date
    ends_on: date

    def __str__(self) -> str:
        return self.name


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
    sensitive: SensitiveDate | SensitivePeriod | None = None


def sensitive_date_on(day: date) -> SensitivePeriod | None:
    """The sensitive period ``day`` falls in (the earliest begun when several overlap), from the kept list."""
    return next((p for p in _lists().periods if p.starts_on <= day <= p.ends_on), None)


def sensitive_periods() -> tuple[SensitivePeriod, ...]:
    """Every sensitive period, by first day (the in-memory list)."""
    return _lists().periods


def thresholds_on(day: date, *, sensitive: SensitiveDate | SensitivePeriod | None | bool = True) -> Thresholds:
    """The thresholds in force on ``day``: the settings, lowered during a sensitive period.

    ``sensitive=True`` looks the period up; pass a SensitiveDate or None when already known."""
    period = sensitive_date_on(day) if sensitive is True else (sensitive or None)
    return _thresholds(current_app.config, period)


def _thresholds(cfg, period) -> Thresholds:
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


def _compile_terms(rows) -> TermList:
    level_of = {}
    for term, level in rows:
        for variant in _variants(term):
            level_of.setdefault(variant, (term, level))
    variants = sorted(level_of, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, variants))) if variants else None
    return TermList(pattern, level_of)


def active_terms() -> TermList:
    """The active terms as one compiled pattern (the in-memory list; see the module's docstring)."""
    return _lists().terms


# --- the lists in memory ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Lists:
    periods: tuple[SensitivePeriod, ...]
    terms: TermList
    read_at: float
    generation: int


_cache: dict[str, _Lists] = {}          # database URL -> the lists read from it
_generation = [0]                       # bumped by every change seen in this process
_lock = threading.Lock()


def lists_changed() -> None:
    """Forget the lists read so far in this process: the next check reads them again. Call after a commit
    that changed sensitive dates or words by a path the engine event does not see (none today: it is the
    plain way to say so); other processes see the change within LISTS_TTL seconds."""
    with _lock:
        _generation[0] += 1
        _cache.clear()


def _lists() -> _Lists:
    key = db.engine.url.render_as_string(hide_password=True)
    lists = _cache.get(key)
    if lists is not None and lists.generation == _generation[0] and time.monotonic() - lists.read_at < LISTS_TTL:
        return lists
    generation = _generation[0]
    # Read through the current session, so a change made in its open transaction counts at once.
    periods = tuple(SensitivePeriod(r.id, r.name, r.starts_on, r.ends_on) for r in db.session.execute(
        sa.select(SensitiveDate.id, SensitiveDate.name, SensitiveDate.starts_on, SensitiveDate.ends_on)
        .order_by(SensitiveDate.starts_on, SensitiveDate.id)))
    terms = _compile_terms(db.session.execute(sa.select(RiskTerm.term, RiskTerm.level).where(RiskTerm.active)
                                              .order_by(RiskTerm.id)).all())
    lists = _Lists(periods, terms, time.monotonic(), generation)
    with _lock:
        if _generation[0] == generation:
            _cache[key] = lists
    return lists


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _watch_list_writes(conn, cursor, statement, parameters, context, executemany):
    """A write to the lists' tables from this process makes every copy here stale, and so does its rollback
    (a copy read inside that transaction may hold rows that never were)."""
    if statement[:6].upper() != "SELECT" and "risk_" in statement and any(t in statement for t in _LIST_TABLES):
        conn.info["risk_lists_written"] = True
        lists_changed()


@sa.event.listens_for(sa.engine.Engine, "rollback")
def _after_rollback(conn):
    if conn.info.pop("risk_lists_written", False):
        lists_changed()


@sa.event.listens_for(sa.engine.Engine, "commit")
def _after_commit(conn):
    conn.info.pop("risk_lists_written", None)


@sa.event.listens_for(sa.engine.Engine, "rollback_savepoint")
def _after_savepoint_rollback(conn, name, context):
    if conn.info.get("risk_lists_written"):
        lists_changed()
