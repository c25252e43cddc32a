"""Month measures at scale: the `city` demo plus 1,000,000 cases of five years' history vs 10,000 (SQLite).

Prints BENCH month_measures_s_1m (the headline measures, reports.dashboard.measures.summary, for one county and
one month, median of 5) and month_measures_growth_1m_over_10k (that figure over the same figure with
10,000 cases of history). Also prints, for information, the whole dashboard's month_report.

"Does not grow with history" is measured as such: both databases hold the same measured window (台山市's
last thirteen months, RECENT_PER_MONTH cases a month: the density of 1,000,000 cases over five years in
seven counties, with their visits, callbacks and queue tickets, generated from the same seed), and
differ only in the history around it: 10,000 or 1,000,000 cases spread over five years across the city
(none in the measured window of the measured county). Rows are bulk-inserted with SQL; the databases
are built once and cached under /tmp (delete /tmp/desk-bench-measures-v2-*.sqlite to rebuild).
"""
import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line, cached_database, insert_batches, make_app, median  # noqa: E402

FIRST_DAY, LAST_DAY = date(2021, 11, 1), date(2026, 10, 31)     # five years of history
TODAY = date(2026, 11, 26)                                      # the fates below are as seen on this day
YEAR, MONTH = 2026, 10                                          # the month measured
WINDOW_START = date(2025, 10, 1)                                # its year-ago month and the trend start here
COUNTY_CODE = "440781"                                          # 台山市
RECENT_PER_MONTH = 2400


def _fate(rng: random.Random, received: date) -> dict:
    """Dates and status of one matter, the way the desk's services would have set them."""
    row = {"register_due": received + timedelta(days=15), "notify_due": received + timedelta(days=15),
           "decided_on": None, "accepted_on": None, "conclude_due": None, "concluded_on": None,
           "outcome": None, "closed_on": None, "next_due": None, "status": "registered"}
    decided = received + timedelta(days=rng.randint(0, 14) if rng.random() < 0.95 else rng.randint(16, 25))
    if decided > TODAY:
        row["next_due"] = row["register_due"]
        return row
    row["decided_on"] = decided
    if rng.random() < 0.08:
        row["status"] = "not_accepted"
        return row
    row.update(accepted_on=decided, conclude_due=decided + timedelta(days=60), status="in_progress",
               next_due=decided + timedelta(days=60))
    concluded = decided + timedelta(days=rng.randint(3, 75))
    if concluded > TODAY or rng.random() < 0.01:
        return row
    row.update(concluded_on=concluded, outcome=rng.choice(["support", "explanation", "no_support"]), next_due=None,
               status="closed" if concluded + timedelta(days=30) < TODAY else "concluded")
    if row["status"] == "closed":
        row["closed_on"] = concluded + timedelta(days=30)
    return row


