"""CSRF on every form, escaping everywhere, safe headers."""
import pytest
from sqlalchemy import func, select

from scheduler.extensions import db
from scheduler.planning.models import Attendee, Ceremony, Commendation, ProgrammeItem, Site

from .test_ceremonies import FORM as CEREMONY_FORM

SCRIPT = '<script>alert("x")</script>'


def counts(app):
    with app.app_context():
        return tuple(db.session.scalar(select(func.count()).select_from(m))
                     for m in (Ceremony, Site, Attendee, ProgrammeItem, Commendation))


@pytest.fixture
def planned(factory):
    ceremony = factory.ceremony(title=f"Lễ {SCRIPT}")
    site = factory.site(ceremony, code="BNI", is_host=True, name=f"Điểm cầu {SCRIPT}",
                        room=SCRIPT, coordinator_name=SCRIPT)
    person = factory.attendee(ceremony, site, full_name=f"Nguyễn {SCRIPT}", unit=SCRIPT)
    factory.item(ceremony, title=f"Mục {SCRIPT}", origin_site_id=site.id)
    return ceremony, site, person


def form_posts(ceremony, site, person):
    c, s, p = ceremony.id, site.id, person.id
    return [
        ("/ceremonies/new", CEREMONY_FORM),
        (f"/ceremonies/{c}/edit", CEREMONY_FORM),
        (f"/ceremonies/{c}/cancel", {}),
        (f"/ceremonies/{c}/schedule", {}),
        (f"/ceremonies/{c}/duplicate", {"title": "x", "starts_at": "2027-07-01T08:00"}),
        (f"/ceremonies/{c}/sites/new", {"name": "x", "code": "X", "status": "pending"}),
        (f"/ceremonies/{c}/sites/{s}/edit", {"name": "x", "code": "X", "status": "pending"}),
        (f"/ceremonies/{c}/attendees/new", {"full_name": "x", "category": "guest", "site_id": s}),
        (f"/ceremonies/{c}/attendees/{p}/edit", {"full_name": "x", "category": "guest", "site_id": s}),
        (f"/ceremonies/{c}/attendees/{p}/delete", {}),
        (f"/ceremonies/{c}/programme/new", {"title": "x", "start_offset_minutes": 0,
                                            "duration_minutes": 5}),
        (f"/ceremonies/{c}/commendations/new", {"recipient_kind": "collective",
                                                "recipient_name": "x", "authority": "y"}),
        ("/admin/accounts/new", {"name": "x", "email": "x@example.vn", "role": "admin",
                                 "password": "long enough pw", "confirm": "long enough pw"}),
        ("/logout", {}),
    ]


def test_every_form_refuses_a_post_without_its_csrf_token(app, admin_client, planned):
    before = counts(app)
    for path, data in form_posts(*planned):
        response = admin_client.post(path, data=data)
        assert response.status_code == 400, path
        assert "chưa có dữ liệu nào được lưu" in response.get_data(as_text=True), path
    assert counts(app) == before
    with app.app_context():
        assert db.session.scalar(select(Ceremony.status)) == "draft"


def test_a_token_from_another_session_is_refused(app, client, make_user, planned):
    ceremony, _site, _person = planned
    from .conftest import csrf_token, login

    other = app.test_client()
    make_user(email="other@example.vn")
    login(other, "other@example.vn")
    foreign_token = csrf_token(other, "/")
    response = client.post(f"/ceremonies/{ceremony.id}/cancel", data={"csrf_token": foreign_token})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Ceremony.status)) == "draft"


def test_names_with_html_are_escaped_on_every_page(client, planned):
    ceremony, site, person = planned
    c = ceremony.id
    pages = ["/", f"/ceremonies/{c}", f"/ceremonies/{c}/sites/", f"/ceremonies/{c}/sites/{site.id}",
             f"/ceremonies/{c}/attendees/", f"/ceremonies/{c}/attendees/{person.id}/edit",
             f"/ceremonies/{c}/programme", f"/ceremonies/{c}/programme/new",
             f"/ceremonies/{c}/sites/{site.id}/edit", f"/ceremonies/{c}/commendations/new"]
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert SCRIPT not in page, path
        assert "&lt;script&gt;" in page, path


def test_pages_carry_protective_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_session_cookie_is_http_only_and_same_site(app, make_user):
    from .conftest import post_form

    make_user(email="c@example.vn")
    browser = app.test_client()
    response = post_form(browser, "/login", {"email": "c@example.vn",
                                             "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path,status", [
    ("/ceremonies/99999999999", 404), ("/ceremonies/{c}/sites/99999999999", 404),
    ("/ceremonies/{c}/board?page=99999999999999999999", 200),
    ("/ceremonies/{c}/attendees/?page=99999999999999999999", 200),
    ("/ceremonies/{c}/reminders?page=9999999999999", 200),
])
def test_absurd_numbers_in_urls_are_never_a_database_error(client, planned, path, status):
    ceremony, _site, _person = planned
    assert client.get(path.format(c=ceremony.id)).status_code == status
