"""The video-conference provider: Jitsi rooms, a REST provider on a real local
HTTP server (pytest-httpserver), and the background pass that calls it."""
import json
import time
from datetime import timedelta

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Response

from scheduler.clock import current_time
from scheduler.extensions import db
from scheduler.integrations.conference import sync
from scheduler.integrations.conference.details import details_for
from scheduler.integrations.conference.models import ConferenceMeeting
from scheduler.planning.models import Ceremony
from scheduler.planning.operations import ceremonies as ops

from .conftest import post_form, snapshot
from .portal_helpers import site_path
from .smtp_sink import free_port
from .test_ceremonies import FORM as CEREMONY_FORM

TOKEN = "test-provider-token"


@pytest.fixture(scope="module")
def provider_server():
    # Threaded: a handler still sleeping past our read timeout must not hold up the retry.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def rest(app, monkeypatch, provider_server):
    provider_server.clear()
    for key, value in {"CONFERENCE_PROVIDER": "rest", "CONFERENCE_REST_URL": provider_server.url_for("/api"),
                       "CONFERENCE_REST_TOKEN": TOKEN, "CONFERENCE_TIMEOUT": (2, 2),
                       "CONFERENCE_HTTP_BACKOFF": 0}.items():
        monkeypatch.setitem(app.config, key, value)
    yield provider_server
    provider_server.clear()


@pytest.fixture
def jitsi(app, monkeypatch):
    monkeypatch.setitem(app.config, "CONFERENCE_PROVIDER", "jitsi")
    monkeypatch.setitem(app.config, "JITSI_BASE_URL", "https://vc.bocongan.example/")


def run_pass(app) -> int:
    with app.app_context():
        return sync.run_due_meetings(now=current_time())


def meeting_of(app, ceremony_id):
    with app.app_context():
        row = db.session.scalar(select(ConferenceMeeting).where(ConferenceMeeting.ceremony_id == ceremony_id))
        return snapshot(row) if row else None


def edit(app, ceremony_id, **values):
    with app.app_context():
        ceremony = db.session.get(Ceremony, ceremony_id)
        current = {k: getattr(ceremony, k) for k in ops.CEREMONY_FIELDS}
        ops.update_ceremony(ceremony, {**current, **values}, now=current_time())
        db.session.commit()


def requests_to(server, method=None):
    return [request for request, _ in server.log if method is None or request.method == method]


def created(meeting_id="m-1", join_url="https://vc.example/j/m-1", **extra):
    return {"id": meeting_id, "join_url": join_url, **extra}


# --- Jitsi ---------------------------------------------------------------------------

def test_no_provider_configured_records_nothing_and_shows_nothing(app, client, factory):
    ceremony = factory.ceremony()
    assert meeting_of(app, ceremony.id) is None
    assert run_pass(app) == 0
    assert 'id="conference"' not in client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)


def test_jitsi_rooms_are_unguessable_per_ceremony_and_per_site_on_the_base_url(app, client, factory, jitsi):
    first, second = factory.ceremony(title="Lễ kỷ niệm"), factory.ceremony(title="Lễ kỷ niệm")
    sites = [factory.site(first, code="BCA", is_host=True), factory.site(first, code="BNI"),
             factory.site(second, code="BCA", is_host=True)]
    assert run_pass(app) == 2
    urls = [meeting_of(app, c.id).join_url for c in (first, second)]
    assert all(url.startswith("https://vc.bocongan.example/") and "//" not in url[8:] for url in urls)
    rooms = [url.rsplit("/", 1)[1] for url in urls]
    assert rooms[0] != rooms[1] and all(len(room) >= 24 for room in rooms)
    assert meeting_of(app, first.id).status == "ready"

    with app.test_request_context():
        tests = [details_for(s.ceremony_id).test_room(s.id) for s in sites]
    assert len(set(tests + urls)) == 5  # each site its own room, none the ceremony's
    assert all(t.startswith("https://vc.bocongan.example/test-") and len(t) > 40 for t in tests)
    # The organizer's site page and the coordinator's link show the site's own room.
    assert tests[1] in client.get(f"/ceremonies/{first.id}/sites/{sites[1].id}").get_data(as_text=True)
    portal = app.test_client().get(site_path(app, sites[1].id)).get_data(as_text=True)
    assert tests[1] in portal and tests[0] not in portal and urls[0] in portal


