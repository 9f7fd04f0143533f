"""Hostile input through the API: a 4xx in the one error shape, never a 500,
on SQLite and PostgreSQL alike."""
from types import SimpleNamespace

import pytest

from scheduler.extensions import db
from scheduler.planning.models import Attendee, Site

from .api_helpers import ApiClient, make_token

TIMES = {"starts_at": "2027-06-01T08:00:00+07:00", "ends_at": "2027-06-01T10:00:00+07:00"}


@pytest.fixture
def api(app, clock, client):
    return ApiClient(app, make_token(app, clock, SimpleNamespace(id=client.user_id)))


def _error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()["error"]
    assert body["status"] == status
    return body


def test_deeply_nested_json_is_a_400_not_a_500(api):
    for body in ("[" * 100_000, "[" * 5_000 + "]" * 5_000, '{"title": ' * 5_000):
        response = api.post("/api/v1/ceremonies", data=body, content_type="application/json")
        assert _error(response, 400)["code"] == "bad_request"


def test_text_longer_than_its_column_once_normalised_is_a_field_error(api, factory):
    # U+FB2C is one character typed, three once in NFC (how names are stored):
    # 300 of them fit the field's limit but not the column.
    grows = "\ufb2c" * 300
    fields = _error(api.post("/api/v1/ceremonies", json={"title": grows, **TIMES}), 422)["fields"]
    assert "title" in fields
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI")
    base = f"/api/v1/ceremonies/{ceremony.id}"
    fields = _error(api.patch(f"{base}/sites/{site.id}", json={"name": grows}), 422)["fields"]
    assert "name" in fields
    fields = _error(api.post(f"{base}/programme", json={
        "start_offset_minutes": 0, "duration_minutes": 5, "title": grows}), 422)["fields"]
    assert "title" in fields


def test_the_longest_names_and_rooms_the_fields_allow_are_saved(app, api, factory):
    """A name at its limit whose case-folded key is longer ('ß' folds to 'ss'), and a
    site whose address and room are both at their limits, are saved, not a 500."""
    ceremony = factory.ceremony()
    base = f"/api/v1/ceremonies/{ceremony.id}"
    response = api.post(f"{base}/sites", json={"name": "Điểm cầu", "code": "BNI",
                                                "address": "ß" * 500, "room": "R" * 200})
    assert response.status_code == 201, response.get_data(as_text=True)
    site_id = response.get_json()["id"]
    response = api.post(f"{base}/attendees", json={"site_id": site_id, "full_name": "ß" * 200})
    assert response.status_code == 201, response.get_data(as_text=True)
    with app.app_context():
        person = db.session.get(Attendee, response.get_json()["id"])
        assert person.full_name == "ß" * 200 and len(person.name_key) <= 200
        assert len(db.session.get(Site, site_id).room_key) <= 700


@pytest.mark.parametrize("page", ["%2B100000000000000000000", "1_000_000_000_000_000_000_000",
                                  "%20100000000000000000000", "99999999999999999999%20"])
def test_a_huge_page_number_in_any_spelling_is_an_empty_page_not_a_500(api, page):
    response = api.get(f"/api/v1/ceremonies?page={page}")
    assert response.status_code in (200, 422), response.get_data(as_text=True)
    if response.status_code == 200:
        assert response.get_json()["items"] == []
    else:
        assert "page" in response.get_json()["error"]["fields"]


def test_a_huge_page_number_in_a_page_is_an_empty_page_too(client, factory):
    ceremony = factory.ceremony()
    response = client.get(f"/ceremonies/{ceremony.id}/attendees/?page=%2B100000000000000000000")
    assert response.status_code == 200


def test_every_operation_taking_a_body_documents_its_errors_and_a_too_large_body_is_a_413(app, api):
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(operation["responses"]), (method, path)
    app.config["MAX_CONTENT_LENGTH"], limit = 1000, app.config["MAX_CONTENT_LENGTH"]
    try:
        response = api.post("/api/v1/ceremonies", json={"title": "x" * 2000, **TIMES})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert _error(response, 413)["code"] == "payload_too_large"
