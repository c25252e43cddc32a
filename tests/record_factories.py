"""For the access test: URL argument name -> a record in 台山市 (the out-of-scope user sits in 开平市).

Every view argument that names a record needs an entry here; the access test fails until it has one.
"""
from desk.extensions import db
from desk.models import Role
from tests.factories import make_case, make_person, make_user, valid_id_number


def _user(world):
    user = make_user(world, Role.receptionist, unit=world.town)
    db.session.commit()
    return user.id


def _case(world):
    case = make_case(world)
    db.session.commit()
    return case.id


def _site(world):
    return world.county_site.id


def _room(world):
    return world.county_site.rooms[0].id


def _unit(world):
    return world.town.id


def _person(world):
    person = make_person(world, id_number=valid_id_number())
    db.session.commit()
    return person.id


def _visit(world):
    case = make_case(world)
    db.session.commit()
    return case.visits[0].id


def _ticket(world):
    from desk.tickets import issue_ticket
    ticket = issue_ticket(site=world.county_site, room=world.county_site.rooms[0])
    db.session.commit()
    return ticket.id


def _attachment(world):
    from intake.cases.models import Attachment
    case = make_case(world)
    attachment = Attachment(case_id=case.id, filename="a.pdf", mime="application/pdf", size=5, sha256="0" * 64,
                            path="/nonexistent")
    db.session.add(attachment)
    db.session.commit()
    return attachment.id


def _talent(world):
    from tests.factories import make_talent
    talent = make_talent(world)
    db.session.commit()
    return talent.id


def _referral(world):
    from referrals.offers.services import refer_to_talent
    from tests.factories import make_talent
    referral = refer_to_talent(make_case(world), make_talent(world), actor=None)
    db.session.commit()
    return referral.id


def _order(world):
    from referrals.orders.services import issue_dispatch_order
    commander = make_user(world, Role.commander, unit=world.town)
    order = issue_dispatch_order(make_case(world), actor=commander, department_id=world.department.id,
                                 instructions="核查处理", deadline_days=2)
    db.session.commit()
    return order.id


def _order_evidence(world):
    from referrals.orders.models import DispatchOrder, OrderEvidence, OrderReport
    order = db.session.get(DispatchOrder, _order(world))
    report = OrderReport(order_id=order.id, text="已处理", staff_visits=1)
    report.evidence.append(OrderEvidence(filename="a.png", mime="image/png", size=5, sha256="0" * 64,
                                         path="/nonexistent"))
    db.session.add(report)
    db.session.commit()
    return report.evidence[0].id


def _import_key(world):
    return "no-such-import"


# Outreach (issue 6): a request in 台山市's village, an assignment offered on it, a mediation of a case.
def _outreach_request(world):
    from datetime import date, time
    from outreach.assignments.services import create_request
    from outreach.assignments.models import ServiceKind
    staff = make_user(world, Role.receptionist, unit=world.county)
    request = create_request(actor=staff, unit=world.village, site=None, kind=ServiceKind.legal,
                             on_date=date(2026, 12, 1), start_time=time(9), end_time=time(11), expected_people=5,
                             today=date(2026, 11, 25))
    db.session.commit()
    return request.id


def _outreach_assignment(world):
    from outreach.assignments.services import offer
    from outreach.assignments.models import OutreachRequest
    from tests.factories import make_talent
    request = db.session.get(OutreachRequest, _outreach_request(world))
    [assignment] = offer(request, [make_talent(world)], actor=None)
    db.session.commit()
    return assignment.id


def _mediation(world):
    from datetime import date
    from tests.factories import make_mediation
    mediation = make_mediation(world, make_case(world), on=date(2026, 11, 25))
    db.session.commit()
    return mediation.id


def _calendar_day(world):
    from datetime import date
    from desk.models import CalendarDay, DayKind
    row = CalendarDay(day=date(2099, 10, 1), year=2099, kind=DayKind.day_off, name="国庆节")
    db.session.add(row)
    db.session.commit()
    return row.id


def _route(world):
    from datetime import date
    from intake.routing.models import CaseRoute, RouteKind
    case = make_case(world)
    route = CaseRoute(case=case, kind=RouteKind.transfer, department_id=world.department.id, reason="职责范围",
                      from_unit_id=world.town.id, routed_on=date(2026, 11, 20), objection_due=date(2026, 11, 27))
    db.session.add(route)
    db.session.commit()
    return route.id


