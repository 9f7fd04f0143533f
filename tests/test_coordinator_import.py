"""A coordinator imports their site's list from their link: preview, then all or nothing, own site only."""
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from scheduler.background.jobs import run_due
from scheduler.extensions import db
from scheduler.mail.models import FanoutJob
from scheduler.planning.models import Attendee, Site
from scheduler.transfer import imports
from scheduler.transfer.models import ImportJob

from .conftest import post_form
from .portal_helpers import site_path
from .test_invitations import send_invitations

SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def commune(factory):
    """A draft ceremony: the host, and a commune post with one person."""
    ceremony = factory.ceremony(title="Lễ kỷ niệm 80 năm")
    host = factory.site(ceremony, code="BCA", is_host=True, name="Bộ Công an")
    post = factory.site(ceremony, code="XTL", name="Công an xã Tân Lập")
    factory.attendee(ceremony, post, full_name="Hoàng Thị Hoa", unit="Công an xã")
    return ceremony, host, post


def upload(phone, path: str, content: bytes, filename="danh-sach.csv", **fields):
    return post_form(phone, f"{path}/people/import", {"file": (io.BytesIO(content), filename), **fields},
                     token_from=f"{path}/people/import", content_type="multipart/form-data")


def last_job(app) -> ImportJob:
    with app.app_context():
        return db.session.scalar(select(ImportJob).order_by(ImportJob.id.desc()))


def write(phone, path: str, job: ImportJob):
    return post_form(phone, f"{path}/imports/{job.id}/write", {}, token_from=f"{path}/people/import")


def people_at(app, site_id: int) -> dict[str, Attendee]:
    with app.app_context():
        found = db.session.scalars(select(Attendee).where(Attendee.site_id == site_id))
        return {person.full_name: person for person in found}


def count(app, model=Attendee) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_the_preview_writes_nothing_and_the_import_writes_only_to_the_links_site(app, commune, fetch, clock):
    ceremony, host, post = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    assert f'href="{path}/people/import"' in phone.get(f"{path}/people").get_data(as_text=True)
    clock.advance(minutes=30)
    response = upload(phone, path, "Họ và tên,Cấp bậc,Email\r\nLò Văn Páo,Trung úy,pao@example.vn\r\n"
                                   "Vàng Thị Mỷ,Thiếu úy,\r\n".encode())
    assert response.status_code == 302
    job = last_job(app)
    assert response.headers["Location"].endswith(f"{path}/imports/{job.id}")
    assert (job.status, job.total_rows, job.error_count, job.only_site_id) == ("ready", 2, 0, post.id)
    assert fetch(Site, post.id).coordinator_seen_at == clock.now  # the upload counts as activity
    page = phone.get(f"{path}/imports/{job.id}").get_data(as_text=True)
    assert "Lò Văn Páo" in page and "Vàng Thị Mỷ" in page and "Nhập 2 dòng" in page
    assert "Mã điểm cầu" not in page  # the file had no site code column: none is shown
    assert count(app) == 1  # the preview wrote nothing

    clock.advance(minutes=1)
    response = write(phone, path, job)
    assert response.status_code == 302
    found = people_at(app, post.id)
    assert set(found) == {"Hoàng Thị Hoa", "Lò Văn Páo", "Vàng Thị Mỷ"}
    pao = found["Lò Văn Páo"]
    assert (pao.site_confirmation, pao.site_confirmed_at, pao.email) == ("confirmed", clock.now,
                                                                         "pao@example.vn")
    assert count(app) == 3 and people_at(app, host.id) == {}
    assert fetch(Site, post.id).coordinator_seen_at == clock.now
    assert count(app, FanoutJob) == 0  # a draft ceremony invites nobody yet
    done = phone.get(f"{path}/imports/{job.id}").get_data(as_text=True)
    assert "Đã nhập" in done and f'href="{path}/people"' in done
    assert "Lò Văn Páo" in phone.get(f"{path}/people").get_data(as_text=True)
    assert write(phone, path, last_job(app)).status_code == 302  # a second press writes nothing more
    assert count(app) == 3


def test_a_row_naming_another_site_is_an_error_and_nothing_is_written(app, commune):
    _ceremony, _host, post = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    upload(phone, path, ("Mã điểm cầu,Họ và tên\r\nxtl,Người Một\r\n,Người Hai\r\n"
                         "BCA,Người Ba\r\nXYZ,Người Bốn\r\n").encode())
    job = last_job(app)
    assert job.status == "invalid"
    assert [(e["line"], e["column"], e["code"]) for e in job.report["errors"]] == [
        (4, "site_code", "other_site"), (5, "site_code", "unknown_site")]
    page = phone.get(f"{path}/imports/{job.id}").get_data(as_text=True)
    assert "không nhập được cho “BCA”" in page and "Mã điểm cầu" in page  # line, column and problem
    assert "Nhập 4 dòng" not in page
    write(phone, path, job)
    assert count(app) == 1 and last_job(app).status == "invalid"


