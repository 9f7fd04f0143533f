import unicodedata
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from scheduler.extensions import db
from scheduler.planning.models import Attendee, Ceremony, Commendation, ProgrammeItem, Site

from .conftest import START_OF_TESTS, post_form

FORM = {
    "title": "Lễ kỷ niệm 55 năm", "kind": "commemoration", "description": "Trực tuyến",
    "timezone": "Asia/Ho_Chi_Minh", "starts_at": "2027-06-15T14:00", "ends_at": "2027-06-15T16:30",
    "rehearsal_at": "2027-06-14T09:00", "chair": "Đại tướng Tô Lâm",
    "organizing_unit": "Phòng Công tác đảng và Công tác chính trị", "join_details": "Phòng họp 123",
}


def all_ceremonies(app):
    with app.app_context():
        return db.session.scalars(select(Ceremony)).all()


def test_create_stores_utc_from_the_ceremony_time_zone(app, client):
    response = post_form(client, "/ceremonies/new", FORM)
    assert response.status_code == 302
    [ceremony] = all_ceremonies(app)
    # 14:00 in Hà Nội (UTC+7) is 07:00 UTC; the rehearsal keeps its own day.
    assert ceremony.starts_at == datetime(2027, 6, 15, 7, 0, tzinfo=UTC)
    assert ceremony.ends_at == datetime(2027, 6, 15, 9, 30, tzinfo=UTC)
    assert ceremony.rehearsal_at == datetime(2027, 6, 14, 2, 0, tzinfo=UTC)
    assert ceremony.status == "draft" and ceremony.sequence == 0 and ceremony.uid


def test_create_in_another_time_zone(app, client):
    post_form(client, "/ceremonies/new", {**FORM, "timezone": "Europe/Paris",
                                          "rehearsal_at": ""})
    [ceremony] = all_ceremonies(app)
    assert ceremony.starts_at == datetime(2027, 6, 15, 12, 0, tzinfo=UTC)  # CEST, UTC+2
    assert ceremony.rehearsal_at is None


