"""The arithmetic of the measures: changes, ratios and percentiles, each None where it is undefined (never a
division by zero)."""


def change(now, before) -> float | None:
    """Rates, days and minutes change by difference; counts by relative change. None when undefined."""
    if now.value is None or before.value is None:
        return None
    if now.kind == "count":
        return (now.value - before.value) / before.value if before.value else None
    return now.value - before.value


def ratio(numerator: int | None, denominator: int | None) -> float | None:
    """numerator / denominator, or None when there is nothing to divide by (never a division by zero)."""
    if not denominator or numerator is None:
        return None
    return numerator / denominator


def percentile(ordered: list, q: float) -> float | None:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont (values sorted)."""
    if not ordered:
        return None
    k = (len(ordered) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return float(ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo))


def percentile_of_counts(counts: dict[int, int], q: float) -> float | None:
    """``percentile`` of the list in which each value appears ``counts[value]`` times, without building it.

    Handling days are whole numbers, so a month of the whole city (tens of thousands of matters) comes
    back from the database as at most a few hundred (days, how many) pairs."""
    total = sum(counts.values())
    if not total:
        return None
    k = (total - 1) * q
    lo = int(k)
    hi = min(lo + 1, total - 1)
    values, seen = {}, 0
    for value in sorted(counts):
        first, seen = seen, seen + counts[value]
        for position in (lo, hi):
            if first <= position < seen:
                values[position] = value
        if hi in values:
            break
    return float(values[lo] + (values[hi] - values[lo]) * (k - lo))
