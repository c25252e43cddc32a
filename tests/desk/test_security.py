"""The one check for a redirect target taken from a request (``safe_next``)."""
import pytest

from desk.security import safe_next


@pytest.mark.parametrize("target", ["//evil.example", "/\t/evil.example", "/\\evil.example", "/\\/evil.example",
                                    "https://evil.example", "/\t/evil", "/\n/evil", "javascript:alert(1)", " /x",
                                    "/x ", "evil.example", "", None, "/\x7f/evil", "/\u3000/evil", "/\u200b/evil",
                                    "http:/evil.example", "///evil.example"])
def test_safe_next_refuses_anything_but_a_path_here(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/intake/cases?status=accepted", "/", "/admin/users?q=%E5%BC%A0", "/x#part"])
def test_safe_next_keeps_a_path_here(target):
    assert safe_next(target, "/home") == target
