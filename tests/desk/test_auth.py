"""Login, logout, the ``next`` target, CSRF, security headers, the health check and the front door.
Throttling: test_login_throttle.py; sessions ending: test_sessions.py; secrets, cookies, headers, ids,
proxies: test_security.py."""
import pytest

from desk.extensions import db
from desk.models import Role, User
from tests.factories import make_user


def test_front_door_sends_anonymous_visitor_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def test_login_page_is_chinese_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'lang="zh-CN"' in page
    assert "登录" in page


def test_login_and_logout(client, world):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    response = client.post("/login", data={"username": "amy", "password": "secret-pass-1"})
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    client.post("/logout")
    assert client.get("/home").status_code == 302


def test_wrong_password_keeps_username_and_says_why(client, world):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    page = client.post("/login", data={"username": "amy", "password": "nope"}).get_data(as_text=True)
    assert 'value="amy"' in page
    assert "用户名或密码错误" in page


HOSTILE_NEXT = ["//evil.example", "//evil.example/x", "/%09/evil.example", "/%0a/evil.example", "/%5c/evil.example",
                "/%5Cevil.example", "https://evil.example", "http:/evil.example", "javascript:alert(1)",
                "%20/x", "/x%20", "evil.example", "", "/%e3%80%80/evil.example"]
GOOD_NEXT = ["/intake/cases?status=accepted", "/admin/users", "/"]


@pytest.mark.parametrize("raw", HOSTILE_NEXT)
def test_login_next_never_leaves_the_site(client, world, raw):
    """``raw`` is the query string as sent (browsers strip tabs and newlines and read "\\" as "/")."""
    make_user(world, Role.admin, username="root1")
    db.session.commit()
    response = client.post("/login", query_string="next=" + raw, data={"username": "root1", "password": "secret-pass-1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"  # the admin's home, not the target


@pytest.mark.parametrize("target", GOOD_NEXT)
def test_login_next_keeps_a_path_on_this_site(client, world, target):
    make_user(world, Role.admin, username="root1")
    db.session.commit()
    response = client.post("/login", query_string={"next": target}, data={"username": "root1", "password": "secret-pass-1"})
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "/\t/evil", "https://evil.example"])
def test_language_switch_never_leaves_the_site(client, target):
    response = client.post("/language", data={"locale": "en", "next": target})
    assert response.headers["Location"] == "/login"
    assert client.post("/language", data={"locale": "en", "next": "/reports/track"}).headers["Location"] == "/reports/track"


def test_security_headers(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_in_pages(client):
    page = client.get("/login").get_data(as_text=True)
    assert "<script>" not in page and "onclick=" not in page


def test_csrf_is_enforced_when_enabled(backend, database_urls):
    from desk import create_app
    from tests.conftest import _config
    config = _config(database_urls[backend])
    config["WTF_CSRF_ENABLED"] = True
    app = create_app(config)
    with app.app_context():
        response = app.test_client().post("/login", data={"username": "x", "password": "y"})
        assert response.status_code == 400
        db.engine.dispose()


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"


def test_session_cookie_flags(client, world, app):
    make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    response = client.post("/login", data={"username": "amy", "password": "secret-pass-1"})
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_inactive_user_cannot_log_in(client, world):
    user = make_user(world, Role.receptionist, username="gone")
    user.active = False
    db.session.commit()
    client.post("/login", data={"username": "gone", "password": "secret-pass-1"})
    assert client.get("/home").status_code == 302
    assert db.session.get(User, user.id).active is False


def test_unknown_page_is_translated_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "不存在" in response.get_data(as_text=True)


def test_login_page_shows_citizens_the_way_to_follow_their_matter(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/reports/track"' in page
    assert "查询码" in page
    assert client.get("/reports/track").status_code == 200