# --- REST: the exact requests ---------------------------------------------------------

def test_rest_create_sends_the_contract_and_reads_back_the_join_url(app, client, factory, rest):
    ceremony = factory.ceremony(title="Lễ kỷ niệm 55 năm")
    body = {"title": "Lễ kỷ niệm 55 năm", "starts_at": "2027-05-20T03:00:00Z",
            "ends_at": "2027-05-20T05:00:00Z", "timezone": "Asia/Ho_Chi_Minh",
            "external_ref": ceremony.uid}
    rest.expect_ordered_request(
        "/api/meetings", method="POST", json=body,
        headers={"Authorization": f"Bearer {TOKEN}", "Idempotency-Key": f"{ceremony.uid}:create",
                 "Content-Type": "application/json"},
    ).respond_with_json({"id": "m-1"}, status=201)  # no join URL yet: read it back
    rest.expect_ordered_request("/api/meetings/m-1", method="GET",
                                headers={"Authorization": f"Bearer {TOKEN}"}).respond_with_json(
        created(dial_in="+84 24 3826 0000, PIN 1967#"))
    assert run_pass(app) == 1
    rest.check_assertions()
    row = meeting_of(app, ceremony.id)
    assert (row.status, row.external_id, row.join_url, row.dial_in) == (
        "ready", "m-1", "https://vc.example/j/m-1", "+84 24 3826 0000, PIN 1967#")
    page = client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    assert 'href="https://vc.example/j/m-1"' in page and "PIN 1967#" in page
    assert run_pass(app) == 0 and len(rest.log) == 2  # ready: nothing more to do


def test_rest_update_on_a_change_then_delete_on_cancel(app, client, factory, rest):
    ceremony = factory.ceremony(title="Lễ A")
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    run_pass(app)
    edit(app, ceremony.id, chair="Đại tướng")  # nothing the provider is told: no call
    assert run_pass(app) == 0
    edit(app, ceremony.id, title="Lễ B")
    rest.expect_oneshot_request(
        "/api/meetings/m-1", method="PUT", headers={"Idempotency-Key": f"{ceremony.uid}:update:2",
                                                    "Authorization": f"Bearer {TOKEN}"},
        json={"title": "Lễ B", "starts_at": "2027-05-20T03:00:00Z", "ends_at": "2027-05-20T05:00:00Z",
              "timezone": "Asia/Ho_Chi_Minh", "external_ref": ceremony.uid},
    ).respond_with_json(created())
    assert run_pass(app) == 1
    assert meeting_of(app, ceremony.id).status == "ready"

    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    assert meeting_of(app, ceremony.id).status == "deleting"
    rest.expect_oneshot_request("/api/meetings/m-1", method="DELETE",
                                headers={"Idempotency-Key": f"{ceremony.uid}:delete"}).respond_with_data("", status=204)
    run_pass(app)
    rest.check_assertions()
    assert [r.method for r in requests_to(rest)] == ["POST", "PUT", "DELETE"]
    assert meeting_of(app, ceremony.id).status == "deleted"
    with app.app_context():
        assert details_for(ceremony.id) is None  # nothing of it in a message any more


def test_a_meeting_already_gone_counts_as_deleted(app, client, factory, rest):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    run_pass(app)
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    rest.expect_oneshot_request("/api/meetings/m-1", method="DELETE").respond_with_json(
        {"error": "no such meeting"}, status=404)
    run_pass(app)
    assert meeting_of(app, ceremony.id).status == "deleted"


def test_a_deleted_ceremony_still_deletes_its_meeting(app, factory, rest):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    run_pass(app)
    with app.app_context():
        row_id = db.session.scalar(select(ConferenceMeeting.id))
        db.session.delete(db.session.get(Ceremony, ceremony.id))
        db.session.commit()
    rest.expect_oneshot_request("/api/meetings/m-1", method="DELETE").respond_with_data("", status=204)
    assert run_pass(app) == 1
    rest.check_assertions()
    with app.app_context():
        assert db.session.get(ConferenceMeeting, row_id).status == "deleted"


# --- Failures and retries -------------------------------------------------------------

