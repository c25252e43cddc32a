"""rank_talent_for_case in the county with the city's largest talent pool, with the pool in working order (SQLite).

The `city` demo (16,000 members) plus, seeded once and cached in PATH:
- current load: every active member holds 0..capacity open referrals (accepted or checked in, real
  referral rows on cases of their county) and `open_load` says so; about one in ten is at capacity;
- satisfaction: three members in four have ratings (talent_category_stat) in each category they hold
  (besides the few the demo's callbacks recorded);
- conflicts (what referrals.talent.matching treats as one: a declared TalentConflict naming a petitioner,
  by person or by name, or naming the other party): one member in five declares 1-3 of people and firms
  at random, and for one case in four of the measured county a member who fits it declares a conflict
  with its petitioner or its other party;
- members asked before: one case in five of that county has 1-3 earlier offers (declined or expired);
  they are passed as exclude_talent_ids, as referrals.offers.services.offer_next does. (A member who
  handled the matter before is not a conflict in the matching code; only these skipped offers are.)

Prints BENCH rank_talent_county_p95_ms over 200 (``--quick``: 50) cases of that county, varied by
category, place, petitioners and language, after 20 warm-up rankings; members considered per ranking
and the exclusions, for information.
"""
import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line, cached_database, make_app, median, percentile  # noqa: E402

PATH = "/tmp/desk-bench-matching-v3.sqlite"
FIRMS = ["广东海宴建筑工程有限公司", "台城镇物业管理处", "江门新会纺织厂", "恩平市运输公司", "开平市水泥厂"]


def build(path: str) -> None:
    from desk.demo.seed import seed_demo
    from desk.extensions import db
    app = make_app(path)
    with app.app_context():
        db.create_all()
        seed_demo(size="city", seed=7, progress=True)
        db.session.commit()
        _seed_working_pool(random.Random(19), _largest_county())
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()


def _largest_county() -> int:
    """The county with the most members: the ranking scans every one of them, active or not."""
    from desk.extensions import db
    from referrals.talent.models import Talent
    return db.session.execute(sa.select(Talent.county_id, sa.func.count()).group_by(Talent.county_id)
                              .order_by(sa.func.count().desc(), Talent.county_id).limit(1)).one()[0]


