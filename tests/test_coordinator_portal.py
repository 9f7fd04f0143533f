"""The site coordinator's link: confirm the site, the checklist, the people, check-in on the day."""
from datetime import timedelta

import pytest
import segno

from scheduler import signals
from scheduler.background.jobs import run_due
from scheduler.planning.models import Attendee, Site

from .conftest import post_form
from .portal_helpers import code_of, person_path, site_path
from .test_invitations import parse, send_invitations


@pytest.fixture
def commune(factory):
    """A draft ceremony with a host and a commune post with two people."""
    ceremony = factory.ceremony(title="Lễ kỷ niệm 80 năm")
    host = factory.site(ceremony, code="BCA", is_host=True, name="Bộ Công an")
    post = factory.site(ceremony, code="XTL", name="Công an xã Tân Lập", coordinator_name="Lò Văn Páo")
    hoa = factory.attendee(ceremony, post, full_name="Hoàng Thị Hoa", rank="Thiếu tá", unit="Công an xã")
    minh = factory.attendee(ceremony, post, full_name="Vũ Đức Minh", rank="Đại úy")
    return ceremony, host, post, hoa, minh


def test_coordinator_confirms_the_site_and_ticks_the_checklist(app, client, commune, fetch, clock):
    ceremony, _host, post, *_ = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    page = phone.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Công an xã Tân Lập" in html and "Lễ kỷ niệm 80 năm" in html
    assert fetch(Site, post.id).coordinator_seen_at == clock.now  # opening the link counts

    replies = []
    with signals.site_replied.connected_to(lambda site, **kw: replies.append((site.id, kw["status"]))):
        response = post_form(phone, f"{path}/reply", {"answer": "confirmed"}, token_from=path)
    assert response.status_code == 302
    assert replies == [(post.id, "confirmed")]
    clock.advance(minutes=3)
    post_form(phone, f"{path}/readiness", {"room_ready": "y", "endpoint_tested": "y",
                                           "backup_contact": "Lò Thị Mai  0912 345 678",
                                           "readiness_remark": "Máy chiếu dự phòng đã sẵn sàng"},
              token_from=path)
    site = fetch(Site, post.id)
    assert site.status == "confirmed" and site.replied_at is not None
    assert (site.room_ready, site.endpoint_tested, site.av_checked) == (True, True, False)
    assert site.backup_contact == "Lò Thị Mai 0912 345 678"
    assert site.coordinator_seen_at == clock.now

    organizer_page = client.get(f"/ceremonies/{ceremony.id}/sites/{post.id}").get_data(as_text=True)
    assert "3/4" in organizer_page and "Lò Thị Mai 0912 345 678" in organizer_page
    assert "Máy chiếu dự phòng đã sẵn sàng" in organizer_page and "Đã xác nhận" in organizer_page


