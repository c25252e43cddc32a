"""The scheduled scan of risk early warning: every signal over the whole database for one day, one grouped query
per signal, so a visit the registration check missed (an import, a bulk load, a threshold changed) is caught
and trends (the spike of a town and category) are found. Running it twice raises nothing new: the subjects'
warnings and their evidence are read in bulk first, and only a signal with something new reaches
``raise_or_attach``."""
import statistics
from collections import defaultdict
from datetime import date, timedelta

import sqlalchemy as sa
from rapidfuzz import fuzz

from desk.extensions import db
from desk.models import Case, CaseParty, CaseStage, OrgUnit, StageKind, Visit
from desk.timeutil import to_local
from intake.reception.repeat import _grams
from intake.risk.models import RiskEvidence, RiskKind, RiskStatus, RiskWarning
from intake.risk.rules import Thresholds, active_terms, level_for, sensitive_periods, thresholds_on
from intake.risk.services import Signal, apply_signals
from intake.risk.signals import _cluster_signal, _matter_text, _rereview_signal, _sensitive_id, _utc, words_signal

CHUNK = 500
PLACE = (Case.id.label("case_id"), Case.category_id, Case.city_id, Case.county_id, Case.town_id, Case.village_id,
         Case.grid_id)


def run_risk_scan(day: date) -> dict[str, int]:
    """Raise or join every warning the data shows on ``day`` (local date); returns warnings touched by kind."""
    periods = sensitive_periods()       # by first day: the first that holds a day is its period

    def thresholds(d: date) -> Thresholds:
        return thresholds_on(d, sensitive=next((p for p in periods if p.starts_on <= d <= p.ends_on), None))

    t = thresholds(day)
    touched = {}
    for kind, signals in ((RiskKind.group_visit, _groups(day, thresholds)),
                          (RiskKind.frequent, _frequent(day, t)),
                          (RiskKind.after_rereview, _after_rereview(day, thresholds)),
                          (RiskKind.same_matter, _same_matters(day, t)),
                          (RiskKind.spike, _spikes(day, t)),
                          (RiskKind.extreme_words, _words(day, t))):
        touched[kind.value] = _raise_all(kind, signals)
    return touched


def _raise_all(kind: RiskKind, signals: list[Signal]) -> int:
    """raise_or_attach for the signals that bring something new (read in bulk: a quiet re-run writes nothing),
    CHUNK at a time (apply_signals: the new warnings, their evidence and notices, one statement each)."""
    known: dict[str, list[RiskWarning]] = defaultdict(list)
    subjects = sorted({s.subject for s in signals})
    for i in range(0, len(subjects), CHUNK):
        for w in db.session.scalars(sa.select(RiskWarning).where(
                RiskWarning.kind == kind, RiskWarning.subject.in_(subjects[i:i + CHUNK])).order_by(RiskWarning.id)):
            known[w.subject].append(w)
    held: dict[int, set] = defaultdict(set)
    ids = [w.id for ws in known.values() for w in ws]
    for i in range(0, len(ids), CHUNK):
        for warning_id, item in db.session.execute(sa.select(RiskEvidence.warning_id, RiskEvidence.item)
                                                   .where(RiskEvidence.warning_id.in_(ids[i:i + CHUNK]))):
            held[warning_id].add(item)
    fresh = []
    for signal in signals:
        warnings = known[signal.subject]
        live = [w for w in warnings if w.status != RiskStatus.closed]
        if live:
            w = live[-1]
            if set(signal.items) <= held[w.id] and signal.level.rank <= w.level.rank and signal.measure <= w.measure:
                continue
        elif set(signal.items) <= set().union(*(held[w.id] for w in warnings)):
            continue
        fresh.append(signal)
    touched = 0
    for i in range(0, len(fresh), CHUNK):
        chunk = fresh[i:i + CHUNK]
        results = apply_signals(chunk, {(kind, s.subject): known[s.subject] for s in chunk})
        touched += sum(1 for warning in results if warning is not None)
    return touched


