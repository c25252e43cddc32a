"""Core pages: error pages are translated and never leak, notifications count and read, timeline partial."""
from desk import notify
from desk.extensions import db
from desk.models import Role


def test_server_error_page_is_translated(app, world, login_as):
    def broken():
        raise RuntimeError("boom")
    app.add_url_rule("/test-broken", "test_broken", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/test-broken")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "boom" not in page and "Traceback" not in page
    assert "出错" in page


def test_notifications_are_counted_then_read(login_as):
    client = login_as(Role.receptionist)
    notify.notify(client.user.id, "info", text="第一条", dedupe_key="k1")
    notify.notify(client.user.id, "info", text="重复", dedupe_key="k1")
    db.session.commit()
    page = client.get("/home").get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in page
    listing = client.get("/notifications").get_data(as_text=True)
    assert "第一条" in listing and "重复" not in listing and 'data-testid="mark-read"' in listing
    # reading the list changes nothing (no state change on GET); marking read is a POST
    assert 'data-testid="unread-count">1<' in client.get("/home").get_data(as_text=True)
    assert client.post("/notifications/read").status_code == 302
    assert 'data-testid="unread-count"' not in client.get("/home").get_data(as_text=True)


def test_home_shows_scope_and_roles(login_as, world):
    page = login_as(Role.official, unit=world.town).get("/home").get_data(as_text=True)
    assert "台山市台城街道" in page
    assert "领导" in page