FACTORIES = {
    "day_id": _calendar_day,
    "route_id": _route,
    "user_id": _user,
    "case_id": _case,
    "site_id": _site,
    "room_id": _room,
    "unit_id": _unit,
    "person_id": _person,
    "visit_id": _visit,
    "ticket_id": _ticket,
    "attachment_id": _attachment,
    "talent_id": _talent,
    "referral_id": _referral,
    "key": _import_key,
    "request_id": _outreach_request,
    "assignment_id": _outreach_assignment,
    "mediation_id": _mediation,
    "order_id": _order,
    "evidence_id": _order_evidence,
}


# --- reports (issue 7): callbacks and archived monthly summaries ---
def _callback(world):
    from datetime import date, datetime

    from desk import cases
    from desk.models import Outcome
    from reports.callbacks.services import open_callbacks_for_concluded
    from reports.callbacks.models import Callback
    case = make_case(world)
    cases.accept_case(case, actor=None, on=date(2026, 11, 3))
    cases.conclude_case(case, actor=None, outcome=Outcome.support, opinion="支持。", on=date(2026, 11, 20))
    open_callbacks_for_concluded(datetime(2026, 11, 20, 2, 0), case_id=case.id)
    db.session.commit()
    return db.session.scalar(db.select(Callback.id).where(Callback.case_id == case.id))


def _summary(world):
    from reports.summary.models import MonthlySummary
    summary = MonthlySummary(unit_id=world.county.id, year=2026, month=10, locale="zh_Hans", size=4, pdf=b"%PDF")
    db.session.add(summary)
    db.session.commit()
    return summary.id


FACTORIES["callback_id"] = _callback
FACTORIES["summary_id"] = _summary


# --- channels (issue 17) ---------------------------------------------------------------------------------------

def _import_run(world):
    from intake.imports.services import open_run
    run = open_run(source="12345", county=world.county, actor=None, file_name="hotline.csv")
    db.session.commit()
    return run.id


def _grid_event(world):
    from tests.intake.grid.helpers import PNG, grid_member, report
    event = report(world, grid_member(world), photos=[("p.png", PNG)])
    db.session.commit()
    return event.id


def _grid_photo(world):
    """The photo of the event the path names (made just before, for event_id: the test's only event)."""
    import sqlalchemy as sa
    from intake.grid.models import GridEventPhoto
    return db.session.scalar(sa.select(sa.func.max(GridEventPhoto.id)))


def _api_client(world):
    from desk.models import Channel
    from intake.open311.services import create_client
    client, _key = create_client(actor=None, name="热线", unit=world.county, channel=Channel.hotline)
    db.session.commit()
    return client.id


FACTORIES["run_id"] = _import_run
FACTORIES["event_id"] = _grid_event
FACTORIES["photo_id"] = _grid_photo
FACTORIES["api_client_id"] = _api_client


# --- risk early warning (issue 18) ------------------------------------------------------------------------------

def _risk_warning(world):
    """A group-visit warning on a new case of 台山市, raised through the service."""
    from datetime import date
    from intake.risk.models import RiskKind, RiskLevel
    from intake.risk.services import Signal, raise_or_attach
    case = make_case(world)
    visit, day = case.visits[0], date(2026, 11, 20)
    warning = raise_or_attach(Signal(RiskKind.group_visit, f"v{visit.id}", {f"v{visit.id}": (case.id, visit.id)}, 6,
                                     5, RiskLevel.yellow, day, day, case, case_id=case.id))
    db.session.commit()
    return warning.id


FACTORIES["warning_id"] = _risk_warning


def _sensitive_date(world):
    """A sensitive period (the lists hold for the whole city and carry no place)."""
    from datetime import date
    from intake.risk.models import SensitiveDate
    entry = SensitiveDate(name="测试敏感期", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 3))
    db.session.add(entry)
    db.session.commit()
    return entry.id


def _risk_term(world):
    """A word of extreme intent on the city's list."""
    from intake.risk.models import RiskTerm
    term = RiskTerm(term="测试极端词")
    db.session.add(term)
    db.session.commit()
    return term.id


FACTORIES["date_id"] = _sensitive_date
FACTORIES["term_id"] = _risk_term