def test_people_imported_into_a_scheduled_ceremony_are_invited_at_once(app, client, smtp, planned):
    ceremony, _host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    sent_before = len(smtp.messages)
    phone = app.test_client()
    path = site_path(app, bni.id)
    upload(phone, path, "Họ và tên,Email\r\nNgô Quang Huy,huy@example.vn\r\nĐỗ Văn Tư,\r\n".encode())
    response = write(phone, path, last_job(app))
    flashed = phone.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã nhập 2 dòng." in flashed
    run_due(app)
    [received] = smtp.to("huy@example.vn")
    assert len(smtp.messages) == sent_before + 1  # nobody else was invited again
    with app.app_context():
        huy = db.session.scalar(select(Attendee).where(Attendee.email == "huy@example.vn"))
        assert huy.site_id == bni.id and huy.invited_sequence is not None


def test_the_template_has_no_site_code_and_imports_as_it_is(app, commune):
    _ceremony, _host, post = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    form = phone.get(f"{path}/people/import").get_data(as_text=True)
    assert "template.xlsx" in form and "template.csv" in form and "Mã điểm cầu" not in form
    csv_file = phone.get(f"{path}/people/import/template.csv")
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
    assert "XTL" in csv_file.headers["Content-Disposition"]
    header = csv_file.get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert header.startswith("Họ và tên,") and "Mã điểm cầu" not in header
    xlsx_file = phone.get(f"{path}/people/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx_file.data)).active
    assert [cell.value for cell in sheet[1]][0] == "Họ và tên"
    assert phone.get(f"{path}/people/import/template.pdf").status_code == 404
    upload(phone, path, xlsx_file.data, filename="mau.xlsx")
    assert (last_job(app).status, last_job(app).total_rows) == ("ready", 1)


def test_names_with_html_are_escaped_in_the_preview(app, commune):
    _ceremony, _host, post = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    upload(phone, path, f'Họ và tên,Đơn vị\r\n"Nguyễn {SCRIPT}",{SCRIPT}\r\n'.encode(),
           filename="script.csv")
    job = last_job(app)
    for page in (phone.get(f"{path}/imports/{job.id}"), phone.get(f"{path}/people/import")):
        html = page.get_data(as_text=True)
        assert page.status_code == 200
        assert SCRIPT not in html
    assert "&lt;script&gt;" in phone.get(f"{path}/imports/{job.id}").get_data(as_text=True)


def test_a_form_without_a_file_says_so_and_a_discarded_file_writes_nothing(app, commune):
    _ceremony, _host, post = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    refused = post_form(phone, f"{path}/people/import", {}, content_type="multipart/form-data")
    assert refused.status_code == 200 and 'id="file-error"' in refused.get_data(as_text=True)
    assert count(app, ImportJob) == 0
    upload(phone, path, "Họ và tên\r\nNgười Một\r\n".encode())
    job = last_job(app)
    post_form(phone, f"{path}/imports/{job.id}/discard", {}, token_from=f"{path}/people/import")
    assert last_job(app).status == "discarded"
    write(phone, path, job)
    assert count(app) == 1


def test_a_large_file_is_checked_and_written_in_the_background(app, commune, monkeypatch):
    _ceremony, host, post = commune
    monkeypatch.setattr(imports, "INLINE_BYTES", 100)
    monkeypatch.setattr(imports, "INLINE_ROWS", 10)
    phone = app.test_client()
    path = site_path(app, post.id)
    rows = "".join(f"Người số {n},n{n}@example.vn\r\n" for n in range(120))
    upload(phone, path, ("Họ và tên,Email\r\n" + rows).encode())
    job = last_job(app)
    progress_url = f"{path}/imports/{job.id}/progress.json"
    assert job.status == "checking" and phone.get(progress_url).json["busy"] is True
    page = phone.get(f"{path}/imports/{job.id}").get_data(as_text=True)
    assert f'data-url="{progress_url}"' in page and "progress.js" in page and "<script>" not in page
    run_due(app)
    assert phone.get(progress_url).json == {"busy": False, "status": "ready", "done": 120, "total": 120,
                                            "added": 0, "errors": 0, "indeterminate": False}
    write(phone, path, last_job(app))
    assert last_job(app).status == "queued" and count(app) == 1  # the request did not write
    run_due(app)
    job = last_job(app)
    assert (job.status, job.added_rows) == ("done", 120)
    found = people_at(app, post.id)
    assert len(found) == 121 and people_at(app, host.id) == {}
    assert {p.site_confirmation for name, p in found.items() if name.startswith("Người số")} == {"confirmed"}


def test_the_recent_imports_are_those_of_the_links_own_site(app, factory, commune, clock):
    ceremony, host, post = commune
    with app.app_context():
        from scheduler.planning.models import Ceremony

        imports.start_import(db.session.get(Ceremony, ceremony.id), "attendees", "chu-tri.csv",
                             "Họ và tên\r\nNgười Khác\r\n".encode(), only_site_id=host.id, now=clock())
        imports.start_import(db.session.get(Ceremony, ceremony.id), "attendees", "to-chuc.csv",
                             "Mã điểm cầu,Họ và tên\r\nBCA,Người Khác\r\n".encode(), now=clock())
        db.session.commit()
    phone = app.test_client()
    path = site_path(app, post.id)
    upload(phone, path, "Họ và tên\r\nNgười Một\r\n".encode(), filename="cua-toi.csv")
    page = phone.get(f"{path}/people/import").get_data(as_text=True)
    assert "cua-toi.csv" in page and "chu-tri.csv" not in page and "to-chuc.csv" not in page
