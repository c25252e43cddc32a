"""Three languages: switching, remembering per user, Babel formatting, complete catalogs."""
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from desk.extensions import db
from desk.models import Role, User

TRANSLATIONS = Path(__file__).resolve().parents[2] / "desk" / "translations"


def test_switching_language_is_remembered_for_the_user(login_as):
    client = login_as(Role.admin)
    assert "用户" in client.get("/admin/users").get_data(as_text=True)
    client.post("/language", data={"locale": "en", "next": "/admin/users"})
    assert "Users" in client.get("/admin/users").get_data(as_text=True)
    assert db.session.get(User, client.user.id).locale == "en"
    client.post("/language", data={"locale": "zh_Hant", "next": "/admin/users"})
    assert "用戶" in client.get("/admin/users").get_data(as_text=True)


def test_anonymous_choice_lasts_for_the_session(client):
    client.post("/language", data={"locale": "en", "next": "/login"})
    assert "Log in" in client.get("/login").get_data(as_text=True)


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_catalog_is_complete(locale):
    with open(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        template = read_po(handle)
    missing = [m.id for m in template if m.id and not (catalog.get(m.id) and catalog.get(m.id).string)]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"{locale}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{locale}: fuzzy entries {fuzzy[:5]}"
