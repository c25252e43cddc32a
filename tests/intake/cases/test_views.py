"""Case pages through the web: actions and their refusals, notices as PDFs, lists, CSV, indexes."""
import re
import subprocess
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from desk import cases
from desk.audit import timeline
from desk.extensions import db
from desk.models import Case, CaseStatus, Outcome, Role, Route
from desk.timeutil import local_today
from tests.factories import make_case, make_person, make_user


def _staff(login_as, world):
    return login_as(Role.receptionist, unit=world.county)


def test_case_page_shows_clocks_and_masked_parties(login_as, world):
    person = make_person(world, id_number="440781198001010000"[:17] + "X", phone="13812345678")
    case = make_case(world, person=person)
    db.session.commit()
    page = _staff(login_as, world).get(f"/intake/cases/{case.id}").get_data(as_text=True)
    assert case.reference in page and "138****5678" in page and "13812345678" not in page
    assert "登记并转送交办" in page and "受理" in page


def test_accept_then_illegal_action_is_refused_without_audit(login_as, world):
    case = make_case(world)
    db.session.commit()
    client = _staff(login_as, world)
    assert client.post(f"/intake/cases/{case.id}/accept").status_code == 302
    before = len(timeline("case", case.id))
    response = client.post(f"/intake/cases/{case.id}/close")
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == CaseStatus.accepted
    assert len(timeline("case", case.id)) == before


def test_refuse_needs_reason_and_keeps_what_was_typed(login_as, world):
    case = make_case(world)
    db.session.commit()
    client = _staff(login_as, world)
    page = client.post(f"/intake/cases/{case.id}/refuse",
                       data={"refuse-reason": "", "refuse-route": "court",
                             "refuse-directed_to": "台山市人民法院"}).get_data(as_text=True)
    assert 'value="台山市人民法院"' in page
    assert db.session.get(Case, case.id).status == CaseStatus.registered


def test_extension_only_once(login_as, world, clock):
    clock("2026-11-20 10:00")
    case = make_case(world)
    db.session.commit()
    _staff(login_as, world).post(f"/intake/cases/{case.id}/accept")
    client = login_as(Role.official, unit=world.county)   # the head approves an extension
    assert client.post(f"/intake/cases/{case.id}/extend", data={"extend-reason": "需调查"}).status_code == 302
    assert client.post(f"/intake/cases/{case.id}/extend", data={"extend-reason": "再延"}).status_code == 400
    assert [e.action for e in timeline("case", case.id)].count("extend") == 1


def test_official_may_view_but_not_act(login_as, world):
    case = make_case(world)
    db.session.commit()
    official = login_as(Role.official, unit=world.county)
    assert official.get(f"/intake/cases/{case.id}").status_code == 200
    assert official.post(f"/intake/cases/{case.id}/accept").status_code == 403


