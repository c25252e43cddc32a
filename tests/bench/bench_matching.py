"""rank_talent_for_case over the city's 16,000 talent (SQLite): median and p95 for 200 varied cases."""
import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

import sqlalchemy as sa  # noqa: E402

from tests.bench.common import bench_line, make_app, median, percentile  # noqa: E402

PATH = "/tmp/desk-bench-city.sqlite"


def build(path: str) -> None:
    from desk.demo.seed import seed_demo
    from desk.extensions import db
    app = make_app(path)
    with app.app_context():
        db.create_all()
        seed_demo(size="city", seed=7, progress=True)
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="50 cases instead of 200")
    args = parser.parse_args()
    if not os.path.exists(PATH):
        print(f"building the city demo in {PATH} ...", flush=True)
        build(PATH + ".part")
        os.replace(PATH + ".part", PATH)
    from desk.extensions import db
    from desk.models import Case
    from referrals.talent.matching import rank_talent_for_case
    from referrals.talent.models import Talent
    app = make_app(PATH)
    with app.app_context():
        talent = db.session.scalar(sa.select(sa.func.count()).select_from(Talent))
        ids = db.session.scalars(sa.select(Case.id)).all()
        sample = random.Random(11).sample(ids, min(len(ids), 50 if args.quick else 200))
        for case_id in sample[:20]:  # warm caches
            rank_talent_for_case(db.session.get(Case, case_id))
        timings = []
        for case_id in sample:
            case = db.session.get(Case, case_id)
            _ = case.petitioners, case.category  # the page has these loaded already
            started = time.perf_counter()
            result = rank_talent_for_case(case)
            timings.append((time.perf_counter() - started) * 1000)
            assert result.ranked or result.reason_if_empty
        print(f"talent in pool: {talent:,}; cases ranked: {len(sample)}")
        bench_line("rank_talent_p50_ms_16k", median(timings), "ms", "<=", 20)
        bench_line("rank_talent_p95_ms_16k", percentile(timings, 0.95), "ms", "<=", 20)


if __name__ == "__main__":
    main()
