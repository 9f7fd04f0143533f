"""The API's resources go through the planning operations: same rules, same signals."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from scheduler.board import queries as board
from scheduler.extensions import db
from scheduler.mail.models import Delivery, FanoutJob
from scheduler.planning.models import Attendee, AttendeeMove, Ceremony, CeremonyOrganizer

from .api_helpers import ApiClient, make_token
from .conftest import post_form

CEREMONY = {"title": "Lễ kỷ niệm 80 năm", "starts_at": "2027-06-01T08:00:00+07:00",
            "ends_at": "2027-06-01T10:00:00+07:00"}


@pytest.fixture
def api(app, clock, client):
    """The signed-in organizer of `client` (and of `planned`), calling with a token."""
    return ApiClient(app, make_token(app, clock, SimpleNamespace(id=client.user_id)))


def _fields(response, status=422):
    assert response.status_code == status, response.get_data(as_text=True)
    return response.get_json()["error"].get("fields", {})


def test_creating_a_ceremony_lists_the_tokens_account_as_organizer(app, api, client):
    response = api.post("/api/v1/ceremonies", json=CEREMONY)
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and body["starts_at"] == "2027-06-01T01:00:00+00:00"
    with app.app_context():
        assert db.session.get(CeremonyOrganizer, (body["id"], client.user_id)) is not None
    assert api.get(f"/api/v1/ceremonies/{body['id']}").get_json()["title"] == CEREMONY["title"]


def test_validation_errors_name_their_fields(api):
    naive = {**CEREMONY, "starts_at": "2027-06-01T08:00:00"}
    assert "starts_at" in _fields(api.post("/api/v1/ceremonies", json=naive))
    backwards = {**CEREMONY, "ends_at": "2027-06-01T07:00:00+07:00"}
    assert list(_fields(api.post("/api/v1/ceremonies", json=backwards))) == ["ends_at"]
    errors = _fields(api.post("/api/v1/ceremonies", json={"title": " ", "kind": "party",
                                                           "timezone": "Mars/Olympus", "extra": 1}))
    assert {"title", "kind", "timezone", "starts_at", "ends_at", "extra"} <= set(errors)


def test_field_messages_follow_accept_language(api):
    backwards = {**CEREMONY, "ends_at": "2027-06-01T07:00:00+07:00"}
    english = _fields(api.post("/api/v1/ceremonies", json=backwards))["ends_at"][0]
    vietnamese = _fields(api.post("/api/v1/ceremonies", json=backwards,
                                  headers={"Accept-Language": "vi-VN,vi;q=0.9"}))["ends_at"][0]
    assert english == "The end must come after the start." and vietnamese != english


def test_control_characters_are_stripped_like_the_forms_do(app, api):
    body = api.post("/api/v1/ceremonies", json={**CEREMONY, "title": "Lễ\x00 kỷ niệm\x07",
                                                 "description": "a\x00b"}).get_json()
    assert body["title"] == "Lễ kỷ niệm" and body["description"] == "ab"
    listed = api.get("/api/v1/ceremonies?q=k%E1%BB%B7%00").get_json()  # NUL in a filter too
    assert listed["total"] == 1


def test_bad_bodies_are_400_or_415_never_500(api):
    response = api.post("/api/v1/ceremonies", data="{not json", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "bad_request"
    response = api.post("/api/v1/ceremonies", data="title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"
    assert _fields(api.post("/api/v1/ceremonies", json=[1, 2]))
    response = api.delete("/api/v1/ceremonies")
    assert response.status_code == 405 and response.is_json and "GET" in response.headers["Allow"]
    assert api.get("/api/v1/nothing-here").get_json()["error"]["code"] == "not_found"


def test_changing_the_start_raises_sequence_and_a_cancelled_ceremony_is_a_409(app, api, planned):
    ceremony, *_ = planned
    path = f"/api/v1/ceremonies/{ceremony.id}"
    before = api.get(path).get_json()["sequence"]
    body = api.patch(path, json={"starts_at": "2027-05-20T07:30:00+07:00",
                                 "ends_at": "2027-05-20T09:30:00+07:00"}).get_json()
    assert body["sequence"] == before + 1
    assert api.patch(path, json={"chair": "Bộ trưởng"}).get_json()["sequence"] == before + 1
    assert api.post(path + "/cancel").get_json()["status"] == "cancelled"
    response = api.patch(path, json={"title": "Khác"})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "conflict"
    assert api.post(path + "/cancel").status_code == 409


def test_scheduling_needs_a_host_site(api):
    ceremony = api.post("/api/v1/ceremonies", json=CEREMONY).get_json()
    path = f"/api/v1/ceremonies/{ceremony['id']}"
    assert api.post(path + "/schedule").status_code == 409
    site = api.post(path + "/sites", json={"name": "Bộ Công an", "code": "bca", "is_host": True})
    assert site.status_code == 201 and site.get_json()["code"] == "BCA"
    assert api.post(path + "/schedule").get_json()["status"] == "scheduled"


def test_sites_crud_filters_and_rules(app, api, planned):
    ceremony, host, bni, _ = planned
    base = f"/api/v1/ceremonies/{ceremony.id}/sites"
    assert "code" in _fields(api.post(base, json={"name": "x", "code": "BNI"}))  # taken
    assert {"code", "video_endpoint", "coordinator_email", "capacity"} <= set(_fields(api.post(
        base, json={"name": "x", "code": "a b", "video_endpoint": "ftp://x",
                    "coordinator_email": "không@x.vn", "capacity": -1})))
    new = api.post(base, json={"name": "Điểm cầu Lạng Sơn", "code": "LSN", "province": "Lạng Sơn"})
    assert new.status_code == 201
    site_id = new.get_json()["id"]
    assert [s["code"] for s in api.get(base + "?province=L%E1%BA%A1ng%20S%C6%A1n").get_json()["items"]] == ["LSN"]
    assert [s["code"] for s in api.get(base + "?is_host=true").get_json()["items"]] == ["BCA"]
    assert api.patch(f"{base}/{site_id}", json={"room": "Phòng 2"}).get_json()["room"] == "Phòng 2"
    assert api.delete(f"{base}/{bni.id}").status_code == 409  # has people
    assert api.delete(f"{base}/{host.id}").status_code == 409  # the host
    assert api.delete(f"{base}/{site_id}").status_code == 204
    assert api.get(f"{base}/{site_id}").status_code == 404


def test_attendees_crud_and_a_move_goes_through_the_move_operation(app, api, planned):
    ceremony, host, bni, people = planned
    base = f"/api/v1/ceremonies/{ceremony.id}/attendees"
    new = api.post(base, json={"site_id": bni.id, "full_name": "  Lê  Văn Nam ", "email": "NAM@example.vn"})
    assert new.status_code == 201
    person = new.get_json()
    assert person["full_name"] == "Lê Văn Nam" and person["email"] == "nam@example.vn"
    assert person["partstat"] == "NEEDS-ACTION" and person["invited"] is False
    assert "site_id" in _fields(api.post(base, json={"site_id": 999999, "full_name": "X"}))
    moved = api.patch(f"{base}/{people['thang'].id}", json={"site_id": host.id})
    assert moved.get_json()["site_id"] == host.id
    with app.app_context():
        move = db.session.scalars(select(AttendeeMove)).one()
        assert (move.from_site_id, move.to_site_id) == (bni.id, host.id)
        assert db.session.get(Attendee, people["thang"].id).sequence_offset == 1
    assert api.delete(f"{base}/{person['id']}").status_code == 204
    assert api.get(f"{base}/{person['id']}").status_code == 404


def test_attendee_lists_filter_and_paginate_with_link_headers(app, api, planned):
    ceremony, host, bni, people = planned
    base = f"/api/v1/ceremonies/{ceremony.id}/attendees"
    first = api.get(base + "?per_page=3")
    body = first.get_json()
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (4, 1, 3, 3)
    assert 'rel="next"' in first.headers["Link"] and "page=2" in first.headers["Link"]
    second = api.get(base + "?per_page=3&page=2")
    assert len(second.get_json()["items"]) == 1 and 'rel="prev"' in second.headers["Link"]
    assert api.get(base + "?page=99999999999999").get_json()["items"] == []
    assert "per_page" in _fields(api.get(base + "?per_page=500"))
    assert "page" in _fields(api.get(base + "?page=0"))
    assert [p["full_name"] for p in api.get(f"{base}?site_id={host.id}&category=guest").get_json()["items"]] \
        == ["Anna Schmidt"]
    assert api.get(base + "?q=lan").get_json()["total"] == 1
    assert api.get(base + "?partstat=ACCEPTED").get_json()["total"] == 0


def test_programme_and_commendations_crud(api, planned):
    ceremony, host, bni, _ = planned
    base = f"/api/v1/ceremonies/{ceremony.id}"
    item = api.post(base + "/programme", json={"start_offset_minutes": 0, "duration_minutes": 15,
                                               "title": "Chào cờ", "origin_site_id": bni.id})
    assert item.status_code == 201
    item_id = item.get_json()["id"]
    assert {"start_offset_minutes", "duration_minutes"} <= set(_fields(api.post(
        base + "/programme", json={"start_offset_minutes": -1, "duration_minutes": 0, "title": "x"})))
    assert api.patch(f"{base}/programme/{item_id}", json={"duration_minutes": 20}).get_json()["duration_minutes"] == 20
    assert api.get(base + "/programme").get_json()["total"] == 1
    award = api.post(base + "/commendations", json={"recipient_name": "Phòng PV01", "authority": "Bộ trưởng",
                                                   "recipient_kind": "collective"})
    assert award.status_code == 201
    award_id = award.get_json()["id"]
    assert "site_id" in _fields(api.patch(f"{base}/commendations/{award_id}", json={"site_id": 2**31 - 1}))
    assert api.delete(f"{base}/commendations/{award_id}").status_code == 204
    assert api.delete(f"{base}/programme/{item_id}").status_code == 204
    assert api.get(base + "/programme").get_json()["total"] == 0


def test_readiness_numbers_are_the_boards(app, api, planned):
    ceremony, host, bni, people = planned
    body = api.get(f"/api/v1/ceremonies/{ceremony.id}/readiness").get_json()
    with app.app_context():
        totals = board.totals(ceremony.id)
        provinces = board.by_province(ceremony.id)
    assert body["sites"] == totals.sites and body["people"] == totals.people
    assert [p["province"] for p in body["provinces"]] == [p for p, _ in provinces]
    rsvp = api.get(f"/api/v1/ceremonies/{ceremony.id}/rsvp").get_json()
    assert rsvp["attendees"] == 4 and rsvp["partstat"]["NEEDS-ACTION"] == 4
    assert rsvp["attendance"]["none"] == 4


def test_sending_invitations_queues_the_same_job_as_the_page(app, clock, api, client, planned, smtp):
    from scheduler.background.jobs import run_due

    ceremony, *_ = planned
    response = api.post(f"/api/v1/ceremonies/{ceremony.id}/invitations")
    assert response.status_code == 202
    job = response.get_json()
    assert job["status"] == "queued" and response.headers["Location"].endswith(f"/jobs/{job['id']}")
    post_form(client, f"/ceremonies/{ceremony.id}/invitations/send", {},
              token_from=f"/ceremonies/{ceremony.id}/invitations")
    with app.app_context():
        jobs = db.session.scalars(select(FanoutJob).order_by(FanoutJob.id)).all()
        assert [(j.action, j.scope, j.scope_id, j.created_by_id, j.status) for j in jobs] == \
            [("invite", "ceremony", None, client.user_id, "queued")] * 2
    run_due(app)
    assert sorted(r for m in smtp.messages for r in m.recipients) == [
        "anna@example.org", "lan@example.vn", "thang@example.vn"]  # once each: the second job finds them invited
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Delivery)) == 3
    assert api.get(response.headers["Location"]).get_json()["status"] == "done"


def test_invitations_need_a_scheduled_ceremony(api, factory, client):
    ceremony = factory.ceremony()
    response = api.post(f"/api/v1/ceremonies/{ceremony.id}/invitations")
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == "Schedule the ceremony before sending invitations."


def test_created_ceremony_rows(app, api):
    api.post("/api/v1/ceremonies", json=CEREMONY)
    with app.app_context():
        assert db.session.scalars(select(Ceremony.title)).all() == [CEREMONY["title"]]