def test_creating_a_ceremony_never_waits_on_a_provider_that_is_down(app, client, monkeypatch, rest):
    monkeypatch.setitem(app.config, "CONFERENCE_REST_URL", f"http://127.0.0.1:{free_port()}/api")
    started = time.monotonic()
    response = post_form(client, "/ceremonies/new", CEREMONY_FORM)
    assert response.status_code == 302 and time.monotonic() - started < 2
    ceremony_id = int(response.headers["Location"].split("/ceremonies/")[1].split("/")[0])
    page = client.get(f"/ceremonies/{ceremony_id}").get_data(as_text=True)
    assert "conference-pending" in page  # "being created"

    assert run_pass(app) == 1
    row = meeting_of(app, ceremony_id)
    assert row.status == "pending" and row.attempts == 1 and "cannot reach" in row.last_error
    client.get("/language/en")  # the organizer reads English
    page = client.get(f"/ceremonies/{ceremony_id}").get_data(as_text=True)
    assert "Retrying at" in page and "cannot reach the provider" in page and "Try again" in page


def test_a_500_is_retried_by_a_later_pass_not_in_the_request(app, client, factory, rest, clock):
    ceremony = factory.ceremony()
    assert rest.log == []  # the request made no call
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json({"error": "boom"}, status=500)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "HTTP 500: boom")
    assert timedelta(seconds=45) <= row.next_attempt_at - clock() <= timedelta(minutes=1)
    assert len(requests_to(rest, "POST")) == 1  # a POST is never resent inside the call
    assert run_pass(app) == 0  # not due yet

    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    clock.advance(minutes=2)
    assert run_pass(app) == 1
    row = meeting_of(app, ceremony.id)
    assert (row.status, row.attempts, row.last_error, row.join_url) == ("ready", 0, "", created()["join_url"])


def test_a_timeout_is_retried_with_the_same_idempotency_key(app, factory, rest, monkeypatch, clock):
    monkeypatch.setitem(app.config, "CONFERENCE_TIMEOUT", (1, 0.2))

    def slow(request):
        time.sleep(0.6)  # the provider made the meeting, but its answer comes too late
        return Response(json.dumps(created()), status=201, content_type="application/json")

    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_handler(slow)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert row.status == "pending" and "timed out" in row.last_error and row.external_id is None

    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    clock.advance(minutes=2)
    run_pass(app)
    keys = {r.headers["Idempotency-Key"] for r in requests_to(rest, "POST")}
    assert keys == {f"{ceremony.uid}:create"}  # the provider answers the resend with the same meeting
    assert meeting_of(app, ceremony.id).status == "ready"


def test_idempotent_calls_are_retried_inside_the_call_on_503(app, factory, rest):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    run_pass(app)
    edit(app, ceremony.id, title="Lễ mới")
    for _ in range(2):
        rest.expect_ordered_request("/api/meetings/m-1", method="PUT").respond_with_data("busy", status=503)
    rest.expect_ordered_request("/api/meetings/m-1", method="PUT").respond_with_json(created())
    run_pass(app)
    assert len(requests_to(rest, "PUT")) == 3
    assert meeting_of(app, ceremony.id).status == "ready"


def test_429_is_retried_after_the_providers_retry_after(app, factory, rest, clock):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "600"})
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert row.status == "pending" and row.next_attempt_at - clock() >= timedelta(seconds=600)


def test_a_4xx_is_permanent_shown_escaped_and_tried_again_on_request(app, client, factory, rest, clock):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(
        {"error": '<script>alert("x")</script> title too long'}, status=422)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert row.status == "failed" and row.attempts == 1
    clock.advance(hours=3)
    assert run_pass(app) == 0 and len(rest.log) == 1  # no retry of a request the provider refused

    client.get("/language/en")
    page = client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    assert "Failed: HTTP 422: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; title too long" in page
    assert "<script>alert" not in page
    post_form(client, f"/ceremonies/{ceremony.id}/conference/retry", {}, token_from=f"/ceremonies/{ceremony.id}")
    assert meeting_of(app, ceremony.id).status == "pending"
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    # The refused create may have been changed since: what the resend answers is brought up to date.
    rest.expect_oneshot_request("/api/meetings/m-1", method="PUT").respond_with_json(created())
    run_pass(app)
    assert meeting_of(app, ceremony.id).status == "ready"


