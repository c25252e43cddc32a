"""`flask desk import-org`: the org tree from a CSV file, then sites, rooms, departments and categories."""
import io
import time

import pytest
import sqlalchemy as sa

from desk import orgimport
from desk.demo import catalog
from desk.demo.seed import count_rows
from desk.extensions import db
from desk.models import Category, Department, Level, OrgUnit, Room, Site, SiteLevel, User

GOOD = """\ufeffcode,name,level,parent_code,prefix
440700,江门市,city,,
440781,台山市,county,440700,TS
440781001,台城街道,town,440781,
440781002,大江镇,town,440781,
440781001001,石龙社区,village,440781001,
440781002001,新安村,village,440781002,
44078100100101,石龙社区第1网格,grid,440781001001,
"""


def _import(text: str) -> orgimport.ImportResult:
    result = orgimport.import_org(orgimport.read_org_csv(io.StringIO(text)))
    db.session.commit()
    return result


def _unit(code: str) -> OrgUnit:
    return db.session.scalar(sa.select(OrgUnit).where(OrgUnit.code == code))


def test_a_good_file_imports_units_sites_rooms_departments_and_categories(app):
    result = _import(GOOD)

    assert result.added == {Level.city: 1, Level.county: 1, Level.town: 2, Level.village: 2, Level.grid: 1}
    city, county, town, village, grid = (_unit(c) for c in
                                         ("440700", "440781", "440781001", "440781001001", "44078100100101"))
    assert county.prefix == "TS" and county.kind == "市" and town.kind == "街道" and village.kind == "社区"
    assert grid.parent_id == village.id and village.parent_id == town.id
    assert (grid.city_id, grid.county_id, grid.town_id, grid.village_id, grid.grid_id) == \
        (city.id, county.id, town.id, village.id, grid.id)
    assert (town.city_id, town.county_id, town.town_id, town.village_id) == (city.id, county.id, town.id, None)
    sites = {site.org_unit.code: site for site in db.session.scalars(sa.select(Site))}
    assert set(sites) == {"440781", "440781001", "440781002", "440781001001", "440781002001"}
    assert sites["440781"].name == "台山市信访超市" and sites["440781"].level == SiteLevel.county_center
    assert sites["440781001"].name == "台城街道综治中心服务站"
    assert sites["440781002001"].name == "新安村服务点" and sites["440781002001"].level == SiteLevel.village_point
    assert {room.kind for room in sites["440781"].rooms} == {kind.code for kind in catalog.ROOM_KINDS}
    assert {room.kind for room in sites["440781001001"].rooms} == {"reception", "mediation"}
    assert {"reception", "mediation", "lawyer"} <= {room.kind for room in sites["440781002"].rooms}
    assert result.sites == 5 and result.rooms == count_rows(Room)
    assert set(db.session.scalars(sa.select(Department.code).where(Department.county_id == county.id))) == \
        {spec.code for spec in catalog.DEPARTMENTS}
    assert count_rows(Category) == len(catalog.CATEGORIES) == result.categories
    assert db.session.scalar(sa.select(Category).where(Category.code == "labour.wages")).parent.code == "labour"


BAD = """code,name,level,parent_code,prefix
440700,江门市,city,,
440781,台山市,county,440700,TS
440781,台山市,county,440700,TS
440783,开平市,county,440700,
440784,鹤山市,county,440700,HESHAN
440781001,,town,440781,
440781002,大江镇,hamlet,440781,
440781003,水步镇,town,449999,
440781004001,某某村,village,440781,
440781005,四九镇,town,440781,SJ
440785,恩平市,county,440700,TS
"""


def test_a_bad_file_writes_nothing_and_names_each_bad_row(app):
    with pytest.raises(orgimport.OrgFileError) as caught:
        _import(BAD)
    db.session.rollback()

    problems = caught.value.problems
    text = "\n".join(problems)
    assert "line 4: duplicate code 440781 (first on line 3)" in text
    assert "line 5: a county needs a reference prefix" in text
    assert "line 6: a county needs a reference prefix" in text
    assert "line 7: the name is empty" in text
    assert "line 8: unknown level 'hamlet'" in text
    assert "line 9: parent 449999 is neither in the file nor in the database" in text
    assert "line 10: parent 440781 is a county; a village belongs to a town" in text
    assert "line 11: only a county has a prefix" in text
    assert "line 12: prefix TS is already used on line 3" in text
    assert not any(p.startswith(("line 2:", "line 3:")) for p in problems)
    assert count_rows(OrgUnit) == count_rows(Site) == count_rows(Department) == count_rows(Category) == 0


