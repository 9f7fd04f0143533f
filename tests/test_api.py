"""The JSON API: tokens, authentication, scoping, errors."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from scheduler.api.tokens import ApiToken
from scheduler.auth.models import User
from scheduler.extensions import db

from .api_helpers import ApiClient, make_token
from .conftest import post_form


@pytest.fixture
def organizer(app, make_user):
    return make_user(email="a@example.vn", name="Tổ chức A")


@pytest.fixture
def api(app, clock, organizer):
    return ApiClient(app, make_token(app, clock, organizer))


def _error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    body = response.get_json()["error"]
    assert body["status"] == status and body["code"] == code
    return body


# --- tokens in the browser --------------------------------------------------

def _session_payload(value: str) -> str:
    """What Flask's signed session cookie carries, decoded (anyone holding it can)."""
    import base64
    import zlib

    compressed = value.startswith(".")
    data = value.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_a_token_is_shown_once_and_only_its_hash_is_stored(app, client):
    response = post_form(client, "/api-tokens", {"name": "HR system", "scope": "read", "lifetime": "30"})
    assert response.status_code == 200  # shown in this answer, not carried to a next page
    page = response.get_data(as_text=True)
    text = page.split('id="new-secret" class="feed-url" readonly value="')[1].split('"')[0]
    assert text.startswith("cs_") and len(text) > 40
    # Never in the session cookie (signed, not encrypted), never cached by the browser.
    cookie = client.get_cookie("session")
    payload = _session_payload(cookie.value) if cookie else ""
    assert text not in payload and text[-24:] not in payload  # the secret's end: random, 24 chars
    assert "no-store" in response.headers["Cache-Control"]
    assert text not in client.get("/api-tokens").get_data(as_text=True)  # once
    with app.app_context():
        token = db.session.scalars(select(ApiToken)).one()
        assert token.token_hash != text and text not in token.token_hash and len(token.token_hash) == 64
        assert text.startswith(f"cs_{token.prefix}_") and token.scope == "read"
        assert token.expires_at is not None
    assert ApiClient(app, text).get("/api/v1/ceremonies").status_code == 200


def test_the_token_form_shows_field_errors_and_needs_csrf(app, client):
    response = post_form(client, "/api-tokens", {"name": "", "scope": "read", "lifetime": "30"})
    assert response.status_code == 400 and "has-error" in response.get_data(as_text=True)
    assert client.post("/api-tokens", data={"name": "x", "scope": "read", "lifetime": ""}).status_code == 400
    with app.app_context():
        assert db.session.scalars(select(ApiToken)).first() is None


def test_revoking_a_token_stops_it_at_once(app, clock, client):
    with app.app_context():
        user = db.session.scalars(select(User)).one()
    text = make_token(app, clock, user)
    caller = ApiClient(app, text)
    assert caller.get("/api/v1/ceremonies").status_code == 200
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    post_form(client, f"/api-tokens/{token_id}/revoke", {}, token_from="/api-tokens")
    _error(caller.get("/api/v1/ceremonies"), 401, "unauthorized")


def test_an_admin_sees_and_revokes_other_accounts_tokens(app, clock, admin_client, organizer):
    text = make_token(app, clock, organizer)
    page = admin_client.get("/api-tokens").get_data(as_text=True)
    assert organizer.email in page
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    post_form(admin_client, f"/api-tokens/{token_id}/revoke", {}, token_from="/api-tokens")
    assert ApiClient(app, text).get("/api/v1/ceremonies").status_code == 401


def test_an_organizer_cannot_revoke_someone_elses_token(app, clock, client, make_user):
    other = make_user(email="b@example.vn")
    make_token(app, clock, other)
    with app.app_context():
        token_id = db.session.scalars(select(ApiToken.id)).one()
    assert other.email not in client.get("/api-tokens").get_data(as_text=True)
    response = post_form(client, f"/api-tokens/{token_id}/revoke", {}, token_from="/api-tokens")
    assert response.status_code == 404


# --- authentication ------------------------------------------------------------

def test_no_token_or_a_bad_one_is_401_with_www_authenticate(app, api):
    plain = app.test_client()
    for headers in ({}, {"Authorization": "Bearer cs_nope_nope"}, {"Authorization": "Basic abc"}):
        response = plain.get("/api/v1/ceremonies", headers=headers)
        _error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_browser_session_alone_does_not_authenticate(client):
    response = client.get("/api/v1/ceremonies")
    _error(response, 401, "unauthorized")
    assert client.post("/api/v1/ceremonies", json={}).status_code == 401


def test_an_expired_token_is_refused(app, clock, organizer):
    caller = ApiClient(app, make_token(app, clock, organizer, expires_at=clock() + timedelta(days=1)))
    assert caller.get("/api/v1/ceremonies").status_code == 200
    clock.advance(days=1)
    _error(caller.get("/api/v1/ceremonies"), 401, "unauthorized")


