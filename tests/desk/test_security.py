"""No page cached; oversized ids answer 404; the ``next`` check itself."""
import pytest

from desk.models import Role
from desk.security import safe_next


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
