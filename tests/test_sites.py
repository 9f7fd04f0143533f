import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scheduler.extensions import db
from scheduler.planning.models import Site

from .conftest import post_form

SITE_FORM = {
    "name": "Điểm cầu Công an tỉnh Bắc Ninh", "code": "bni", "province": "Bắc Ninh",
    "address": "Số 1 Lý Thái Tổ, Bắc Ninh", "room": "Hội trường A", "timezone": "",
    "video_endpoint": "sip:bni@vc.bocongan.example", "capacity": "80",
    "coordinator_name": "Nguyễn Thị Hoa", "coordinator_email": "hoa@example.vn",
    "coordinator_phone": "0912 345 678", "status": "pending",
}


def input_tag(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


def sites_of(app, ceremony_id):
    with app.app_context():
        return db.session.scalars(select(Site).where(Site.ceremony_id == ceremony_id)
                                  .order_by(Site.id)).all()


def test_add_site_normalises_code_and_defaults_to_the_ceremony_time_zone(app, client, factory):
    ceremony = factory.ceremony()
    response = post_form(client, f"/ceremonies/{ceremony.id}/sites/new", {**SITE_FORM, "is_host": "y"})
    assert response.status_code == 302
    [site] = sites_of(app, ceremony.id)
    assert site.code == "BNI" and site.is_host and site.timezone is None
    assert site.capacity == 80 and site.coordinator_email == "hoa@example.vn"


def test_first_site_form_proposes_host_then_not(client, factory):
    ceremony = factory.ceremony()
    first = client.get(f"/ceremonies/{ceremony.id}/sites/new").get_data(as_text=True)
    assert "checked" in input_tag(first, "is_host")
    factory.site(ceremony, code="BCA", is_host=True)
    second = client.get(f"/ceremonies/{ceremony.id}/sites/new").get_data(as_text=True)
    assert "checked" not in input_tag(second, "is_host")


def test_field_errors_for_bad_site_input_and_nothing_saved(app, client, factory):
    ceremony = factory.ceremony()
    response = post_form(client, f"/ceremonies/{ceremony.id}/sites/new", {
        **SITE_FORM, "name": "", "code": "B N I", "coordinator_email": "hoa@", "capacity": "-3",
        "coordinator_phone": "call me", "video_endpoint": "ftp://x", "timezone": "Nowhere/City"})
    page = response.get_data(as_text=True)
    for field in ("name", "code", "coordinator_email", "capacity", "coordinator_phone",
                  "video_endpoint", "timezone"):
        assert f'id="{field}-error"' in page, field
    assert sites_of(app, ceremony.id) == []


@pytest.mark.parametrize("endpoint", ["https://meet.example/bni", "sip:bni@vc.example",
                                      "h323:10.0.0.5", "10.1.2.3##4455", "tel:+84912345678"])
def test_video_endpoints_accepted(app, client, factory, endpoint):
    ceremony = factory.ceremony()
    response = post_form(client, f"/ceremonies/{ceremony.id}/sites/new",
                         {**SITE_FORM, "video_endpoint": endpoint})
    assert response.status_code == 302, endpoint


def test_site_code_is_unique_within_a_ceremony_only(app, client, factory):
    ceremony, other = factory.ceremony(), factory.ceremony(title="Khác")
    factory.site(ceremony, code="BNI")
    clash = post_form(client, f"/ceremonies/{ceremony.id}/sites/new", SITE_FORM)
    assert 'id="code-error"' in clash.get_data(as_text=True)
    assert len(sites_of(app, ceremony.id)) == 1
    assert post_form(client, f"/ceremonies/{other.id}/sites/new", SITE_FORM).status_code == 302


def test_making_another_site_host_moves_the_role(app, client, factory):
    ceremony = factory.ceremony()
    bca = factory.site(ceremony, code="BCA", is_host=True)
    post_form(client, f"/ceremonies/{ceremony.id}/sites/new", {**SITE_FORM, "is_host": "y"})
    hosts = [s.code for s in sites_of(app, ceremony.id) if s.is_host]
    assert hosts == ["BNI"]
    # The host cannot simply be un-hosted: the ceremony needs one.
    bni = [s for s in sites_of(app, ceremony.id) if s.code == "BNI"][0]
    response = post_form(client, f"/ceremonies/{ceremony.id}/sites/{bni.id}/edit",
                         {**SITE_FORM})  # is_host unticked
    assert 'id="is_host-error"' in response.get_data(as_text=True)
    assert [s.code for s in sites_of(app, ceremony.id) if s.is_host] == ["BNI"]
    assert bca.id != bni.id


def test_database_allows_only_one_host_per_ceremony(app, factory, clock):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True)
    with app.app_context():
        db.session.add(Site(ceremony_id=ceremony.id, name="Thứ hai", code="X", is_host=True,
                            created_at=clock()))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_site_page_shows_times_in_the_site_time_zone(client, factory):
    ceremony = factory.ceremony(starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC),
                                ends_at=datetime(2027, 6, 15, 9, 0, tzinfo=UTC))
    hanoi = factory.site(ceremony, code="BCA", is_host=True)
    tokyo = factory.site(ceremony, code="TYO", timezone="Asia/Tokyo", name="Đại sứ quán tại Tokyo")
    client.get("/language/en")
    hanoi_page = client.get(f"/ceremonies/{ceremony.id}/sites/{hanoi.id}").get_data(as_text=True)
    tokyo_page = client.get(f"/ceremonies/{ceremony.id}/sites/{tokyo.id}").get_data(as_text=True)
    assert "2:00" in hanoi_page.split('class="site-start"')[1][:200]
    assert "4:00" in tokyo_page.split('class="site-start"')[1][:200]  # UTC+9
    assert "Asia/Tokyo" in tokyo_page
    listing = client.get(f"/ceremonies/{ceremony.id}/sites/").get_data(as_text=True)
    assert "GMT+09:00" in listing


