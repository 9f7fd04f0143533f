"""Import and export: files as Excel and people make them, previews that write
nothing, all-or-nothing writes, the background path and its claims."""
import io
import unicodedata

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import undefer

from scheduler.extensions import db
from scheduler.planning.models import Attendee, Site
from scheduler.transfer import imports, jobs
from scheduler.transfer.models import ImportJob

from .conftest import post_form

HEADER = "Site code,Full name,Rank,Position,Unit,Email,Phone,Category,Language"
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def ceremony(factory):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True, name="Điểm cầu Bộ Công an")
    factory.site(ceremony, code="BNI", name="Điểm cầu Bắc Ninh")
    return ceremony


def base(ceremony) -> str:
    return f"/ceremonies/{ceremony.id}/transfer"


def upload(client, ceremony, content: bytes, filename="people.csv", kind="attendees", **fields):
    return post_form(client, f"{base(ceremony)}/import/{kind}",
                     {"file": (io.BytesIO(content), filename), **fields}, token_from=base(ceremony) + "/",
                     content_type="multipart/form-data")


def last_job(app):
    with app.app_context():
        return db.session.scalar(select(ImportJob).options(undefer(ImportJob.content))
                                 .order_by(ImportJob.id.desc()))


def count(app, model=Attendee) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def people(app):
    with app.app_context():
        return {p.full_name: p for p in db.session.scalars(select(Attendee))}


def write(client, ceremony, job):
    return post_form(client, f"{base(ceremony)}/imports/{job.id}/write", {},
                     token_from=f"{base(ceremony)}/imports/{job.id}")


def csv_bytes(*rows: str, header=HEADER, encoding="utf-8", delimiter=",") -> bytes:
    text = "\r\n".join([header, *rows]) + "\r\n"
    return text.replace(",", delimiter).encode(encoding)


GOOD = ("BNI,Bùi Chiến Thắng,Đại tá,Phó Giám đốc,Công an tỉnh Bắc Ninh,thang@example.vn,0912 000 111,leader,vi",
        "BCA,Nguyễn Thị Lan,,,Văn phòng Bộ,Lan@Example.vn,,Đại biểu,en")


@pytest.mark.parametrize("encoding,delimiter", [("utf-8", ","), ("utf-8-sig", ","), ("utf-8-sig", ";"),
                                                ("utf-8", "\t"), ("utf-16", "\t")])
def test_csv_as_excel_writes_it_previews_then_imports(app, client, ceremony, encoding, delimiter):
    response = upload(client, ceremony, csv_bytes(*GOOD, encoding=encoding, delimiter=delimiter))
    assert response.status_code == 302
    job = last_job(app)
    assert (job.status, job.total_rows, job.error_count) == ("ready", 2, 0)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bùi Chiến Thắng" in page and "Nhập 2 dòng" in page
    assert count(app) == 0  # the preview wrote nothing
    assert write(client, ceremony, job).status_code == 302
    found = people(app)
    assert set(found) == {"Bùi Chiến Thắng", "Nguyễn Thị Lan"}
    lan = found["Nguyễn Thị Lan"]
    assert (lan.email, lan.category, lan.language, lan.name_key) == (
        "lan@example.vn", "delegate", "en", "nguyễn thị lan")
    assert lan.invited_sequence is None and lan.link_key  # not invited until asked
    assert last_job(app).status == "done" and last_job(app).content is None


def test_every_row_error_is_reported_with_its_line_and_nothing_is_written(app, client, factory, ceremony):
    factory.attendee(ceremony, factory.site(ceremony, code="HPG"), full_name="Trần Văn Bình",
                     email="binh@example.vn")
    before = count(app)
    rows = ("BNI,Người Một,,,,not-an-email,,,",             # line 2: bad email
            "BNI,   ,,,,,,,",                                # line 3: missing name
            "XYZ,Người Ba,,,,,,,",                           # line 4: unknown site code
            "BNI,Người Bốn,,,,bon@example.vn,,,",            # line 5: fine
            "BCA,Người Năm,,,,BON@example.vn,,,",            # line 6: same email as line 5
            "BNI,Người Sáu,,,,binh@example.vn,,,",           # line 7: already an attendee
            "BNI,Người Bảy,,,,,,vua,",                       # line 8: unknown category
            "BNI,Người Tám,,,,,abc,,fr")                     # line 9: bad phone, unknown language
    upload(client, ceremony, csv_bytes(*rows))
    job = last_job(app)
    assert job.status == "invalid"
    found = {(e["line"], e["column"], e["code"]) for e in job.report["errors"]}
    assert found == {(2, "email", "bad_email"), (3, "full_name", "required"),
                     (4, "site_code", "unknown_site"), (6, "email", "duplicate_in_file"),
                     (7, "email", "existing_email"), (8, "category", "unknown_category"),
                     (9, "phone", "bad_phone"), (9, "language", "unknown_language")}
    page = client.get(f"{base(ceremony)}/imports/{job.id}").get_data(as_text=True)
    assert "Không có điểm cầu nào của buổi lễ có mã “XYZ”" in page
    assert "Trùng email với dòng 5" in page
    assert "Nhập 8 dòng" not in page  # no import button
    assert write(client, ceremony, job).status_code == 302
    assert count(app) == before and last_job(app).status == "invalid"