def test_try_again_needs_the_csrf_token(app, client, factory, rest):
    ceremony = factory.ceremony()
    assert client.post(f"/ceremonies/{ceremony.id}/conference/retry").status_code == 400


def test_too_many_failures_stop_retrying(app, factory, rest, clock):
    ceremony = factory.ceremony()
    rest.expect_request("/api/meetings", method="POST").respond_with_data("down", status=500)
    for _ in range(sync.MAX_ATTEMPTS):
        run_pass(app)
        clock.advance(hours=2)
    row = meeting_of(app, ceremony.id)
    assert (row.status, row.attempts) == ("failed", sync.MAX_ATTEMPTS)
    assert run_pass(app) == 0


def test_backoff_grows_with_jitter_and_is_capped():
    delays = [sync.retry_delay(n) for n in (1, 2, 3, 30)]
    assert timedelta(seconds=45) <= delays[0] <= timedelta(minutes=1)
    assert timedelta(seconds=90) <= delays[1] <= timedelta(minutes=2)
    assert timedelta(minutes=3) <= delays[2] <= timedelta(minutes=4)
    assert timedelta(minutes=45) <= delays[3] <= timedelta(hours=1)
    assert sync.retry_delay(1, retry_after=7200) == timedelta(hours=1)


def test_a_change_made_during_a_call_is_not_lost(app, factory, rest):
    ceremony = factory.ceremony(title="Lễ cũ")

    def edit_meanwhile(request):
        edit(app, ceremony.id, title="Lễ mới")  # the organizer saves while the provider works
        return Response(json.dumps(created()), status=201, content_type="application/json")

    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_handler(edit_meanwhile)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert (row.status, row.external_id, row.synced_version, row.wanted_version) == ("pending", "m-1", 1, 2)
    rest.expect_oneshot_request("/api/meetings/m-1", method="PUT").respond_with_json(created())
    run_pass(app)
    [put] = requests_to(rest, "PUT")
    assert put.json["title"] == "Lễ mới"
    assert meeting_of(app, ceremony.id).status == "ready"


def test_a_second_runner_finds_nothing_and_two_passes_make_one_meeting(app, factory, rest):
    ceremony = factory.ceremony()
    with app.app_context():
        claimed = sync.claim_next(current_time(), set())  # another scheduler holds it
    assert claimed is not None and run_pass(app) == 0
    with app.app_context():  # its lease runs out (that worker died)
        db.session.execute(db.update(ConferenceMeeting).values(lease_until=current_time() - timedelta(seconds=1)))
        db.session.commit()
    rest.expect_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    assert run_pass(app) == 1
    assert run_pass(app) == 0
    assert len(requests_to(rest, "POST")) == 1
    assert meeting_of(app, ceremony.id).external_id == "m-1"


def test_a_join_url_that_is_not_http_is_refused(app, client, factory, rest):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(
        created(join_url="javascript:alert(document.cookie)"), status=201)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert row.status == "failed" and "refused join URL" in row.last_error
    assert row.external_id == "m-1" and row.join_url == ""  # kept, so a retry updates, never duplicates
    page = client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    assert 'href="javascript:' not in page


# --- Join details into invitations ----------------------------------------------------

def test_join_url_in_invitations_and_a_late_one_updates_only_the_invited(
        app, rest, smtp, client, factory, planned, clock):
    from scheduler.background.jobs import run_due

    from .test_invitations import calendar_of, parse, send_invitations

    ceremony, host, bni, people = planned
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_data("down", status=503)
    send_invitations(client, ceremony)
    run_due(app)  # the provider is down: the invitations go without a join URL
    assert len(smtp.messages) == 3
    assert all(b"vc.example" not in m.data for m in smtp.messages)
    first_sequence = calendar_of(parse(smtp.to("thang@example.vn")[0]))[1].walk("VEVENT")[0]["SEQUENCE"]
    late = factory.attendee(ceremony, bni, full_name="Lê Văn Muộn", email="muon@example.vn")  # not invited

    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(
        created(dial_in="+84 24 3826 0000"), status=201)
    clock.advance(minutes=2)
    run_due(app)
    assert meeting_of(app, ceremony.id).status == "ready"
    updates = smtp.messages[3:]
    assert sorted(r for m in updates for r in m.recipients) == [
        "anna@example.org", "lan@example.vn", "thang@example.vn"]
    assert not smtp.to(late.email)
    message = parse(smtp.to("thang@example.vn")[-1])
    text = message.get_body(("plain",)).get_content()
    assert "https://vc.example/j/m-1" in text and "+84 24 3826 0000" in text
    assert 'href="https://vc.example/j/m-1"' in message.get_body(("html",)).get_content()
    event = calendar_of(message)[1].walk("VEVENT")[0]
    assert event["SEQUENCE"] > first_sequence
    assert "https://vc.example/j/m-1" in str(event["DESCRIPTION"])
    assert str(event["CONFERENCE"]) == "https://vc.example/j/m-1"

    run_due(app)  # nothing changed since: nothing more goes out
    assert len(smtp.messages) == 6


