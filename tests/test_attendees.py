import unicodedata

from sqlalchemy import select

from scheduler.extensions import db
from scheduler.planning.models import Attendee, AttendeeMove

from .conftest import post_form

PERSON = {"full_name": "Bùi Chiến Thắng", "rank": "Đại tá", "position": "Phó Giám đốc",
          "unit": "Công an tỉnh Bắc Ninh", "email": "Thang@Example.vn", "phone": "0912 000 111",
          "category": "leader"}


def people(app, ceremony_id):
    with app.app_context():
        return db.session.scalars(select(Attendee).where(Attendee.ceremony_id == ceremony_id)
                                  .order_by(Attendee.id)).all()


def test_add_attendee_at_a_site_normalising_name_and_email(app, client, factory):
    ceremony = factory.ceremony()
    bni = factory.site(ceremony, code="BNI")
    decomposed = unicodedata.normalize("NFD", "Bùi  Chiến Thắng ")
    response = post_form(client, f"/ceremonies/{ceremony.id}/attendees/new?site_id={bni.id}",
                         {**PERSON, "full_name": decomposed, "site_id": bni.id})
    assert response.status_code == 302
    [person] = people(app, ceremony.id)
    assert person.full_name == "Bùi Chiến Thắng"  # NFC, single spaces
    assert person.email == "thang@example.vn" and person.site_id == bni.id
    assert person.name_key == "bùi chiến thắng"


def test_new_attendee_form_preselects_the_site(client, factory):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True)
    bni = factory.site(ceremony, code="BNI")
    page = client.get(f"/ceremonies/{ceremony.id}/attendees/new?site_id={bni.id}").get_data(as_text=True)
    assert f'<option selected value="{bni.id}">' in page or f'value="{bni.id}" selected' in page


def test_attendee_field_errors_save_nothing(app, client, factory):
    ceremony = factory.ceremony()
    bni = factory.site(ceremony, code="BNI")
    response = post_form(client, f"/ceremonies/{ceremony.id}/attendees/new", {
        **PERSON, "full_name": "  ", "email": "thang@", "category": "king", "site_id": bni.id})
    page = response.get_data(as_text=True)
    for field in ("full_name", "email", "category"):
        assert f'id="{field}-error"' in page, field
    assert people(app, ceremony.id) == []


def test_attendee_cannot_be_put_at_another_ceremonys_site(app, client, factory):
    ceremony, other = factory.ceremony(), factory.ceremony(title="Khác")
    factory.site(ceremony, code="BNI")
    foreign = factory.site(other, code="HPG")
    response = post_form(client, f"/ceremonies/{ceremony.id}/attendees/new",
                         {**PERSON, "site_id": foreign.id})
    assert 'id="site_id-error"' in response.get_data(as_text=True)
    assert people(app, ceremony.id) == [] and people(app, other.id) == []


def test_moving_an_attendee_keeps_the_record_and_its_history(app, client, factory):
    ceremony = factory.ceremony()
    bca = factory.site(ceremony, code="BCA", is_host=True, name="Điểm cầu Bộ Công an")
    bni = factory.site(ceremony, code="BNI", name="Điểm cầu Bắc Ninh")
    person = factory.attendee(ceremony, bni, full_name="Bùi Chiến Thắng")
    path = f"/ceremonies/{ceremony.id}/attendees/{person.id}/edit"
    response = post_form(client, path, {**PERSON, "site_id": bca.id})
    assert response.status_code == 302
    [moved] = people(app, ceremony.id)
    assert moved.id == person.id and moved.site_id == bca.id
    with app.app_context():
        [move] = db.session.scalars(select(AttendeeMove)).all()
        assert (move.from_site_id, move.to_site_id) == (bni.id, bca.id)
        assert move.moved_by_id == client.user_id
    page = client.get(path).get_data(as_text=True)
    assert "Điểm cầu Bắc Ninh" in page and "Điểm cầu Bộ Công an" in page.split("<section")[-1]


def test_edit_without_site_change_records_no_move(app, client, factory):
    ceremony = factory.ceremony()
    bni = factory.site(ceremony, code="BNI")
    person = factory.attendee(ceremony, bni)
    post_form(client, f"/ceremonies/{ceremony.id}/attendees/{person.id}/edit",
              {**PERSON, "site_id": bni.id})
    assert people(app, ceremony.id)[0].rank == "Đại tá"
    with app.app_context():
        assert db.session.scalars(select(AttendeeMove)).all() == []


def test_remove_attendee(app, client, factory):
    ceremony = factory.ceremony()
    bni = factory.site(ceremony, code="BNI")
    person = factory.attendee(ceremony, bni)
    post_form(client, f"/ceremonies/{ceremony.id}/attendees/{person.id}/delete", {},
              token_from=f"/ceremonies/{ceremony.id}/attendees/{person.id}/edit")
    assert people(app, ceremony.id) == []


def test_attendee_of_another_ceremony_is_not_reachable(client, factory):
    mine, theirs = factory.ceremony(), factory.ceremony(title="Khác")
    site = factory.site(theirs, code="BNI")
    person = factory.attendee(theirs, site)
    assert client.get(f"/ceremonies/{mine.id}/attendees/{person.id}/edit").status_code == 404
    token_page = f"/ceremonies/{mine.id}/attendees/"
    assert post_form(client, f"/ceremonies/{mine.id}/attendees/{person.id}/delete", {},
                     token_from=token_page).status_code == 404


def test_attendee_list_search_ignores_case_and_accent_form(client, factory):
    ceremony = factory.ceremony()
    bni = factory.site(ceremony, code="BNI")
    factory.attendee(ceremony, bni, full_name="Nguyễn Thị Ánh", unit="Phòng Tham mưu")
    factory.attendee(ceremony, bni, full_name="Trần Văn Hải", category="press")
    query = unicodedata.normalize("NFD", "NGUYỄN THỊ")
    found = client.get(f"/ceremonies/{ceremony.id}/attendees/?q={query}").get_data(as_text=True)
    assert "Nguyễn Thị Ánh" in found and "Trần Văn Hải" not in found
    press = client.get(f"/ceremonies/{ceremony.id}/attendees/?category=press").get_data(as_text=True)
    assert "Trần Văn Hải" in press and "Nguyễn Thị Ánh" not in press
    by_unit = client.get(f"/ceremonies/{ceremony.id}/attendees/?q=tham mưu").get_data(as_text=True)
    assert "Nguyễn Thị Ánh" in by_unit


def test_site_page_warns_when_more_people_than_seats(client, factory):
    ceremony = factory.ceremony()
    small = factory.site(ceremony, code="XA", capacity=1)
    factory.attendee(ceremony, small, full_name="Một")
    page = client.get(f"/ceremonies/{ceremony.id}/sites/{small.id}").get_data(as_text=True)
    assert "flash-error" not in page
    factory.attendee(ceremony, small, full_name="Hai")
    page = client.get(f"/ceremonies/{ceremony.id}/sites/{small.id}").get_data(as_text=True)
    assert "flash-error" in page
