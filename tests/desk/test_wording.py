"""One word for one thing in the Chinese interface: an offer not yet taken, the outreach service, the dashboard.

Pages are rendered in zh_Hans; the catalogs are checked too, so a word changed back anywhere fails here."""
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from desk.extensions import db
from desk.models import Role
from outreach.assignments import services as assignments
from outreach.assignments.models import AssignmentStatus, RequestStatus
from referrals.offers.models import ReferralStatus
from tests.outreach.helpers import make_member, make_request

CATALOGS = Path(__file__).resolve().parents[2] / "desk" / "translations"
# the word kept, and the words it replaced, per locale
WORDS = {
    "zh_Hans": {"待接单": ("待派", "已分派"), "外送服务": ("外出服务", "下沉服务"), "数据看板": ("领导看板",)},
    "zh_Hant": {"待接單": ("待派", "已分派"), "外送服務": ("外出服務", "下沉服務"), "數據看板": ("領導看板",)},
}


def _zh(client):
    client.user.locale = "zh_Hans"
    db.session.commit()
    return client


def test_an_offer_not_yet_taken_reads_the_same_for_the_request_and_the_member(login_as, world):
    staff = _zh(login_as(Role.receptionist, unit=world.county))
    member = make_member(world, "律师甲", role="lawyer")
    request = make_request(world, staff.user)
    untouched = make_request(world, staff.user)      # open, offered to nobody yet
    assignments.offer(request, [member], actor=staff.user)
    db.session.commit()
    assert request.status == RequestStatus.open and untouched.status == RequestStatus.open
    pages = {"list": staff.get("/outreach/").get_data(as_text=True),
             "request": staff.get(f"/outreach/{request.id}").get_data(as_text=True)}
    member_client = login_as(Role.talent, username="member-page")
    member_client.user.locale = "zh_Hans"
    member.user_id = member_client.user.id
    db.session.commit()
    pages["member"] = member_client.get("/outreach/my").get_data(as_text=True)
    for name, page in pages.items():
        assert "待接单" in page, name
        assert "待派" not in page and "已分派" not in page, name
    with force_locale("zh_Hans"):
        titles = {str(RequestStatus.open.title), str(AssignmentStatus.offered.title),
                  str(ReferralStatus.offered.title)}
    assert titles == {"待接单"}


def test_the_dashboard_and_the_outreach_service_have_one_name_each(login_as, world):
    official = _zh(login_as(Role.official, unit=world.county))
    page = official.get("/reports/dashboard").get_data(as_text=True)
    assert "数据看板" in page and "外送服务" in page
    for old in ("领导看板", "外出服务", "下沉服务"):
        assert old not in page
    with force_locale("zh_Hans"):
        assert gettext("Dashboard") in gettext("Back to the dashboard")
        assert gettext("Outreach") == "外送服务" and gettext("Outreach satisfaction").startswith("外送服务")


@pytest.mark.parametrize("locale", sorted(WORDS))
def test_no_catalog_entry_uses_a_replaced_word(locale):
    text = (CATALOGS / locale / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    live = "\n".join(line for line in text.splitlines() if not line.startswith("#"))   # obsolete entries aside
    for kept, replaced in WORDS[locale].items():
        assert kept in live
        for old in replaced:
            assert old not in live, (locale, old)


def test_several_languages_are_chosen_with_checkboxes(login_as, world):
    member = make_member(world, "律师乙", role="lawyer", languages="cantonese,taishanese")
    admin = _zh(login_as(Role.admin, unit=world.county))
    page = admin.get(f"/referrals/talent/{member.id}").get_data(as_text=True)
    languages = page.split('data-testid="languages"')[1].split("</fieldset>")[0]
    assert languages.count('type="checkbox" name="languages"') >= 4
    assert 'value="cantonese" checked' in languages and 'value="mandarin">' in languages
    assert "按住 Ctrl" in page                                   # the long skills list keeps a visible hint
    staff = _zh(login_as(Role.receptionist, unit=world.county))
    form = staff.get("/outreach/new").get_data(as_text=True)
    assert 'type="checkbox" name="languages"' in form and '<select id="languages" multiple' not in form
    saved = admin.post(f"/referrals/talent/{member.id}", data={
        "name": "律师乙", "role": "lawyer", "stationing": "resident", "weekdays": ["0", "2"], "room_id": "0",
        "capacity": "4", "languages": ["mandarin", "hakka"], "skills": [], "conflicts": "", "active": "y"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:1500]
    db.session.expire_all()
    assert set(member.languages.split(",")) == {"mandarin", "hakka"}
