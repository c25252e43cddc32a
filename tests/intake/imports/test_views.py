"""The administrator's import page: upload, progress JSON, result; another county's administrator sees nothing."""
import io
import time

import sqlalchemy as sa

from desk.extensions import db
from desk.models import Case, Role
from intake.imports import services
from intake.imports.models import ImportRun
from intake.imports.samples import SAMPLE_DIR, SAMPLE_FILES


def _wait(client, url):
    for _ in range(400):
        status = client.get(url).json
        db.session.rollback()   # the test shares the requests' session: never hold SQLite's lock while waiting
        if status["finished"]:
            return status
        time.sleep(0.05)
    raise AssertionError(f"the import did not finish: {status}")


def test_upload_runs_in_the_background_and_reports_progress_and_result(catalog_world, login_as):
    world = catalog_world
    client = login_as(Role.admin, unit=world.city)
    page = client.get("/intake/imports")
    assert page.status_code == 200 and "开平市" in page.get_data(as_text=True)
    data = (SAMPLE_DIR / SAMPLE_FILES["110"]).read_bytes()
    response = client.post("/intake/imports", data={"source": "110", "county_id": str(world.county.id),
                                                    "file": (io.BytesIO(data), "110.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.rollback()   # the test shares the request's session: release SQLite's write lock for the import
    run_url = response.headers["Location"]
    status = _wait(client, run_url + "/status")
    assert status["status"] == "done" and (status["total"], status["written"], status["added"]) == (20, 20, 20)
    result = client.get(run_url).get_data(as_text=True)
    assert "110.csv" in result and ">20<" in result
    history = client.get("/intake/imports").get_data(as_text=True)
    assert "110.csv" in history
    assert client.get("/intake/imports/sample/grid").data[:2] == b"PK"


def test_a_bad_upload_lists_its_problems_and_writes_nothing(catalog_world, login_as):
    world = catalog_world
    client = login_as(Role.admin, unit=world.county)
    text = (SAMPLE_DIR / SAMPLE_FILES["12345"]).read_text(encoding="utf-8-sig").replace("大江镇", "火星镇", 1)
    response = client.post("/intake/imports", data={"source": "12345", "county_id": str(world.county.id),
                                                    "file": (io.BytesIO(text.encode("gb18030")), "x.csv")},
                           content_type="multipart/form-data")
    db.session.rollback()
    status = _wait(client, response.headers["Location"] + "/status")
    assert status["status"] == "rejected" and status["problems"] == 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "所属镇街" in page and db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_the_form_keeps_its_errors_next_to_the_fields(catalog_world, login_as):
    world = catalog_world
    client = login_as(Role.admin, unit=world.county)
    response = client.post("/intake/imports", data={"source": "110", "county_id": str(world.other_county.id),
                                                    "file": (io.BytesIO(b"\x00\x01binary"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and 'id="county_id-error"' in response.get_data(as_text=True)
    response = client.post("/intake/imports", data={"source": "110", "county_id": str(world.county.id),
                                                    "file": (io.BytesIO(b"\x00\x01binary"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200 and 'id="file-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ImportRun.id))) == 0


def test_another_countys_administrator_cannot_see_a_run(catalog_world, login_as):
    world = catalog_world
    run = services.open_run(source="12345", county=world.county, actor=None, file_name="secret.csv")
    db.session.commit()
    outsider = login_as(Role.admin, unit=world.other_county)
    assert outsider.get(f"/intake/imports/{run.id}").status_code == 404
    assert outsider.get(f"/intake/imports/{run.id}/status").status_code == 404
    assert "secret.csv" not in outsider.get("/intake/imports").get_data(as_text=True)
    insider = login_as(Role.admin, unit=world.county)
    assert insider.get(f"/intake/imports/{run.id}/status").json["status"] == "checking"
    assert login_as(Role.receptionist).get(f"/intake/imports/{run.id}").status_code == 403