def test_invalid_ceremony_shows_field_errors_and_saves_nothing(app, client):
    response = post_form(client, "/ceremonies/new", {
        **FORM, "title": "", "ends_at": "2027-06-15T13:00", "starts_at": "2027-06-15T14:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="title-error"' in page
    assert all_ceremonies(app) == []
    later = post_form(client, "/ceremonies/new", {**FORM, "ends_at": "2027-06-15T13:00"})
    assert 'id="ends_at-error"' in later.get_data(as_text=True)
    rehearsal = post_form(client, "/ceremonies/new", {**FORM, "rehearsal_at": "2027-06-15T15:00"})
    assert 'id="rehearsal_at-error"' in rehearsal.get_data(as_text=True)
    garbage = post_form(client, "/ceremonies/new", {**FORM, "starts_at": "tomorrow",
                                                    "timezone": "Mars/Olympus"})
    assert 'id="starts_at-error"' in garbage.get_data(as_text=True)
    assert 'id="timezone-error"' in garbage.get_data(as_text=True)
    assert all_ceremonies(app) == []


def test_a_time_the_clocks_skip_is_refused(app, client):
    response = post_form(client, "/ceremonies/new", {
        **FORM, "timezone": "America/New_York", "starts_at": "2027-03-14T02:30",
        "ends_at": "2027-03-14T04:00", "rehearsal_at": ""})
    assert 'id="starts_at-error"' in response.get_data(as_text=True)
    assert all_ceremonies(app) == []


def test_edit_raises_sequence_only_for_changes_attendees_must_hear_about(app, client, factory):
    ceremony = factory.ceremony()
    path = f"/ceremonies/{ceremony.id}/edit"
    form = {**FORM, "title": ceremony.title}
    post_form(client, path, {**form, "starts_at": "2027-05-20T10:00", "ends_at": "2027-05-20T12:00",
                             "rehearsal_at": ""})
    first = all_ceremonies(app)[0]
    assert first.sequence == 1
    # Only the chair and description change: nothing for the calendar.
    post_form(client, path, {**form, "starts_at": "2027-05-20T10:00", "ends_at": "2027-05-20T12:00",
                             "rehearsal_at": "", "chair": "Người khác", "description": "Khác"})
    assert all_ceremonies(app)[0].sequence == 1
    post_form(client, path, {**form, "starts_at": "2027-05-20T10:00", "ends_at": "2027-05-20T12:00",
                             "rehearsal_at": "", "chair": "Người khác", "description": "Khác",
                             "join_details": "Phòng mới"})
    assert all_ceremonies(app)[0].sequence == 2


def test_edit_form_shows_local_wall_clock_times(client, factory):
    ceremony = factory.ceremony(starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC))
    page = client.get(f"/ceremonies/{ceremony.id}/edit").get_data(as_text=True)
    assert 'value="2027-06-15T14:00"' in page


def test_schedule_needs_a_host_site(app, client, factory):
    ceremony = factory.ceremony()
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    assert all_ceremonies(app)[0].status == "draft"
    factory.site(ceremony, code="BCA", is_host=True)
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    assert all_ceremonies(app)[0].status == "scheduled"


def test_cancel_marks_cancelled_raises_sequence_and_blocks_editing(app, client, factory):
    ceremony = factory.ceremony()
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    cancelled = all_ceremonies(app)[0]
    assert cancelled.status == "cancelled" and cancelled.sequence == 1
    response = post_form(client, f"/ceremonies/{ceremony.id}/edit", FORM)
    assert response.status_code == 200
    assert all_ceremonies(app)[0].title == "Lễ kỷ niệm"


def test_mark_completed_only_after_the_start(app, client, factory, clock):
    ceremony = factory.ceremony(starts_at=START_OF_TESTS + timedelta(hours=1))
    factory.site(ceremony, code="BCA", is_host=True)
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    post_form(client, f"/ceremonies/{ceremony.id}/complete", {}, token_from="/")
    assert all_ceremonies(app)[0].status == "scheduled"
    clock.advance(hours=4)
    post_form(client, f"/ceremonies/{ceremony.id}/complete", {}, token_from="/")
    assert all_ceremonies(app)[0].status == "completed"


def test_duplicate_copies_sites_and_programme_shifted_to_the_new_start(app, client, factory):
    source = factory.ceremony(starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC),
                              rehearsal_at=datetime(2027, 6, 14, 2, 0, tzinfo=UTC))
    host = factory.site(source, code="BCA", is_host=True)
    bni = factory.site(source, code="BNI")
    factory.attendee(source, bni, full_name="Bùi Chiến Thắng")
    factory.item(source, title="Phát động thi đua", start=30, duration=15, origin_site_id=bni.id)
    response = post_form(client, f"/ceremonies/{source.id}/duplicate", {
        "title": "Lễ năm sau", "starts_at": "2028-06-15T14:00"})
    assert response.status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(Ceremony).where(Ceremony.title == "Lễ năm sau"))
        assert copy.status == "draft" and copy.uid != source.uid
        assert copy.starts_at == datetime(2028, 6, 15, 7, 0, tzinfo=UTC)
        assert copy.ends_at - copy.starts_at == timedelta(hours=2)
        assert copy.starts_at - copy.rehearsal_at == timedelta(hours=29)
        sites = {s.code: s for s in db.session.scalars(select(Site).where(Site.ceremony_id == copy.id))}
        assert set(sites) == {"BCA", "BNI"} and sites["BCA"].is_host
        item = db.session.scalar(select(ProgrammeItem).where(ProgrammeItem.ceremony_id == copy.id))
        assert item.origin_site_id == sites["BNI"].id != bni.id
        # attendees were not asked for
        assert db.session.scalar(select(func.count()).select_from(Attendee)
                                 .where(Attendee.ceremony_id == copy.id)) == 0
        assert host.id != sites["BCA"].id


def test_duplicate_with_attendees_and_commendations(app, client, factory):
    source = factory.ceremony()
    bni = factory.site(source, code="BNI", is_host=True)
    factory.attendee(source, bni)
    with app.app_context():
        db.session.add(Commendation(ceremony_id=source.id, recipient_kind="collective",
                                    recipient_name="Công an xã Tiên Du", authority="Bộ trưởng Bộ Công an",
                                    site_id=bni.id))
        db.session.commit()
    post_form(client, f"/ceremonies/{source.id}/duplicate", {
        "title": "Bản sao", "starts_at": "2027-07-01T08:00", "include_attendees": "y",
        "include_commendations": "y"})
    with app.app_context():
        copy = db.session.scalar(select(Ceremony).where(Ceremony.title == "Bản sao"))
        person = db.session.scalar(select(Attendee).where(Attendee.ceremony_id == copy.id))
        award = db.session.scalar(select(Commendation).where(Commendation.ceremony_id == copy.id))
        new_site = db.session.scalar(select(Site).where(Site.ceremony_id == copy.id))
        assert person.site_id == new_site.id and award.site_id == new_site.id


