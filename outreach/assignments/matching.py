"""Who to send: ranking the county's talent for an outreach request (no case, so no category or parties).

The components are the referral matching's own functions (role fit, language, on duty that day, load,
distance), reweighted for going out to a place on a date; members already busy at that time are left out."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import lazyload
from flask_babel import lazy_gettext as _l

from desk.extensions import db
from desk.models import OrgUnit
from outreach.assignments.models import AssignmentStatus, OutreachAssignment, OutreachRequest, ServiceKind
from referrals.talent.matching import (Ranked, distance_score, duty_score, language_score, load_score,
                                role_score)
from referrals.talent.models import Talent, TalentRole
from referrals.talent.rotation import duty_state

# The first role named fits best (role_score gives it 1.0, the next 0.9, ...).
KIND_ROLES = {
    ServiceKind.legal: [TalentRole.lawyer, TalentRole.judge, TalentRole.prosecutor],
    ServiceKind.psychological: [TalentRole.counselor, TalentRole.social_worker],
    ServiceKind.social_work: [TalentRole.social_worker, TalentRole.volunteer, TalentRole.grid_worker],
    ServiceKind.mediation: [TalentRole.mediator, TalentRole.lawyer, TalentRole.judge],
    ServiceKind.policy: [TalentRole.deputy, TalentRole.grid_worker, TalentRole.volunteer, TalentRole.mediator],
}
WEIGHTS = {"role": 0.35, "duty": 0.20, "language": 0.15, "load": 0.15, "distance": 0.15}
TITLES = {"role": _l("Role fit"), "duty": _l("On duty that day"), "language": _l("Language"),
          "load": _l("Load"), "distance": _l("Distance")}


@dataclass
class RequestRanking:
    ranked: list[Ranked] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)


def rank_talent_for_request(request: OutreachRequest, *, limit: int = 10) -> RequestRanking:
    """Active members of the request's county whose role fits the service kind, best first, each
    component shown; excluded: inactive, at capacity, already asked, busy elsewhere at that time."""
    unit = db.session.get(OrgUnit, request.place_unit_id)
    fitting = [r.value for r in KIND_ROLES[request.kind]]
    wanted = tuple(request.language_list)
    asked = set(db.session.scalars(sa.select(OutreachAssignment.talent_id)
                                   .where(OutreachAssignment.request_id == request.id)))
    busy = set(db.session.scalars(
        sa.select(OutreachAssignment.talent_id).join(OutreachRequest)
        .where(OutreachRequest.on_date == request.on_date, OutreachRequest.id != request.id,
               OutreachRequest.start_time < request.end_time, OutreachRequest.end_time > request.start_time,
               OutreachAssignment.status.in_([AssignmentStatus.accepted, AssignmentStatus.in_progress]))))
    members = db.session.scalars(sa.select(Talent).options(lazyload(Talent.skills))
                                 .where(Talent.county_id == request.county_id, Talent.role.in_(fitting))).all()
    result = RequestRanking(excluded={"inactive": 0, "full": 0, "asked": 0, "busy": 0})
    for member in members:
        reason = ("inactive" if not member.active else "full" if member.open_load >= member.capacity
                  else "asked" if member.id in asked else "busy" if member.id in busy else None)
        if reason:
            result.excluded[reason] += 1
            continue
        components = {"role": role_score(member.role.value, fitting),
                      "duty": duty_score(duty_state(member, request.on_date)),
                      "language": language_score(member.language_list, wanted),
                      "load": load_score(member.open_load, member.capacity),
                      "distance": distance_score(member, unit)}
        score = round(sum(WEIGHTS[k] * v for k, v in components.items()), 4)
        result.ranked.append(Ranked(member, score, components))
    result.ranked.sort(key=lambda c: (-c.score, c.talent.name, c.talent.id))
    del result.ranked[limit:]
    return result


EXCLUSION_TITLES = {"inactive": _l("inactive"), "full": _l("at capacity"), "asked": _l("already asked"),
                    "busy": _l("busy elsewhere at that time")}
