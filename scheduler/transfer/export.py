"""Exports in the import's own columns (an export imports again), and the blank templates.

CSV starts with a BOM so Excel opens the Vietnamese text as UTF-8, and is
streamed; XLSX is written by openpyxl's write-only mode into a temporary
file, so 50,000 rows never sit in memory as a workbook (only the zipped
result, about 2 MB for the national case).
"""
import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Response, send_file, stream_with_context
from flask_babel import get_locale
from sqlalchemy import select

from ..extensions import db
from ..mail.labels import PARTSTAT_LABELS
from ..planning.labels import ATTENDANCE_LABELS, SITE_CONFIRMATION_LABELS
from ..planning.models import Attendee, Ceremony, Site
from .columns import Column
from .formulas import escape, escape_quote, starts_formula

FETCH = 2000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header(columns: tuple[Column, ...]) -> list[str]:
    locale = str(get_locale() or "vi")
    return [column.label(locale) for column in columns]


def attendee_rows(ceremony_id: int, site_id: int | None = None) -> Iterator[list[str]]:
    """The import's columns, then the read-only ones (columns.ATTENDEE_STATUS_COLUMNS)."""
    ceremony_zone = db.session.scalar(select(Ceremony.timezone).where(Ceremony.id == ceremony_id))
    query = (select(Site.code, Attendee.full_name, Attendee.rank, Attendee.position, Attendee.unit,
                    Attendee.email, Attendee.phone, Attendee.category, Attendee.language,
                    Attendee.partstat, Attendee.site_confirmation, Attendee.attendance,
                    Attendee.attendance_at, Site.timezone)
             .join(Site, Site.id == Attendee.site_id).where(Attendee.ceremony_id == ceremony_id)
             .order_by(Site.is_host.desc(), Site.code, Attendee.full_name, Attendee.id))
    if site_id is not None:
        query = query.where(Attendee.site_id == site_id)
    for row in db.session.execute(query.execution_options(yield_per=FETCH)):
        *imported, partstat, confirmation, attendance, attendance_at, site_zone = row
        yield [*imported, str(PARTSTAT_LABELS[partstat]), str(SITE_CONFIRMATION_LABELS[confirmation]),
               str(ATTENDANCE_LABELS[attendance]) if attendance else "",
               _local(attendance_at, site_zone or ceremony_zone)]


def _local(moment: datetime | None, zone: str) -> str:
    # Sortable and filterable in a spreadsheet, on the clock of the site's room.
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M") if moment else ""


def site_rows(ceremony_id: int) -> Iterator[list[str]]:
    query = (select(Site.code, Site.name, Site.province, Site.address, Site.room, Site.timezone,
                    Site.video_endpoint, Site.capacity, Site.coordinator_name,
                    Site.coordinator_email, Site.coordinator_phone, Site.coordinator_language)
             .where(Site.ceremony_id == ceremony_id)
             .order_by(Site.is_host.desc(), Site.code))
    for row in db.session.execute(query.execution_options(yield_per=FETCH)):
        yield ["" if value is None else str(value) for value in row]


def rows_for(kind: str, ceremony_id: int, site_id: int | None = None) -> Iterator[list[str]]:
    return attendee_rows(ceremony_id, site_id) if kind == "attendees" else site_rows(ceremony_id)


def example_rows(columns: tuple[Column, ...]) -> Iterator[list[str]]:
    yield [column.example for column in columns]


def csv_chunks(columns: tuple[Column, ...], rows: Iterable[list[str]]) -> Iterator[str]:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(columns))
    for row in rows:
        writer.writerow([escape("" if value is None else str(value)) for value in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(columns: tuple[Column, ...], rows: Iterable[list[str]], title: str) -> bytes:
    """The workbook; rows stream through openpyxl's temporary files, only the zipped result is kept."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    bold = Font(bold=True)
    heading = []
    for label in header(columns):
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    sheet.freeze_panes = "A2"
    for row in rows:
        # Everything as text: a phone number keeps its leading 0, a code stays a code.
        sheet.append([_text_cell(sheet, "" if value is None else str(value)) for value in row])
    with tempfile.TemporaryFile() as spooled:
        workbook.save(spooled)
        spooled.seek(0)
        return spooled.read()


def _text_cell(sheet, text: str):
    from openpyxl.cell import WriteOnlyCell

    text = escape_quote(text)
    if not starts_formula(text):
        return text
    # openpyxl writes a value starting with "=" as a formula: keep it a string,
    # marked (quotePrefix) so Excel leaves it text even when the cell is edited.
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def download(columns: tuple[Column, ...], fmt: str, rows: Iterable[list[str]], name: str,
             title: str) -> Response:
    """The rows as an attachment: `fmt` is "csv" (streamed) or "xlsx"."""
    if fmt == "csv":
        response = Response(stream_with_context(csv_chunks(columns, rows)),
                            mimetype="text/csv; charset=utf-8")
        response.headers.set("Content-Disposition", "attachment", filename=f"{name}.csv")
        return response
    return send_file(io.BytesIO(xlsx_bytes(columns, rows, title)), mimetype=XLSX_MIMETYPE,
                     as_attachment=True, download_name=f"{name}.xlsx")
