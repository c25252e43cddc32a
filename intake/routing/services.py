"""Routing (转送/交办) with the receiving body's objection, the owner of a matter (首接负责), levels and
escalation (上报), the 包案 leader and the grade. Services flush; views commit."""
from datetime import date

from flask_babel import lazy_gettext as _l
import sqlalchemy as sa

from desk import audit
from desk.access import in_scope
from desk.audit import record_audit
from desk.cases import due
from desk.errors import DomainError, NotAllowed
from desk.extensions import db
from desk.models import (GRADE_ORDER, HANDLING_STATUSES, Case, CaseGrade, Department, Level, OrgUnit, Role, Site,
                         User, UserRole)
from desk.notify import MESSAGES, notify
from desk.statemachine import StateMachine
from desk.timeutil import local_today
from intake.routing.models import CaseRoute, ExternalBody, RouteKind, RouteStatus

RS = RouteStatus
ROUTE_MACHINE = StateMachine("case_route", {RS.pending: {RS.objected, RS.confirmed},
                                            RS.objected: set(), RS.confirmed: set()})
DESK_ACTORS = (Role.receptionist, Role.commander, Role.admin)
LEADER_ASSIGNERS = (Role.official, Role.admin)
# 上报: village point → town station → county center; nothing above the county.
NEXT_LEVEL = {Level.village: Level.town, Level.town: Level.county}
CASE_LEVELS = (Level.village, Level.town, Level.county)

audit.ACTION_TITLES.update({
    "route": _l("Routed"), "route_objected": _l("Routing objected"), "route_confirmed": _l("Routing confirmed"),
    "object": _l("Objected"), "confirm": _l("Confirmed"), "escalate": _l("Escalated"),
    "grade": _l("Grade changed"), "assign_leader": _l("Leader assigned"),
})
MESSAGES.setdefault("case_routed", _l("Case %(reference)s was routed to %(department)s; object by %(due)s."))
MESSAGES.setdefault("route_objected", _l("Case %(reference)s came back: %(department)s objected."))


# --- owner and level at registration -------------------------------------------------------------

def _case_level(unit: OrgUnit | None) -> Level:
    if unit is None or unit.level in (Level.city, Level.county):
        return Level.county
    return Level.village if unit.level in (Level.village, Level.grid) else Level.town


def set_first_owner(case: Case, *, site: Site | None = None, actor=None) -> Case:
    """首接负责: the unit that first received the matter owns it; its level is where it was registered.

    The receiving unit is the site's, else the registering user's when the case lies in their scope,
    else the case's town (or county)."""
    unit = site.org_unit if site is not None else None
    if unit is None and actor is not None and getattr(actor, "org_unit", None) is not None \
            and in_scope(actor, case):
        unit = actor.org_unit
    if unit is None or unit.level == Level.city:
        unit = db.session.get(OrgUnit, case.town_id or case.county_id)
    case.owner_unit_id = unit.id if unit is not None else None
    case.level = _case_level(unit)
    return case


# --- routing -------------------------------------------------------------------------------------

def routes_of(case: Case) -> list[CaseRoute]:
    return list(db.session.scalars(sa.select(CaseRoute).where(CaseRoute.case_id == case.id)
                                   .order_by(CaseRoute.routed_at, CaseRoute.id)))


def route_deadline(case: Case, routes: list[CaseRoute] | None = None) -> date:
    """15 days from receipt (信访工作条例 第二十二条); a matter sent back by an objection is routed again
    within 15 days of the objection, as a newly received one."""
    routes = routes_of(case) if routes is None else routes
    last = routes[-1] if routes else None
    if last is not None and last.status == RS.objected and last.objected_on:
        return due("register", last.objected_on)
    return due("register", case.received_on)


def _require_desk_actor(case: Case, actor) -> None:
    if not (actor.has_role(*DESK_ACTORS) and in_scope(actor, case)):
        raise NotAllowed(_l("Only reception, a commander or an administrator over this case's place can do this."))