def _pdf_text(data: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts


def test_notices_as_pdfs_carry_the_facts(login_as, world, tmp_path):
    person = make_person(world, name="黄小明")
    case = make_case(world, person=person)
    actor = make_user(world, Role.receptionist)
    cases.accept_case(case, actor=actor, on=date(2026, 11, 3))
    db.session.commit()
    client = _staff(login_as, world)
    text, fonts = _pdf_text(client.get(f"/intake/cases/{case.id}/documents/acceptance.pdf").data, tmp_path)
    assert case.reference in text and "黄小明" in text and "2027年1月4日" in text
    assert "NotoSansCJK" in fonts.replace("-", "") and "yes" in fonts
    # The opinion before conclusion is not available: a message, not an error page.
    response = client.get(f"/intake/cases/{case.id}/documents/opinion.pdf")
    assert response.status_code == 302
    cases.start_work(case, actor=actor)
    cases.conclude_case(case, actor=actor, outcome=Outcome.support, opinion="经核实，责成用人单位十日内支付工资。",
                        legal_basis="《劳动合同法》第三十条", on=date(2026, 11, 20), delivered_on=date(2026, 11, 20))
    db.session.commit()
    text, _ = _pdf_text(client.get(f"/intake/cases/{case.id}/documents/opinion.pdf").data, tmp_path)
    assert "责成用人单位十日内支付工资" in text and "劳动合同法" in text and "2026年12月21日" in text


def test_refusal_notice_names_the_route(login_as, world, tmp_path):
    case = make_case(world)
    cases.refuse_case(case, actor=make_user(world, Role.receptionist), reason="属于诉讼事项", route=Route.court,
                      directed_to="台山市人民法院")
    db.session.commit()
    text, _ = _pdf_text(_staff(login_as, world).get(f"/intake/cases/{case.id}/documents/non_acceptance.pdf").data,
                        tmp_path)
    assert "台山市人民法院" in text and "属于诉讼事项" in text and "人民法院" in text


def test_list_filters_keyset_and_search(login_as, world, clock):
    clock("2026-11-20 10:00")  # no holiday within 15 days of these receipts shifts a clock out of "due soon"
    today = local_today()
    actor = make_user(world, Role.receptionist)
    overdue = make_case(world, received_on=today - timedelta(days=40), title="超期未办")
    soon = make_case(world, received_on=today - timedelta(days=14), title="即将到期")
    later = [make_case(world, received_on=today - timedelta(days=1), title=f"普通{i}") for i in range(5)]
    phone_person = make_person(world, name="赵六", phone="13700009999")
    by_phone = make_case(world, person=phone_person, title="按电话找")
    cases.accept_case(later[0], actor=actor, on=today)
    make_case(world, unit=world.far_village, title="外县案件")
    db.session.commit()
    client = _staff(login_as, world)
    page = client.get("/intake/cases?overdue=overdue").get_data(as_text=True)
    assert overdue.reference in page and soon.reference not in page and "外县案件" not in page
    page = client.get("/intake/cases?overdue=due_soon").get_data(as_text=True)
    assert soon.reference in page and overdue.reference not in page
    assert later[0].reference in client.get("/intake/cases?status=accepted").get_data(as_text=True)
    assert by_phone.reference in _search(client, "137-0000-9999") and by_phone.reference in _search(client, "赵六")
    from intake.cases.services import CaseFilters, page_of_cases
    seen, cursor = [], None
    while True:
        rows, cursor = page_of_cases(client.user, CaseFilters(), today, before=cursor, limit=3)
        seen.extend(r.id for r in rows)
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 8


def _search(client, text, **filters):
    """Search as the filter form does: a POST, then the list the redirect names (text never in the URL)."""
    response = client.post("/intake/cases", data={"q": text, **filters})
    assert response.status_code == 302
    location = response.headers["Location"]
    assert text not in location and "q=" not in location
    return client.get(location).get_data(as_text=True)


def test_a_search_by_phone_keeps_the_number_out_of_every_url(login_as, world):
    person = make_person(world, name="赵六", phone="13700009999")
    for n in range(3):
        make_case(world, person=person, title=f"按电话找{n}")
    db.session.commit()
    client = _staff(login_as, world)
    response = client.post("/intake/cases", data={"q": "13700009999", "status": "registered"})
    location = response.headers["Location"]
    assert "13700009999" not in location and "status=registered" in location and "search=" in location
    page = client.get(location).get_data(as_text=True)
    assert page.count("按电话找") == 3
    links = re.findall(r'href="([^"]+)"', page)
    assert links and not any("13700009999" in link or "9999" in link for link in links)
    export = next(link for link in links if "export.csv" in link).replace("&amp;", "&")
    assert "search=" in export and "按电话找0" in client.get(export).get_data(as_text=True)
    # another user's browser does not have the saved search: the token alone finds nothing
    other = _staff(login_as, world)
    assert other.get(location).status_code == 200


def test_csv_export_writes_a_formula_title_as_text(login_as, world):
    make_case(world, title='=HYPERLINK("http://evil.example","查看")')
    db.session.commit()
    body = _staff(login_as, world).get("/intake/cases/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in body and ',=HYPERLINK' not in body and ',"=HYPERLINK' not in body


def test_csv_export_is_masked(login_as, world):
    make_case(world, person=make_person(world, name="钱七", phone="13612345678"))
    db.session.commit()
    body = _staff(login_as, world).get("/intake/cases/export.csv").get_data(as_text=True)
    assert body.startswith("\ufeffreference") and "钱七" in body and "136****5678" in body
    assert "13612345678" not in body


def test_list_queries_use_indexes(app, world):
    if app.extensions["sqlalchemy"].engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    from intake.cases.services import CaseFilters, filtered_cases
    user = make_user(world, Role.receptionist, unit=world.county)
    for filters in (CaseFilters(), CaseFilters(clock="overdue")):
        stmt = filtered_cases(user, filters, local_today()).order_by(Case.created_at.desc(), Case.id.desc())
        sql = str(stmt.compile(db.engine, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in db.session.execute(sa.text("EXPLAIN QUERY PLAN " + sql)))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan


def test_csv_export_reads_places_and_people_per_batch_not_per_row(app, login_as, world):
    from desk.models import Level, OrgUnit, full_names
    from tests.factories import _unit
    client = _staff(login_as, world)
    statements, counts, places = [], [], []

    def record(conn, cursor, statement, *rest):
        statements.append(statement)
    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        for more in (2, 10):
            for n in range(more):
                # each case in a village and grid of its own, not held by this test: the export must read
                # their names (and their ancestors') itself
                village = _unit(f"4407810019{len(places):02d}", f"新村{len(places)}", Level.village, world.town)
                grid = _unit(village.code + "01", f"新村{len(places)}第1网格", Level.grid, village)
                make_case(world, unit=grid, person=make_person(world, name=f"孙{len(places)}",
                                                                phone=f"1361234{len(places):04d}"))
                places.append(grid.id)
            db.session.commit()
            for unit in list(db.session.identity_map.values()):
                if isinstance(unit, OrgUnit) and unit.level in (Level.village, Level.grid):
                    db.session.expunge(unit)
            statements.clear()
            body = client.get("/intake/cases/export.csv").get_data(as_text=True)
            counts.append(len(statements))
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert counts[0] == counts[1], counts           # 2 cases or 12: the same statements
    names = full_names(places)
    for grid_id in places:
        assert names[grid_id] == db.session.get(OrgUnit, grid_id).full_name and names[grid_id] in body
    assert names[places[-1]] == "台山市台城街道新村11新村11第1网格"
    assert "136****0011" in body and "孙11" in body
