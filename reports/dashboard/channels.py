"""Matters counted by the channel they came through (DOMAIN.md, "Channels beyond the desk"): contacts, new
matters and matters concluded in the period, every channel shown (zeros included) so a quiet channel is
visible as quiet."""
from datetime import date

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, Channel, OrgUnit, Visit
from reports.dashboard.scope import scope, utc


def _visits(channel: Channel):
    def ids(unit: OrgUnit, start: date, end: date):
        return sa.select(Visit.id).where(scope(Visit, unit), Visit.channel == channel,
                                         Visit.visited_at >= utc(start), Visit.visited_at < utc(end))
    return ids


def _cases(channel: Channel, column):
    def ids(unit: OrgUnit, start: date, end: date):
        return sa.select(Case.id).where(scope(Case, unit), Case.channel == channel, column >= start, column < end)
    return ids


def channels_counted(*, unit: OrgUnit, start: date, end: date) -> list[dict]:
    """Every channel with its visits (contacts) in [start, end), the matters received then (a case counts
    under the channel of its first contact) and the matters concluded then."""
    visits = dict(db.session.execute(
        sa.select(Visit.channel, sa.func.count()).where(scope(Visit, unit), Visit.visited_at >= utc(start),
                                                        Visit.visited_at < utc(end)).group_by(Visit.channel)).all())
    received = dict(db.session.execute(
        sa.select(Case.channel, sa.func.count()).where(scope(Case, unit), Case.received_on >= start,
                                                       Case.received_on < end).group_by(Case.channel)).all())
    concluded = dict(db.session.execute(
        sa.select(Case.channel, sa.func.count()).where(scope(Case, unit), Case.concluded_on >= start,
                                                       Case.concluded_on < end).group_by(Case.channel)).all())
    return [{"channel": c.value, "label": c.title, "visits": int(visits.get(c, 0)),
             "new_cases": int(received.get(c, 0)), "concluded": int(concluded.get(c, 0))} for c in Channel]


# The drill-downs of each channel's row (reports.dashboard.drill): visits list visits, the others cases.
DRILLS = {}
for _channel in Channel:
    DRILLS[f"channel_{_channel.value}_visits"] = (_visits(_channel), None)
    DRILLS[f"channel_{_channel.value}_new_cases"] = (_cases(_channel, Case.received_on), None)
    DRILLS[f"channel_{_channel.value}_concluded"] = (_cases(_channel, Case.concluded_on), None)
VISIT_DRILLS = {key for key in DRILLS if key.endswith("_visits")}
