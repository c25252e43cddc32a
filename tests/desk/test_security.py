"""Start-up refuses weak keys outside development; Secure cookies and HSTS by default; no page cached;
oversized ids answer 404; the client address through trusted proxies; the ``next`` check itself."""
import pytest

from desk import create_app
from desk.extensions import db
from desk.models import Role
from desk.security import safe_next
from tests.conftest import _config, _empty_all_tables
from tests.factories import make_user

KEY_31, KEY_32 = "k" * 31, "k" * 32


@pytest.fixture
def build(backend, database_urls, monkeypatch):
    """``build(desk_env, **config)``: an app as a server would start it (not in test mode) over the test
    database, which is emptied afterwards. Without the warm-up thread, which would still be reading the
    tables while they are emptied (a deadlock on PostgreSQL)."""
    apps = []

    def make(desk_env, **config):
        if desk_env is None:
            monkeypatch.delenv("DESK_ENV", raising=False)
        else:
            monkeypatch.setenv("DESK_ENV", desk_env)
        app = create_app({**_config(database_urls[backend]), "TESTING": False, "SECURE_COOKIES": None,
                          "WARM_UP": False, **config})
        apps.append(app)
        return app
    yield make
    for n, app in enumerate(apps):
        with app.app_context():
            if n == 0:
                db.session.remove()
                _empty_all_tables()
            db.engine.dispose()


@pytest.mark.parametrize("desk_env", ["prod", "production", "staging", None])
def test_development_keys_are_refused_outside_development(build, desk_env):
    with pytest.raises(RuntimeError, match="SECRET_KEY is the published development key"):
        build(desk_env, SECRET_KEY="dev-only-change-me", PII_KEY="dev-only-pii-key-change-me")
    with pytest.raises(RuntimeError, match="PII_KEY is the published development key"):
        build(desk_env, SECRET_KEY=KEY_32, PII_KEY="dev-only-pii-key-change-me")


@pytest.mark.parametrize("short", ["SECRET_KEY", "PII_KEY"])
def test_short_keys_are_refused_outside_development(build, short):
    keys = {"SECRET_KEY": KEY_32, "PII_KEY": KEY_32, short: KEY_31}
    with pytest.raises(RuntimeError, match=f"{short} is 31 bytes long"):
        build("prod", **keys)
    with pytest.raises(RuntimeError):
        build("prod", SECRET_KEY="x", PII_KEY=KEY_32)


def test_long_keys_start_with_secure_cookies_and_hsts(build):
    app = build("prod", SECRET_KEY=KEY_32, PII_KEY=KEY_32)
    with app.app_context():
        make_user_in(app, "amy")
        response = app.test_client().post("/login", data={"username": "amy", "password": "secret-pass-1"},
                                          base_url="https://desk.example")
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


def test_plain_http_intranet_turns_secure_cookies_off_explicitly(build):
    app = build("prod", SECRET_KEY=KEY_32, PII_KEY=KEY_32, SECURE_COOKIES="0")
    response = app.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("desk_env", ["development", "test"])
def test_development_still_starts_with_the_development_keys(build, desk_env):
    app = build(desk_env, SECRET_KEY="dev-only-change-me", PII_KEY="dev-only-pii-key-change-me")
    with app.app_context():
        make_user_in(app, "amy")
        response = app.test_client().post("/login", data={"username": "amy", "password": "secret-pass-1"})
    assert response.status_code == 302
    assert "Secure" not in response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in response.headers


def make_user_in(app, username):
    from tests.factories import build_world
    world = build_world()
    make_user(world, Role.receptionist, username=username)
    db.session.commit()


# --- no caching ------------------------------------------------------------------------------------------------

def test_pages_fragments_and_exports_are_never_cached(client, login_as):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert client.get("/no-such-page").headers["Cache-Control"] == "no-store"
    reception = login_as(Role.receptionist)
    for url in ("/home", "/intake/cases", "/intake/cases/export.csv", "/notifications"):
        response = reception.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url


def test_static_files_may_be_cached(client):
    response = client.get("/static/css/desk.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()


# --- ids too large for a column --------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/intake/cases/{n}", "/intake/cases/{n}/documents/acceptance.pdf",
                                 "/intake/cases/1/attachments/{n}", "/admin/users/{n}"])
@pytest.mark.parametrize("n", ["99999999999999999999999", str(2**31)])
def test_oversized_ids_answer_404(login_as, url, n):
    admin = login_as(Role.admin, Role.receptionist)
    assert admin.get(url.format(n=n)).status_code == 404


def test_the_largest_id_a_column_holds_still_routes(login_as):
    admin = login_as(Role.admin)
    assert admin.get(f"/admin/users/{2**31 - 1}").status_code == 404  # looked up, not found


# --- client address through trusted proxies --------------------------------------------------------------------

@pytest.mark.parametrize("proxies, address, scheme", [(0, "127.0.0.1", "http"), (1, "203.0.113.9", "https")])
def test_client_address_comes_from_trusted_proxies_only(build, proxies, address, scheme):
    from flask import request
    app = build("development", TRUSTED_PROXIES=proxies)
    seen = []
    app.before_request(lambda: seen.append((request.remote_addr, request.scheme)))
    app.test_client().get("/login", headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9",
                                             "X-Forwarded-Proto": "https"})
    assert seen == [(address, scheme)]


def test_login_throttle_counts_the_forwarded_address(build, clock):
    app = build("development", TRUSTED_PROXIES=1, LOGIN_FREE_FAILURES_PER_ADDRESS=1,
                LOGIN_FREE_FAILURES_PER_ACCOUNT=100)
    clock("2026-11-20 10:00")
    client = app.test_client()

    def attempt(name, forwarded):
        return client.post("/login", data={"username": name, "password": "wrong-pass"},
                           headers={"X-Forwarded-For": forwarded}).status_code
    assert [attempt("a", "203.0.113.1"), attempt("b", "203.0.113.1")] == [200, 200]
    assert attempt("c", "203.0.113.1") == 429  # that address waits
    assert attempt("c", "203.0.113.2") == 200  # another one behind the same proxy does not


# --- the next target -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "/\\evil.example", "/\\/evil.example",
                                    "https://evil.example", "/\t/evil", "/\n/evil", "javascript:alert(1)", " /x",
                                    "/x ", "evil.example", "", None, "/\x7f/evil", "/\u3000/evil", "/\u200b/evil",
                                    "http:/evil.example", "///evil.example"])
def test_safe_next_refuses_anything_but_a_path_here(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/intake/cases?status=accepted", "/", "/admin/users?q=%E5%BC%A0", "/x#part"])
def test_safe_next_keeps_a_path_here(target):
    assert safe_next(target, "/home") == target
