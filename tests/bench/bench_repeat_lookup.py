"""Repeat-visit lookup at scale: what the reception form's look-up costs on 1,000,000 cases vs 10,000 (SQLite).

The data is drawn the way a city's petitioners are (``Population``): households in the demo city's villages,
several people on one family phone, names that recur within a town (a few given names are very common), ID
numbers recorded for most, one to a few cases for most people and 20-100 for a few hundred frequent
petitioners, cases of every category with texts of a few sentences from the demo's templates and fillers (no
two alike by default), five years of dates and statuses, now and then a group case with co-petitioners. Person
rows hold what the desk stores: encrypted ID and phone (one real ciphertext each, reused: decrypting it costs
what decrypting any does) and the keyed lookup hashes of the real values.

The lookups are what the reception look-up sends to ``find_prior_cases`` (intake/reception/views.py ``_lookup``):
the normalised ID number and phone when typed, the name, the town of the chosen place, the category and
"subject facts". The visitors are drawn at build time and kept in the database: about a third returning (some
of them frequent petitioners), people typing a relative's phone, known people and first-timers giving only a
common name, first-timers. Each run warms up on other visitors (``warm``) and then measures its own set, each
lookup in a fresh session as a request has; the file is read once into the operating system's cache first, as
a server that has been running holds its database. Figures are medians over the runs.

The databases are built once and cached under /tmp (delete /tmp/desk-bench-repeat-v3-*.sqlite to rebuild).
--quick: 100,000 cases instead of 1,000,000.
"""
import argparse
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line, cached_database, insert_batches, make_app, median, percentile  # noqa: E402

VERSION = "v3"
TODAY = date(2026, 11, 20)
YEARS = 5
RUNS = 3
WARM_UP = 300                     # visitors of the warm-up: never the measured ones
PER_RUN = 1000                    # visitors measured per run
KINDS = (("returning", 0.25), ("frequent", 0.08), ("family_phone", 0.12), ("common_name", 0.15),
         ("first_time", 0.40))
# Given names that recur in every town (陈伟强, 李丽华): drawn for about 40 % of people, Zipf-weighted.
COMMON_GIVEN = {"M": "伟强 志明 国强 建华 家豪 志强 伟明 文辉 俊杰 锦荣 永强 国华 伟 杰 明 浩然 子轩 嘉俊 炳坤 汉明 "
                     "耀明 振华 德华 少华 健明 冠华 卓明 润华 永华 海明".split(),
                "F": "丽华 秀英 美玲 少芳 丽珍 惠玲 嘉欣 丽 敏 燕 婷 玉珍 桂英 凤英 秀琼 翠红 慧敏 咏诗 晓婷 丽娟 "
                     "秀珍 玉兰 美华 淑贞 月娥 碧霞 丽萍 秀兰 艳红 素珍".split()}
COMMON_SHARE = 0.4
# A sentence of the petitioner's own history: with the template's fillers, no two cases read alike.
HISTORY = ("自{year}年{month}月起，", "{year}年{month}月{day}日发生此事，", "已先后{times}次向{body}反映，",
           "{month}月{day}日曾到{body}反映，", "此事拖了{times}年，")
BODIES = ("村委会", "居委会", "镇政府", "街道办", "综治中心", "有关部门", "12345热线")
FOLLOW_UPS = ("上次反映后至今没有结果。", "问题一直没有解决，今天再来反映。", "对上次的答复不满意。", "")


# --- the people and their petitions ----------------------------------------------------------------------

