"""Organizers see and plan only the ceremonies they are listed on; admins see all."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from scheduler.extensions import db
from scheduler.planning.models import Ceremony, CeremonyOrganizer

from .conftest import START_OF_TESTS, post_form, signed_in

# Every organizer page of a ceremony (GET), with the ids the test fills in.
CEREMONY_PAGES = [
    "/ceremonies/{c}", "/ceremonies/{c}/edit", "/ceremonies/{c}/duplicate",
    "/ceremonies/{c}/sites/", "/ceremonies/{c}/sites/{s}", "/ceremonies/{c}/sites/{s}/edit",
    "/ceremonies/{c}/attendees/", "/ceremonies/{c}/attendees/{a}/edit",
    "/ceremonies/{c}/programme", "/ceremonies/{c}/commendations", "/ceremonies/{c}/board",
    "/ceremonies/{c}/reminders", "/ceremonies/{c}/invitations", "/ceremonies/{c}/outbox",
    "/ceremonies/{c}/transfer/", "/ceremonies/{c}/transfer/export/attendees.csv",
    "/ceremonies/{c}/sites/{s}/calendar.ics", "/ceremonies/{c}/transfer/sites/{s}/sheet",
]


@pytest.fixture
def theirs(app, factory, make_user):
    """A ceremony planned by another organizer only."""
    other = make_user(email="khac@example.vn", name="Tổ Chức Khác")
    ceremony = factory.ceremony(title="Lễ của đơn vị khác", organizers=[other.id])
    site = factory.site(ceremony, code="BCA", is_host=True, room="Phòng 1", address="Số 1")
    person = factory.attendee(ceremony, site)
    return ceremony, site, person, other


def test_an_organizer_neither_lists_nor_opens_a_ceremony_they_are_not_listed_on(client, theirs):
    ceremony, site, person, _ = theirs
    assert "Lễ của đơn vị khác" not in client.get("/").get_data(as_text=True)
    for page in CEREMONY_PAGES:
        path = page.format(c=ceremony.id, s=site.id, a=person.id)
        assert client.get(path).status_code == 404, path
    response = post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    assert response.status_code == 404


def test_the_listed_organizer_and_the_admins_open_every_page(app, admin_client, theirs):
    ceremony, site, person, other = theirs
    for browser in (signed_in(app, other), admin_client):
        assert "Lễ của đơn vị khác" in browser.get("/").get_data(as_text=True)
        for page in CEREMONY_PAGES:
            path = page.format(c=ceremony.id, s=site.id, a=person.id)
            assert browser.get(path).status_code == 200, path


def test_the_creator_is_listed_and_lists_a_colleague_who_then_sees_it(app, client, make_user, clock):
    colleague = make_user(email="dongnghiep@example.vn", name="Đồng Nghiệp")
    start = START_OF_TESTS + timedelta(days=20)
    post_form(client, "/ceremonies/new", {
        "title": "Lễ mới", "kind": "commemoration", "timezone": "Asia/Ho_Chi_Minh",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")}, token_from="/ceremonies/new")
    with app.app_context():
        ceremony_id = db.session.scalar(select(Ceremony.id).where(Ceremony.title == "Lễ mới"))
    browser = signed_in(app, colleague)
    assert browser.get(f"/ceremonies/{ceremony_id}").status_code == 404
    page = client.get(f"/ceremonies/{ceremony_id}").get_data(as_text=True)
    assert "Nguyễn Thị Tổ Chức" in page and "Đồng Nghiệp &lt;dongnghiep@example.vn&gt;" in page
    post_form(client, f"/ceremonies/{ceremony_id}/organizers/", {"organizer-user_id": colleague.id},
              token_from=f"/ceremonies/{ceremony_id}")
    assert browser.get(f"/ceremonies/{ceremony_id}").status_code == 200
    # Both can be removed, one at a time; the last one stays.
    post_form(client, f"/ceremonies/{ceremony_id}/organizers/{client.user_id}/remove", {},
              token_from=f"/ceremonies/{ceremony_id}")
    assert client.get(f"/ceremonies/{ceremony_id}").status_code == 404
    post_form(browser, f"/ceremonies/{ceremony_id}/organizers/{colleague.id}/remove", {},
              token_from=f"/ceremonies/{ceremony_id}")
    with app.app_context():
        assert db.session.scalars(select(CeremonyOrganizer.user_id)
                                  .where(CeremonyOrganizer.ceremony_id == ceremony_id)).all() == [colleague.id]


def test_listing_an_organizer_needs_the_csrf_token(app, client, factory, make_user):
    colleague = make_user(email="dongnghiep@example.vn", name="Đồng Nghiệp")
    ceremony = factory.ceremony(organizers=[client.user_id])
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/ceremonies/{ceremony.id}/organizers/", data={"organizer-user_id": colleague.id})
    assert response.status_code == 400
    assert signed_in(app, colleague).get(f"/ceremonies/{ceremony.id}").status_code == 404


def test_an_organizer_cannot_list_themselves_on_someone_elses_ceremony(client, theirs):
    ceremony = theirs[0]
    response = post_form(client, f"/ceremonies/{ceremony.id}/organizers/",
                         {"organizer-user_id": client.user_id}, token_from="/")
    assert response.status_code == 404
    assert client.get(f"/ceremonies/{ceremony.id}").status_code == 404


def test_a_duplicate_is_planned_by_the_same_organizers(app, client, factory, make_user):
    colleague = make_user(email="dongnghiep@example.vn", name="Đồng Nghiệp")
    ceremony = factory.ceremony(organizers=[client.user_id, colleague.id])
    factory.site(ceremony, code="BCA", is_host=True)
    start = START_OF_TESTS + timedelta(days=400)
    response = post_form(client, f"/ceremonies/{ceremony.id}/duplicate", {
        "title": "Lễ năm sau", "starts_at": start.strftime("%Y-%m-%dT%H:%M")},
        token_from=f"/ceremonies/{ceremony.id}/duplicate")
    assert response.status_code == 302
    with app.app_context():
        copy_id = db.session.scalar(select(Ceremony.id).where(Ceremony.title == "Lễ năm sau"))
        listed = set(db.session.scalars(select(CeremonyOrganizer.user_id)
                                        .where(CeremonyOrganizer.ceremony_id == copy_id)))
    assert listed == {client.user_id, colleague.id}


def test_a_room_clash_with_a_ceremony_out_of_sight_names_no_title(client, factory, theirs):
    mine = factory.ceremony(title="Lễ của tôi", organizers=[client.user_id])
    factory.site(mine, code="BCA", is_host=True, room="Phòng 1", address="Số 1")
    page = client.get(f"/ceremonies/{mine.id}").get_data(as_text=True)
    assert "Lễ của đơn vị khác" not in page
    assert f"/ceremonies/{theirs[0].id}\"" not in page
    assert "Phòng 1" in page  # the clash itself is still shown


def test_my_calendar_feed_lists_only_the_ceremonies_i_plan(app, client, factory, theirs):
    from .test_feeds import feed_path

    mine = factory.ceremony(title="Lễ của tôi", organizers=[client.user_id])
    factory.site(mine, code="BCA", is_host=True)
    post_form(client, f"/ceremonies/{mine.id}/schedule", {}, token_from="/")
    post_form(signed_in(app, theirs[3]), f"/ceremonies/{theirs[0].id}/schedule", {}, token_from="/")
    created = post_form(client, "/feeds", {"kind": "site", "site_code": "BCA"}, token_from="/feeds")
    site_feed = app.test_client().get(feed_path(created)).get_data(as_text=True)
    created = post_form(client, "/feeds", {"kind": "organizer"}, token_from="/feeds")
    my_feed = app.test_client().get(feed_path(created)).get_data(as_text=True)
    for body in (site_feed, my_feed):
        assert "Lễ của tôi" in body and "đơn vị khác" not in body