def route_case(case: Case, *, actor, kind: RouteKind, department_id: int | None = None,
               body_kind: ExternalBody | None = None, body_name: str = "", reason: str,
               on: date | None = None) -> CaseRoute:
    """Transfer or assign (转送/交办) the matter to the body with the power to handle it, within 15 days."""
    _require_desk_actor(case, actor)
    on = on or local_today()
    if case.status not in HANDLING_STATUSES:
        raise DomainError(_l("Only an open case can be routed."))
    routes = routes_of(case)
    if any(r.status == RS.pending for r in routes):
        raise DomainError(_l("This case has a routing awaiting the receiving body's answer."))
    if any(r.status == RS.confirmed for r in routes):
        raise DomainError(_l("This case's routing has been confirmed; the receiving body handles it."))
    limit = route_deadline(case, routes)
    if on > limit:
        raise DomainError(_l("The 15-day limit for routing this case ended on %(day)s.", day=limit.isoformat()))
    if not reason.strip():
        raise DomainError(_l("Say why this body has the power to handle the matter."), field="reason")
    department = None
    if department_id is not None:
        department = db.session.scalar(sa.select(Department).where(Department.id == department_id,
                                                                    Department.county_id == case.county_id))
        if department is None:
            raise DomainError(_l("Choose a department of this county."), field="department_id")
    elif body_kind is None:
        raise DomainError(_l("Choose a department or an external body."), field="department_id")
    elif not body_name.strip():
        raise DomainError(_l("Name the body the matter goes to."), field="body_name")
    route = CaseRoute(case_id=case.id, kind=kind, department=department,
                      body_kind=None if department else body_kind,
                      body_name="" if department else body_name.strip(), reason=reason.strip(),
                      from_unit_id=case.owner_unit_id, from_department_id=case.handling_department_id,
                      routed_by_id=actor.id, routed_on=on, objection_due=due("object_transfer", on))
    db.session.add(route)
    db.session.flush()
    record_audit(actor=actor, entity="case_route", entity_id=route.id, action="create", to_state=route.status,
                 reason=route.reason)
    record_audit(actor=actor, entity="case", entity_id=case.id, action="route", from_state=case.status,
                 to_state=case.status, reason=route.reason,
                 detail={"route_id": route.id, "kind": kind.value, "to": route.target_name,
                         "objection_due": route.objection_due.isoformat()})
    if department is not None:
        for user_id in department_officer_ids(department.id):
            notify(user_id, "case_routed", reference=case.reference, department=department.name_zh,
                   due=route.objection_due.isoformat(), link=f"/intake/routes/{route.id}",
                   dedupe_key=f"case_routed:{route.id}:{user_id}")
    return route


def department_officer_ids(department_id: int) -> list[int]:
    return list(db.session.scalars(
        sa.select(User.id).join(UserRole, UserRole.user_id == User.id)
        .where(User.department_id == department_id, User.active.is_(True),
               UserRole.role == Role.department_officer).distinct().order_by(User.id)))


def may_answer(route: CaseRoute, actor) -> bool:
    """A department's officers answer for it; for an external body the desk records its answer."""
    if route.department_id is not None:
        return actor.has_role(Role.department_officer) and actor.department_id == route.department_id
    return actor.has_role(*DESK_ACTORS) and in_scope(actor, route.case)


def effective_status(route: CaseRoute, today: date | None = None) -> RouteStatus:
    """What the routing is now: a pending one past its objection limit counts as confirmed."""
    today = today or local_today()
    if route.status == RS.pending and today > route.objection_due:
        return RS.confirmed
    return route.status


def object_to_route(route: CaseRoute, *, actor, reason: str, on: date | None = None) -> CaseRoute:
    """"Outside our remit", within 5 working days of receiving the transfer (信访工作条例 第二十三条);
    the matter goes back to its owner, who routes it again."""
    if not may_answer(route, actor):
        raise NotAllowed(_l("Only the receiving body can answer this routing."))
    on = on or local_today()
    if route.status == RS.pending and on > route.objection_due:
        raise DomainError(_l("The 5 working days to object ended on %(day)s; the routing stands.",
                             day=route.objection_due.isoformat()))
    if not reason.strip():
        raise DomainError(_l("Say why the matter is outside your remit."), field="reason")
    ROUTE_MACHINE.move(route, RS.objected, actor=actor, action="object", reason=reason.strip())
    route.objected_on, route.objected_by_id, route.objection_reason = on, actor.id, reason.strip()
    case = route.case
    record_audit(actor=actor, entity="case", entity_id=case.id, action="route_objected", from_state=case.status,
                 to_state=case.status, reason=reason.strip(), detail={"route_id": route.id, "to": route.target_name})
    if route.routed_by_id:
        notify(route.routed_by_id, "route_objected", reference=case.reference, department=route.target_name,
               link=f"/intake/cases/{case.id}", dedupe_key=f"route_objected:{route.id}")
    return route


def confirm_route(route: CaseRoute, *, actor=None, on: date | None = None) -> CaseRoute:
    """The receiving body takes the matter (or let the objection limit pass: actor None); from now on
    it handles the case, recorded as the handling department when it is one."""
    if actor is not None and not may_answer(route, actor):
        raise NotAllowed(_l("Only the receiving body can answer this routing."))
    on = on or local_today()
    ROUTE_MACHINE.move(route, RS.confirmed, actor=actor, action="confirm",
                       detail={"by_lapse": actor is None})
    route.confirmed_on = on if actor else route.objection_due
    route.confirmed_by_id = getattr(actor, "id", None)
    case = route.case
    if route.department_id is not None:
        case.handling_department_id = route.department_id
    record_audit(actor=actor, entity="case", entity_id=case.id, action="route_confirmed", from_state=case.status,
                 to_state=case.status, detail={"route_id": route.id, "to": route.target_name,
                                               "by_lapse": actor is None})
    return route


