import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from scheduler.extensions import db
from scheduler.planning.models import Ceremony, Commendation, ProgrammeItem

from .conftest import post_form

SEVEN_UTC = datetime(2027, 6, 15, 7, 0, tzinfo=UTC)  # 14:00 in Hà Nội
ITEM = {"title": "Phát biểu khai mạc", "start_offset_minutes": "5", "duration_minutes": "15",
        "presenter": "Thứ trưởng", "origin_site_id": "", "notes": "Máy quay 2"}
AWARD = {"recipient_kind": "collective", "recipient_name": "Công an xã Tiên Du",
         "recipient_detail": "", "award": "Bằng khen", "authority": "Bộ trưởng Bộ Công an",
         "citation": "", "site_id": ""}


def items_of(app, ceremony_id):
    with app.app_context():
        return db.session.scalars(select(ProgrammeItem).where(ProgrammeItem.ceremony_id == ceremony_id)
                                  .order_by(ProgrammeItem.start_offset_minutes)).all()


def awards_of(app, ceremony_id):
    with app.app_context():
        return db.session.scalars(select(Commendation).where(Commendation.ceremony_id == ceremony_id)
                                  .order_by(Commendation.id)).all()


def table_rows(page):
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, re.S)


def input_value(page, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    match = re.search(r'value="([^"]*)"', tag)
    return match.group(1) if match else None


@pytest.mark.parametrize("change, field", [
    ({"title": "  "}, "title"),
    ({"duration_minutes": "0"}, "duration_minutes"),
    ({"start_offset_minutes": "-5"}, "start_offset_minutes"),
    ({"duration_minutes": "mười"}, "duration_minutes"),
])
def test_invalid_item_shows_the_error_beside_its_field_and_saves_nothing(app, client, factory,
                                                                        change, field):
    ceremony = factory.ceremony()
    response = post_form(client, f"/ceremonies/{ceremony.id}/programme/new", {**ITEM, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<div class="errors" id="{field}-error">' in page
    assert f'aria-describedby="{field}-error"' in page
    assert set(re.findall(r'<div class="errors" id="([a-z_]+)-error">', page)) == {field}
    assert items_of(app, ceremony.id) == []


def test_range_errors_are_in_vietnamese(client, factory):
    ceremony = factory.ceremony()
    page = post_form(client, f"/ceremonies/{ceremony.id}/programme/new",
                     {**ITEM, "duration_minutes": "0"}).get_data(as_text=True)
    error = re.search(r'id="duration_minutes-error"><p class="error">(.*?)</p>', page).group(1)
    assert error == "Số phải nằm trong khoảng từ 1 đến 1440."


def test_valid_item_is_saved_with_normalised_text(app, client, factory):
    ceremony = factory.ceremony()
    response = post_form(client, f"/ceremonies/{ceremony.id}/programme/new",
                         {**ITEM, "title": "  Phát biểu   khai mạc "})
    assert response.status_code == 302
    [item] = items_of(app, ceremony.id)
    assert (item.title, item.start_offset_minutes, item.duration_minutes) == ("Phát biểu khai mạc", 5, 15)
    assert item.origin_site_id is None and item.presenter == "Thứ trưởng"


def test_new_item_form_starts_where_the_programme_ends(client, factory):
    ceremony = factory.ceremony()
    path = f"/ceremonies/{ceremony.id}/programme/new"
    assert input_value(client.get(path).get_data(as_text=True), "start_offset_minutes") == "0"
    factory.item(ceremony, title="Chào cờ", start=0, duration=10)
    factory.item(ceremony, title="Diễn văn", start=10, duration=25)
    page = client.get(path).get_data(as_text=True)
    assert input_value(page, "start_offset_minutes") == "35"
    assert input_value(page, "duration_minutes") == "10"


def test_an_origin_site_of_another_ceremony_is_refused(app, client, factory):
    ceremony, other = factory.ceremony(), factory.ceremony(title="Lễ khác")
    factory.site(ceremony, code="BCA", is_host=True)
    foreign = factory.site(other, code="BNI")
    response = post_form(client, f"/ceremonies/{ceremony.id}/programme/new",
                         {**ITEM, "origin_site_id": str(foreign.id)})
    assert response.status_code == 200
    assert 'id="origin_site_id-error"' in response.get_data(as_text=True)
    assert items_of(app, ceremony.id) == []
    # The operation refuses it too, whatever form reaches it.
    from scheduler.planning.operations import PlanningError, programme
    with app.app_context():
        with pytest.raises(PlanningError) as refused:
            programme.save_item(db.session.get(Ceremony, ceremony.id), None, {
                **ITEM, "start_offset_minutes": 0, "duration_minutes": 5, "origin_site_id": foreign.id})
        assert refused.value.field == "origin_site_id"
        db.session.rollback()
    assert items_of(app, ceremony.id) == []


def test_run_of_show_in_start_order_with_local_times_timeline_and_overflow(client, factory):
    ceremony = factory.ceremony(starts_at=SEVEN_UTC, ends_at=SEVEN_UTC.replace(hour=9))
    factory.site(ceremony, code="BCA", name="Hội trường Bộ", is_host=True)
    bni = factory.site(ceremony, code="BNI", name="Công an tỉnh Bắc Ninh")
    factory.item(ceremony, title="Phát động thi đua", start=35, duration=20, origin_site_id=bni.id)
    factory.item(ceremony, title="Bế mạc", start=110, duration=30)  # 20 min past the end
    factory.item(ceremony, title="Chào cờ", start=0, duration=10)
    page = client.get(f"/ceremonies/{ceremony.id}/programme").get_data(as_text=True)
    rows = table_rows(page)
    assert [r for r in rows if "Chào cờ" in r] == [rows[0]]
    assert "Phát động thi đua" in rows[1] and "Bế mạc" in rows[2]
    assert "14:00–14:10" in rows[0] and "14:35–14:55" in rows[1] and "15:50–16:20" in rows[2]
    assert "Hội trường Bộ" in rows[0] and "Công an tỉnh Bắc Ninh" in rows[1]
    assert "Hội trường Bộ" in rows[2]  # no origin: the host
    assert [r.startswith('<tr class="overflow"') for r in rows] == [False, False, True]
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count('class="bar') == 3 and svg.count("bar overflow") == 1 and svg.count("bar remote") == 1
    assert "“Bế mạc” kết thúc sau giờ kết thúc lễ 20 phút." in page
    client.get("/language/en")
    english = client.get(f"/ceremonies/{ceremony.id}/programme").get_data(as_text=True)
    assert "“Bế mạc” ends 20 min after the ceremony" in english
    assert 'class="warn-programme"' in english


def test_an_item_from_a_bridge_site_in_another_zone_shows_its_local_time(client, factory):
    ceremony = factory.ceremony(starts_at=SEVEN_UTC)
    factory.site(ceremony, code="BCA", is_host=True)
    moscow = factory.site(ceremony, code="MOW", name="Đại sứ quán tại Moskva", timezone="Europe/Moscow")
    factory.item(ceremony, title="Chào cờ", start=0, duration=10)
    factory.item(ceremony, title="Phát biểu từ Moskva", start=30, duration=10, origin_site_id=moscow.id)
    rows = table_rows(client.get(f"/ceremonies/{ceremony.id}/programme").get_data(as_text=True))
    assert "14:30" in rows[1] and "10:30 giờ địa phương" in rows[1]  # Moscow is UTC+3
    assert "giờ địa phương" not in rows[0]


def test_edit_and_delete_an_item(app, client, factory):
    ceremony = factory.ceremony()
    item = factory.item(ceremony, title="Chào cờ", start=0, duration=10)
    edit = f"/ceremonies/{ceremony.id}/programme/{item.id}/edit"
    assert input_value(client.get(edit).get_data(as_text=True), "title") == "Chào cờ"
    response = post_form(client, edit, {**ITEM, "title": "Chào cờ, Quốc ca", "duration_minutes": "7"})
    assert response.status_code == 302
    [saved] = items_of(app, ceremony.id)
    assert (saved.id, saved.title, saved.duration_minutes) == (item.id, "Chào cờ, Quốc ca", 7)
    delete = f"/ceremonies/{ceremony.id}/programme/{item.id}/delete"
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 400  # no CSRF token
    assert len(items_of(app, ceremony.id)) == 1
    response = post_form(client, delete, {}, token_from=f"/ceremonies/{ceremony.id}/programme")
    assert response.status_code == 302
    assert items_of(app, ceremony.id) == []


def test_items_of_another_ceremony_are_not_found(app, client, factory):
    ceremony, other = factory.ceremony(), factory.ceremony(title="Lễ khác")
    item = factory.item(other, title="Của lễ khác")
    base = f"/ceremonies/{ceremony.id}/programme/{item.id}"
    token_from = f"/ceremonies/{ceremony.id}/programme"
    assert client.get(f"{base}/edit").status_code == 404
    assert post_form(client, f"{base}/edit", ITEM, token_from=token_from).status_code == 404
    assert post_form(client, f"{base}/delete", {}, token_from=token_from).status_code == 404
    [kept] = items_of(app, other.id)
    assert kept.title == "Của lễ khác"
    assert client.get(f"/ceremonies/{ceremony.id}/programme/999999/edit").status_code == 404


def test_commendations_are_added_grouped_counted_edited_and_removed(app, client, factory):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI", name="Công an tỉnh Bắc Ninh", is_host=True)
    new = f"/ceremonies/{ceremony.id}/commendations/new"
    assert post_form(client, new, AWARD).status_code == 302
    assert post_form(client, new, {**AWARD, "recipient_kind": "individual",
                                   "recipient_name": "Đại úy Lê Văn Cường", "authority": "Chủ tịch nước",
                                   "award": "Huân chương", "site_id": str(site.id)}).status_code == 302
    post_form(client, new, {**AWARD, "recipient_kind": "individual", "recipient_name": "Trần Thị Dung"})
    awards = awards_of(app, ceremony.id)
    assert [(a.recipient_kind, a.authority) for a in awards] == [
        ("collective", "Bộ trưởng Bộ Công an"), ("individual", "Chủ tịch nước"),
        ("individual", "Bộ trưởng Bộ Công an")]
    assert awards[1].site_id == site.id and awards[0].site_id is None
    listing = f"/ceremonies/{ceremony.id}/commendations"
    page = client.get(listing).get_data(as_text=True)
    assert re.findall(r"<h2>(.*?)</h2>", page) == ["Bộ trưởng Bộ Công an", "Chủ tịch nước"]
    first_group = page.split("<h2>Bộ trưởng Bộ Công an</h2>", 1)[1].split("<h2>", 1)[0]
    assert "Công an xã Tiên Du" in first_group and "Trần Thị Dung" in first_group
    assert "Đại úy Lê Văn Cường" not in first_group
    assert '<p class="summary">1 tập thể, 2 cá nhân</p>' in page
    assert "Công an tỉnh Bắc Ninh" in page

    edit = f"/ceremonies/{ceremony.id}/commendations/{awards[0].id}/edit"
    assert post_form(client, edit, {**AWARD, "recipient_name": "Công an huyện Tiên Du"}).status_code == 302
    assert awards_of(app, ceremony.id)[0].recipient_name == "Công an huyện Tiên Du"

    delete = f"/ceremonies/{ceremony.id}/commendations/{awards[2].id}/delete"
    assert client.get(delete).status_code == 405
    assert post_form(client, delete, {}, token_from=listing).status_code == 302
    assert [a.id for a in awards_of(app, ceremony.id)] == [awards[0].id, awards[1].id]
    client.get("/language/en")
    assert "1 collective, 1 individual" in client.get(listing).get_data(as_text=True)


@pytest.mark.parametrize("change, fields", [
    ({"recipient_name": ""}, ["recipient_name"]),
    ({"authority": "   "}, ["authority"]),
    ({"recipient_name": "", "authority": ""}, ["recipient_name", "authority"]),
])
def test_commendation_needs_a_recipient_and_an_authority(app, client, factory, change, fields):
    ceremony = factory.ceremony()
    response = post_form(client, f"/ceremonies/{ceremony.id}/commendations/new", {**AWARD, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.findall(r'<div class="errors" id="([a-z_]+)-error">', page) == fields
    assert awards_of(app, ceremony.id) == []


def test_authority_input_offers_the_ceremonys_existing_authorities(client, factory):
    ceremony, other = factory.ceremony(), factory.ceremony(title="Lễ khác")
    for authority in ("Bộ trưởng Bộ Công an", "Chủ tịch nước", "Bộ trưởng Bộ Công an"):
        post_form(client, f"/ceremonies/{ceremony.id}/commendations/new", {**AWARD, "authority": authority})
    post_form(client, f"/ceremonies/{other.id}/commendations/new", {**AWARD, "authority": "Thủ tướng"})
    page = client.get(f"/ceremonies/{ceremony.id}/commendations/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*list="authorities"[^>]*name="authority"', page)
    datalist = re.search(r'<datalist id="authorities">(.*?)</datalist>', page, re.S).group(1)
    assert sorted(re.findall(r'<option value="([^"]*)">', datalist)) == [
        "Bộ trưởng Bộ Công an", "Chủ tịch nước"]


def test_commendations_of_another_ceremony_are_not_found(client, factory):
    ceremony, other = factory.ceremony(), factory.ceremony(title="Lễ khác")
    post_form(client, f"/ceremonies/{other.id}/commendations/new", AWARD)
    with client.application.app_context():
        award_id = db.session.scalar(select(Commendation.id))
    base = f"/ceremonies/{ceremony.id}/commendations/{award_id}"
    assert client.get(f"{base}/edit").status_code == 404
    assert post_form(client, f"{base}/delete", {},
                     token_from=f"/ceremonies/{ceremony.id}/commendations").status_code == 404
