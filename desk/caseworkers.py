"""Who handled a case: each area that puts members of the talent pool to work on cases says which of them
did, so a rating of the case can be credited to them without the rating area knowing the other areas' tables.

An area registers ``finder(case_ids) -> iterable of (case_id, talent_id)`` with ``@case_worker_finder`` in a
module its ``register(app)`` imports (the pattern of desk/panels.py)."""
CASE_WORKER_FINDERS: list = []


def case_worker_finder(func):
    CASE_WORKER_FINDERS.append(func)
    return func


def talent_who_handled(case_ids) -> dict[int, set[int]]:
    """case id -> the ids of the members who handled it (each member once, however many parts they took)."""
    case_ids = list(case_ids)
    handled: dict[int, set[int]] = {case_id: set() for case_id in case_ids}
    if not case_ids:
        return handled
    for finder in CASE_WORKER_FINDERS:
        for case_id, talent_id in finder(case_ids):
            if talent_id is not None:
                handled.setdefault(case_id, set()).add(talent_id)
    return handled