def test_a_disabled_accounts_tokens_stop_at_once(app, api, organizer):
    assert api.get("/api/v1/ceremonies").status_code == 200
    with app.app_context():
        db.session.get(User, organizer.id).active = False
        db.session.commit()
    _error(api.get("/api/v1/ceremonies"), 401, "unauthorized")


def test_last_used_is_written_at_most_once_a_minute(app, clock, api):
    api.get("/api/v1/ceremonies")
    with app.app_context():
        first = db.session.scalars(select(ApiToken.last_used_at)).one()
    assert first == clock()
    clock.advance(seconds=30)
    api.get("/api/v1/ceremonies")
    with app.app_context():
        assert db.session.scalars(select(ApiToken.last_used_at)).one() == first
    clock.advance(seconds=31)
    api.get("/api/v1/ceremonies")
    with app.app_context():
        assert db.session.scalars(select(ApiToken.last_used_at)).one() == clock()


def test_a_read_token_cannot_write(app, clock, organizer, factory):
    reader = ApiClient(app, make_token(app, clock, organizer, scope="read"))
    ceremony = factory.ceremony(organizers=[organizer.id])
    assert reader.get(f"/api/v1/ceremonies/{ceremony.id}").status_code == 200
    _error(reader.patch(f"/api/v1/ceremonies/{ceremony.id}", json={"title": "x"}), 403, "forbidden")
    _error(reader.post(f"/api/v1/ceremonies/{ceremony.id}/cancel"), 403, "forbidden")


def test_rate_limit_is_per_token_with_a_json_429(app, clock, organizer, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "2 per minute")
    one = ApiClient(app, make_token(app, clock, organizer))
    two = ApiClient(app, make_token(app, clock, organizer))
    assert [one.get("/api/v1/ceremonies").status_code for _ in range(2)] == [200, 200]
    response = one.get("/api/v1/ceremonies")
    _error(response, 429, "rate_limited")
    assert int(response.headers["Retry-After"]) > 0
    assert two.get("/api/v1/ceremonies").status_code == 200


def test_made_up_tokens_share_their_address_budget_and_good_tokens_are_untouched(
        app, clock, organizer, monkeypatch):
    monkeypatch.setitem(app.config, "API_BAD_TOKEN_RATE_LIMIT", "3 per minute")
    guesses = [ApiClient(app, f"cs_{n:08x}_made-up-secret-{n}") for n in range(4)]
    assert [g.get("/api/v1/ceremonies").status_code for g in guesses[:3]] == [401, 401, 401]
    _error(guesses[3].get("/api/v1/ceremonies"), 429, "rate_limited")
    good = ApiClient(app, make_token(app, clock, organizer))  # same address, a live token
    assert good.get("/api/v1/ceremonies").status_code == 200


# --- scoping -----------------------------------------------------------------------

def test_a_token_sees_only_what_its_account_may_see(app, clock, factory, organizer, make_user, api):
    other = make_user(email="b@example.vn")
    admin = make_user(email="boss@example.vn", role="admin")
    mine = factory.ceremony(title="Của tôi", organizers=[organizer.id])
    theirs = factory.ceremony(title="Của người khác", organizers=[other.id])
    site = factory.site(theirs, code="HOST", is_host=True)
    person = factory.attendee(theirs, site)
    item = factory.item(theirs)
    listed = api.get("/api/v1/ceremonies").get_json()
    assert [c["id"] for c in listed["items"]] == [mine.id] and listed["total"] == 1
    base = f"/api/v1/ceremonies/{theirs.id}"
    for path in ("", "/sites", f"/sites/{site.id}", "/attendees", f"/attendees/{person.id}",
                 "/programme", f"/programme/{item.id}", "/commendations", "/readiness", "/rsvp",
                 "/invitations"):
        _error(api.get(base + path), 404, "not_found")
    _error(api.patch(base, json={"title": "mine now"}), 404, "not_found")
    _error(api.post(base + "/invitations"), 404, "not_found")
    _error(api.delete(f"{base}/attendees/{person.id}"), 404, "not_found")
    # A child id of the other ceremony under my ceremony is a 404 too.
    _error(api.get(f"/api/v1/ceremonies/{mine.id}/sites/{site.id}"), 404, "not_found")
    boss = ApiClient(app, make_token(app, clock, admin))
    assert boss.get("/api/v1/ceremonies").get_json()["total"] == 2
    assert boss.get(base + f"/attendees/{person.id}").status_code == 200


def test_ids_past_32_bits_are_404_not_500(api):
    _error(api.get(f"/api/v1/ceremonies/{2**31}"), 404, "not_found")
    _error(api.get(f"/api/v1/ceremonies/{2**63}/sites"), 404, "not_found")


def test_the_openapi_document_is_public_json(app):
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "Error" in doc["components"]["schemas"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert "401" in operation["responses"], (path, method)
            assert "429" in operation["responses"], (path, method)


def test_html_error_pages_stay_html_outside_the_api(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