def _groups(day: date, thresholds) -> list[Signal]:
    start = day - timedelta(days=6)
    rows = db.session.execute(
        sa.select(Visit.id, Visit.visited_at, Visit.head_count, Visit.person_id, *PLACE)
        .join(Case, Case.id == Visit.case_id)
        .where(Visit.visited_at >= _utc(start), Visit.visited_at < _utc(day + timedelta(days=1)),
               Visit.head_count >= 2)).all()
    signals = []
    for r in rows:
        visit_day = to_local(r.visited_at).date()
        t = thresholds(visit_day)
        if r.head_count >= t.group_size:
            signals.append(Signal(RiskKind.group_visit, f"v{r.id}", {f"v{r.id}": (r.case_id, r.id)}, r.head_count,
                                  t.group_size, level_for(r.head_count, t.group_size, t), visit_day, visit_day, r,
                                  case_id=r.case_id, category_id=r.category_id, person_id=r.person_id,
                                  sensitive_date_id=_sensitive_id(t)))
    return signals


def _frequent(day: date, t: Thresholds) -> list[Signal]:
    start = day - timedelta(days=t.frequent_days - 1)
    window = sa.and_(Visit.visited_at >= _utc(start), Visit.visited_at < _utc(day + timedelta(days=1)))
    people = list(db.session.scalars(sa.select(Visit.person_id).where(window).group_by(Visit.person_id)
                                     .having(sa.func.count() >= t.frequent_visits)))
    signals = []
    for i in range(0, len(people), CHUNK):
        visits = defaultdict(list)
        for r in db.session.execute(sa.select(Visit.id, Visit.person_id, *PLACE).join(Case, Case.id == Visit.case_id)
                                    .where(window, Visit.person_id.in_(people[i:i + CHUNK])).order_by(Visit.id)):
            visits[r.person_id].append(r)
        for person_id, rows in visits.items():
            latest = rows[-1]
            signals.append(Signal(RiskKind.frequent, f"p{person_id}", {f"v{r.id}": (r.case_id, r.id) for r in rows},
                                  len(rows), t.frequent_visits, level_for(len(rows), t.frequent_visits, t), start, day,
                                  latest, case_id=latest.case_id, category_id=latest.category_id, person_id=person_id,
                                  sensitive_date_id=_sensitive_id(t)))
    return signals


def _after_rereview(day: date, thresholds) -> list[Signal]:
    start = day - timedelta(days=6)
    rows = db.session.execute(
        sa.select(Visit.id, Visit.case_id, Visit.person_id, Visit.visited_at, CaseStage.case_id.label("reviewed"),
                  CaseStage.ended_on)
        .join(CaseParty, CaseParty.person_id == Visit.person_id)
        .join(CaseStage, sa.and_(CaseStage.case_id == CaseParty.case_id, CaseStage.kind == StageKind.rereview))
        .where(Visit.visited_at >= _utc(start), Visit.visited_at < _utc(day + timedelta(days=1)),
               CaseStage.ended_on.is_not(None))).all()
    signals = []
    for r in rows:
        visit_day = to_local(r.visited_at).date()
        if r.ended_on <= visit_day:
            signals.append(_rereview_signal(r.id, r.case_id, r.person_id, r.reviewed, r.ended_on, visit_day,
                                            thresholds(visit_day)))
    return signals