def test_nfd_and_nfc_spellings_of_one_name_are_one_person(app, client, factory, ceremony):
    bni = next(s for s in [factory.site(ceremony, code="HNI")])
    factory.attendee(ceremony, bni, full_name="Nguyễn Văn Định", unit="Công an Hà Nội")
    decomposed = unicodedata.normalize("NFD", "Nguyễn Văn Định")
    assert decomposed != "Nguyễn Văn Định"
    upload(client, ceremony, csv_bytes(f"BNI,{decomposed},,,Công an Hà Nội,,,,",
                                       f"BNI,{unicodedata.normalize('NFD', 'Lê Thị Hà')},,,X,,,,",
                                       "BCA,LÊ THỊ HÀ,,,X,,,,"))
    job = last_job(app)
    assert {(e["line"], e["code"]) for e in job.report["errors"]} == {
        (2, "existing_name"), (4, "duplicate_name_in_file")}
    assert count(app) == 1


def test_xlsx_round_trip_exports_and_imports_the_same_people(app, client, factory, ceremony):
    source = factory.ceremony(title="Nguồn")
    for code in ("BCA", "BNI"):
        site = factory.site(source, code=code, is_host=code == "BCA")
        factory.attendee(source, site, full_name=f"Đại biểu {code}", email=f"{code.lower()}@example.vn",
                         phone="0912 345 678", unit="Phòng PV01", category="guest", language="en")
    exported = client.get(f"/ceremonies/{source.id}/transfer/export/attendees.xlsx")
    assert exported.status_code == 200 and exported.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(exported.data)).active
    assert [c.value for c in sheet[1]][:2] == ["Mã điểm cầu", "Họ và tên"]
    upload(client, ceremony, exported.data, filename="export.xlsx")
    job = last_job(app)
    assert job.status == "ready", job.report["errors"]
    write(client, ceremony, job)
    with app.app_context():
        copied = db.session.scalars(select(Attendee).where(Attendee.ceremony_id == ceremony.id)
                                    .order_by(Attendee.full_name)).all()
        assert [(p.full_name, p.phone, p.category, p.language, p.unit) for p in copied] == [
            ("Đại biểu BCA", "0912 345 678", "guest", "en", "Phòng PV01"),
            ("Đại biểu BNI", "0912 345 678", "guest", "en", "Phòng PV01")]


def test_excel_quirks_numbers_blank_rows_vietnamese_header(app, client, ceremony):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["MÃ ĐIỂM CẦU", "Ho va ten", "Số điện thoại", "Thành phần", "Ghi chú", None])
    sheet.append(["bni", "Phạm Văn Đức", 912345678.0, "Lãnh đạo", "x", None])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["BCA", "Hoàng Thị Mai", 84912345678, "GUEST", None, None])
    for _ in range(5):
        sheet.append([None] * 6)  # trailing rows Excel keeps after a deletion
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload(client, ceremony, buffer.getvalue(), filename="Danh sách.xlsx")
    job = last_job(app)
    assert (job.status, job.total_rows) == ("ready", 2), job.report["errors"]
    assert job.report["ignored"] == ["Ghi chú"]
    write(client, ceremony, job)
    found = people(app)
    assert found["Phạm Văn Đức"].phone == "0912345678"  # the 0 Excel dropped is back
    assert found["Phạm Văn Đức"].category == "leader"
    assert found["Hoàng Thị Mai"].phone == "84912345678" and found["Hoàng Thị Mai"].category == "guest"


