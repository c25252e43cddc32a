"""Every endpoint refuses an anonymous user, a wrong role and an out-of-scope record."""
import re

import pytest

from desk import create_app
from desk.config import TestConfig
from desk.models import Role
from tests import record_factories


def _rules():
    app = create_app(TestConfig)
    rows = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or getattr(view, "is_public", False):
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"HEAD", "OPTIONS"})[0]
        rows.append(pytest.param(rule.endpoint, rule.rule, method,
                                 tuple(sorted(getattr(view, "allowed_roles", ()))), id=rule.endpoint))
    return rows


RULES = _rules()


ARG = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _url(rule: str, values: dict) -> str:
    return ARG.sub(lambda m: str(values[m.group(3)]), rule)


def _args(rule: str) -> list[tuple[str, str | None]]:
    """(name, fixed value) per URL argument; an ``any(a, b)`` argument takes its first option."""
    return [(name, options.split(",")[0].strip().strip("'\"") if converter == "any" else None)
            for converter, options, name in ARG.findall(rule)]


def _placeholder_values(rule: str) -> dict:
    return {name: fixed or 1 for name, fixed in _args(rule)}


@pytest.mark.parametrize("endpoint,rule,method,roles", RULES)
def test_anonymous_is_sent_to_login(client, world, endpoint, rule, method, roles):
    response = client.open(_url(rule, _placeholder_values(rule)), method=method)
    assert response.status_code in (302, 401), endpoint
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("endpoint,rule,method,roles", [r for r in RULES if r.values[3]])
def test_wrong_role_is_refused(login_as, world, endpoint, rule, method, roles):
    wrong = next(r for r in Role if r not in roles)
    client = login_as(wrong)
    response = client.open(_url(rule, _placeholder_values(rule)), method=method)
    assert response.status_code == 403, endpoint


# Routes that name a record (an ``any(...)`` argument alone, such as a sample file's source, names none).
@pytest.mark.parametrize("endpoint,rule,method,roles",
                         [r for r in RULES if r.values[3] and any(fixed is None for _n, fixed in _args(r.values[1]))])
def test_out_of_scope_record_is_refused(login_as, world, endpoint, rule, method, roles):
    """A user of the right role in 开平市 cannot open a record of 台山市 (and vice versa)."""
    args = _args(rule)
    missing = [name for name, fixed in args if fixed is None and name not in record_factories.FACTORIES]
    assert not missing, f"add a factory for {missing} in tests/record_factories.py"
    values = {name: fixed or record_factories.FACTORIES[name](world) for name, fixed in args}
    role = sorted(roles)[0]
    client = login_as(role, unit=world.other_county, department=world.far_department)
    response = client.open(_url(rule, values), method=method)
    assert response.status_code in (403, 404), endpoint
