"""Text that a spreadsheet would run as a formula is written as text, in CSV and XLSX alike."""
import csv
import io

from openpyxl import Workbook, load_workbook

from desk.spreadsheets import SafeCsvWriter, safe_cell, safe_row

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"点击\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_every_formula_start_is_neutralised_and_plain_values_are_kept():
    assert all(safe_cell(v) == "'" + v for v in HOSTILE)
    assert safe_row(["拖欠工资", 3, -2.5, None, "a=b"]) == ["拖欠工资", 3, -2.5, None, "a=b"]


def test_csv_and_xlsx_hold_text_not_formulas():
    buffer = io.StringIO()
    SafeCsvWriter(buffer).writerow(HOSTILE)
    [row] = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert row == ["'" + v for v in HOSTILE]
    book = Workbook()
    book.active.append(safe_row(HOSTILE))
    out = io.BytesIO()
    book.save(out)
    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert [c.startswith("'") for c in cells] == [True] * len(HOSTILE)
    assert all(cell.data_type == "s" for cell in next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows()))
