"""Login throttling: growing delays per typed name and address and per address, the same answer for known
and unknown names, and the owner never locked out at their own device."""
from datetime import timedelta

from desk.extensions import db
from desk.models import AuditEntry, LoginThrottle, Role
from tests.factories import make_user

ATTACKER, OWNER = "203.0.113.66", "198.51.100.5"


def attempt(client, username, password="wrong-pass", address=ATTACKER):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_free_failures_then_a_delay_refused_without_checking_the_password(app, client, world, clock):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    clock("2026-11-20 10:00")
    for _ in range(app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]):
        response = attempt(client, "amy")
        assert response.status_code == 200
        assert "用户名或密码错误" in response.get_data(as_text=True)
    attempt(client, "amy")  # one failure past the free ones: the next attempt waits 1 s
    refused = attempt(client, "amy", "secret-pass-1")  # even the right password
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert "此设备尝试次数过多，请1秒后再试。" in refused.get_data(as_text=True)
    assert client.get("/home").status_code == 302


def test_known_and_unknown_names_get_byte_identical_answers(app, world, clock):
    """Same failures, same pages, word for word (the name typed is echoed back, so it is swapped out)."""
    make_user(world, Role.receptionist, username="amy01")
    db.session.commit()
    clock("2026-11-20 10:00")
    known, unknown = app.test_client(), app.test_client()
    for step in range(app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"] + 3):
        a = attempt(known, "amy01", address="203.0.113.1")
        b = attempt(unknown, "bob99", address="203.0.113.2")
        assert a.status_code == b.status_code, step
        assert a.headers.get("Retry-After") == b.headers.get("Retry-After"), step
        assert a.get_data().replace(b"amy01", b"NAME") == b.get_data().replace(b"bob99", b"NAME"), step
    assert a.status_code == 429  # the last ones were refused while delayed, for both


def test_owner_logs_in_from_their_own_address_while_the_attacker_waits(app, client, world, clock):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    clock("2026-11-20 10:00")
    for _ in range(8):
        attempt(client, "amy")
    assert attempt(client, "amy", "secret-pass-1").status_code == 429
    owner = app.test_client()
    response = attempt(owner, "amy", "secret-pass-1", address=OWNER)
    assert response.status_code == 302
    assert "/login" not in owner.get("/").headers["Location"]


def test_delays_double_up_to_the_cap_and_expire(app, client, world, clock):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    app.config["LOGIN_MAX_DELAY_SECONDS"] = 8
    now = clock("2026-11-20 10:00")
    free = app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]
    for _ in range(free):
        attempt(client, "amy")
    waits = []
    for _ in range(6):
        assert attempt(client, "amy").status_code == 200  # a failure, counted
        refused = attempt(client, "amy", "secret-pass-1")
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        now = clock(now + timedelta(seconds=waits[-1] - 1))
        assert attempt(client, "amy", "secret-pass-1").status_code == 429  # still waiting a second before
        now = clock(now + timedelta(seconds=1))
    assert waits == [1, 2, 4, 8, 8, 8]
    assert attempt(client, "amy", "secret-pass-1").status_code == 302  # the delay is over: the owner is in


def test_success_clears_the_name_and_address_counter(app, client, world, clock):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    clock("2026-11-20 10:00")
    free = app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"]
    for _ in range(free):
        attempt(client, "amy")
    assert attempt(client, "amy", "secret-pass-1").status_code == 302
    client.post("/logout")
    for _ in range(free):
        attempt(client, "amy")
    assert attempt(client, "amy", "secret-pass-1").status_code == 302  # no delay: counting started again


def test_a_quiet_counter_is_forgotten(app, client, world, clock):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    now = clock("2026-11-20 10:00")
    for _ in range(6):
        attempt(client, "amy")
        now = clock(now + timedelta(seconds=10))
    clock(now + timedelta(minutes=app.config["LOGIN_THROTTLE_FORGET_MINUTES"] + 1))
    attempt(client, "amy")  # counts as the first failure of a new run: the old rows are dropped
    assert db.session.scalar(db.select(db.func.max(LoginThrottle.failures))) == 1
    assert attempt(client, "amy", "secret-pass-1").status_code == 302


def test_per_address_limit_across_many_names(app, client, world, clock):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    clock("2026-11-20 10:00")
    per_address = app.config["LOGIN_FREE_FAILURES_PER_ADDRESS"]
    for n in range(per_address):
        assert attempt(client, f"guess{n}").status_code == 200
    assert attempt(client, "guess-last").status_code == 200  # past the free ones: delays start
    for name in ("another-name", "amy"):
        assert attempt(client, name, "secret-pass-1").status_code == 429
    assert attempt(app.test_client(), "amy", "secret-pass-1", address=OWNER).status_code == 302


def test_throttle_start_is_audited_without_address_or_name(app, client, world, clock):
    user = make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    now = clock("2026-11-20 10:00")
    for _ in range(app.config["LOGIN_FREE_FAILURES_PER_ACCOUNT"] + 3):
        attempt(client, "amy")
        now = clock(now + timedelta(minutes=1))
    entries = list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.entity == "login_throttle")))
    assert [(e.entity_id, e.action, e.detail["counter"], e.detail["failures"]) for e in entries] == \
        [(user.id, "throttle", "account", 4)]  # once per run, on the account it concerns
    stored = repr([(e.reason, e.detail) for e in entries]) + repr(list(db.session.scalars(db.select(LoginThrottle.key))))
    assert ATTACKER not in stored and "amy" not in stored
    assert db.session.get(type(user), user.id).locked_until is None  # the account itself is never locked
