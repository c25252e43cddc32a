"""Imports of 12345, 110 and grid exports: check first, write nothing on a problem, idempotent by source id."""
import csv
import shutil

import sqlalchemy as sa

from desk.extensions import db
from desk.models import AuditEntry, Case, CaseStatus, Channel, Role, Visit
from intake.imports import services
from intake.imports.models import ImportedRecord, ImportStatus
from intake.imports.samples import SAMPLE_DIR, SAMPLE_FILES, sample_rows, write_xlsx
from tests.factories import make_user


def _import(world, path, source, actor=None):
    run = services.open_run(source=source, county=world.county, actor=actor, file_name=str(path))
    db.session.commit()
    return services.run_import(run, path, actor=actor, batch=7)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _write_csv(path, header, rows, encoding="utf-8-sig"):
    with open(path, "w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_each_source_lands_its_sample_in_the_towns_queue_once(catalog_world):
    world = catalog_world
    admin = make_user(world, Role.admin, unit=world.city)
    for source, channel in (("12345", Channel.hotline), ("110", Channel.phone), ("grid", Channel.grid)):
        run = _import(world, SAMPLE_DIR / SAMPLE_FILES[source], source, admin)
        assert run.status == ImportStatus.done, run.problems
        assert (run.total, run.added, run.unchanged, run.problem_count) == (20, 20, 0, 0)
        visits = db.session.scalars(sa.select(Visit).where(Visit.submission_key.like(f"{source}:%"))).all()
        assert len(visits) == 20 and {v.channel for v in visits} == {channel}
        cases = {v.case for v in visits}
        assert all(c.county_id == world.county.id and c.status == CaseStatus.registered for c in cases)
        assert len(cases) == 20 - run.repeats
        assert _count(ImportedRecord) == sum(1 for _ in db.session.scalars(sa.select(ImportedRecord.id)))
    grid_case = db.session.scalar(sa.select(Case).where(Case.channel == Channel.grid).limit(1))
    assert grid_case.grid_id == world.grid.id and "上报网格员" in grid_case.facts
    hotline = db.session.scalar(sa.select(Visit).where(Visit.submission_key == "12345:GD12345-202611-000001"))
    assert hotline.case.title == "家人患慢性病需长期用药" and hotline.case.category.code == "medical.medicare"
    assert hotline.case.received_on.isoformat() == "2026-10-01"

    visits, cases = _count(Visit), _count(Case)
    again = _import(world, SAMPLE_DIR / SAMPLE_FILES["12345"], "12345", admin)
    assert (again.added, again.unchanged, again.updated) == (0, 20, 0)
    assert (_count(Visit), _count(Case)) == (visits, cases)


def test_a_changed_row_updates_a_registered_case_and_only_audits_an_accepted_one(catalog_world, tmp_path):
    world = catalog_world
    header, rows = sample_rows("12345", 6)
    first = _import(world, _write_csv(tmp_path / "a.csv", header, rows), "12345")
    assert first.added == 6
    title, facts, phone = header.index("标题"), header.index("诉求内容"), header.index("联系电话")
    rows[0][title], rows[0][phone] = "小区物业乱收费（补充）", "13902220000"
    rows[1][facts] = rows[1][facts] + "又补充了材料。"
    accepted = db.session.scalar(sa.select(ImportedRecord).where(ImportedRecord.source_id == rows[1][0])).case_id
    db.session.get(Case, accepted).status = CaseStatus.accepted   # as if the town had accepted it
    db.session.commit()

    run = _import(world, _write_csv(tmp_path / "b.csv", header, rows), "12345")
    assert (run.added, run.unchanged, run.updated, run.changed_after_acceptance) == (0, 4, 1, 1)
    record = db.session.scalar(sa.select(ImportedRecord).where(ImportedRecord.source_id == rows[0][0]))
    case = db.session.get(Case, record.case_id)
    assert case.title == "小区物业乱收费（补充）" and record.updated_at is not None
    audit = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity == "case", AuditEntry.entity_id == case.id,
                                                          AuditEntry.action == "import_update"))
    assert audit.detail["fields"] == ["phone", "title"] and "13902220000" not in str(audit.detail)
    untouched = db.session.get(Case, accepted)
    assert "又补充了材料" not in untouched.facts
    noted = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.entity_id == accepted,
                                                          AuditEntry.action == "import_change_after_acceptance"))
    assert noted.detail["fields"] == ["facts"]
    assert _import(world, tmp_path / "b.csv", "12345").unchanged == 6