def _same_matters(day: date, t: Thresholds) -> list[Signal]:
    """Matters of one town and category within the window, joined where their texts are alike (each pair at
    least RISK_SAME_MATTER_SIMILARITY), counted by the people who came."""
    start = day - timedelta(days=t.same_matter_days - 1)
    window = sa.and_(Case.received_on >= start, Case.received_on <= day, Case.town_id.is_not(None))
    groups = db.session.execute(
        sa.select(Case.town_id, Case.category_id).join(Visit, Visit.case_id == Case.id).where(window)
        .group_by(Case.town_id, Case.category_id)
        .having(sa.func.count(sa.distinct(Case.id)) >= 2, sa.func.sum(Visit.head_count) >= t.same_matter_people)).all()
    signals = []
    wanted = {(g.town_id, g.category_id) for g in groups}
    by_group = defaultdict(list)
    towns = sorted({g.town_id for g in groups})
    for i in range(0, len(towns), CHUNK):
        for r in db.session.execute(sa.select(*PLACE, Case.title, Case.facts, Case.demand)
                                    .where(window, Case.town_id.in_(towns[i:i + CHUNK])).order_by(Case.id)):
            if (r.town_id, r.category_id) in wanted:
                by_group[(r.town_id, r.category_id)].append(r)
    for rows in by_group.values():
        texts = [_grams(_matter_text(r.title, r.facts, r.demand)) for r in rows]
        cutoff = t.similarity * 100
        parent = list(range(len(rows)))

        def root(i):
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        for i in range(len(rows)):
            for j in range(i + 1, len(rows)):
                if texts[i].strip() and texts[j].strip() and \
                        fuzz.token_set_ratio(texts[i], texts[j], score_cutoff=cutoff) >= cutoff:
                    parent[root(i)] = root(j)
        clusters = defaultdict(list)
        for i, r in enumerate(rows):
            clusters[root(i)].append(r)
        for members in clusters.values():
            if len(members) >= 2:
                signal = _cluster_signal([r.case_id for r in members], members[0], start, day, t)
                if signal is not None:
                    signals.append(signal)
    return signals


def _spikes(day: date, t: Thresholds) -> list[Signal]:
    """Town and category whose last RISK_SPIKE_DAYS days exceed mean + k·sd of the RISK_SPIKE_WEEKS windows
    before (zeros included: a week with no matter counts as 0)."""
    span = t.spike_days
    edges = [day - timedelta(days=span * k - 1) for k in range(1, t.spike_weeks + 2)]   # window k starts here
    bucket = sa.case(*[(Case.received_on >= edge, k) for k, edge in enumerate(edges)], else_=-1)
    rows = db.session.execute(
        sa.select(Case.town_id, Case.category_id, bucket.label("k"), sa.func.count())
        .where(Case.received_on >= edges[-1], Case.received_on <= day, Case.town_id.is_not(None))
        .group_by(Case.town_id, Case.category_id, bucket)).all()
    counts: dict[tuple, list[int]] = defaultdict(lambda: [0] * (t.spike_weeks + 1))
    for town_id, category_id, k, n in rows:
        counts[(town_id, category_id)][k] = n
    signals = []
    for (town_id, category_id), weeks in counts.items():
        current, before = weeks[0], weeks[1:]
        mean, sd = statistics.fmean(before), statistics.pstdev(before)
        limit = mean + t.spike_sigmas * sd
        if current > limit and current >= t.spike_min_count:
            signals.append((town_id, category_id, current, mean, sd, limit))
    result = []
    for town_id, category_id, current, mean, sd, limit in signals:
        town = db.session.get(OrgUnit, town_id)
        cases = db.session.execute(sa.select(Case.id).where(
            Case.town_id == town_id, Case.category_id == category_id, Case.received_on >= edges[0],
            Case.received_on <= day)).scalars().all()
        threshold = max(t.spike_min_count, int(limit) + 1)
        result.append(Signal(RiskKind.spike, f"t{town_id}:k{category_id}", {f"c{c}": (c, None) for c in cases},
                             current, threshold, level_for(current, threshold, t), edges[0], day, town,
                             category_id=category_id, sensitive_date_id=_sensitive_id(t),
                             detail={"mean": round(mean, 2), "sd": round(sd, 2), "weeks": t.spike_weeks}))
    return result


def _words(day: date, t: Thresholds) -> list[Signal]:
    terms = active_terms()
    if terms.pattern is None:
        return []
    start = day - timedelta(days=6)
    signals = []
    rows = db.session.execute(sa.select(Case.id, Case.title, Case.facts, Case.demand)
                              .where(Case.received_on >= start, Case.received_on <= day)).all()
    for r in rows:
        if terms.pattern.search(_matter_text(r.title, r.facts, r.demand)):
            first = db.session.scalar(sa.select(sa.func.min(Visit.id)).where(Visit.case_id == r.id))
            signal = words_signal(db.session.get(Case, r.id), first, day, t)
            if signal is not None:
                signals.append(signal)
    return signals
