"""Reading an export row by row, CSV (UTF-8 with or without BOM, or GB18030) or XLSX, in flat memory.

Rows are numbered as a spreadsheet program shows them (the header is row 1), so a problem's number is the
row the administrator scrolls to."""
import codecs
import csv
from contextlib import contextmanager
from typing import Iterator

XLSX_MAGIC = b"PK\x03\x04"
CHUNK = 1 << 16


class UnreadableFile(ValueError):
    """The file is neither a CSV text nor an XLSX workbook."""


def detect_csv_encoding(path) -> str:
    """utf-8-sig for UTF-8 (a BOM is dropped), else gb18030, which Chinese spreadsheet exports use.

    The whole file is decoded once: a GB18030 file can look like UTF-8 for many rows."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as stream:
        try:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
    decoder = codecs.getincrementaldecoder("gb18030")()
    with open(path, "rb") as stream:
        try:
            while chunk := stream.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise UnreadableFile("neither UTF-8 nor GB18030 text") from None
    return "gb18030"


def is_xlsx(path) -> bool:
    with open(path, "rb") as stream:
        return stream.read(4) == XLSX_MAGIC


@contextmanager
def open_rows(path) -> Iterator[tuple[list[str], Iterator[tuple[int, list]]]]:
    """``with open_rows(path) as (header, rows)``: the header's names and (row number, cell values)."""
    if is_xlsx(path):
        with _xlsx_rows(path) as result:
            yield result
        return
    encoding = detect_csv_encoding(path)
    with open(path, encoding=encoding, newline="") as stream:
        if _has_nul(path):
            raise UnreadableFile("binary content")
        reader = csv.reader(stream)
        header = next(reader, None)
        if header is None:
            yield [], iter(())
            return
        yield [_header(h) for h in header], ((number, row) for number, row in enumerate(reader, start=2)
                                             if any(cell.strip() for cell in row))


def _has_nul(path) -> bool:
    with open(path, "rb") as stream:
        return b"\x00" in stream.read(CHUNK)


@contextmanager
def _xlsx_rows(path):
    import openpyxl
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:   # a zip that is no workbook: openpyxl raises several kinds
        raise UnreadableFile(f"not an XLSX workbook ({type(err).__name__})") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        first = next(rows, None)
        header = [_header(c.value) for c in first] if first else []

        def numbered():
            for cells in rows:
                values = [c.value for c in cells]
                if any(v not in (None, "") and str(v).strip() for v in values):
                    yield next(c.row for c in cells if hasattr(c, "row") and c.row), values
        yield header, numbered()
    finally:
        book.close()


def _header(value) -> str:
    return "".join(str(value or "").split()).lstrip("\ufeff")
