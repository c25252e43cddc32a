"""The authorization matrix, generated from ``app.url_map``: every route × every role × objects of the demo
county (台山市) requested by staff of the other county, by another member and by another department.

Every route must have an entry in ROUTES (a new route without one fails the test): what kind of route it is
decides the expected answer.
- "object": it names a record in its path; anyone outside the record's scope gets 403 or 404 for every
  method and every action the path admits, never a page or a redirect that did the work.
- "list": a page or form of the user's own scope; outsiders get an answer that is not a server error and
  shows none of 台山's case references.
- "own": the user's own session (log in and out, language, home); checked elsewhere.
- "public": open to anyone (health check, the citizens' tracking page); checked elsewhere.
"""
import re
from datetime import datetime

import sqlalchemy as sa

from desk.demo.seed import DEMO_PASSWORD
from desk.extensions import db
from desk.models import (CalendarDay, Case, Department, Level, OrgUnit, Person, PreparedFile, Role, Room, Site,
                         Ticket, User, Visit)
from intake.cases.models import Attachment
from intake.imports.models import ImportRun
from intake.grid.models import DispatchTarget, GridEvent, GridEventPhoto
from intake.open311.models import ApiClient
from intake.routing.models import CaseRoute
from intake.risk.models import RiskTerm, RiskWarning, SensitiveDate
from outreach.assignments.models import AssignmentStatus, OutreachAssignment
from outreach.mediation.models import Mediation
from referrals.offers.models import Referral
from referrals.orders.models import DispatchOrder, OrderEvidence
from referrals.talent.models import Talent
from reports.callbacks.models import Callback
from reports.summary.models import MonthlySummary
from tests.factories import _fast_hash
from tests.demo_snapshots import load_demo

ROUTES = {
    "core.index": "own", "core.home": "own", "core.healthz": "public", "core.notifications": "list",
    "core.mark_notifications_read": "own", "core.prepared_file": "object", "core.prepared_file_status": "object",
    "core.prepared_file_download": "object", "auth.login": "own", "auth.logout": "own", "auth.change_language": "own",
    "admin.users": "list", "admin.new_user": "list", "admin.org_tree": "list", "admin.edit_user": "object",
    # the holiday calendar is national (no place to scope by): every administrator's own
    "admin.holidays": "list", "admin.delete_holiday": "list",
    "intake.reception": "list", "intake.lookup": "list", "intake.case_list": "list", "intake.case_export": "list",
    "intake.case_detail": "object", "intake.case_action": "object", "intake.case_attachment": "object",
    "intake.case_document": "object", "intake.reveal_id": "object", "intake.queue_board": "list",
    "intake.queue_display": "list", "intake.call_next": "object", "intake.ticket_action": "object",
    "intake.print_ticket": "object",
    "intake.registered": "object", "intake.case_routing": "object", "intake.routing_action": "object",
    "intake.routed_cases": "list", "intake.route_detail": "object", "intake.route_action": "object",
    "outreach.requests": "list", "outreach.request_detail": "object", "outreach.request_action": "object",
    "outreach.assignment_action": "object", "outreach.field_intake": "object", "outreach.record_service": "object",
    "outreach.start_mediation": "object", "outreach.measures": "list", "outreach.mediation_detail": "object",
    "outreach.mediation_action": "object", "outreach.agreement_pdf": "object", "outreach.my_assignments": "list",
    "outreach.my_history": "list", "outreach.new_request": "list", "outreach.talent_history": "object",
    "referrals.issue_order": "object", "referrals.refer_case": "object", "referrals.my_work": "list",
    "referrals.orders_home": "list", "referrals.order_detail": "object", "referrals.order_action": "object",
    "referrals.order_evidence": "object", "referrals.order_sheet": "object", "referrals.department_inbox": "list",
    "referrals.order_measures": "list", "referrals.referral_action": "object", "referrals.room_boards": "list",
    "referrals.room_board": "object", "referrals.talent_list": "list", "referrals.talent_edit": "object",
    "referrals.talent_import": "list", "referrals.talent_import_status": "object",
    "reports.callbacks": "list", "reports.callback_record": "object", "reports.callback_reveal_phone": "object",
    "reports.callback_reopen": "object", "reports.open_callbacks": "own", "reports.dashboard": "list",
    "reports.drill_down": "list", "reports.export": "list", "reports.summaries": "list",
    "reports.summary_download": "object", "reports.summary_on_demand": "list", "reports.track": "public",
    "reports.track_rate": "public",
    "intake.import_events": "list", "intake.import_run": "object", "intake.import_status": "object",
    "intake.import_sample": "list",
    "intake.grid_events": "list", "intake.grid_report": "list", "intake.grid_event": "object",
    "intake.grid_event_action": "object", "intake.grid_event_photo": "object",
    "intake.online_report": "public", "intake.online_done": "public",
    # Open311 GeoReport v2: the API is public (reads by jurisdiction, POST by api_key: tests/intake/open311)
    "open311.discovery": "public", "open311.openapi": "public", "open311.service_list": "public",
    "open311.service_definition": "public", "open311.request_list": "public", "open311.submit_request": "public",
    "open311.request_detail": "public", "open311.token": "public",
    "intake.api_clients": "list", "intake.new_api_client": "list", "intake.revoke_api_client": "object",
    "intake.risk_warnings": "list", "intake.risk_warning": "object", "intake.risk_warning_action": "object",
    # the risk lists hold for the whole city: every administrator reads them, only the city's change them, so
    # a row's pages and actions refuse everyone of a county as they refuse an outsider
    "intake.risk_lists": "list", "intake.add_sensitive_date": "list", "intake.add_risk_term": "list",
    "intake.edit_sensitive_date": "object", "intake.remove_sensitive_date": "object",
    "intake.risk_term_action": "object",
}
# Routes of one member or one department: a member of the same county who is not the one offered, and an
# officer of another department of the same county, must be refused too.
MEMBER_ROUTES = {"referrals.referral_action", "outreach.assignment_action", "outreach.field_intake",
                 "outreach.record_service", "outreach.mediation_detail", "outreach.mediation_action",
                 "outreach.agreement_pdf", "intake.grid_event", "intake.grid_event_action", "intake.grid_event_photo"}
