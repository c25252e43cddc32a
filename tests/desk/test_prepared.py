"""Files prepared in the background (desk/prepared.py): a large case export answers with a page that follows it,
the file is its asker's only, it is stored in gzip parts and sent as stored or inflated, a failure keeps
nothing, a file whose process stopped is said to be not made, and old files are removed."""
import gzip
import re
from datetime import timedelta

import sqlalchemy as sa

from desk import crypto, prepared
from desk.audit import timeline
from desk.extensions import db
from desk.models import FileStatus, Notification, PreparedFile, PreparedFilePart, Role
from desk.timeutil import utcnow
from tests.factories import make_case, make_person
from tests.prepared import follow_prepared


def _staff(login_as, world):
    return login_as(Role.receptionist, unit=world.county)


def _cases(world, n: int) -> None:
    for i in range(n):
        make_case(world, title=f"第{i}件 工资拖欠", person=make_person(world, name=f"赵{i}", phone=f"1361234{i:04d}"))
    db.session.commit()


def test_a_large_export_is_prepared_with_its_progress_and_is_the_same_file(app, login_as, world, monkeypatch):
    _cases(world, 7)
    client = _staff(login_as, world)
    inline = client.get("/intake/cases/export.csv")
    assert inline.status_code == 200 and inline.data.startswith("\ufeffreference".encode())   # small: at once
    app.config["EXPORT_INLINE_ROWS"] = 5
    asked = client.get("/intake/cases/export.csv?status=registered")
    page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert "案件清单导出" in page and 'data-testid="file-status"' in page and "/intake/cases?status=registered" in page
    plain = follow_prepared(client, asked)
    app.config["EXPORT_INLINE_ROWS"] = 20000
    assert plain.data == client.get("/intake/cases/export.csv?status=registered").data      # byte for byte
    assert plain.headers["Content-Disposition"] == 'attachment; filename="cases.csv"'
    assert "Content-Encoding" not in plain.headers and int(plain.headers["Content-Length"]) == len(plain.data)
    row = db.session.scalar(sa.select(PreparedFile))
    assert (row.status, row.done, row.total, row.size) == (FileStatus.ready, 7, 7, len(plain.data))
    assert db.session.scalar(sa.select(sa.func.count(PreparedFilePart.id))) == 1    # smaller than a part
    packed = client.get(f"/files/{row.id}/download", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.headers["Content-Encoding"] == "gzip" and int(packed.headers["Content-Length"]) == row.stored
    assert gzip.decompress(packed.data) == plain.data and len(packed.data) < len(plain.data)
    assert [e.action for e in timeline("prepared_file", row.id)] == ["asked", "preparing", "ready"]
    notice = db.session.scalar(sa.select(Notification).where(Notification.kind == "file_ready"))
    assert notice.link == f"/files/{row.id}" and notice.user_id == client.user.id
    ready = client.get(f"/files/{row.id}").get_data(as_text=True)
    assert "可以下载" in ready and f'href="/files/{row.id}/download"' in ready


def test_a_file_of_many_parts_is_sent_whole_either_way(app, login_as, world, monkeypatch):
    client = _staff(login_as, world)
    pieces = [f"{n},第{n}行,{'数据' * (n % 7)}\n" for n in range(3000)]

    def many(row, user, write, progress):
        for n, piece in enumerate(pieces):
            write(piece)
            if n % 500 == 0:
                progress(n, len(pieces))
    monkeypatch.setitem(prepared.KINDS, "many", many)
    monkeypatch.setattr(prepared, "PART_BYTES", 1000)
    monkeypatch.setattr(prepared, "PARTS_READ", 4)                  # several reads of parts, too
    row = prepared.ask("many", user=client.user, title="多", params={}, file_name="m.csv", mimetype="text/csv")
    db.session.commit()
    prepared.prepare(row.id)
    whole = "".join(pieces).encode()
    parts = db.session.scalar(sa.select(sa.func.count(PreparedFilePart.id)).where(PreparedFilePart.file_id == row.id))
    assert parts > 40
    assert client.get(f"/files/{row.id}/download").data == whole
    packed = client.get(f"/files/{row.id}/download", headers={"Accept-Encoding": "gzip"}).data
    assert gzip.decompress(packed) == whole


def test_a_file_is_its_askers_only(app, login_as, world):
    _cases(world, 3)
    app.config["EXPORT_INLINE_ROWS"] = 1
    client = _staff(login_as, world)
    follow_prepared(client, client.get("/intake/cases/export.csv"))
    file_id = db.session.scalar(sa.select(PreparedFile.id))
    colleague = _staff(login_as, world)                             # same role, same county: still not theirs
    for path in ("", "/status", "/download"):
        assert colleague.get(f"/files/{file_id}{path}").status_code == 404
        assert client.get(f"/files/{file_id}{path}").status_code == 200
    for bad in ("0", "99999999", "4294967296"):
        assert client.get(f"/files/{bad}").status_code == 404


def test_a_searched_export_keeps_its_text_encrypted_and_a_second_click_is_the_same_file(app, login_as, world):
    _cases(world, 3)
    client = _staff(login_as, world)
    location = client.post("/intake/cases", data={"q": "赵1"}).headers["Location"]
    export = next(link for link in re.findall(r'href="([^"]+)"', client.get(location).get_data(as_text=True))
                  if "export.csv" in link).replace("&amp;", "&")
    app.config["EXPORT_INLINE_ROWS"] = 0
    body = follow_prepared(client, client.get(export)).get_data(as_text=True)
    assert "赵1" in body and "赵2" not in body
    row = db.session.scalar(sa.select(PreparedFile))
    assert "赵1" not in str(row.params) and crypto.decrypt(row.params["q"]) == "赵1"
    # asked twice before it starts: one file
    first = prepared.ask("case_export", user=client.user, title="x", params={"a": 1}, file_name="a.csv",
                         mimetype="text/csv")
    again = prepared.ask("case_export", user=client.user, title="x", params={"a": 1}, file_name="a.csv",
                         mimetype="text/csv")
    assert first.id == again.id and row.id != first.id
    assert client.get(f"/files/{first.id}/download").status_code == 302       # not ready: back to its page


def test_a_failed_file_keeps_nothing_and_says_so(app, login_as, world, monkeypatch):
    client = _staff(login_as, world)

    def broken(row, user, write, progress):
        write("half a file" * 100000)
        progress(1, 2)
        raise ValueError("a fault")
    monkeypatch.setitem(prepared.KINDS, "broken", broken)
    row = prepared.ask("broken", user=client.user, title="坏文件", params={}, file_name="x.csv", mimetype="text/csv")
    db.session.commit()
    try:
        prepared.prepare(row.id)
    except ValueError:
        pass
    db.session.expire_all()
    row = db.session.get(PreparedFile, row.id)
    assert row.status == FileStatus.failed and row.finished_at is not None
    assert db.session.scalar(sa.select(sa.func.count(PreparedFilePart.id))) == 0
    assert [e.action for e in timeline("prepared_file", row.id)] == ["asked", "preparing", "failed"]
    page = client.get(f"/files/{row.id}").get_data(as_text=True)
    assert "未能生成" in page and "文件未能生成，请重新申请。" in page
    assert client.get(f"/files/{row.id}/status").get_json()["finished"] is True


def test_a_stopped_file_is_said_to_be_not_made_and_old_files_are_removed(app, login_as, world, clock):
    client = _staff(login_as, world)
    start = clock("2026-11-20 10:00")
    stopped = prepared.ask("case_export", user=client.user, title="停了", params={"b": 1}, file_name="a.csv",
                           mimetype="text/csv")
    db.session.commit()
    assert client.get(f"/files/{stopped.id}/status").get_json()["status"] == "queued"
    clock(start + prepared.STALE + timedelta(seconds=1))
    status = client.get(f"/files/{stopped.id}/status").get_json()
    assert (status["status"], status["finished"], status["ready"]) == ("failed", True, False)
    assert prepared.tidy_prepared_files(utcnow()) == 1
    db.session.expire_all()
    assert db.session.get(PreparedFile, stopped.id).status == FileStatus.failed
    clock(start + prepared.KEPT + timedelta(minutes=1))
    assert prepared.tidy_prepared_files(utcnow()) == 1
    assert db.session.get(PreparedFile, stopped.id) is None


def test_two_threads_started_for_one_file_make_it_once(app, login_as, world):
    _cases(world, 3)
    client = _staff(login_as, world)
    row = prepared.ask("case_export", user=client.user, title="两次", params=prepared_export_params(world),
                       file_name="cases.csv", mimetype="text/csv")
    db.session.commit()
    threads = [prepared.start(app, row.id) for _ in range(2)]
    db.session.rollback()
    for thread in threads:
        thread.join(60)
    assert [e.action for e in timeline("prepared_file", row.id)] == ["asked", "preparing", "ready"]
    assert db.session.get(PreparedFile, row.id).done == 3


def prepared_export_params(world) -> dict:
    from desk.timeutil import local_today
    from intake.cases.services import CaseFilters, export_params
    return export_params(CaseFilters(), local_today())


def test_a_writing_request_after_a_reading_one_in_the_same_app_context_is_not_refused(app, login_as, world):
    """A test's app context keeps one session across requests; a background file that writes between a GET and
    the next POST must not make the POST fail (on SQLite a read transaction cannot become a write after that)."""
    from desk.models import User
    client = _staff(login_as, world)
    user_id, username = client.user.id, client.user.username
    db.session.commit()
    assert client.get("/intake/cases").status_code == 200            # leaves the shared session reading
    assert db.session().in_transaction()
    with db.engine.begin() as other:                                   # another connection writes meanwhile
        other.execute(sa.update(User).where(User.id == user_id).values(locale="en"))
    answer = app.test_client().post("/login", data={"username": username, "password": "secret-pass-1"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/")