def test_join_url_known_before_sending_needs_no_update(app, jitsi, smtp, client, factory, planned):
    from scheduler.background.jobs import run_due

    from .test_invitations import parse, send_invitations

    ceremony, host, bni, people = planned
    run_due(app)  # the meeting first: no one invited yet, so no update
    join_url = meeting_of(app, ceremony.id).join_url
    with app.app_context():
        assert db.session.get(Ceremony, ceremony.id).sequence == 0
    send_invitations(client, ceremony)
    run_due(app)
    assert len(smtp.messages) == 3
    assert all(join_url in parse(m).get_body(("plain",)).get_content() for m in smtp.messages)


def test_the_coordinators_link_email_names_the_sites_test_room(app, client, smtp, factory, jitsi):
    from scheduler.background.jobs import run_due

    from .test_invitations import parse

    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BCA", is_host=True, coordinator_email="bca@example.vn")
    other = factory.site(ceremony, code="BNI")
    post_form(client, f"/ceremonies/{ceremony.id}/sites/{site.id}/send-link", {},
              token_from=f"/ceremonies/{ceremony.id}/sites/{site.id}")
    run_due(app)
    with app.test_request_context():
        details = details_for(ceremony.id)
        own, others = details.test_room(site.id), details.test_room(other.id)
    message = parse(smtp.to("bca@example.vn")[0])
    text, html = (message.get_body((kind,)).get_content() for kind in ("plain", "html"))
    assert own in text and f'href="{own}"' in html and details.join_url in text
    assert others not in text + html


# --- Review: hostile answers, a hanging provider, races --------------------------------

@pytest.mark.parametrize("value", ["99999999999999999999", "Wed, 21 Oct 2099 07:28:00 GMT"])
def test_a_huge_or_dated_retry_after_waits_the_cap_without_breaking_the_pass(app, factory, rest, clock, value):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_data(
        "slow down", status=429, headers={"Retry-After": value})
    assert run_pass(app) == 1  # and mail delivery after it in run_due still runs
    row = meeting_of(app, ceremony.id)
    assert row.status == "pending" and row.claim_token is None and "HTTP 429" in row.last_error
    assert row.next_attempt_at - clock() == sync.MAX_DELAY  # an HTTP-date counts too, up to the cap


def test_the_token_never_reaches_the_page_even_if_the_provider_echoes_it(app, client, factory, rest):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_data(
        f"bad request; you sent Authorization: Bearer {TOKEN}", status=400)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert row.status == "failed" and TOKEN not in row.last_error
    page = client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    assert "HTTP 400" in page and TOKEN not in page


def test_a_token_read_from_a_file_with_its_newline_works_and_is_never_shown(app, client, factory, rest, monkeypatch):
    monkeypatch.setitem(app.config, "CONFERENCE_REST_TOKEN", TOKEN + "\n")  # SCHEDULER_..._TOKEN="$(cat file)"
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST",
                                headers={"Authorization": f"Bearer {TOKEN}"}).respond_with_json(created(), status=201)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert TOKEN not in row.last_error and TOKEN not in client.get(f"/ceremonies/{ceremony.id}").get_data(as_text=True)
    assert row.status == "ready"