def _seed_working_pool(rng: random.Random, county_id: int) -> None:
    from desk.extensions import db
    from desk.models import Case, Category, Person
    from referrals.offers.models import Referral
    from referrals.talent.models import Talent, TalentCategoryStat, TalentConflict, talent_skill
    conn = db.session.connection()
    members = db.session.execute(sa.select(Talent.id, Talent.county_id, Talent.capacity, Talent.role,
                                           Talent.active)).all()
    skills: dict[int, set[int]] = {}
    for talent_id, category_id in conn.execute(sa.select(talent_skill.c.talent_id, talent_skill.c.category_id)):
        skills.setdefault(talent_id, set()).add(category_id)
    case_rows = db.session.execute(sa.select(Case.id, Case.county_id, Case.category_id, Case.city_id,
                                             Case.town_id, Case.village_id, Case.grid_id)).all()
    cases_by_county: dict[int, list] = {}
    for row in case_rows:
        cases_by_county.setdefault(row.county_id, []).append(row)
    now = datetime(2026, 11, 20, 2, 0)
    place = ("city_id", "county_id", "town_id", "village_id", "grid_id")

    def referral(case, talent_id, status, offered_to=None):
        return {"case_id": case.id, "offered_to_id": offered_to, "talent_id": talent_id, "status": status,
                "offered_at": now - timedelta(days=rng.randint(1, 40)), "expires_at": now - timedelta(days=1),
                "answered_at": now - timedelta(days=1), **{c: getattr(case, c) for c in place}}

    # Current load: open referrals, and open_load in step with them.
    referrals, loads = [], []
    for m in members:
        pool = cases_by_county.get(m.county_id) or case_rows
        load = 0 if not m.active or rng.random() < 0.4 else \
            m.capacity if rng.random() < 0.15 else rng.randint(1, max(1, m.capacity - 1))
        loads.append({"b_id": m.id, "b_load": load})
        for _ in range(load):
            referrals.append(referral(rng.choice(pool), m.id, rng.choice(["accepted", "in_progress"])))
    conn.execute(sa.update(Talent.__table__).where(Talent.__table__.c.id == sa.bindparam("b_id"))
                 .values(open_load=sa.bindparam("b_load")), loads)
    # Satisfaction: ratings in each category held, for three members in four.
    stats = []
    rated_already = set(conn.execute(sa.select(TalentCategoryStat.talent_id, TalentCategoryStat.category_id)))
    for m in members:
        if rng.random() < 0.75:
            for category_id in sorted(skills.get(m.id, set())):
                if (m.id, category_id) in rated_already:   # the demo's callbacks rated a few already
                    continue
                rated = rng.randint(1, 60)
                stats.append({"talent_id": m.id, "category_id": category_id, "rated": rated,
                              "satisfied": sum(rng.random() < 0.8 for _ in range(rated))})
    conn.execute(sa.insert(TalentCategoryStat.__table__), stats)
    # Declared conflicts at random: people of the city and firms.
    people = db.session.execute(sa.select(Person.id, Person.name).order_by(Person.id)).all()
    conflicts = []
    for m in members:
        if rng.random() < 0.2:
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.7:
                    person = rng.choice(people)
                    conflicts.append({"talent_id": m.id, "person_id": person.id, "name": person.name,
                                      "note": "亲属"})
                else:
                    conflicts.append({"talent_id": m.id, "person_id": None, "name": rng.choice(FIRMS),
                                      "note": "曾任职"})
    # In the measured county: conflicts that bite (a fitting member and a party of the case), earlier offers.
    parents = dict(db.session.execute(sa.select(Category.id, Category.parent_id)).all())
    roles = {c.id: (c.roles.split(",") if c.roles else []) for c in db.session.scalars(sa.select(Category))}
    own = [m for m in members if m.county_id == county_id and m.active]
    for case in db.session.scalars(sa.select(Case).where(Case.county_id == county_id)):
        wanted = {case.category_id, parents.get(case.category_id)}
        fitting = [m for m in own if m.role.value in roles.get(case.category_id, []) or skills.get(m.id, set())
                   & wanted]
        if not fitting:
            continue
        if rng.random() < 0.25:
            petitioners = case.petitioners
            member = rng.choice(fitting)
            if petitioners and (not case.other_party or rng.random() < 0.6):
                person = rng.choice(petitioners)
                conflicts.append({"talent_id": member.id, "person_id": person.id, "name": person.name,
                                  "note": "邻居"})
            elif case.other_party:
                conflicts.append({"talent_id": member.id, "person_id": None, "name": case.other_party,
                                  "note": "曾代理"})
        if rng.random() < 0.2:
            for member in rng.sample(fitting, k=min(len(fitting), rng.randint(1, 3))):
                referrals.append(referral(case, None, rng.choice(["declined", "expired"]), offered_to=member.id))
    conn.execute(sa.insert(TalentConflict.__table__), conflicts)
    for start in range(0, len(referrals), 5000):
        conn.execute(sa.insert(Referral.__table__), referrals[start:start + 5000])
    print(f"  seeded {len(referrals):,} referrals, {len(stats):,} rating rows, {len(conflicts):,} conflicts",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="50 cases instead of 200")
    args = parser.parse_args()
    path = cached_database(PATH, build)
    from desk.extensions import db
    from desk.models import Case, OrgUnit
    from referrals.offers.models import Referral
    from referrals.talent.matching import rank_talent_for_case
    from referrals.talent.models import Talent, TalentCategoryStat, TalentConflict
    app = make_app(path)
    with app.app_context():
        county_id = _largest_county()
        county = db.session.get(OrgUnit, county_id)
        pool = db.session.scalar(sa.select(sa.func.count()).select_from(Talent).where(Talent.county_id == county_id))
        in_county = sa.select(Talent.id).where(Talent.county_id == county_id)
        full = db.session.scalar(sa.select(sa.func.count()).select_from(Talent).where(
            Talent.county_id == county_id, Talent.open_load >= Talent.capacity))
        rated = db.session.scalar(sa.select(sa.func.count(sa.distinct(TalentCategoryStat.talent_id))).where(
            TalentCategoryStat.talent_id.in_(in_county)))
        declared = db.session.scalar(sa.select(sa.func.count()).select_from(TalentConflict).where(
            TalentConflict.talent_id.in_(in_county)))
        print(f"{county.name}: {pool:,} members (the city's largest pool), {full:,} at capacity, {rated:,} with "
              f"ratings, {declared:,} declared conflicts", flush=True)
        ids = db.session.scalars(sa.select(Case.id).where(Case.county_id == county_id).order_by(Case.id)).all()
        sample = random.Random(11).sample(ids, min(len(ids), 50 if args.quick else 200))
        print(f"{len(ids):,} cases in {county.name}; ranking {len(sample)} of them", flush=True)
        asked = {}
        for case_id, talent_id in db.session.execute(sa.select(Referral.case_id, Referral.offered_to_id).where(
                Referral.case_id.in_(sample), Referral.offered_to_id.is_not(None))):
            asked.setdefault(case_id, set()).add(talent_id)
        for case_id in sample[:20]:  # warm caches
            rank_talent_for_case(db.session.get(Case, case_id), exclude_talent_ids=asked.get(case_id, ()))
        timings, cpu, considered, conflicted, categories = [], [], [], 0, set()
        for case_id in sample:
            case = db.session.get(Case, case_id)
            _ = case.petitioners, case.category  # the page has these loaded already
            started, started_cpu = time.perf_counter(), time.process_time()
            result = rank_talent_for_case(case, exclude_talent_ids=asked.get(case_id, ()))
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert result.ranked or result.reason_if_empty
            considered.append(result.considered)
            conflicted += bool(result.excluded.get("conflict"))
            categories.add(case.category_id)
        print(f"cases ranked: {len(sample)} in {len(categories)} categories; {sum(map(bool, asked.values()))} with "
              f"earlier offers skipped; {conflicted} with a member excluded for a conflict", flush=True)
        print(f"members considered per ranking: median {median(considered):.0f}, min {min(considered)}, "
              f"max {max(considered)}; ranking median {median(timings):.1f} ms, max {max(timings):.1f} ms; "
              f"CPU time of this process p95 {percentile(cpu, 0.95):.1f} ms (others share the machine); "
              f"load average {os.getloadavg()[0]:.1f}", flush=True)
        bench_line("rank_talent_county_p95_ms", percentile(timings, 0.95), "ms", "<=", 20)
        db.engine.dispose()


if __name__ == "__main__":
    main()