def test_a_parent_in_the_database_counts_and_rows_there_are_checked_against_it(app):
    _import(GOOD)
    more = "code,name,level,parent_code,prefix\n440781003,水步镇,town,440781,\n440781001002,南安村,village,440781,\n"
    with pytest.raises(orgimport.OrgFileError) as caught:
        _import(more)
    db.session.rollback()
    assert caught.value.problems == ["line 3: parent 440781 is a county; a village belongs to a town"]

    moved = "code,name,level,parent_code,prefix\n440781002,大江镇,town,440700,\n"
    with pytest.raises(orgimport.OrgFileError) as caught:
        _import(moved)
    db.session.rollback()
    assert any("440781002 is already in the database as a town under 440781" in p for p in caught.value.problems)


def test_reimport_is_idempotent_and_adds_only_new_rows(app):
    _import(GOOD)
    counts = [count_rows(model) for model in (OrgUnit, Site, Room, Department, Category)]

    again = _import(GOOD)
    assert again.already == 7 and sum(again.added.values()) == 0
    assert (again.sites, again.rooms, again.departments, again.categories) == (0, 0, 0, 0)
    assert [count_rows(model) for model in (OrgUnit, Site, Room, Department, Category)] == counts

    grown = _import(GOOD + "440785,恩平市,county,440700,EP\n440785001,恩城街道,town,440785,\n")
    assert grown.already == 7 and grown.added[Level.county] == 1 and grown.added[Level.town] == 1
    assert (grown.sites, grown.departments, grown.categories) == (2, len(catalog.DEPARTMENTS), 0)
    town = _unit("440785001")
    assert town.county_id == _unit("440785").id and town.city_id == _unit("440700").id


def test_the_sample_file_imports_into_an_empty_database(app):
    sample = orgimport.sample_csv(size="city", seed=7)
    assert sample.startswith("code,name,level,parent_code,prefix\n440700,江门市,city,,\n")
    started = time.perf_counter()
    result = _import(sample)
    elapsed = time.perf_counter() - started

    assert result.added[Level.county] == 7 and result.added[Level.town] == 73
    assert result.added[Level.village] == 1321 and result.added[Level.grid] > 2900
    assert count_rows(Site) == 7 + 73 + 1321 and count_rows(Department) == 7 * len(catalog.DEPARTMENTS)
    assert sorted(db.session.scalars(sa.select(OrgUnit.prefix).where(OrgUnit.level == Level.county))) == \
        ["EP", "HS", "JH", "KP", "PJ", "TS", "XH"]
    orphans = db.session.scalar(sa.select(sa.func.count()).select_from(OrgUnit).where(
        OrgUnit.level == Level.grid, sa.or_(OrgUnit.village_id.is_(None), OrgUnit.county_id.is_(None))))
    assert orphans == 0
    assert elapsed < 30, f"importing the city sample took {elapsed:.1f} s"


def test_the_cli_writes_a_sample_imports_it_then_create_user_works(app, tmp_path):
    runner = app.test_cli_runner()
    path = tmp_path / "org.csv"
    written = runner.invoke(args=["desk", "import-org", "--sample", "--size", "small", str(path)])
    assert written.exit_code == 0, written.output

    imported = runner.invoke(args=["desk", "import-org", str(path)])
    assert imported.exit_code == 0, imported.output
    assert "org units: 81 added (city 1, county 2, town 6, village 24, grid 48), 0 already there" in imported.output

    created = runner.invoke(args=["desk", "create-user", "admin", "--role", "admin", "--unit", "440700",
                                  "--password", "secret-12345"])
    assert created.exit_code == 0, created.output
    assert db.session.scalar(sa.select(User).where(User.username == "admin")).org_unit.code == "440700"


def test_the_cli_exits_non_zero_on_a_bad_file_and_prints_the_report(app, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["desk", "import-org", str(path)])

    assert result.exit_code != 0
    assert "line 8: unknown level 'hamlet'" in result.output
    assert "nothing was imported" in result.output
    assert count_rows(OrgUnit) == 0


def test_the_cli_reports_a_wrong_header_and_a_file_that_is_not_utf8(app, tmp_path):
    runner = app.test_cli_runner()
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("code,name,level\n440700,江门市,city\n", encoding="utf-8")
    result = runner.invoke(args=["desk", "import-org", str(wrong)])
    assert result.exit_code != 0 and "line 1: the header must be code,name,level,parent_code,prefix" in result.output

    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes(GOOD.lstrip("\ufeff").encode("gbk"))
    result = runner.invoke(args=["desk", "import-org", str(gbk)])
    assert result.exit_code != 0 and "not UTF-8" in result.output
    assert count_rows(OrgUnit) == 0
