"""Realistic export rows of each source, drawn from a seeded generator: the committed sample files, the demo's
imports, ``flask desk import-events --sample`` and the benchmark all come from here.

People recur as they do in real exports: a share of callers ring again and again (same name and phone,
sometimes with their ID number), family members share a phone, and texts, kinds and places vary."""
import csv
import random
from datetime import date, datetime, time, timedelta
from pathlib import Path

from desk.demo.people import birth_date, mobile_phone, person_name, resident_id
from desk.demo.texts import case_text
from intake.imports.mapping import GRID, HOTLINE, POLICE_TRANSFER, SOURCES, SourceFormat

SAMPLE_DIR = Path(__file__).parent / "samples"
SAMPLE_FILES = {"12345": "12345_hotline.csv", "110": "110_transfers.csv", "grid": "grid_events.xlsx"}
# the demo county's places that exist in both the demo and the test world (codes are stable)
TOWNS = ("台城街道", "大江镇", "440781001", "440781002")   # the village is in the first and third
VILLAGE = "440781001001"
GRIDS = ("44078100100101",)
# street addresses for 110 transfers
STREETS = ("环市路", "台西路", "通济路", "桥湖路", "舜德路", "石化路", "大江圩", "公益埠")


class Callers:
    """A pool of callers in which a few call often: the benchmark's and the demo's recurring people."""

    def __init__(self, rng: random.Random, size: int, today: date):
        self.rng, self.people = rng, []
        for _ in range(size):
            sex = "M" if rng.random() < 0.5 else "F"
            name = person_name(rng, sex)
            id_number = resident_id(rng, "440781", birth_date(rng, today=today), sex) if rng.random() < 0.4 else ""
            self.people.append((name, mobile_phone(rng), id_number))
        for i in range(0, size // 10):   # a family: a second name on the same phone
            name, phone, _ = self.people[i]
            self.people.append((name[0] + person_name(rng)[1:], phone, ""))

    def pick(self) -> tuple[str, str, str]:
        # a quarter of rows come from the 2% who call most (信访老户 and neighbours in a long quarrel)
        if self.rng.random() < 0.25:
            return self.people[self.rng.randrange(max(1, len(self.people) // 50))]
        return self.rng.choice(self.people)


def _kind_and_text(rng: random.Random, source: SourceFormat) -> tuple[str, str, str]:
    kind, code = rng.choice(list(source.kinds.items()))
    if rng.random() < 0.05:
        kind, code = "其他", source.fallback_category   # a kind outside the mapping: the fallback category
    for _ in range(5):
        facts, demand = case_text(rng, code)
        if not facts.isascii():
            break
    return kind, facts, demand


def sample_rows(source_code: str, count: int, *, seed: int = 17, end: date = date(2026, 11, 15),
                callers: Callers | None = None, id_start: int = 1):
    """(header, rows) of ``count`` rows of a source, dated in the 60 days up to ``end``."""
    source = SOURCES[source_code]
    rng = random.Random(f"{seed}:{source_code}")
    callers = callers or Callers(rng, max(8, count // 3), end)
    header = [titles[0] for titles in source.columns.values()]
    rows = []
    for number in range(id_start, id_start + count):
        when = datetime.combine(end - timedelta(days=rng.randrange(60)),
                                time(rng.randrange(8, 21), rng.randrange(60), rng.randrange(60)))
        name, phone, id_number = callers.pick()
        kind, facts, demand = _kind_and_text(rng, source)
        values = {"received_at": when.strftime("%Y-%m-%d %H:%M:%S"), "name": name, "phone": phone,
                  "id_number": id_number, "category": kind, "facts": facts, "demand": demand}
        if source is HOTLINE:
            town = rng.choice(TOWNS)
            values.update(source_id=f"GD12345-{end:%Y%m}-{number:06d}", town=town,
                          village=VILLAGE if town in TOWNS[::2] and rng.random() < 0.3 else "",
                          title=facts.split("，")[0][:40])
        elif source is POLICE_TRANSFER:
            values.update(source_id=f"J4407812{number:09d}", town=rng.choice(TOWNS),
                          address=f"{rng.choice(STREETS)}{rng.randrange(1, 300)}号")
        else:
            values.update(source_id=f"WG{end:%Y}{number:07d}", reporter=person_name(rng), grid=rng.choice(GRIDS),
                          title="", name=name if rng.random() < 0.7 else "")
        rows.append([values.get(field, "") for field in source.columns])
    return header, rows


def write_sample(path, source_code: str, count: int = 20, **kw) -> Path:
    """A sample file of the source: XLSX when ``path`` ends in .xlsx, else a UTF-8 CSV with a BOM (as Excel
    saves it)."""
    header, rows = sample_rows(source_code, count, **kw)
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        write_xlsx(path, header, rows)
    else:
        with open(path, "w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
    return path


def write_xlsx(path, header, rows) -> None:
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("事件列表")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)


__all__ = ["GRID", "SAMPLE_DIR", "SAMPLE_FILES", "Callers", "sample_rows", "write_sample", "write_xlsx"]