class Population:
    """People by household and their cases, from one seeded generator; IDs and phones are never issued twice."""

    def __init__(self, rng: random.Random, villages, categories, n_cases: int):
        self.rng, self.villages, self.categories = rng, villages, categories
        self.n_frequent = max(10, n_cases // 2500)
        self.frequent_stride = max(1, int(n_cases / 1.6 / self.n_frequent))
        self.people: list[dict] = []
        self.ids: set[str] = set()
        self.phones: set[str] = set()
        self.given_weights = [1 / (k + 1) for k in range(len(COMMON_GIVEN["M"]))]

    def name(self, sex: str, common: bool = False) -> str:
        from desk.demo import people
        if common or self.rng.random() < COMMON_SHARE:
            return people.surname(self.rng) + self.rng.choices(COMMON_GIVEN[sex], self.given_weights)[0]
        return people.person_name(self.rng, sex)

    def id_number(self, village, sex: str) -> str:
        from desk.demo import people
        while True:
            number = people.resident_id(self.rng, village.code[:6], people.birth_date(self.rng, 18, 90, TODAY), sex)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        from desk.demo import people
        while True:
            number = people.mobile_phone(self.rng)
            if number not in self.phones:
                self.phones.add(number)
                return number

    def stranger(self, village, common: bool = False) -> dict:
        sex = self.rng.choice("MF")
        return {"name": self.name(sex, common), "sex": sex, "village": village}

    def household(self) -> list[dict]:
        """One to four people of a village who came to the desk; a parent or spouse often gives the family phone."""
        rng = self.rng
        village = self.villages[rng.randrange(len(self.villages))]
        shared = self.phone()
        members = []
        for k in range(rng.choices((1, 2, 3, 4), (55, 25, 13, 7))[0]):
            person = self.stranger(village)
            roll = rng.random()
            person.update(index=len(self.people), cases=[], shared_phone=shared,
                          phone=shared if k == 0 or roll < 0.5 else self.phone() if roll < 0.9 else None,
                          id_number=self.id_number(village, person["sex"]) if rng.random() < 0.88 else None,
                          frequent=(len(self.people) % self.frequent_stride == self.frequent_stride // 2
                                    and len(self.people) // self.frequent_stride < self.n_frequent))
            self.people.append(person)
            members.append(person)
        return members

    def matter(self, category=None) -> dict:
        from desk.demo.texts import case_text
        category = category or self.categories[self.rng.randrange(len(self.categories))]
        rng = self.rng
        facts, demand = case_text(rng, category.code)
        history = rng.choice(HISTORY).format(year=rng.randint(2019, 2026), month=rng.randint(1, 12),
                                             day=rng.randint(1, 28), times=rng.randint(2, 9), body=rng.choice(BODIES))
        facts = history + facts
        return {"category_id": category.id, "title": f"{category.name_zh}：{demand}"[:200], "facts": facts,
                "demand": demand}

    def case_count(self, person: dict) -> int:
        if person["frequent"]:
            return self.rng.randint(20, 100)
        return self.rng.choices((1, 2, 3, 4, 6), (70, 18, 7, 3, 2))[0]


def _status(rng: random.Random, age: int) -> str:
    if age < 15:
        return "registered"
    if age < 75:
        return rng.choice(("accepted", "in_progress", "in_progress"))
    roll = rng.random()
    if roll < 0.04:
        return "not_accepted"
    if roll < 0.07:
        return "under_review"
    if roll < 0.09:
        return "final"
    return "concluded" if age < 120 else "closed"


def build(path: str, n_cases: int, seed: int = 19) -> None:
    from desk.crypto import encrypt, lookup_hash
    from desk.demo import seed as demo
    from desk.extensions import db
    from desk.models import Case, CaseParty, Category, Level, OrgUnit
    app = make_app(path)
    with app.app_context():
        db.create_all()
        ctx = demo.SeedContext(size="city", rng=random.Random(seed), now=datetime(2026, 11, 19, 10),
                               today=TODAY - timedelta(days=1))
        demo._seed_places(ctx)
        demo._seed_categories(ctx)
        db.session.commit()
        villages = list(db.session.scalars(sa.select(OrgUnit).where(OrgUnit.level == Level.village)
                                           .order_by(OrgUnit.id)))
        categories = list(db.session.scalars(sa.select(Category).where(Category.parent_id.is_not(None))
                                             .order_by(Category.code)))
        rng = random.Random(seed)
        pop = Population(rng, villages, categories, n_cases)
        # One real ciphertext of each kind, reused: the lookup decrypts what it loads but never compares it.
        id_token, phone_token = encrypt("440781198805061234"), encrypt("13800138000")
        # Untyped columns: the ciphertext goes in as it is (the model's type would encrypt it once more per row).
        person_table = sa.table("person", *map(sa.column, (
            "id", "name", "sex", "id_number", "id_hash", "phone", "phone_hash", "language", "city_id", "county_id",
            "town_id", "village_id", "created_at")))
        conn = db.session.connection()
        rows = {"person": [], "case": [], "party": []}
        by_town: dict[int, list[int]] = {}
        first_day, n = TODAY - timedelta(days=365 * YEARS), 0

        def flush():
            for table, key in ((person_table, "person"), (Case.__table__, "case"), (CaseParty.__table__, "party")):
                insert_batches(conn, table, rows[key])
                rows[key].clear()

        while n < n_cases:
            for p in pop.household():
                v, pid = p["village"], p["index"] + 1
                place = {"city_id": v.city_id, "county_id": v.county_id, "town_id": v.town_id, "village_id": v.id}
                rows["person"].append({
                    "id": pid, "name": p["name"], "sex": p["sex"], "id_number": id_token if p["id_number"] else None,
                    "id_hash": lookup_hash(p["id_number"]), "phone": phone_token if p["phone"] else None,
                    "phone_hash": lookup_hash(p["phone"]), "language": "cantonese", "created_at": datetime(2021, 1, 1),
                    **place})
                town = by_town.setdefault(v.town_id, [])
                favourites = rng.sample(categories, 2)
                for _ in range(pop.case_count(p)):
                    n += 1
                    day = first_day + timedelta(days=rng.randrange(365 * YEARS))
                    matter = pop.matter(rng.choice(favourites) if p["frequent"] and rng.random() < 0.7 else None)
                    head_count = rng.randint(2, 6) if rng.random() < 0.02 else 1
                    at = datetime.combine(day, datetime.min.time()) + timedelta(minutes=rng.randrange(600))
                    rows["case"].append({
                        "id": n, "reference": f"R{n:010d}", "tracking_code": f"T{n:010d}", "petition_type": "demand",
                        "demand_branch": "other", "other_party": "", "channel": "walk_in",
                        "status": _status(rng, (TODAY - day).days), "is_group": head_count > 1,
                        "head_count": head_count, "received_on": day, "register_due": day + timedelta(days=15),
                        "notify_due": day + timedelta(days=15), "litigation_track": False,
                        "created_at": at, **matter, **place})
                    rows["party"].append({"case_id": n, "person_id": pid, "role": "petitioner"})
                    for other in {rng.choice(town) for _ in range(head_count - 1) if town} - {pid}:
                        rows["party"].append({"case_id": n, "person_id": other, "role": "petitioner"})
                    p["cases"].append(n)
                town.append(pid)
            if len(rows["case"]) >= 20000:
                flush()
                if n // 20000 % 10 == 0:
                    print(f"  {n:,} cases, {len(pop.people):,} people", flush=True)
        flush()
        db.session.commit()
        print(f"  {n:,} cases, {len(pop.people):,} people, "
              f"{sum(p['frequent'] for p in pop.people)} frequent petitioners", flush=True)
        db.session.execute(sa.text("CREATE TABLE bench_repeat_visitor (n INTEGER PRIMARY KEY, part TEXT NOT NULL, "
                                   "kind TEXT NOT NULL, spec TEXT NOT NULL)"))
        specs = visitors(pop, random.Random(seed + 1))
        db.session.execute(sa.text("INSERT INTO bench_repeat_visitor (n, part, kind, spec) VALUES (:n, :part, :kind, "
                                   ":spec)"), [{"n": k, "part": part, "kind": kind, "spec": json.dumps(spec)}
                                               for k, (part, kind, spec) in enumerate(specs)])
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()


# --- the visitors looked up ------------------------------------------------------------------------------

def visitors(pop: Population, rng: random.Random) -> list[tuple[str, str, dict]]:
    """(part, kind, what the form sends) for the warm-up and each run; the warm-up's known people are never
    the measured ones, and a known person is measured once while the pool lasts (the few frequent petitioners
    of a small database come back)."""
    from desk.extensions import db
    pools = {"returning": [p for p in pop.people if p["id_number"] and not p["frequent"]],
             "frequent": [p for p in pop.people if p["frequent"]],
             "family_phone": [p for p in pop.people if p["phone"] == p["shared_phone"]],
             "common_name": [p for p in pop.people if p["name"][-2:] in COMMON_GIVEN[p["sex"]]
                             or p["name"][-1:] in COMMON_GIVEN[p["sex"]]]}
    for pool in pools.values():
        rng.shuffle(pool)
    warm_pools = {kind: pool[:max(1, len(pool) // 10)] for kind, pool in pools.items()}
    run_pools = {kind: pool[len(warm_pools[kind]):] or pool for kind, pool in pools.items()}

    def known(kind: str, source: dict) -> dict:
        pool = source[kind]
        return pool.pop() if len(pool) > 1 else pool[0]

    def earlier(person: dict) -> dict:
        row = db.session.execute(sa.text("SELECT category_id, title, facts FROM \"case\" WHERE id = :id"),
                                 {"id": rng.choice(person["cases"])}).one()
        return {"category_id": row.category_id, "title": row.title, "facts": row.facts + rng.choice(FOLLOW_UPS)}

    def one(kind: str, source: dict) -> dict:
        village = pop.villages[rng.randrange(len(pop.villages))]
        typed = {"id_number": None, "phone": None}
        if kind in ("returning", "frequent"):
            person = known(kind, source)
            typed.update(id_number=person["id_number"], phone=person["phone"] if rng.random() < 0.8 else None)
            same = rng.random() < (0.7 if kind == "frequent" else 0.5)
        elif kind == "family_phone":
            relative = known(kind, source)
            person = pop.stranger(relative["village"])
            typed.update(phone=relative["phone"],
                         id_number=pop.id_number(relative["village"], person["sex"]) if rng.random() < 0.5 else None)
            person["cases"], same = relative["cases"], rng.random() < 0.6      # often the family's matter
        elif kind == "common_name" and rng.random() < 0.6:
            person = known(kind, source)                                        # known, no ID card with them
            typed.update(phone=person["phone"] if rng.random() < 0.4 else None)
            same = rng.random() < 0.5
        else:
            person = pop.stranger(village, common=kind == "common_name")
            if kind == "first_time":
                typed.update(id_number=pop.id_number(village, person["sex"]) if rng.random() < 0.9 else None,
                             phone=pop.phone() if rng.random() < 0.85 else None)
            same = False
        matter = earlier(person) if same else pop.matter()
        facts = matter["facts"] if rng.random() < 0.8 else ""           # sometimes only the subject is typed yet
        return {**typed, "name": person["name"], "town_id": person["village"].town_id,
                "category_id": matter["category_id"] if rng.random() < 0.9 else None,
                "text": f"{matter['title']} {facts}"}

    names, weights = zip(*KINDS)
    out = []
    for part, count, source in [("warm", WARM_UP, warm_pools)] + [(f"run{r}", PER_RUN, run_pools)
                                                                   for r in range(1, RUNS + 1)]:
        for kind in rng.choices(names, weights, k=count):
            out.append((part, kind, one(kind, source)))
    return out


# --- measuring -------------------------------------------------------------------------------------------

def read_into_cache(path: str) -> None:
    with open(path, "rb") as handle:
        while handle.read(1 << 24):
            pass


def measure(path: str, part: str) -> list[tuple[str, float, bool, float]]:
    """(kind, milliseconds, found someone, CPU milliseconds of this process) per measured visitor, after the
    warm-up visitors in the same process."""
    from desk.extensions import db
    from intake.reception.repeat import find_prior_cases
    app = make_app(path)
    out = []
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT part, kind, spec FROM bench_repeat_visitor WHERE part IN "
                                          "('warm', :part) ORDER BY n"), {"part": part}).all()
        db.session.remove()
        for row in rows:
            spec = json.loads(row.spec)
            started, cpu = time.perf_counter(), time.process_time()
            found = find_prior_cases(**spec)
            elapsed, cpu = (time.perf_counter() - started) * 1000, (time.process_time() - cpu) * 1000
            db.session.remove()                    # one request, one session
            if row.part == part:
                out.append((row.kind, elapsed, bool(found), cpu))
        db.engine.dispose()
    return out


def summary(runs: list[list[tuple[str, float, bool]]]) -> dict:
    """Medians over the runs of each run's percentiles: all lookups, those that found someone, per kind."""
    def over_runs(select, q):
        return median([percentile([ms for kind, ms, found, _cpu in run if select(kind, found)], q) for run in runs])
    figures = {"p95": over_runs(lambda k, f: True, 0.95), "p50": over_runs(lambda k, f: True, 0.5),
               "found_p95": over_runs(lambda k, f: f, 0.95), "found_p50": over_runs(lambda k, f: f, 0.5),
               "missed_p95": over_runs(lambda k, f: not f, 0.95),
               "cpu_p95": median([percentile([c for *_r, c in run], 0.95) for run in runs]),
               "found": median([sum(f for _k, _ms, f, _c in run) for run in runs]), "n": len(runs[0])}
    for name, _share in KINDS:
        figures[name] = (over_runs(lambda k, f, name=name: k == name, 0.5),
                         over_runs(lambda k, f, name=name: k == name, 0.95),
                         median([sum(k == name for k, _ms, _f, _c in run) for run in runs]),
                         median([sum(k == name and f for k, _ms, f, _c in run) for run in runs]))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100,000 cases instead of 1,000,000")
    args = parser.parse_args()
    big = 100_000 if args.quick else 1_000_000
    label = "100k" if args.quick else "1m"
    results = {}
    for n_cases in (10_000, big):
        path = cached_database(f"/tmp/desk-bench-repeat-{VERSION}-{n_cases}.sqlite", build, n_cases)
        read_into_cache(path)
        runs = [measure(path, f"run{r}") for r in range(1, RUNS + 1)]
        for r, run in enumerate(runs, 1):
            ms = [t for _k, t, _f, _c in run]
            print(f"  {n_cases:,} cases, run {r}: p50 {median(ms):.2f} ms, p95 {percentile(ms, 0.95):.2f} ms, "
                  f"max {max(ms):.2f} ms", flush=True)
        results[n_cases] = figures = summary(runs)
        print(f"repeat lookup, {n_cases:,} cases, median of {RUNS} runs of {figures['n']} visitors "
              f"(warm-up: {WARM_UP} others): p50 {figures['p50']:.2f} ms, p95 {figures['p95']:.2f} ms; "
              f"{figures['found']:.0f} found someone: p50 {figures['found_p50']:.2f} ms, "
              f"p95 {figures['found_p95']:.2f} ms; found no one: p95 {figures['missed_p95']:.2f} ms", flush=True)
        for name, _share in KINDS:
            p50, p95, count, found = figures[name]
            print(f"  (information) {name}: {count:.0f} visitors, {found:.0f} found someone, p50 {p50:.2f} ms, "
                  f"p95 {p95:.2f} ms", flush=True)
    small, large = results[10_000], results[big]
    bench_line(f"repeat_lookup_p95_ms_{label}", large["p95"], "ms", "<=", 10)
    bench_line(f"repeat_lookup_found_p95_ms_{label}", large["found_p95"], "ms", "<=", 15)
    bench_line(f"repeat_lookup_growth_{label}_over_10k", large["p95"] / small["p95"], "x", "<=", 2)
    print("  (information) mix per run: " + ", ".join(f"{name} {share:.0%}" for name, share in KINDS), flush=True)
    print(f"  (information) CPU time of the lookup alone (the machine is shared), p95: "
          f"{large['cpu_p95']:.2f} ms (10k: {small['cpu_p95']:.2f} ms)", flush=True)
    print(f"  (information) repeat_lookup_found_share_{label} {large['found'] / large['n']:.1%}; "
          f"p50 {large['p50']:.2f} ms (10k: {small['p50']:.2f} ms); frequent petitioners p95 "
          f"{large['frequent'][1]:.2f} ms (10k: {small['frequent'][1]:.2f} ms)", flush=True)


if __name__ == "__main__":
    main()
