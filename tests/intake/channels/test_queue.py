"""One queue for all channels: matters from remote channels wait in the receiving town's case list,
counted by channel and filtered by it; another county's staff never see them."""
from desk.extensions import db
from desk.models import Channel, Role
from intake.channels.services import MatterInput, land_matter
from intake.reception.services import PersonInput


def _land(world, channel, phone, place=None):
    return land_matter(data=MatterInput(channel=channel, place=place or world.village, category=world.category,
                                        title=f"{channel.value} 反映", facts="事实经过",
                                        person=PersonInput(name="林一", phone=phone))).case


def test_the_case_list_counts_matters_awaiting_acceptance_by_channel_and_filters_by_them(login_as, world):
    online = _land(world, Channel.online, "13800000001")
    hotline = [_land(world, Channel.hotline, f"1380000001{n}") for n in range(2)]
    far = _land(world, Channel.grid, "13800000021", place=world.far_village)
    db.session.commit()
    reception = login_as(Role.receptionist)
    page = reception.get("/intake/cases").get_data(as_text=True)
    chips = page.split('data-testid="awaiting-by-channel"')[1].split("</p>")[0]
    assert "channel=online" in chips and "channel=hotline" in chips and "channel=grid" not in chips
    assert f"{Channel.hotline.title} 2" in chips and f"{Channel.online.title} 1" in chips
    only_hotline = reception.get("/intake/cases?status=registered&channel=hotline").get_data(as_text=True)
    assert all(c.reference in only_hotline for c in hotline)
    assert online.reference not in only_hotline and far.reference not in only_hotline
    commander = login_as(Role.commander, unit=world.town)
    assert online.reference in commander.get("/intake/cases?channel=online").get_data(as_text=True)
    outsider = login_as(Role.receptionist, unit=world.other_county)
    theirs = outsider.get("/intake/cases").get_data(as_text=True)
    chips = theirs.split('data-testid="awaiting-by-channel"')[1].split("</p>")[0]
    assert "channel=grid" in chips and "channel=online" not in chips and "channel=hotline" not in chips
    assert far.reference in theirs and online.reference not in theirs
