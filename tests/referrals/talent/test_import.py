"""The talent CSV import: a per-row report, and the import page's progress."""
import io

import sqlalchemy as sa

from desk.extensions import db
from desk.models import OrgUnit, Role
from referrals.talent.models import Talent
from referrals.talent.services import CSV_HEADER, ImportReport, import_talent_csv
from tests.factories import make_user


def test_csv_import_reports_bad_rows_and_imports_good_ones(world):
    admin = make_user(world, Role.admin)
    lines = [",".join(CSV_HEADER),
             "黄文,M,mediator,labour,mandarin;cantonese,resident,,5,,13800138000,440781,1",
             "梁律师,F,lawyer,labour,mandarin,on_call,,3,14407201810012345,,440781,1",
             ",M,mediator,labour,mandarin,resident,,5,,,440781,1",
             "无证律师,M,lawyer,labour,mandarin,resident,,5,,,440781,1",
             "某人,M,wizard,nope,klingon,sometimes,9,0,,123,999999,1"]
    report = import_talent_csv("\ufeff" + "\n".join(lines) + "\n", actor=admin, report=ImportReport())
    assert report.total == 5 and report.imported == 2 and report.done
    assert (4, "name") in {(n, f) for n, f, _ in report.errors}
    assert (5, "licence_no") in {(n, f) for n, f, _ in report.errors}
    bad_fields = {f for n, f, _ in report.errors if n == 6}
    assert bad_fields >= {"role", "skills", "languages", "stationing", "weekdays", "capacity", "phone", "site_code"}
    imported = db.session.scalar(sa.select(Talent).where(Talent.name == "黄文"))
    assert imported.county_id == world.county.id and [c.code for c in imported.skills] == ["labour"]
    assert imported.phone_masked == "138****8000"


def test_import_page_shows_progress_and_report(login_as, world):
    client = login_as(Role.admin, unit=world.city)
    data = ",".join(CSV_HEADER) + "\n黄文,M,mediator,labour,mandarin,resident,,5,,,440781,1\n"
    response = client.post("/referrals/talent/import", data={"file": (io.BytesIO(data.encode()), "t.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.rollback()  # the test shares the request's session: release SQLite's write lock for the import
    status_url = response.headers["Location"]
    for _ in range(100):
        status = client.get(status_url + "?format=json").json
        if status["done"]:
            break
        import time
        time.sleep(0.05)
    assert status == {"total": 1, "processed": 1, "imported": 1, "errors": 0, "done": True}


def test_a_county_administrator_imports_only_into_their_county(world):
    """Before the fix a county administrator's CSV with another county's site_code made talent there."""
    admin = make_user(world, Role.admin, unit=world.county)
    far_code = db.session.get(OrgUnit, world.far_site.org_unit_id).code
    lines = [",".join(CSV_HEADER), f"外县人,M,mediator,labour,mandarin,resident,,5,,,{far_code},1",
             "本县人,M,mediator,labour,mandarin,resident,,5,,,440781,1"]
    report = import_talent_csv("\n".join(lines) + "\n", actor=admin, report=ImportReport())
    assert report.imported == 1 and [(n, f) for n, f, _ in report.errors] == [(2, "site_code")]
    assert db.session.scalar(sa.select(Talent).where(Talent.name == "外县人")) is None

