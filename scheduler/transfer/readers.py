"""Read an uploaded CSV or XLSX file as (line number, cells) rows.

What arrives in practice: Excel's "CSV UTF-8" (with a BOM), plain UTF-8,
semicolon-separated files from Excel set to a Vietnamese or European locale,
legacy "CSV" in the Windows code page (Windows-1258 for Vietnamese), Excel's
"Unicode text" (UTF-16, tab-separated), and .xlsx workbooks where numbers come
back as floats and blank rows trail the data. Old binary .xls is refused with a
message saying how to save the file instead.
"""
import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from xml.etree.ElementTree import ParseError

from .formulas import unescape

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", ";", "\t", "|")
# Control characters other than TAB, LF and CR (which the normalisation turns
# into spaces): PostgreSQL refuses NUL in text, and none of them belongs in a
# name or an address. They are dropped without a word: they are invisible in
# the file, so there is nothing a person could fix.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# What a damaged workbook raises while its sheet is read (openpyxl parses it lazily).
BROKEN_XLSX = (ParseError, zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError)


class UnreadableFile(ValueError):
    """The file as a whole cannot be read; `code` picks the message shown (see labels)."""

    def __init__(self, code: str, line: int = 1, value: str = ""):
        super().__init__(code)
        self.code, self.line, self.value = code, line, value


@dataclass
class Sheet:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line or row number in the file, cells), blanks skipped
    # "cp1258" when a legacy file was read in the Vietnamese Windows code page.
    encoding: str = "utf-8"
    estimated_rows: int = 0  # for the progress bar before the rows are counted


def cell_text(value) -> str:
    """A cell as the text a person typed: 912345678.0 -> "912345678", dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return clean(str(value))


def clean(text: str) -> str:
    """Control characters dropped, spaces trimmed, an export's formula quote taken off."""
    return unescape(CONTROL.sub("", text).strip())


def _blank(cells: list[str]) -> bool:
    return not any(cells)


def _decode(data: bytes) -> tuple[str, str]:
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else "utf-16"
            except UnicodeDecodeError:
                raise UnreadableFile("bad_encoding") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: Excel's plain "CSV" writes the Windows code page. For Vietnamese
    # that is 1258 (letters with combining tone marks, made whole again by NFC
    # later). A Western 1252 file cannot hold Vietnamese at all, and its Latin
    # letters read the same in 1258, so one guess serves both; bytes 1258 leaves
    # undefined mean it is something else, and the file is refused.
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError:
        raise UnreadableFile("bad_encoding") from None


def _delimiter(first_line: str) -> str:
    # The header row is known words without quotes: the separator is simply the
    # character among the candidates it holds most of ("," if none).
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_csv(data: bytes) -> Sheet:
    text, encoding = _decode(data)
    first = next((line for line in io.StringIO(text) if line.strip()), None)
    if first is None:
        raise UnreadableFile("empty")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = 1
        try:
            for record in reader:
                cells = [clean(c) for c in record]
                if not _blank(cells):
                    yield start, cells
                start = reader.line_num + 1
        except csv.Error as error:
            raise UnreadableFile("bad_csv", reader.line_num, str(error)) from None

    iterator = rows()
    _line, header = next(iterator)
    return Sheet(header, iterator, encoding, estimated_rows=text.count("\n"))


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        # read_only streams the sheet's XML: a 50,000-row workbook stays small in memory.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a corrupt or password-protected archive: openpyxl has no one error type
        raise UnreadableFile("bad_xlsx") from None
    sheet = workbook.worksheets[0] if workbook.worksheets else None
    if sheet is None:
        workbook.close()
        raise UnreadableFile("empty")

    # The size the file declares (its <dimension>) serves only as the progress
    # bar's first guess: read-only openpyxl would otherwise stop reading there,
    # and a file from another program may declare less than it holds.
    declared_rows = sheet.max_row or 1
    sheet.reset_dimensions()

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                if not _blank(cells):
                    yield number, cells
        except BROKEN_XLSX:  # e.g. a sheet's XML cut short inside a sound zip
            raise UnreadableFile("bad_xlsx", number + 1) from None
        finally:
            workbook.close()

    iterator = rows()
    try:
        _line, header = next(iterator)
    except StopIteration:
        raise UnreadableFile("empty") from None
    return Sheet(header, iterator, estimated_rows=max(declared_rows - 1, 0))


def read_table(data: bytes, filename: str = "") -> Sheet:
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    if data.startswith(XLS_MAGIC) or filename.lower().endswith(".xls"):
        raise UnreadableFile("old_xls")
    if not data.strip():
        raise UnreadableFile("empty")
    return read_csv(data)
