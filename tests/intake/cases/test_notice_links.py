"""Notices open in a new tab: the registered page (the ticket stays on screen) and the case page."""
import re
from datetime import date

from desk import cases
from desk.extensions import db
from desk.models import Outcome, Role
from tests.factories import make_case, make_user


def pdf_links(page: str) -> list[str]:
    return [a for a in re.findall(r"<a\s[^>]*>", page) if re.search(r'href="[^"]*\.pdf"', a)]


def test_every_notice_on_the_case_page_opens_in_a_new_tab(login_as, world):
    case = make_case(world)
    actor = make_user(world, Role.receptionist)
    cases.accept_case(case, actor=actor, on=date(2026, 11, 3))
    cases.start_work(case, actor=actor)
    cases.conclude_case(case, actor=actor, outcome=Outcome.support, opinion="责成用人单位支付工资。",
                        legal_basis="《劳动合同法》第三十条", on=date(2026, 11, 20), delivered_on=date(2026, 11, 20))
    db.session.commit()
    page = login_as(Role.receptionist).get(f"/intake/cases/{case.id}").get_data(as_text=True)
    links = pdf_links(page)
    assert {"doc-acceptance", "doc-opinion"} <= set(re.findall(r'data-testid="(doc-[a-z_]+)"', " ".join(links)))
    for link in links:
        assert 'target="_blank"' in link and 'rel="noopener"' in link, link


def test_the_acceptance_notice_on_the_registered_page_opens_in_a_new_tab(login_as, world):
    client = login_as(Role.receptionist)
    client.user.site_id = world.county_site.id
    case = make_case(world)
    db.session.commit()
    page = client.get(f"/intake/visits/{case.visits[0].id}").get_data(as_text=True)
    links = pdf_links(page)
    assert len(links) == 1 and 'data-testid="print-acceptance"' in links[0]
    assert 'target="_blank"' in links[0] and 'rel="noopener"' in links[0]