def test_site_list_search_filter_and_pages(client, factory):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True, name="Điểm cầu Bộ Công an")
    for n in range(55):
        factory.site(ceremony, code=f"X{n:02d}", name=f"Công an xã {n:02d}", province="Bắc Ninh")
    factory.site(ceremony, code="HPG", name="Công an TP Hải Phòng", province="Hải Phòng",
                 status="confirmed")
    first = client.get(f"/ceremonies/{ceremony.id}/sites/").get_data(as_text=True)
    assert "Điểm cầu Bộ Công an" in first.split("<tbody>")[1][:600]  # host first
    assert "Công an xã 54" not in first
    assert "Công an xã 54" in client.get(f"/ceremonies/{ceremony.id}/sites/?page=2").get_data(as_text=True)
    found = client.get(f"/ceremonies/{ceremony.id}/sites/?q=hải phòng").get_data(as_text=True)
    assert "Công an TP Hải Phòng" in found and "Công an xã 01" not in found
    confirmed = client.get(f"/ceremonies/{ceremony.id}/sites/?status=confirmed").get_data(as_text=True)
    assert "Công an TP Hải Phòng" in confirmed and "Công an xã 01" not in confirmed


def test_site_with_attendees_or_host_cannot_be_removed(app, client, factory):
    ceremony = factory.ceremony()
    host = factory.site(ceremony, code="BCA", is_host=True)
    bni = factory.site(ceremony, code="BNI")
    empty = factory.site(ceremony, code="HPG")
    factory.attendee(ceremony, bni)
    for site in (host, bni):
        post_form(client, f"/ceremonies/{ceremony.id}/sites/{site.id}/delete", {},
                  token_from=f"/ceremonies/{ceremony.id}/sites/{site.id}")
    post_form(client, f"/ceremonies/{ceremony.id}/sites/{empty.id}/delete", {},
              token_from=f"/ceremonies/{ceremony.id}/sites/{empty.id}")
    assert [s.code for s in sites_of(app, ceremony.id)] == ["BCA", "BNI"]


def test_site_of_another_ceremony_is_not_reachable(client, factory):
    mine, theirs = factory.ceremony(), factory.ceremony(title="Khác")
    their_site = factory.site(theirs, code="BNI")
    assert client.get(f"/ceremonies/{mine.id}/sites/{their_site.id}").status_code == 404
    assert client.get(f"/ceremonies/{mine.id}/sites/{their_site.id}/edit").status_code == 404


def test_site_change_attendees_see_raises_only_that_sites_sequence(app, client, factory, fetch):
    from scheduler.planning.models import Attendee, Ceremony

    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI")
    other = factory.site(ceremony, code="HPG")
    here = factory.attendee(ceremony, site, full_name="Ở đây")
    there = factory.attendee(ceremony, other, full_name="Ở kia")
    base = {**SITE_FORM, "code": "BNI", "name": site.name, "address": site.address, "room": site.room,
            "video_endpoint": "", "capacity": "", "coordinator_name": "", "coordinator_email": "",
            "coordinator_phone": ""}
    post_form(client, f"/ceremonies/{ceremony.id}/sites/{site.id}/edit", {**base, "coordinator_name": "Mới"})
    assert fetch(Attendee, here.id).sequence_offset == 0
    post_form(client, f"/ceremonies/{ceremony.id}/sites/{site.id}/edit", {**base, "room": "Phòng 2"})
    assert fetch(Attendee, here.id).sequence_offset == 1
    assert fetch(Attendee, there.id).sequence_offset == 0
    assert fetch(Ceremony, ceremony.id).sequence == 0  # nobody else's calendar changes
