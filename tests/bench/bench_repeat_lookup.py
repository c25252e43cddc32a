"""Repeat-visit lookup at scale: 1,000,000 cases and 600,000 people vs 10,000 cases (SQLite).

Prints BENCH repeat_lookup_p95_ms_1m and repeat_lookup_growth_1m_over_10k. The databases are built
once and cached under /tmp (delete /tmp/desk-bench-repeat-*.sqlite to rebuild)."""
import argparse
import os
import random
import sys
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line, make_app, median, percentile  # noqa: E402


def build(path: str, n_cases: int, n_people: int, seed: int = 3) -> None:
    from desk.crypto import encrypt, lookup_hash
    from desk.demo import people
    from desk.demo.seed import seed_demo
    from desk.extensions import db
    from desk.models import Case, CaseParty, Category, Level, OrgUnit, Person
    rng = random.Random(seed)
    app = make_app(path)
    with app.app_context():
        db.create_all()
        seed_demo(size="city", seed=seed)
        # The demo's own cases are few; the bulk below is what is measured against.
        villages = db.session.execute(sa.select(OrgUnit.id, OrgUnit.code, OrgUnit.town_id, OrgUnit.county_id,
                                                OrgUnit.city_id).where(OrgUnit.level == Level.village)).all()
        categories = db.session.scalars(sa.select(Category.id).where(Category.parent_id.is_not(None))).all()
        token = encrypt("000000000000000000")  # ciphertext is not what is measured: one reused value
        start_id = (db.session.scalar(sa.select(sa.func.max(Person.id))) or 0) + 1
        conn = db.session.connection()
        batch = []
        for i in range(n_people):
            v = villages[i % len(villages)]
            number = people.resident_id(rng, v.code[:6], date(1950, 1, 1) + timedelta(days=i % 20000), "M")
            batch.append({"id": start_id + i, "name": people.person_name(rng), "id_number": token,
                          "id_hash": lookup_hash(number), "phone": token,
                          "phone_hash": lookup_hash(f"139{i:08d}"), "city_id": v.city_id, "county_id": v.county_id,
                          "town_id": v.town_id, "village_id": v.id, "created_at": datetime(2024, 1, 1)})
            if len(batch) == 20000:
                conn.execute(sa.insert(Person.__table__), batch)
                batch.clear()
                print(f"  people {i + 1:,}/{n_people:,}", flush=True)
        if batch:
            conn.execute(sa.insert(Person.__table__), batch)
        case_start = (db.session.scalar(sa.select(sa.func.max(Case.id))) or 0) + 1
        cases, parties = [], []
        for i in range(n_cases):
            v = villages[i % len(villages)]
            received = date(2021, 1, 1) + timedelta(days=i % 1800)
            cid = case_start + i
            cases.append({"id": cid, "reference": f"BX-{i:09d}", "tracking_code": f"T{i:09d}",
                          "category_id": categories[i % len(categories)], "petition_type": "demand",
                          "title": "拖欠工资" if i % 3 else "邻里纠纷", "facts": "包工头拖欠工资多次讨要未果" if i % 3
                          else "楼上漏水导致天花板发霉", "demand": "", "other_party": "", "channel": "walk_in",
                          "status": "closed", "is_group": False, "head_count": 1,
                          "created_at": datetime.combine(received, datetime.min.time()), "received_on": received,
                          "register_due": received, "notify_due": received, "city_id": v.city_id,
                          "county_id": v.county_id, "town_id": v.town_id, "village_id": v.id,
                          "litigation_track": False})
            parties.append({"case_id": cid, "person_id": start_id + rng.randrange(n_people), "role": "petitioner"})
            if len(cases) == 20000:
                conn.execute(sa.insert(Case.__table__), cases)
                conn.execute(sa.insert(CaseParty.__table__), parties)
                cases.clear()
                parties.clear()
                print(f"  cases {i + 1:,}/{n_cases:,}", flush=True)
        if cases:
            conn.execute(sa.insert(Case.__table__), cases)
            conn.execute(sa.insert(CaseParty.__table__), parties)
        db.session.commit()
        conn = None
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()


def measure(path: str, n_people: int, lookups: int, seed: int = 5) -> list[float]:
    from desk.demo import people
    from desk.extensions import db
    from desk.models import Category, Level, OrgUnit
    from intake.reception.repeat import find_prior_cases
    rng = random.Random(seed)
    app = make_app(path)
    timings = []
    with app.app_context():
        town_ids = db.session.scalars(sa.select(OrgUnit.id).where(OrgUnit.level == Level.town)).all()
        category_ids = db.session.scalars(sa.select(Category.id).where(Category.parent_id.is_not(None))).all()
        # Rebuild some known ID numbers the same way build() made them.
        known_rng = random.Random(3)
        db.session.rollback()
        for n in range(lookups):
            kind = n % 3
            kwargs = {"category_id": rng.choice(category_ids), "text": "拖欠工资 包工头拖欠工资三个月",
                      "town_id": rng.choice(town_ids), "name": people.person_name(rng)}
            if kind == 0:
                kwargs["phone"] = f"139{rng.randrange(n_people):08d}"       # a known phone
            elif kind == 1:
                kwargs["id_number"] = people.resident_id(known_rng, "440781", date(1970, 1, 1), "M")  # mostly unknown
            else:
                kwargs["phone"] = f"188{rng.randrange(10 ** 8):08d}"       # an unknown visitor
            started = time.perf_counter()
            find_prior_cases(**kwargs)
            timings.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
        db.engine.dispose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100,000 cases instead of 1,000,000")
    args = parser.parse_args()
    big = 100_000 if args.quick else 1_000_000
    sizes = [(10_000, 6_000), (big, int(big * 0.6))]
    p95 = {}
    for n_cases, n_people in sizes:
        path = f"/tmp/desk-bench-repeat-{n_cases}.sqlite"
        if not os.path.exists(path):
            print(f"building {n_cases:,} cases / {n_people:,} people in {path} ...", flush=True)
            started = time.perf_counter()
            build(path + ".part", n_cases, n_people)
            os.replace(path + ".part", path)
            print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
        measure(path, n_people, 200)  # warm the page cache
        timings = measure(path, n_people, 1000)
        p95[n_cases] = percentile(timings, 0.95)
        print(f"repeat lookup, {n_cases:,} cases: median {median(timings):.2f} ms, p95 {p95[n_cases]:.2f} ms",
              flush=True)
    label = "1m" if not args.quick else "100k"
    bench_line(f"repeat_lookup_p95_ms_{label}", p95[big], "ms", "<=", 10)
    bench_line(f"repeat_lookup_growth_{label}_over_10k", p95[big] / p95[10_000], "x", "<=", 2)


if __name__ == "__main__":
    main()