def test_one_bad_row_in_five_thousand_writes_nothing_and_names_its_row(catalog_world, tmp_path):
    world = catalog_world
    header, rows = sample_rows("110", 4999)          # with the header: 5,000 rows, the last is row 5,000
    rows[1232][header.index("报警时间")] = "2026-13-45 09:00"   # spreadsheet row 1,234
    path = _write_csv(tmp_path / "big.csv", header, rows)
    run = _import(world, path, "110")
    assert run.status == ImportStatus.rejected and run.checked == 4999
    assert run.problem_count == 1 and run.problems[0][:2] == [1234, "报警时间"]
    assert (_count(Case), _count(Visit), _count(ImportedRecord)) == (0, 0, 0)


def test_problems_are_listed_with_rows_and_columns_and_the_first_200_kept(catalog_world, tmp_path):
    world = catalog_world
    header, rows = sample_rows("12345", 260)
    town, phone, id_col = header.index("所属镇街"), header.index("联系电话"), header.index("身份证号")
    rows[0][town] = "长沙街道"                          # a town of another county
    rows[1][phone] = "12345"
    rows[2][id_col] = "440781199001011234"           # wrong check digit
    rows[3][0] = rows[4][0]                          # the same work order twice
    for row in rows[10:]:
        row[header.index("标题")] = ""
    run = _import(world, _write_csv(tmp_path / "bad.csv", header, rows), "12345")
    assert run.status == ImportStatus.rejected and run.problem_count == 4 + 250
    assert [p[:2] for p in run.problems[:4]] == [[2, "所属镇街"], [3, "联系电话"], [4, "身份证号"], [6, "工单编号"]]
    assert len(run.problems) == 200 and _count(Case) == 0


def test_a_gb18030_export_is_read(catalog_world, tmp_path):
    header, rows = sample_rows("12345", 5)
    run = _import(catalog_world, _write_csv(tmp_path / "gbk.csv", header, rows, encoding="gb18030"), "12345")
    assert run.status == ImportStatus.done and run.added == 5
    titles = set(db.session.scalars(sa.select(Case.title)))
    assert rows[0][header.index("标题")] in titles


def test_an_xlsx_without_a_required_column_is_refused_whole(catalog_world, tmp_path):
    header, rows = sample_rows("grid", 5)
    drop = header.index("网格")
    path = tmp_path / "grid.xlsx"
    write_xlsx(path, header[:drop] + header[drop + 1:], [r[:drop] + r[drop + 1:] for r in rows])
    run = _import(catalog_world, path, "grid")
    assert run.status == ImportStatus.rejected and run.problems[0][:2] == [1, "网格"] and _count(Case) == 0


def test_a_file_that_is_no_table_is_a_problem_not_an_error(catalog_world, tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe" * 50)
    run = _import(catalog_world, path, "12345")
    assert run.status == ImportStatus.rejected and run.problem_count == 1


def test_the_command_lists_problems_and_exits_non_zero(catalog_world, runner, tmp_path):
    header, rows = sample_rows("12345", 3)
    rows[2][header.index("来电时间")] = "昨天"
    bad = _write_csv(tmp_path / "bad.csv", header, rows)
    result = runner.invoke(args=["desk", "import-events", str(bad), "--source", "12345"])
    assert result.exit_code != 0 and "row 4, 来电时间" in result.output and _count(Case) == 0
    good = tmp_path / "sample.xlsx"
    assert runner.invoke(args=["desk", "import-events", str(good), "--source", "grid", "--sample"]).exit_code == 0
    result = runner.invoke(args=["desk", "import-events", str(good), "--source", "grid", "--county", "440781"])
    assert result.exit_code == 0, result.output
    assert "20 rows: 20 added" in result.output
    shutil.rmtree(tmp_path, ignore_errors=True)