def test_legacy_windows_1258_csv_is_read_with_a_warning(app, client, ceremony):
    # Windows-1258 writes "ễ" as ê (0xEA) + combining tilde (0xDE).
    row = b"BNI;Nguy\xea\xden V\xe3n An;;;;;;;\r\n"
    upload(client, ceremony, HEADER.replace(",", ";").encode() + b"\r\n" + row)
    job = last_job(app)
    assert job.status == "ready" and job.report["encoding"] == "cp1258"
    page = client.get(f"{base(ceremony)}/imports/{job.id}").get_data(as_text=True)
    assert "Windows-1258" in page
    write(client, ceremony, job)
    assert list(people(app)) == ["Nguyễn Văn An"]  # NFC, as typed


@pytest.mark.parametrize("content,filename,code", [
    (b"", "empty.csv", "empty"),
    (HEADER.encode() + b"\r\n\r\n", "header-only.csv", "no_rows"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old.xls", "old_xls"),
    (b"PK\x03\x04 not really a workbook", "broken.xlsx", "bad_xlsx"),
    (b"Full name,Rank\r\nA,B\r\n", "no-site.csv", "missing_column"),
])
def test_unusable_files_get_a_clear_message(app, client, ceremony, content, filename, code):
    upload(client, ceremony, content or b"\n", filename=filename)
    job = last_job(app)
    assert job.status == "invalid" and job.report["errors"][0]["code"] == code
    page = client.get(f"{base(ceremony)}/imports/{job.id}")
    assert page.status_code == 200 and "Chưa có dữ liệu nào được ghi" not in page.get_data(as_text=True)[:0]


def test_site_import_with_coordinators(app, client, factory, ceremony):
    header = ("Mã điểm cầu,Tên điểm cầu,Tỉnh,Địa chỉ,Phòng,Múi giờ,Địa chỉ thiết bị truyền hình,"
              "Sức chứa,Đầu mối điểm cầu,Email đầu mối,Điện thoại đầu mối,Ngôn ngữ đầu mối")
    good = ("p01,Công an Thành phố Hà Nội,Hà Nội,87 Trần Hưng Đạo,Hội trường,asia/ho_chi_minh,"
            "sip:p01@vc.example,120,Nguyễn Thị Lan,Lan@Example.vn,912000222,Tiếng Việt")
    bad = ("BNI,Trùng mã,,,,Mars/Olympus,not a url,-3,,lan@,x,klingon",
           "P01,Lặp lại,,,,,,,,,,")
    upload(client, ceremony, csv_bytes(good, *bad, header=header), kind="sites")
    job = last_job(app)
    assert {(e["line"], e["column"], e["code"]) for e in job.report["errors"]} == {
        (3, "code", "code_taken"), (3, "timezone", "unknown_timezone"),
        (3, "video_endpoint", "bad_endpoint"), (3, "capacity", "bad_capacity"),
        (3, "coordinator_email", "bad_email"), (3, "coordinator_phone", "bad_phone"),
        (3, "coordinator_language", "unknown_language"), (4, "code", "duplicate_code_in_file")}
    assert count(app, Site) == 2
    upload(client, ceremony, csv_bytes(good, header=header), kind="sites")
    write(client, ceremony, last_job(app))
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.code == "P01"))
        assert (site.name, site.timezone, site.capacity, site.coordinator_email, site.coordinator_phone,
                site.coordinator_language, site.is_host, site.status, site.room_key) == (
            "Công an Thành phố Hà Nội", "Asia/Ho_Chi_Minh", 120, "lan@example.vn", "0912000222", "vi",
            False, "pending", "87 trần hưng đạo|hội trường")
        assert len(site.link_key) == 32
    exported = client.get(f"{base(ceremony)}/export/sites.csv").data
    assert exported.startswith(b"\xef\xbb\xbf") and "Công an Thành phố Hà Nội".encode() in exported


