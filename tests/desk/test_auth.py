"""Login, lockout, logout, CSRF, security headers, the health check and the front door."""
from desk.audit import timeline
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


def test_lockout_after_repeated_failures(client, world, app):
    user = make_user(world, Role.receptionist, username="amy")
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/login", data={"username": "amy", "password": "wrong"})
    page = client.post("/login", data={"username": "amy", "password": "secret-pass-1"}).get_data(as_text=True)
    assert "尝试次数过多" in page
    assert client.get("/home").status_code == 302
    assert [e.action for e in timeline("user", user.id)] == ["locked"]


def test_next_parameter_cannot_leave_the_site(client, world):
    make_user(world, Role.admin, username="root1")
    db.session.commit()
    response = client.post("/login?next=//evil.example/x", data={"username": "root1", "password": "secret-pass-1"})
    assert response.headers["Location"].startswith("/")
    assert "evil" not in response.headers["Location"]


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