def test_checklist_errors_are_shown_beside_the_field(app, commune, fetch):
    _ceremony, _host, post, *_ = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    response = post_form(phone, f"{path}/readiness", {"room_ready": "y", "backup_contact": "x" * 301},
                         token_from=path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="backup_contact-error"' in html
    assert fetch(Site, post.id).room_ready is False  # nothing saved


def test_declining_the_site(app, commune, fetch):
    _ceremony, _host, post, *_ = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    post_form(phone, f"{path}/reply", {"answer": "declined"}, token_from=path)
    assert fetch(Site, post.id).status == "declined"
    assert post_form(phone, f"{path}/reply", {"answer": "maybe"}, token_from=path).status_code == 400


def test_the_coordinators_word_is_kept_beside_the_persons_own_answer(app, client, commune, fetch):
    ceremony, _host, post, hoa, minh = commune
    phone = app.test_client()
    own = person_path(app, hoa.id)
    post_form(phone, own, {"answer": "DECLINED", "comment": "Đi công tác"})  # her own answer
    path = site_path(app, post.id)
    post_form(phone, f"{path}/people/{hoa.id}/confirm", {"confirmation": "confirmed"},
              token_from=f"{path}/people")
    post_form(phone, f"{path}/people/{minh.id}/confirm", {"confirmation": "not_coming"},
              token_from=f"{path}/people")
    assert fetch(Attendee, hoa.id).partstat == "DECLINED"
    assert fetch(Attendee, hoa.id).site_confirmation == "confirmed"
    assert fetch(Attendee, minh.id).site_confirmation == "not_coming"
    people = phone.get(f"{path}/people").get_data(as_text=True)
    assert "Từ chối" in people  # the coordinator sees her own answer too
    organizer = client.get(f"/ceremonies/{ceremony.id}/sites/{post.id}").get_data(as_text=True)
    assert "Từ chối" in organizer and "Đầu mối đã xác nhận" in organizer and "Không tham dự" in organizer


def test_a_person_added_by_the_coordinator_is_confirmed(app, commune, fetch):
    _ceremony, _host, post, *_ = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    refused = post_form(phone, f"{path}/people/new", {"full_name": "", "email": "không-phải-email"})
    html = refused.get_data(as_text=True)
    assert 'id="full_name-error"' in html and 'id="email-error"' in html
    response = post_form(phone, f"{path}/people/new", {"full_name": "Đinh  Văn Nam", "rank": "Trung úy",
                                                       "language": "vi"})
    assert response.status_code == 302
    from sqlalchemy import select

    from scheduler.extensions import db

    with app.app_context():
        person = db.session.scalar(select(Attendee).where(Attendee.full_name == "Đinh Văn Nam"))
        assert person.site_id == post.id and person.site_confirmation == "confirmed"
        assert person.category == "delegate"


def test_a_substitute_gets_an_invitation_of_their_own(app, client, smtp, planned, fetch):
    ceremony, _host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    phone = app.test_client()
    path = site_path(app, bni.id)
    thang = people["thang"]
    form = phone.get(f"{path}/people/{thang.id}/substitute").get_data(as_text=True)
    assert "Bùi Chiến Thắng" in form
    response = post_form(phone, f"{path}/people/{thang.id}/substitute", {
        "full_name": "Ngô Quang Huy", "rank": "Thượng tá", "email": "huy@example.vn", "language": "vi"})
    assert response.status_code == 302
    assert fetch(Attendee, thang.id).site_confirmation == "not_coming"
    assert fetch(Attendee, thang.id).partstat == "NEEDS-ACTION"  # his own answer is untouched
    run_due(app)
    [received] = smtp.to("huy@example.vn")
    message = parse(received)
    assert message["Subject"].startswith("Giấy mời")
    text = message.get_body(("plain",)).get_content()
    assert "Ngô Quang Huy" in text
    from sqlalchemy import select

    from scheduler.extensions import db

    with app.app_context():
        huy = db.session.scalar(select(Attendee).where(Attendee.email == "huy@example.vn"))
        assert huy.substitute_for_id == thang.id and huy.category == "leader"
        assert huy.invited_sequence is not None
    assert code_of(app, huy.id) in text  # the invitation carries their check-in code
    people_page = phone.get(f"{path}/people").get_data(as_text=True)
    assert "Thay cho Bùi Chiến Thắng" in people_page and "Được thay bởi Ngô Quang Huy" in people_page


def substitutes_of(app, original_id):
    from sqlalchemy import select

    from scheduler.extensions import db

    with app.app_context():
        return db.session.scalars(select(Attendee.full_name)
                                  .where(Attendee.substitute_for_id == original_id)).all()


def test_a_double_tap_on_the_substitute_form_adds_one_substitute(app, commune, fetch):
    _ceremony, _host, post, hoa, _minh = commune
    phone = app.test_client()
    path = f"{site_path(app, post.id)}/people/{hoa.id}/substitute"
    huy = {"full_name": "Lê Văn Huy", "email": "huy@example.vn", "language": "vi"}
    phone.get("/language/en")
    assert post_form(phone, path, huy).status_code == 302
    again = post_form(phone, path, huy)
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "Hoàng Thị Hoa already has a substitute" in html
    assert substitutes_of(app, hoa.id) == ["Lê Văn Huy"]


def test_one_substitute_at_a_time_and_none_for_a_substitute(app, commune, fetch):
    _ceremony, _host, post, hoa, _minh = commune
    phone = app.test_client()
    own = site_path(app, post.id)
    phone.get("/language/en")
    post_form(phone, f"{own}/people/{hoa.id}/substitute", {"full_name": "Lê Văn Huy", "language": "vi"})
    [huy_id] = [p for p in _ids_named(app, "Lê Văn Huy")]
    refused = post_form(phone, f"{own}/people/{hoa.id}/substitute", {"full_name": "Phạm Thu Trang",
                                                                     "language": "vi"})
    assert 'id="full_name-error"' in refused.get_data(as_text=True)
    chained = post_form(phone, f"{own}/people/{huy_id}/substitute", {"full_name": "Phạm Thu Trang",
                                                                     "language": "vi"})
    assert "Lê Văn Huy is already a substitute" in chained.get_data(as_text=True)
    assert "people/%d/substitute" % huy_id not in phone.get(f"{own}/people").get_data(as_text=True)
    # Huy cannot come either: once he is marked so, Hoa may have another substitute.
    post_form(phone, f"{own}/people/{huy_id}/confirm", {"confirmation": "not_coming"}, token_from=f"{own}/people")
    assert post_form(phone, f"{own}/people/{hoa.id}/substitute", {"full_name": "Phạm Thu Trang",
                                                                  "language": "vi"}).status_code == 302
    assert sorted(substitutes_of(app, hoa.id)) == ["Lê Văn Huy", "Phạm Thu Trang"]


def _ids_named(app, name):
    from sqlalchemy import select

    from scheduler.extensions import db

    with app.app_context():
        return db.session.scalars(select(Attendee.id).where(Attendee.full_name == name)).all()


def test_someone_already_listed_is_not_added_again(app, factory, commune):
    ceremony, host, post, hoa, minh = commune
    factory.attendee(ceremony, host, full_name="Người ở điểm cầu khác", email="khac@example.vn")
    phone = app.test_client()
    own = site_path(app, post.id)
    taken = post_form(phone, f"{own}/people/{minh.id}/substitute", {
        "full_name": "Lê Văn Huy", "email": "KHAC@example.vn", "language": "vi"})
    html = taken.get_data(as_text=True)
    assert 'id="email-error"' in html and "Người ở điểm cầu khác" not in html  # nothing of another site
    same = post_form(phone, f"{own}/people/new", {"full_name": "hoàng  thị HOA", "unit": "Công an xã",
                                                  "language": "vi"})
    assert 'id="full_name-error"' in same.get_data(as_text=True)
    assert _ids_named(app, "hoàng thị HOA") == [] and substitutes_of(app, minh.id) == []
    # The same name in another unit is someone else.
    assert post_form(phone, f"{own}/people/new", {"full_name": "Hoàng Thị Hoa", "unit": "Huyện đội",
                                                  "language": "vi"}).status_code == 302


def test_check_in_by_typed_code_then_by_button(app, client, commune, fetch, clock):
    ceremony, _host, post, hoa, minh = commune
    clock.now = ceremony.starts_at - timedelta(minutes=10)  # the day of the ceremony
    phone = app.test_client()
    path = site_path(app, post.id)
    code = code_of(app, hoa.id)
    typed = code.lower().replace("-", " ").replace("0", "o")  # as someone types it from paper
    seen = []
    with signals.attendee_checked_in.connected_to(lambda p, **kw: seen.append((p.id, kw["attendance"]))):
        response = post_form(phone, f"{path}/check-in/code", {"code": typed},
                             token_from=f"{path}/check-in", follow_redirects=True)
    assert response.status_code == 200 and "Hoàng Thị Hoa" in response.get_data(as_text=True)
    assert seen == [(hoa.id, "present")]
    assert fetch(Attendee, hoa.id).attendance == "present"
    assert fetch(Attendee, hoa.id).attendance_at == clock.now

    clock.now = ceremony.starts_at + timedelta(minutes=7)
    post_form(phone, f"{path}/check-in/code", {"code": code_of(app, minh.id)}, token_from=f"{path}/check-in")
    assert fetch(Attendee, minh.id).attendance == "late"  # scanned after the start
    post_form(phone, f"{path}/check-in/{minh.id}", {"attendance": "absent"}, token_from=f"{path}/check-in")
    assert fetch(Attendee, minh.id).attendance == "absent"
    page = phone.get(f"{path}/check-in").get_data(as_text=True)
    assert "Vắng mặt" in page
    organizer = client.get(f"/ceremonies/{ceremony.id}/sites/{post.id}").get_data(as_text=True)
    assert "Có mặt" in organizer and "Vắng mặt" in organizer


def test_scanning_a_code_again_keeps_the_first_check_in(app, commune, fetch, clock):
    ceremony, _host, post, hoa, minh = commune
    phone = app.test_client()
    phone.get("/language/en")
    path = site_path(app, post.id)
    clock.now = ceremony.starts_at - timedelta(minutes=10)  # 09:50 in Hà Nội
    post_form(phone, f"{path}/check-in/code", {"code": code_of(app, hoa.id)}, token_from=f"{path}/check-in")
    first = fetch(Attendee, hoa.id)
    clock.now = ceremony.starts_at + timedelta(minutes=10)
    again = post_form(phone, f"{path}/check-in/code", {"code": code_of(app, hoa.id)},
                      token_from=f"{path}/check-in", follow_redirects=True)
    html = again.get_data(as_text=True)
    # (CLDR puts a narrow no-break space before "AM".)
    assert "Hoàng Thị Hoa was already checked in at 9:50" in html and "AM (Present)" in html
    assert (fetch(Attendee, hoa.id).attendance, fetch(Attendee, hoa.id).attendance_at) == \
        ("present", first.attendance_at)
    # Marked absent by a tap, then they turn up: the code checks them in, late.
    post_form(phone, f"{path}/check-in/{minh.id}", {"attendance": "absent"}, token_from=f"{path}/check-in")
    post_form(phone, f"{path}/check-in/code", {"code": code_of(app, minh.id)}, token_from=f"{path}/check-in")
    assert fetch(Attendee, minh.id).attendance == "late"


def test_codes_check_people_in_on_the_ceremonys_day_only(app, commune, fetch, clock):
    ceremony, _host, post, hoa, _minh = commune
    phone = app.test_client()
    phone.get("/language/en")
    path = site_path(app, post.id)

    def scan():
        return post_form(phone, f"{path}/check-in/code", {"code": code_of(app, hoa.id)},
                         token_from=f"{path}/check-in").get_data(as_text=True)

    assert clock.now < ceremony.starts_at - timedelta(days=9)  # a rehearsal with the printed codes
    assert "Check-in by code opens at" in scan() and fetch(Attendee, hoa.id).attendance is None
    clock.now = ceremony.ends_at + timedelta(hours=7)  # the link still works, codes no longer do
    assert "Check-in by code closed" in scan() and fetch(Attendee, hoa.id).attendance is None
    clock.now = ceremony.starts_at - timedelta(hours=11)
    scan()
    assert fetch(Attendee, hoa.id).attendance == "present"


def test_a_check_in_made_by_mistake_is_undone(app, commune, fetch, clock):
    ceremony, _host, post, hoa, _minh = commune
    phone = app.test_client()
    path = site_path(app, post.id)
    clock.now = ceremony.starts_at
    post_form(phone, f"{path}/check-in/code", {"code": code_of(app, hoa.id)}, token_from=f"{path}/check-in")
    assert fetch(Attendee, hoa.id).attendance == "present"
    page = phone.get(f"{path}/check-in").get_data(as_text=True)
    assert f"{path}/check-in/{hoa.id}/undo" in page
    seen = []
    with signals.attendee_checked_in.connected_to(lambda p, **kw: seen.append(kw["attendance"])):
        post_form(phone, f"{path}/check-in/{hoa.id}/undo", {}, token_from=f"{path}/check-in")
    assert seen == [None]
    assert (fetch(Attendee, hoa.id).attendance, fetch(Attendee, hoa.id).attendance_at) == (None, None)
    assert f"{path}/check-in/{hoa.id}/undo" not in phone.get(f"{path}/check-in").get_data(as_text=True)
    post_form(phone, f"{path}/check-in/code", {"code": code_of(app, hoa.id)}, token_from=f"{path}/check-in")
    assert fetch(Attendee, hoa.id).attendance == "present"  # and the code works again


def test_a_wrong_code_or_another_sites_code_checks_nobody_in(app, factory, commune, fetch, clock):
    ceremony, host, post, hoa, _minh = commune
    clock.now = ceremony.starts_at
    stranger = factory.attendee(ceremony, host, full_name="Người ở điểm cầu khác")
    phone = app.test_client()
    path = site_path(app, post.id)
    for code in ("ABCD-EFGH", "12", code_of(app, stranger.id)):
        response = post_form(phone, f"{path}/check-in/code", {"code": code}, token_from=f"{path}/check-in")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and 'id="code-error"' in html
        assert "Người ở điểm cầu khác" not in html
    assert fetch(Attendee, stranger.id).attendance is None
    assert fetch(Attendee, hoa.id).attendance is None


def test_check_in_list_finds_a_name(app, commune):
    _ceremony, _host, post, *_ = commune
    path = site_path(app, post.id)
    html = app.test_client().get(f"{path}/check-in?q=HOA").get_data(as_text=True)
    assert "Hoàng Thị Hoa" in html and "Vũ Đức Minh" not in html


def test_the_qr_code_holds_the_check_in_code_and_no_link(app, commune):
    _ceremony, _host, post, hoa, minh = commune
    own = person_path(app, hoa.id)
    response = app.test_client().get(f"{own}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    code = code_of(app, hoa.id)
    expected = segno.make(code, error="m", micro=False)
    import io

    out = io.BytesIO()
    expected.save(out, kind="svg", scale=6, border=2, xmldecl=False, svgclass="qr", lineclass=None)
    assert response.data == out.getvalue()  # exactly the code's symbol: no link inside
    page = app.test_client().get(own).get_data(as_text=True)
    assert code in page and f"{own}/qr.svg" in page

    sheet = app.test_client().get(f"{site_path(app, post.id)}/qr-codes").get_data(as_text=True)
    assert code in sheet and code_of(app, minh.id) in sheet and sheet.count("<svg") == 2
    assert site_path(app, post.id).split("/s/")[1] not in sheet.split("<svg", 1)[1]


def test_a_new_link_for_a_person_gives_a_new_check_in_code(app, commune, fetch, clock):
    ceremony, _host, post, hoa, _minh = commune
    clock.now = ceremony.starts_at
    before = code_of(app, hoa.id)
    assert len(before) == 9 and before[4] == "-"
    from scheduler.extensions import db

    with app.app_context():  # what a new address does (mail receivers give a new key)
        db.session.get(Attendee, hoa.id).link_key = "a" * 32
        db.session.commit()
    assert code_of(app, hoa.id) != before
    phone = app.test_client()
    path = site_path(app, post.id)
    response = post_form(phone, f"{path}/check-in/code", {"code": before}, token_from=f"{path}/check-in")
    assert 'id="code-error"' in response.get_data(as_text=True)
    assert fetch(Attendee, hoa.id).attendance is None


def test_page_speaks_the_coordinators_language_until_they_switch(app, factory):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="HCM", is_host=True)
    from scheduler.extensions import db

    with app.app_context():
        db.session.get(Site, site.id).coordinator_language = "en"
        db.session.commit()
    phone = app.test_client()
    path = site_path(app, site.id)
    assert "Readiness checklist" in phone.get(path).get_data(as_text=True)
    phone.get(f"/language/vi?next={path}")
    assert "Danh sách kiểm tra sẵn sàng" in phone.get(path).get_data(as_text=True)


def test_the_organizer_copies_and_reissues_the_link(app, client, commune):
    ceremony, _host, post, *_ = commune
    old = site_path(app, post.id)
    page = client.get(f"/ceremonies/{ceremony.id}/sites/{post.id}").get_data(as_text=True)
    assert f'value="http://127.0.0.1:5000{old}"' in page and 'data-copy="coordinator-link-url"' in page
    assert "copy.js" in page
    response = post_form(client, f"/ceremonies/{ceremony.id}/sites/{post.id}/link/reissue", {},
                         token_from=f"/ceremonies/{ceremony.id}/sites/{post.id}")
    assert response.status_code == 302
    new = site_path(app, post.id)
    assert new != old
    phone = app.test_client()
    revoked = phone.get(old)
    assert revoked.status_code == 410 and "Công an xã Tân Lập" not in revoked.get_data(as_text=True)
    assert "Liên kết này đã được thay" in revoked.get_data(as_text=True)
    assert phone.get(new).status_code == 200
    assert new in client.get(f"/ceremonies/{ceremony.id}/sites/{post.id}").get_data(as_text=True)


def test_links_expire_a_day_after_the_ceremony(app, commune, clock):
    ceremony, _host, post, hoa, _minh = commune
    phone = app.test_client()
    site, own = site_path(app, post.id), person_path(app, hoa.id)
    clock.now = ceremony.ends_at + timedelta(hours=23)
    assert phone.get(f"{site}/check-in").status_code == 200  # still time to correct the record
    assert phone.get(own).status_code == 200
    clock.now = ceremony.ends_at + timedelta(days=1, minutes=1)
    for path in (site, f"{site}/check-in", own, f"{own}/qr.svg"):
        response = phone.get(path)
        assert response.status_code == 410, path
        html = response.get_data(as_text=True)
        assert "Liên kết này đã hết hạn" in html and "Hoàng Thị Hoa" not in html


def test_a_cancelled_ceremony_says_so_on_the_coordinators_link(app, client, commune):
    ceremony, _host, post, *_ = commune
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    phone = app.test_client()
    path = site_path(app, post.id)
    response = phone.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 410 and "Buổi lễ đã bị hủy" in html and "Lễ kỷ niệm 80 năm" in html
    assert "Hoàng Thị Hoa" not in phone.get(f"{path}/people").get_data(as_text=True)
