"""50 members accept the same room offer at the same moment through real HTTP requests (gunicorn, 2
workers), on SQLite and on PostgreSQL: exactly one wins, the others are told it is already taken."""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, ROOT)

from tests.bench.bench_registration import BIN, Client, free_port, hidden, start_gunicorn  # noqa: E402
from tests.bench.common import bench_line  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def prepare(env: dict, members: int) -> int:
    """Demo data, ``members`` talent logins in one room, and one open room offer; returns its id."""
    subprocess.run([os.path.join(BIN, "flask"), "desk", "init", "--size", "small"], cwd=ROOT,
                   env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ["INSTANCE_PATH"] = env["INSTANCE_PATH"]
    import sqlalchemy as sa
    from werkzeug.security import generate_password_hash

    from desk import create_app
    from desk.extensions import db
    from desk.models import Case, CaseStatus, Role, User
    from referrals.offers import services as offers
    from referrals.talent.models import Stationing, Talent, TalentRole
    app = create_app({"SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL"), "PII_KEY": env["PII_KEY"],
                      "SECRET_KEY": env["SECRET_KEY"]})
    with app.app_context():
        mediator = db.session.scalar(sa.select(Talent).join(User, Talent.user_id == User.id)
                                     .where(User.username == "mediator"))
        password = generate_password_hash("bench-pass", method="pbkdf2:sha256:1000")
        for n in range(members):
            user = User(username=f"bench{n}", display_name=f"压测调解员{n}", password_hash=password,
                        org_unit_id=mediator.county_id)
            user.set_roles([Role.talent])
            db.session.add(user)
            db.session.flush()
            talent = Talent(user_id=user.id, name=f"压测{n}", role=TalentRole.mediator, room_id=mediator.room_id,
                            site_id=mediator.site_id, stationing=Stationing.resident, weekdays="0,1,2,3,4",
                            capacity=5)
            talent.place_at(db.session.get(type(mediator.site.org_unit), mediator.county_id))
            db.session.add(talent)
        case = db.session.scalar(sa.select(Case).where(Case.county_id == mediator.county_id,
                                                       Case.status == CaseStatus.accepted).limit(1))
        referral = offers.refer_to_room(case, mediator.room, actor=None)
        db.session.commit()
        referral_id = referral.id
        db.engine.dispose()
    return referral_id


def race(port: int, members: int, referral_id: int) -> tuple[int, int, int]:
    clients, tokens = [], []
    for n in range(members):
        client = Client(port)
        _, _, page = client.request("GET", "/login")
        client.request("POST", "/login", {"csrf_token": hidden(page, "csrf_token"), "username": f"bench{n}",
                                          "password": "bench-pass"})
        _, _, page = client.request("GET", "/referrals/my")
        tokens.append(hidden(page, "csrf_token"))
        clients.append(client)
    barrier = threading.Barrier(members)
    outcomes = []

    def attempt(client, token):
        barrier.wait()
        client.request("POST", f"/referrals/r/{referral_id}/accept", {"csrf_token": token})
        _, _, page = client.request("GET", "/referrals/my")
        flash = re.search(r'class="flash[^"]*"[^>]*>([^<]*)<', page)
        outcomes.append(flash.group(1) if flash else "")

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    won = sum("已接单，此事项由您办理" in o for o in outcomes)
    taken = sum("已被接单" in o for o in outcomes)
    return won, taken, len(outcomes) - won - taken


def run(backend: str, members: int) -> int:
    work = tempfile.mkdtemp(prefix=f"desk-bench-accept-{backend}-")
    env = {"INSTANCE_PATH": os.path.join(work, "instance"), "SECRET_KEY": "bench", "PII_KEY": "bench-pii",
           "FLASK_APP": "run"}
    if backend == "postgresql":
        import sqlalchemy as sa
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text('DROP DATABASE IF EXISTS "desk_bench_accept" WITH (FORCE)'))
            conn.execute(sa.text('CREATE DATABASE "desk_bench_accept"'))
        admin.dispose()
        env["DATABASE_URL"] = sa.engine.make_url(PG_ADMIN).set(database="desk_bench_accept").render_as_string(
            hide_password=False)
    else:
        os.environ.pop("DATABASE_URL", None)
    referral_id = prepare(env, members)
    port = free_port()
    proc = start_gunicorn("run:app", port, env, ROOT)
    try:
        won, taken, other = race(port, members, referral_id)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    print(f"{backend}: {members} accepts → {won} won, {taken} told 'already taken', {other} other")
    bench_line(f"concurrent_accept_winners_{backend}", won, "count", "==", 1)
    return 0 if (won == 1 and taken == members - 1) else 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="12 members instead of 50")
    args = parser.parse_args()
    members = 12 if args.quick else 50
    for backend in ("sqlite", "postgresql"):
        run(backend, members)


if __name__ == "__main__":
    main()