def build(path: str, n_history: int, seed: int = 11) -> None:
    from desk.demo.seed import seed_demo
    from desk.extensions import db
    from desk.models import Case, CaseStage, Category, Level, OrgUnit, Person, Site, Visit
    from desk.models import Ticket
    from reports.callbacks.models import Callback
    app = make_app(path)
    with app.app_context():
        db.create_all()
        seed_demo(size="city", seed=seed)
        county_id = db.session.scalar(sa.select(OrgUnit.id).where(OrgUnit.code == COUNTY_CODE))
        villages = db.session.execute(sa.select(OrgUnit.id, OrgUnit.town_id, OrgUnit.county_id, OrgUnit.city_id)
                                      .where(OrgUnit.level == Level.village).order_by(OrgUnit.id)).all()
        sites = dict(db.session.execute(sa.select(OrgUnit.id, Site.id).join(Site, Site.org_unit_id == OrgUnit.id)
                                        .where(OrgUnit.level == Level.county)).all())
        rooms = {site_id: room_id for site_id, room_id in db.session.execute(sa.text(
            "SELECT site_id, min(id) FROM room GROUP BY site_id"))}
        categories = db.session.scalars(sa.select(Category.id).where(Category.parent_id.is_not(None))
                                        .order_by(Category.id)).all()
        people = db.session.scalars(sa.select(Person.id).order_by(Person.id).limit(5000)).all()
        next_id = [(db.session.scalar(sa.select(sa.func.max(Case.id))) or 0) + 1]
        conn = db.session.connection()
        tables = {"case": [], "case_stage": [], "visit": [], "callback": [], "ticket": []}

        def flush():
            for model, key in ((Case, "case"), (CaseStage, "case_stage"), (Visit, "visit"), (Callback, "callback"),
                               (Ticket, "ticket")):
                insert_batches(conn, model.__table__, tables[key])
                tables[key].clear()

        def add(rng, i, received, v, tag):
            """One matter with its first visit, perhaps a repeat visit, its callback and a queue ticket."""
            case_id = next_id[0]
            next_id[0] += 1
            at = datetime.combine(received, datetime.min.time()) + timedelta(hours=1, minutes=rng.randrange(480))
            place = {"city_id": v.city_id, "county_id": v.county_id, "town_id": v.town_id, "village_id": v.id}
            category = categories[rng.randrange(len(categories))]
            fate = _fate(rng, received)
            tables["case"].append({
                "id": case_id, "reference": f"{tag}-{i:09d}", "tracking_code": f"{tag}{i:09d}",
                "category_id": category, "petition_type": "demand", "title": "拖欠工资", "facts": "", "demand": "",
                "other_party": "", "channel": "walk_in", "is_group": False, "head_count": 1, "created_at": at,
                "received_on": received, "litigation_track": False, **fate, **place})
            if fate["accepted_on"]:   # the handling stage, as desk.cases writes it (the backlog reads it)
                tables["case_stage"].append({"case_id": case_id, "kind": "handling", "body_name": "",
                                             "started_on": fate["accepted_on"], "due_on": fate["conclude_due"],
                                             "ended_on": fate["concluded_on"], "outcome": fate["outcome"]})
            person = people[i % len(people)]
            visit = {"case_id": case_id, "person_id": person, "channel": "walk_in", "is_group": False,
                     "head_count": 1, **place}
            tables["visit"].append({**visit, "visited_at": at, "is_repeat": False, "repeat_after_conclusion": False})
            if rng.random() < 0.12:
                later = at + timedelta(days=rng.randint(5, 120))
                after = bool(fate["concluded_on"] and later.date() > fate["concluded_on"])
                tables["visit"].append({**visit, "visited_at": later, "is_repeat": True,
                                        "repeat_after_conclusion": after})
            if fate["concluded_on"]:
                roll = rng.random()
                status, rating = (("rated", rng.choice(["satisfied", "satisfied", "basic", "dissatisfied"]))
                                  if roll < 0.8 else ("not_rated_in_time", None) if roll < 0.95 else ("pending", None))
                tables["callback"].append({"case_id": case_id, "round": 1, "category_id": category,
                                           "concluded_on": fate["concluded_on"], "rating": rating, "status": status,
                                           "due_on": fate["concluded_on"] + timedelta(days=15), **place})
            if i % 4 == 0:
                site = sites[v.county_id]
                tables["ticket"].append({"site_id": site, "room_id": rooms[site], "day": received, "number": i,
                                         "label": f"{tag}{i}", "status": "done", "priority": False,
                                         "arrived_at": at, "called_at": at + timedelta(minutes=rng.randint(1, 60))})
            if len(tables["case"]) == 20000:
                flush()

        # The measured window: identical in every database built (its own seed, generated first).
        rng = random.Random(seed)
        own = [v for v in villages if v.county_id == county_id]
        window_days = (LAST_DAY - WINDOW_START).days + 1
        n_recent = RECENT_PER_MONTH * 13
        for i in range(n_recent):
            add(rng, i, WINDOW_START + timedelta(days=i * window_days // n_recent), own[rng.randrange(len(own))], "R")
        # History: spread over five years across the city, outside the measured county's window.
        rng = random.Random(seed + 1)
        others = [v for v in villages if v.county_id != county_id]
        span = (LAST_DAY - FIRST_DAY).days + 1
        for i in range(n_history):
            received = FIRST_DAY + timedelta(days=i * span // n_history)
            v = villages[rng.randrange(len(villages))]
            if v.county_id == county_id and received >= WINDOW_START:
                v = others[rng.randrange(len(others))]
            add(rng, i, received, v, "H")
            if (i + 1) % 200000 == 0:
                print(f"  history {i + 1:,}/{n_history:,}", flush=True)
        flush()
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()


def measure(path: str, runs: int) -> tuple[list[float], list[float]]:
    from desk.extensions import db
    from desk.models import OrgUnit
    from reports.dashboard import measures
    app = make_app(path)
    summary_times, report_times = [], []
    with app.app_context():
        for index in measures.MEASURE_INDEXES:      # a database cached before an index was added gets it now
            index.create(db.engine, checkfirst=True)
        county = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == COUNTY_CODE))
        start, end = measures.month_bounds(YEAR, MONTH)
        measures.summary(unit=county, start=start, end=end)          # warm the page cache
        for _ in range(runs):
            db.session.expire_all()
            started = time.perf_counter()
            figures = measures.summary(unit=county, start=start, end=end)
            summary_times.append(time.perf_counter() - started)
        for _ in range(3):
            db.session.expire_all()
            started = time.perf_counter()
            measures.month_report(unit=county, year=YEAR, month=MONTH)
            report_times.append(time.perf_counter() - started)
        shown = {m.key: m.value for m in figures}
        print(f"  {county.name} {YEAR}-{MONTH:02d}: visits {shown['visits']}, new {shown['new_cases']}, "
              f"concluded {shown['concluded']}, median days {shown['median_days']}", flush=True)
        db.engine.dispose()
    return summary_times, report_times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100,000 cases of history instead of 1,000,000")
    args = parser.parse_args()
    big = 100_000 if args.quick else 1_000_000
    label = "100k" if args.quick else "1m"
    figures = {}
    for n_cases in (10_000, big):
        path = cached_database(f"/tmp/desk-bench-measures-v2-{n_cases}.sqlite", build, n_cases)
        summary_times, report_times = measure(path, 5)
        figures[n_cases] = median(summary_times)
        print(f"month measures, {n_cases:,} cases of history: median {figures[n_cases]:.3f} s; whole dashboard month_report "
              f"median {median(report_times):.3f} s", flush=True)
    bench_line(f"month_measures_s_{label}", figures[big], "s", "<=", 1.5)
    bench_line(f"month_measures_growth_{label}_over_10k", figures[big] / figures[10_000], "x", "<=", 2)


if __name__ == "__main__":
    main()