DEPARTMENT_ROUTES = {"referrals.order_detail", "referrals.order_action", "referrals.order_evidence",
                     "referrals.order_sheet", "intake.route_detail", "intake.route_action", "intake.grid_event",
                     "intake.grid_event_action", "intake.grid_event_photo"}
OUTSIDER_ROLES = [Role.receptionist, Role.talent, Role.commander, Role.department_officer, Role.official,
                  Role.callback_staff, Role.admin, Role.grid_member]
REFUSED = {403, 404}
PASSWORD = "secret-pass-1"


def _raise_warning(case: Case) -> int:
    """A risk warning on a demo case, for when the demo has none in the county (a group visit of its first visit)."""
    from datetime import date
    from intake.risk.models import RiskKind, RiskLevel
    from intake.risk.services import Signal, raise_or_attach
    visit = case.visits[0]
    day = date(2026, 11, 20)
    warning = raise_or_attach(Signal(RiskKind.group_visit, f"v{visit.id}", {f"v{visit.id}": (case.id, visit.id)}, 6,
                                     5, RiskLevel.yellow, day, day, case, case_id=case.id))
    db.session.commit()
    return warning.id


def _sensitive_date() -> int:
    """A sensitive period, for when the demo keeps none (the lists carry no place: any row will do)."""
    from datetime import date
    row = SensitiveDate(name="重要会议期间", starts_on=date(2026, 11, 19), ends_on=date(2026, 11, 21))
    db.session.add(row)
    db.session.commit()
    return row.id


def _risk_term() -> int:
    row = RiskTerm(term="堵路")
    db.session.add(row)
    db.session.commit()
    return row.id


def _first(stmt):
    return db.session.scalars(stmt.limit(1)).first()