def confirm_lapsed_routes(today: date, limit: int = 2000) -> int:
    """Confirm every routing whose objection limit has passed without an answer (idempotent)."""
    rows = list(db.session.scalars(sa.select(CaseRoute).where(CaseRoute.status == RS.pending,
                                                              CaseRoute.objection_due < today)
                                   .order_by(CaseRoute.id).limit(limit)))
    for route in rows:
        confirm_route(route, actor=None, on=today)
    db.session.flush()
    return len(rows)


# --- levels, grade, leader ----------------------------------------------------------------------

def escalate_case(case: Case, *, actor, reason: str) -> Case:
    """上报 one level up (village → town → county) with a reason; the reference stays the same."""
    _require_desk_actor(case, actor)
    target = NEXT_LEVEL.get(case.level)
    if target is None:
        raise DomainError(_l("A county case cannot be escalated further."))
    if case.status not in HANDLING_STATUSES:
        raise DomainError(_l("Only an open case can be escalated."))
    if not reason.strip():
        raise DomainError(_l("Give the reason for escalating."), field="reason")
    unit_id = case.town_id if target == Level.town else case.county_id
    if unit_id is None:
        raise DomainError(_l("This case has no unit at the next level."))
    old_level, old_owner = case.level, case.owner_unit_id
    case.level, case.owner_unit_id = target, unit_id
    record_audit(actor=actor, entity="case", entity_id=case.id, action="escalate", from_state=case.status,
                 to_state=case.status, reason=reason.strip(),
                 detail={"from_level": old_level.value, "to_level": target.value,
                         "from_owner": old_owner, "to_owner": unit_id})
    return case


def change_grade(case: Case, *, actor, grade: CaseGrade, reason: str) -> Case:
    """Set the grade (一般 / 较大 / 重大); raising is recorded with its reason, lowering needs one."""
    _require_desk_actor(case, actor)
    if grade == case.grade:
        raise DomainError(_l("The case already has this grade."), field="grade")
    lowering = GRADE_ORDER.index(grade) < GRADE_ORDER.index(case.grade)
    if not reason.strip():
        raise DomainError(_l("A grade is never lowered without a reason.") if lowering
                          else _l("Give the reason for raising the grade."), field="reason")
    old = case.grade
    case.grade = grade
    record_audit(actor=actor, entity="case", entity_id=case.id, action="grade", from_state=case.status,
                 to_state=case.status, reason=reason.strip(),
                 detail={"from_grade": old.value, "to_grade": grade.value, "lowered": lowering})
    return case


def leader_candidates(case: Case) -> list[User]:
    """Officials of the case's county: who may take a county case (包案领导)."""
    return list(db.session.scalars(
        sa.select(User).join(UserRole, UserRole.user_id == User.id)
        .where(User.org_unit_id == case.county_id, User.active.is_(True), UserRole.role == Role.official)
        .order_by(User.display_name, User.id)))


def assign_leader(case: Case, *, actor, leader_id: int | None) -> Case:
    """A county case gets its 包案 leader, an official of the county."""
    if not (actor.has_role(*LEADER_ASSIGNERS) and in_scope(actor, case)):
        raise NotAllowed(_l("Only an official or an administrator over this case's place can assign its leader."))
    if case.level != Level.county:
        raise DomainError(_l("Only a county case has a leader taking it; escalate it first."))
    leader = next((u for u in leader_candidates(case) if u.id == leader_id), None)
    if leader is None:
        raise DomainError(_l("Choose an official of this county."), field="leader_id")
    if leader.id == case.leader_id:
        raise DomainError(_l("This official already takes the case."), field="leader_id")
    old = case.leader_id
    case.leader_id = leader.id
    record_audit(actor=actor, entity="case", entity_id=case.id, action="assign_leader", from_state=case.status,
                 to_state=case.status, detail={"from_leader": old, "to_leader": leader.id})
    return case


def owner_choices(user) -> list[tuple[int, str]]:
    """Units a case-list reader may filter owners by: their own unit and the towns inside it."""
    from desk.access import units_in_scope
    unit = getattr(user, "org_unit", None)
    if unit is None:
        return []
    towns = list(units_in_scope(user, Level.town)) if unit.level in (Level.city, Level.county) else []
    counties = list(units_in_scope(user, Level.county)) if unit.level == Level.city else []
    return [(u.id, u.name) for u in [unit, *counties, *towns]]