def test_a_provider_that_hangs_costs_one_timeout_per_pass_not_one_per_meeting(app, factory, rest, monkeypatch):
    monkeypatch.setitem(app.config, "CONFERENCE_TIMEOUT", (1, 0.2))
    ceremonies = [factory.ceremony(title=f"Lễ {n}") for n in range(5)]

    def hang(request):
        time.sleep(0.4)
        return Response("late", status=504)

    rest.expect_request("/api/meetings", method="POST").respond_with_handler(hang)
    started = time.monotonic()
    run_pass(app)
    assert time.monotonic() - started < 1.5
    rows = [meeting_of(app, c.id) for c in ceremonies]
    assert sorted(r.attempts for r in rows) == [0, 0, 0, 0, 1]  # one call; the others wait for the next pass
    assert all(r.status == "pending" and r.claim_token is None for r in rows)


def test_a_slow_but_working_provider_does_not_hold_the_pass_past_its_budget(app, factory, rest, monkeypatch):
    monkeypatch.setattr(sync, "PASS_BUDGET", timedelta(seconds=0.3))
    for n in range(4):
        factory.ceremony(title=f"Lễ {n}")
    counter = iter(range(100))

    def slow(request):
        time.sleep(0.2)
        n = next(counter)
        return Response(json.dumps(created(f"m-{n}", f"https://vc.example/j/{n}")), status=201,
                        content_type="application/json")

    rest.expect_request("/api/meetings", method="POST").respond_with_handler(slow)
    assert run_pass(app) == 2  # the budget ran out after the second call; the next pass goes on
    assert run_pass(app) == 2


def test_oversized_answers_are_bounded(app, client, factory, rest):
    ceremony = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(
        created(dial_in="+84 24 3826 0000\n" * 5_000), status=201)
    run_pass(app)
    row = meeting_of(app, ceremony.id)
    assert row.status == "ready" and row.dial_in.startswith("+84 24 3826 0000") and len(row.dial_in) <= 1000

    other = factory.ceremony()
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(
        created("m-2", "https://vc.example/j/m-2", padding="x" * 2_000_000), status=201)
    run_pass(app)
    row = meeting_of(app, other.id)
    assert row.status == "failed" and "too large" in row.last_error and row.external_id is None


def test_a_create_resent_after_a_change_brings_the_replayed_meeting_up_to_date(app, factory, rest, monkeypatch, clock):
    monkeypatch.setitem(app.config, "CONFERENCE_TIMEOUT", (1, 0.2))

    def slow(request):
        time.sleep(0.4)  # the provider made the meeting titled "Lễ cũ"; its answer is lost
        return Response(json.dumps(created()), status=201, content_type="application/json")

    ceremony = factory.ceremony(title="Lễ cũ")
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_handler(slow)
    run_pass(app)
    edit(app, ceremony.id, title="Lễ mới")
    # The resend carries the same Idempotency-Key: the provider answers with the meeting it
    # already made, as it was then ("Lễ cũ").
    rest.expect_oneshot_request("/api/meetings", method="POST").respond_with_json(created(), status=201)
    rest.expect_oneshot_request("/api/meetings/m-1", method="PUT").respond_with_json(created())
    run_pass(app)
    puts = requests_to(rest, "PUT")
    assert [p.json["title"] for p in puts] == ["Lễ mới"]
    assert meeting_of(app, ceremony.id).status == "ready"


def test_a_join_url_known_during_an_organizers_edit_loses_neither_sequence(app, rest, smtp, client, factory, planned):
    """The pass raises SEQUENCE in SQL while an organizer's request holds the ceremony
    loaded: the request's own raise must not overwrite it (both changes go out)."""
    from scheduler.background.jobs import run_due

    from .test_invitations import send_invitations

    ceremony, host, bni, people = planned
    rest.expect_request("/api/meetings", method="POST").respond_with_data("down", status=503)
    send_invitations(client, ceremony)
    run_due(app)
    with app.app_context():
        before = db.session.get(Ceremony, ceremony.id).sequence
        loaded = db.session.get(Ceremony, ceremony.id)  # the organizer's request reads the ceremony
        loaded.title  # noqa: B018 (loaded into the request's session)
        with app.app_context():  # meanwhile the pass learns the join URL and announces it
            sync.announce(ceremony.id, now=current_time())
            db.session.commit()
        current = {k: getattr(loaded, k) for k in ops.CEREMONY_FIELDS}
        ops.update_ceremony(loaded, {**current, "title": "Lễ đổi tên"}, now=current_time())
        db.session.commit()
        assert db.session.scalar(select(Ceremony.sequence).where(Ceremony.id == ceremony.id)) == before + 2