def _objects(county: OrgUnit) -> dict:
    """One record of 台山市 for every id a path can carry."""
    mediator = db.session.scalar(sa.select(Talent).join(User, User.id == Talent.user_id)
                                 .where(User.username == "mediator"))
    case = _first(sa.select(Case).where(Case.county_id == county.id).order_by(Case.id))
    order = _first(sa.select(DispatchOrder).where(DispatchOrder.county_id == county.id).order_by(DispatchOrder.id))
    assignment = _first(sa.select(OutreachAssignment).where(OutreachAssignment.talent_id == mediator.id,
                                                            OutreachAssignment.status == AssignmentStatus.in_progress))
    evidence = _first(sa.select(OrderEvidence).order_by(OrderEvidence.id))
    attachment = _first(sa.select(Attachment).order_by(Attachment.id))
    values = {
        "case_id": case.id,
        "attachment_id": attachment.id if attachment else 1,
        "visit_id": _first(sa.select(Visit.id).where(Visit.county_id == county.id)),
        "person_id": _first(sa.select(Person.id).where(Person.county_id == county.id)),
        "room_id": _first(sa.select(Room.id).join(Site, Site.id == Room.site_id)
                          .join(OrgUnit, OrgUnit.id == Site.org_unit_id).where(OrgUnit.county_id == county.id)),
        "ticket_id": _first(sa.select(Ticket.id).join(Visit, Visit.id == Ticket.visit_id)
                            .where(Visit.county_id == county.id)),
        "request_id": assignment.request_id,
        "assignment_id": assignment.id,
        "mediation_id": _first(sa.select(Mediation.id).order_by(Mediation.id)),
        "talent_id": mediator.id,
        "order_id": order.id if evidence is None else evidence.order_id,
        "evidence_id": evidence.id if evidence else 1,
        "referral_id": _first(sa.select(Referral.id).where(
            sa.or_(Referral.offered_to_id == mediator.id, Referral.talent_id == mediator.id)).order_by(Referral.id.desc())),
        "callback_id": _first(sa.select(Callback.id).where(Callback.county_id == county.id)),
        # the demo official's prepared export: a file is its asker's only
        "file_id": _first(sa.select(PreparedFile.id).join(User, User.id == PreparedFile.user_id)
                          .where(User.username == "official")),
        "summary_id": _first(sa.select(MonthlySummary.id).where(MonthlySummary.unit_id == county.id)),
        "user_id": db.session.scalar(sa.select(User.id).where(User.username == "reception")),
        "day_id": _first(sa.select(CalendarDay.id).order_by(CalendarDay.id)) or 1,
        "date_id": _first(sa.select(SensitiveDate.id).order_by(SensitiveDate.id)) or _sensitive_date(),
        "term_id": _first(sa.select(RiskTerm.id).order_by(RiskTerm.id)) or _risk_term(),
        "key": "0" * 32,
        "run_id": _first(sa.select(ImportRun.id).where(ImportRun.county_id == county.id).order_by(ImportRun.id)),
        # an event dispatched to the demo officer's department (人社局): another department's officer is refused
        "event_id": _first(sa.select(GridEvent.id).join(User, User.department_id == GridEvent.department_id)
                           .where(User.username == "officer", GridEvent.target == DispatchTarget.department,
                                  GridEvent.county_id == county.id).order_by(GridEvent.id)),
        "photo_id": _first(sa.select(GridEventPhoto.id).order_by(GridEventPhoto.id)) or 1,
        "api_client_id": _first(sa.select(ApiClient.id).where(ApiClient.unit_id == county.id)),
        "warning_id": _first(sa.select(RiskWarning.id).where(RiskWarning.county_id == county.id)
                             .order_by(RiskWarning.id)) or _raise_warning(case),
        # the Open311 API's paths: a service code, a case reference, a token (public, but crawled and fuzzed)
        "code": case.category.code, "reference": case.reference, "token": "0" * 12,
        # a routing to the demo officer's department (人社局), so another department's officer is refused
        "route_id": _first(sa.select(CaseRoute.id).join(User, User.department_id == CaseRoute.department_id)
                           .where(User.username == "officer").order_by(CaseRoute.id)),
    }
    assert all(v is not None for v in values.values()), values
    return values


def _user(unit: OrgUnit, role: Role, *, department: Department | None = None) -> User:
    user = User(username=f"outsider-{role.value}-{unit.code}-{department.id if department else 0}",
                display_name=f"外县{role.title}", org_unit=unit, department=department)
    user.password_hash = _fast_hash(PASSWORD)
    user.set_roles([role])
    db.session.add(user)
    db.session.flush()
    return user


