"""Cells for CSV and XLSX exports that a spreadsheet program never runs as a formula.

A text cell starting with = + - @ (or a tab or carriage return, which some programs strip first) is read as
a formula by Excel, LibreOffice and WPS: a case title "=HYPERLINK(...)" typed by a visitor would run on an
official's machine. Such text is written with a leading apostrophe (OWASP's CSV-injection advice); numbers
and dates are written as they are."""
import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]


class SafeCsvWriter:
    """``csv.writer`` whose rows go through ``safe_cell``."""

    def __init__(self, buffer):
        self._writer = csv.writer(buffer)

    def writerow(self, values) -> None:
        self._writer.writerow(safe_row(values))