def test_exports_csv_with_bom_of_the_ceremony_or_one_site(app, client, factory, ceremony):
    with app.app_context():
        sites = dict(db.session.execute(select(Site.code, Site.id)).all())
    factory.attendee(ceremony, type("S", (), {"id": sites["BNI"]}), full_name="Bắc Ninh A")
    factory.attendee(ceremony, type("S", (), {"id": sites["BCA"]}), full_name="Bộ B")
    whole = client.get(f"{base(ceremony)}/export/attendees.csv")
    text = whole.data.decode("utf-8-sig")
    assert whole.data.startswith(b"\xef\xbb\xbf") and "Bắc Ninh A" in text and "Bộ B" in text
    one = client.get(f"{base(ceremony)}/export/attendees.csv?site_id={sites['BNI']}").data.decode("utf-8-sig")
    assert "Bắc Ninh A" in one and "Bộ B" not in one
    client.get("/language/en")
    english = client.get(f"{base(ceremony)}/export/attendees.csv").data.decode("utf-8-sig")
    assert english.startswith("Site code,Full name,Rank")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_show_the_columns_and_import_as_they_are(app, client, ceremony, fmt):
    for kind in ("attendees", "sites"):
        response = client.get(f"{base(ceremony)}/template/{kind}.{fmt}")
        assert response.status_code == 200 and len(response.data) > 100
    template = client.get(f"{base(ceremony)}/template/attendees.{fmt}").data
    upload(client, ceremony, template, filename=f"template.{fmt}")
    assert last_job(app).status == "ready"  # its example row is at site BNI


def test_skip_existing_people_instead_of_reporting_them(app, client, factory, ceremony):
    with app.app_context():
        bni = db.session.scalar(select(Site).where(Site.code == "BNI")).id
    factory.attendee(ceremony, type("S", (), {"id": bni}), full_name="Bùi Chiến Thắng",
                     email="thang@example.vn")
    upload(client, ceremony, csv_bytes(*GOOD), skip_existing="y")
    job = last_job(app)
    assert (job.status, job.skipped_rows) == ("ready", 1)
    write(client, ceremony, job)
    assert count(app) == 2 and last_job(app).added_rows == 1


def test_a_coordinator_imports_only_for_their_own_site(app, ceremony, clock):
    from scheduler.planning.models import Ceremony
    with app.app_context():
        bni = db.session.scalar(select(Site).where(Site.code == "BNI"))
        job = imports.start_import(db.session.get(Ceremony, ceremony.id), "attendees", "mine.csv",
                                   "Họ và tên,Mã điểm cầu\nNgười A,\nNgười B,BCA\nNgười C,bni\n".encode(),
                                   only_site_id=bni.id, now=clock())
        assert [(e["line"], e["code"]) for e in job.report["errors"]] == [(3, "other_site")]
        job = imports.start_import(db.session.get(Ceremony, ceremony.id), "attendees", "mine.csv",
                                   "Họ và tên\nNgười A\n".encode(), only_site_id=bni.id, now=clock())
        token = imports.claim(job.id, ("ready",))
        imports.write(job, token, now=clock())
        db.session.commit()
        assert db.session.scalar(select(Attendee.site_id)) == bni.id


def test_a_change_after_the_preview_refuses_the_whole_write(app, client, factory, ceremony):
    upload(client, ceremony, csv_bytes(*GOOD))
    job = last_job(app)
    with app.app_context():
        bca = db.session.scalar(select(Site).where(Site.code == "BCA")).id
    factory.attendee(ceremony, type("S", (), {"id": bca}), full_name="Khác", email="lan@example.vn")
    write(client, ceremony, job)
    job = last_job(app)
    assert job.status == "invalid" and job.report["errors"][0]["code"] == "existing_email"
    assert count(app) == 1  # the first row, valid on its own, was not kept either


def test_names_with_html_are_escaped_in_preview_and_sheet(app, client, ceremony):
    upload(client, ceremony, csv_bytes(f'BNI,"Nguyễn {SCRIPT}",,,,,,,'))
    job = last_job(app)
    page = client.get(f"{base(ceremony)}/imports/{job.id}").get_data(as_text=True)
    assert SCRIPT not in page and "&lt;script&gt;" in page
    write(client, ceremony, job)
    with app.app_context():
        bni = db.session.scalar(select(Site).where(Site.code == "BNI")).id
    sheet = client.get(f"{base(ceremony)}/sites/{bni}/sheet").get_data(as_text=True)
    assert SCRIPT not in sheet and "&lt;script&gt;" in sheet and "Chữ ký" in sheet


def test_every_transfer_form_refuses_a_post_without_csrf(app, client, ceremony):
    upload(client, ceremony, csv_bytes(*GOOD))
    job = last_job(app)
    posts = [(f"{base(ceremony)}/import/attendees", {"file": (io.BytesIO(csv_bytes(*GOOD)), "a.csv")}),
             (f"{base(ceremony)}/import/sites", {"file": (io.BytesIO(b"code,name\nX,Y\n"), "s.csv")}),
             (f"{base(ceremony)}/imports/{job.id}/write", {}),
             (f"{base(ceremony)}/imports/{job.id}/discard", {})]
    for path, data in posts:
        response = client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code == 400, path
    assert count(app) == 0 and count(app, ImportJob) == 1 and last_job(app).status == "ready"