def test_list_separates_upcoming_and_past_and_filters(client, factory, clock):
    factory.ceremony(title="Hội nghị tổng kết", starts_at=clock() + timedelta(days=3))
    factory.ceremony(title="Lễ trao thưởng", starts_at=clock() + timedelta(days=5))
    factory.ceremony(title="Lễ đã qua", starts_at=clock() - timedelta(days=5))
    upcoming = client.get("/").get_data(as_text=True)
    assert "Hội nghị tổng kết" in upcoming and "Lễ trao thưởng" in upcoming
    assert "Lễ đã qua" not in upcoming
    past = client.get("/?when=past").get_data(as_text=True)
    assert "Lễ đã qua" in past and "Hội nghị tổng kết" not in past
    searched = client.get("/?q=TỔNG KẾT").get_data(as_text=True)
    assert "Hội nghị tổng kết" in searched and "Lễ trao thưởng" not in searched
    assert "Hội nghị tổng kết" not in client.get("/?status=scheduled").get_data(as_text=True)
    assert "Hội nghị tổng kết" in client.get("/?status=draft").get_data(as_text=True)


def test_list_is_paginated(client, factory, clock):
    for n in range(23):
        factory.ceremony(title=f"Lễ số {n:02d}", starts_at=clock() + timedelta(days=1 + n))
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert "Lễ số 00" in first and "Lễ số 22" not in first
    assert "Lễ số 22" in second


def test_unknown_ceremony_is_a_404(client):
    assert client.get("/ceremonies/999").status_code == 404


def test_text_that_grows_in_nfc_is_measured_as_stored(app, client):
    """U+FB2C is one character typed and three in NFC: a title of 300 of them would
    overflow the 300-character column (a 500 on PostgreSQL); it is a field error."""
    response = post_form(client, "/ceremonies/new", {**FORM, "title": "\ufb2c" * 300})
    assert response.status_code == 200 and 'id="title-error"' in response.get_data(as_text=True)
    assert all_ceremonies(app) == []
    # Decomposed Vietnamese (as macOS types it) is stored precomposed.
    post_form(client, "/ceremonies/new", {**FORM, "title": unicodedata.normalize("NFD", "Lễ kỷ niệm")})
    assert [c.title for c in all_ceremonies(app)] == ["Lễ kỷ niệm"]


def test_nothing_is_added_to_or_changed_in_a_cancelled_ceremony(app, client, factory):
    ceremony = factory.ceremony()
    host = factory.site(ceremony, code="BCA", is_host=True)
    bni = factory.site(ceremony, code="BNI")
    person = factory.attendee(ceremony, bni, email="a@example.vn")
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    base = f"/ceremonies/{ceremony.id}"
    from .test_attendees import PERSON
    from .test_programme import AWARD, ITEM
    from .test_sites import SITE_FORM

    for path, data in [
        (f"{base}/sites/new", SITE_FORM),
        (f"{base}/attendees/new", {**PERSON, "site_id": host.id, "language": "vi"}),
        (f"{base}/attendees/{person.id}/edit", {**PERSON, "email": "a@example.vn", "site_id": host.id,
                                                "language": "vi"}),
        (f"{base}/programme/new", ITEM),
        (f"{base}/commendations/new", AWARD),
    ]:
        response = post_form(client, path, data, token_from=path)
        assert response.status_code == 200, path
        assert "cancelled ceremony cannot be edited" in response.get_data(as_text=True) or \
            "Không thể sửa lễ đã hủy" in response.get_data(as_text=True), path
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Site)) == 2
        assert db.session.scalar(select(func.count()).select_from(ProgrammeItem)) == 0
        assert db.session.scalar(select(func.count()).select_from(Commendation)) == 0
        moved = db.session.get(Attendee, person.id)
        assert (moved.site_id, moved.sequence_offset) == (bni.id, 0)