def _outsiders(other: OrgUnit, home: OrgUnit) -> list[tuple[str, User, set]]:
    """(who, user, endpoints to check): staff of every role in the other county check every object route;
    a member and an officer of 台山 check the routes of one member or one department."""
    town = _first(sa.select(OrgUnit).where(OrgUnit.parent_id == other.id, OrgUnit.level == Level.town))
    far_department = _first(sa.select(Department).where(Department.county_id == other.id))
    users = []
    for role in OUTSIDER_ROLES:
        unit = town if role == Role.commander else other
        user = _user(unit, role, department=far_department if role == Role.department_officer else None)
        if role == Role.talent:
            talent = _first(sa.select(Talent).where(Talent.county_id == other.id, Talent.user_id.is_(None)))
            talent.user_id = user.id
        users.append((f"{role.value}@{unit.code}", user, set(ROUTES)))
    lawyer = db.session.scalar(sa.select(User).where(User.username == "lawyer"))
    users.append(("another member", lawyer, MEMBER_ROUTES))
    officer = db.session.scalar(sa.select(User).where(User.username == "officer"))
    other_department = _first(sa.select(Department).where(Department.county_id == home.id,
                                                          Department.id != officer.department_id))
    users.append(("another department", _user(home, Role.department_officer, department=other_department),
                  DEPARTMENT_ROUTES))
    db.session.commit()
    return users


def _paths(rule, values: dict) -> list[str]:
    """Every path the rule admits for these objects (each action of an ``any(...)`` segment)."""
    combos = [{}]
    for arg in rule.arguments:
        converter = rule._converters[arg]
        options = sorted(getattr(converter, "items", [])) or [values[arg]]
        combos = [dict(c, **{arg: o}) for c in combos for o in options]
    return [rule.build(c, append_unknown=False)[1] for c in combos]


def _login(app, user) -> object:
    client = app.test_client()
    password = DEMO_PASSWORD if not user.username.startswith("outsider-") else PASSWORD
    response = client.post("/login", data={"username": user.username, "password": password})
    assert response.status_code == 302, user.username
    return client


def test_every_route_refuses_everyone_outside_its_scope(app, clock, record_property):
    clock(datetime(2026, 11, 20, 2, 0))
    load_demo(size="small", seed=7)
    home = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == "440781"))
    other = db.session.scalar(sa.select(OrgUnit).where(OrgUnit.level == Level.county, OrgUnit.id != home.id))
    rules = [r for r in app.url_map.iter_rules() if r.endpoint != "static"]
    missing = sorted({r.endpoint for r in rules} - set(ROUTES))
    assert not missing, f"routes without an entry in the authorization matrix: {missing}"
    values = _objects(home)
    references = set(db.session.scalars(sa.select(Case.reference).where(Case.county_id == home.id)))
    prefix = re.escape(next(iter(references))[:3])
    leaks, requests = [], 0
    for who, user, endpoints in _outsiders(other, home):
        client = _login(app, user)
        for rule in rules:
            kind = ROUTES[rule.endpoint]
            if rule.endpoint not in endpoints or kind in ("own", "public"):
                continue
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            for path in _paths(rule, values):
                for method in methods:
                    response = client.open(path, method=method, data={})
                    requests += 1
                    status = response.status_code
                    if status >= 500:
                        leaks.append((who, method, path, status))
                    elif kind == "object" and status not in REFUSED:
                        leaks.append((who, method, path, status))
                    elif kind == "list" and response.mimetype in ("text/html", "text/csv", "application/json"):
                        found = set(re.findall(prefix + r"-\d{4}-\d{6}", response.get_data(as_text=True)))
                        if found & references:
                            leaks.append((who, method, path, f"shows {sorted(found & references)[:3]}"))
    record_property("figure", f"authorization matrix ({app.extensions['sqlalchemy'].engine.dialect.name}): "
                              f"{len(rules)} routes, {requests} requests, {len(leaks)} leaks")
    assert not leaks, leaks