def test_discard_drops_the_file_and_writes_nothing(app, client, ceremony):
    upload(client, ceremony, csv_bytes(*GOOD))
    job = last_job(app)
    post_form(client, f"{base(ceremony)}/imports/{job.id}/discard", {},
              token_from=f"{base(ceremony)}/imports/{job.id}")
    job = last_job(app)
    assert job.status == "discarded" and job.content is None
    write(client, ceremony, job)
    assert count(app) == 0


def big_file(rows: int) -> bytes:
    return csv_bytes(*(f"BNI,Người số {n},,,,n{n}@example.vn,,," for n in range(rows)))


def test_large_imports_are_checked_and_written_in_the_background(app, client, ceremony, monkeypatch):
    from scheduler.background.jobs import run_due

    monkeypatch.setattr(imports, "INLINE_BYTES", 100)
    monkeypatch.setattr(imports, "INLINE_ROWS", 10)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 25)
    upload(client, ceremony, big_file(120))
    job = last_job(app)
    progress_url = f"{base(ceremony)}/imports/{job.id}/progress.json"
    assert job.status == "checking" and client.get(progress_url).json["busy"] is True
    page = client.get(f"{base(ceremony)}/imports/{job.id}").get_data(as_text=True)
    assert "data-live-progress" in page and "progress.js" in page and "<script>" not in page
    seen = []
    real_progress = jobs.run_import.__globals__["imports"].scan

    def watching_scan(job, **kwargs):
        if kwargs.get("progress"):
            inner = kwargs["progress"]

            def progress(rows):
                inner(rows)
                seen.append(client.get(progress_url).json["done"])
            kwargs["progress"] = progress
        return real_progress(job, **kwargs)

    monkeypatch.setattr(imports, "scan", watching_scan)
    run_due(app)
    assert seen == [25, 50, 75, 100]  # the organizer's bar moved while the worker checked
    assert client.get(progress_url).json == {"busy": False, "status": "ready", "done": 120, "total": 120,
                                             "added": 0, "errors": 0, "indeterminate": False}
    assert count(app) == 0
    write(client, ceremony, last_job(app))
    assert last_job(app).status == "queued" and count(app) == 0  # the request did not write
    run_due(app)
    job = last_job(app)
    assert (job.status, job.added_rows, job.content) == ("done", 120, None) and count(app) == 120
    assert run_due(app)["jobs"] == 0


def test_two_runners_never_write_one_import_twice(app, client, ceremony, clock, monkeypatch):
    monkeypatch.setattr(imports, "INLINE_BYTES", 100)
    monkeypatch.setattr(imports, "INLINE_ROWS", 10)
    upload(client, ceremony, big_file(30))
    with app.app_context():
        jobs.run_queued_imports(now=clock())
    write(client, ceremony, last_job(app))
    with app.app_context():
        job_id = last_job(app).id
        # The first worker claims it, then stalls past its lease.
        stale = imports.claim(job_id, ("queued",), lease_until=clock() + jobs.LEASE)
        db.session.commit()
        assert jobs.run_queued_imports(now=clock()) == 0  # a second runner finds nothing to take
        clock.advance(minutes=11)
        assert jobs.run_queued_imports(now=clock()) == 1  # the lease ran out: taken over, written
        assert count(app) == 30
        job = db.session.get(ImportJob, job_id)
        with pytest.raises(imports.ClaimLost):  # the stalled worker wakes up
            imports.write(job, stale, now=clock())
        db.session.rollback()
    assert count(app) == 30 and last_job(app).status == "done"


def test_forgotten_previews_expire_and_drop_their_file(app, client, ceremony, clock):
    upload(client, ceremony, csv_bytes(*GOOD))
    clock.advance(hours=25)
    with app.app_context():
        jobs.run_queued_imports(now=clock())
    job = last_job(app)
    assert job.status == "expired" and job.content is None and count(app) == 0


def test_import_export_is_reachable_from_the_attendees_and_sites_tabs(client, ceremony):
    for tab in ("attendees", "sites"):
        page = client.get(f"/ceremonies/{ceremony.id}/{tab}/").get_data(as_text=True)
        assert f'href="{base(ceremony)}/"' in page
    page = client.get(base(ceremony) + "/").get_data(as_text=True)
    assert "Nhập đại biểu" in page and "template/attendees.xlsx" in page
