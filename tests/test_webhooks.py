"""Outbound webhooks against a real HTTP server on loopback (pytest-httpserver):
recorded by the real actions, signed, retried, paused, never sent twice at once,
never to a place the SSRF rules refuse."""
import email
import email.policy
import time
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug import Response

from scheduler.background.jobs import run_due
from scheduler.extensions import db
from scheduler.integrations.webhooks import delivery, events, operations, targets
from scheduler.integrations.webhooks.models import WebhookAttempt
from scheduler.mail.models import Delivery

from .conftest import post_form, signed_in
from .portal_helpers import person_path, site_path
from .test_ceremonies import FORM as CEREMONY_FORM
from .test_invitations import send_invitations
from .webhook_helpers import ALL_EVENTS, deliveries, endpoint, event_ids, received, register, verify


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return ("127.0.0.1", 0)  # by address: "localhost" is this app's own test host name


@pytest.fixture
def allow_loopback(app, monkeypatch):
    """The tests' receiver runs on 127.0.0.1, which only an admin's allowlist opens."""
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", ["127.0.0.1"])


@pytest.fixture
def hook(httpserver, allow_loopback):
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    return httpserver.url_for("/hook")


def now_ts(clock) -> int:
    return int(clock.now.timestamp())


def check_all(app, client, httpserver, clock, endpoint_id):
    """Every request verified as its receiver did when it came (the test clock moves)."""
    secret = endpoint(app, endpoint_id).secret
    return [verify(secret, r.get_data(), r.headers, int(r.headers["Webhook-Timestamp"]))
            for r in received(httpserver)]


def test_a_site_confirmed_by_its_coordinator_reaches_the_receiver_signed(app, client, factory, hook,
                                                                          httpserver, clock):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI")
    endpoint_id = register(client, hook, events=["site.confirmed"])
    phone = app.test_client()
    path = site_path(app, site.id)
    post_form(phone, f"{path}/reply", {"answer": "confirmed"}, token_from=path)
    assert run_due(app)["webhooks"] == 1
    [request] = received(httpserver)
    event = verify(endpoint(app, endpoint_id).secret, request.get_data(), request.headers, now_ts(clock))
    assert event["type"] == "site.confirmed" and event["id"].startswith("evt_")
    assert event["data"]["site"] == {"id": site.id, "code": "BNI", "name": "Điểm cầu BNI",
                                     "status": "confirmed", "is_host": False}
    assert event["data"]["by"] == "coordinator" and event["data"]["previous_status"] == "pending"
    assert event["created_at"] == "2027-05-10T03:00:00Z"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["User-Agent"] == "ceremony-scheduler-webhooks/1"
    assert "link_key" not in request.get_data(as_text=True)
    with pytest.raises(ValueError):  # another secret does not verify
        verify("whsec_wrong", request.get_data(), request.headers, now_ts(clock))
    with pytest.raises(ValueError):  # nor a replay ten minutes later
        verify(endpoint(app, endpoint_id).secret, request.get_data(), request.headers, now_ts(clock) + 600)
    assert [d.status for d in deliveries(app)] == ["delivered"]


def test_every_event_type_comes_from_the_real_action(app, client, smtp, hook, httpserver, clock, factory):
    endpoint_id = register(client, hook)
    assert post_form(client, "/ceremonies/new", CEREMONY_FORM).status_code == 302  # ceremony.created
    from scheduler.planning.models import Ceremony
    with app.app_context():
        ceremony_id = db.session.scalar(select(Ceremony.id))
    ceremony = type("C", (), {"id": ceremony_id})
    host = factory.site(ceremony, code="BCA", is_host=True)
    bni = factory.site(ceremony, code="BNI")
    xtl = factory.site(ceremony, code="XTL")
    lan = factory.attendee(ceremony, bni, full_name="Nguyễn Thị Lan", email="lan@example.vn")
    factory.attendee(ceremony, host, full_name="Trần Văn Bình", email="binh@example.vn")
    post_form(client, f"/ceremonies/{ceremony_id}/edit", {**CEREMONY_FORM, "title": "Lễ kỷ niệm 56 năm"})
    post_form(client, f"/ceremonies/{ceremony_id}/schedule", {}, token_from="/")
    smtp.handler.refuse_permanently.add("binh@example.vn")
    send_invitations(client, ceremony)
    run_due(app)  # invitations out; Bình's refused: delivery.failed
    phone = app.test_client()
    for site, answer in ((bni, "confirmed"), (xtl, "declined")):
        path = site_path(app, site.id)
        post_form(phone, f"{path}/reply", {"answer": answer}, token_from=path)
    page = person_path(app, lan.id)
    post_form(phone, page, {"answer": "ACCEPTED", "comment": "Sẽ đến sớm"})
    clock.now = clock.now.replace(month=6, day=15, hour=6, minute=50)  # the ceremony's day
    path = site_path(app, bni.id)
    post_form(phone, f"{path}/check-in/{lan.id}", {"attendance": "present"}, token_from=f"{path}/check-in")
    post_form(client, f"/ceremonies/{ceremony_id}/cancel", {}, token_from="/")
    run_due(app)
    got = check_all(app, client, httpserver, clock, endpoint_id)
    types = [e["type"] for e in got]
    assert set(types) == set(ALL_EVENTS), types
    by_type = {e["type"]: e for e in got}
    assert by_type["ceremony.created"]["data"]["ceremony"]["title"] == "Lễ kỷ niệm 55 năm"
    updates = [e["data"]["changed"] for e in got if e["type"] == "ceremony.updated"]
    assert ["title"] in updates and ["status"] in updates  # the edit, then scheduling
    assert by_type["attendee.replied"]["data"]["attendee"]["partstat"] == "ACCEPTED"
    assert by_type["attendee.replied"]["data"]["attendee"]["comment"] == "Sẽ đến sớm"
    assert by_type["attendee.replied"]["data"]["source"] == "page"
    assert by_type["attendee.checked_in"]["data"]["attendee"]["attendance"] == "present"
    assert by_type["site.declined"]["data"]["site"]["code"] == "XTL"
    failed = by_type["delivery.failed"]["data"]["delivery"]
    assert failed["recipient"] == "binh@example.vn" and failed["kind"] == "invitation" and "550" in failed["error"]
    assert by_type["ceremony.cancelled"]["data"]["ceremony"]["status"] == "cancelled"
    ids = [e["id"] for e in got]
    assert len(ids) == len(set(ids)) == len(event_ids(app))


def test_an_organizer_setting_the_status_in_the_site_form_is_told_too(app, client, factory, hook, httpserver,
                                                                        clock):
    from .test_sites import SITE_FORM

    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI")
    endpoint_id = register(client, hook, events=["site.declined"])
    post_form(client, f"/ceremonies/{ceremony.id}/sites/{site.id}/edit", {**SITE_FORM, "status": "declined"})
    run_due(app)
    [event] = check_all(app, client, httpserver, clock, endpoint_id)
    assert event["type"] == "site.declined" and event["data"]["by"] == "organizer"


def test_redelivery_sends_the_same_bytes_under_the_same_id(app, client, factory, hook, httpserver, clock):
    ceremony = factory.ceremony()
    endpoint_id = register(client, hook, events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    clock.advance(hours=2)
    [row] = deliveries(app)
    post_form(client, f"/webhooks/{endpoint_id}/deliveries/{row.id}/redeliver", {},
              token_from=f"/webhooks/{endpoint_id}")
    assert run_due(app)["webhooks"] == 1
    first, second = received(httpserver)
    assert first.get_data() == second.get_data()
    assert first.headers["Webhook-Id"] == second.headers["Webhook-Id"]
    assert first.headers["Webhook-Timestamp"] != second.headers["Webhook-Timestamp"]
    verify(endpoint(app, endpoint_id).secret, second.get_data(), second.headers, now_ts(clock))
    assert len(deliveries(app)) == 1 and deliveries(app)[0].status == "delivered"


def test_a_500_is_retried_after_the_backoff_and_delivered_once(app, client, factory, httpserver,
                                                               allow_loopback, clock):
    httpserver.expect_ordered_request("/hook").respond_with_data("down", status=500)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    ceremony = factory.ceremony()
    endpoint_id = register(client, httpserver.url_for("/hook"), events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    assert run_due(app)["webhook_retries"] == 1
    [row] = deliveries(app)
    assert row.status == "pending" and row.last_status_code == 500 and row.attempts == 1
    assert timedelta(seconds=30) <= row.next_attempt_at - clock.now <= timedelta(seconds=33)
    assert endpoint(app, endpoint_id).failing_since == clock.now
    run_due(app)  # not due yet: nothing sent
    assert len(received(httpserver)) == 1
    clock.advance(seconds=34)
    assert run_due(app)["webhooks"] == 1
    first, second = received(httpserver)
    assert first.get_data() == second.get_data()
    [row] = deliveries(app)
    assert row.status == "delivered" and row.attempts == 2
    assert endpoint(app, endpoint_id).failing_since is None
    with app.app_context():
        codes = [a.status_code for a in db.session.scalars(select(WebhookAttempt).order_by(WebhookAttempt.id))]
    assert codes == [500, 200]


def test_a_timeout_is_retried(app, client, factory, httpserver, allow_loopback, clock, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_TIMEOUT", (1, 0.2))

    def slow(request):
        time.sleep(0.5)
        return Response("late")

    httpserver.expect_ordered_request("/hook").respond_with_handler(slow)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    ceremony = factory.ceremony()
    register(client, httpserver.url_for("/hook"), events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    [row] = deliveries(app)
    assert row.status == "pending" and "timed out" in row.last_error and row.last_status_code is None
    time.sleep(0.4)  # the one-thread test server finishes the slow answer nobody waits for
    clock.advance(seconds=34)
    run_due(app)
    assert [d.status for d in deliveries(app)] == ["delivered"]
    first, second = received(httpserver)
    assert first.headers["Webhook-Id"] == second.headers["Webhook-Id"]


def test_a_dead_endpoint_costs_one_try_per_pass_not_one_per_event(app, client, factory, httpserver,
                                                                   allow_loopback, clock):
    httpserver.expect_request("/hook").respond_with_data("down", status=503, headers={"Retry-After": "120"})
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI")
    register(client, httpserver.url_for("/hook"), events=["attendee.checked_in"])
    people = [factory.attendee(ceremony, site, full_name=f"Người {i}") for i in range(5)]
    phone = app.test_client()
    path = site_path(app, site.id)
    for person in people:
        post_form(phone, f"{path}/check-in/{person.id}", {"attendance": "present"}, token_from=f"{path}/check-in")
    run_due(app)
    assert len(received(httpserver)) == 1
    rows = deliveries(app)
    assert [r.attempts for r in rows] == [1, 0, 0, 0, 0]
    # Retry-After: 120 beats the 30 s backoff; the others wait behind the first.
    assert all(r.next_attempt_at >= clock.now + timedelta(seconds=120) for r in rows)
    clock.advance(seconds=60)
    run_due(app)
    assert len(received(httpserver)) == 1


def test_one_event_for_two_endpoints_is_two_deliveries_with_one_id(app, client, admin_client, factory, hook,
                                                                  httpserver, clock):
    ceremony = factory.ceremony()
    mine = register(client, hook, events=["ceremony.cancelled"])
    admins = register(admin_client, hook, events=["ceremony.cancelled"], ceremony_id=ceremony.id)
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    one, two = received(httpserver)
    assert one.headers["Webhook-Id"] == two.headers["Webhook-Id"]
    assert {d.endpoint_id for d in deliveries(app)} == {mine, admins}
    assert len(event_ids(app)) == 1


def test_two_claimers_never_send_one_delivery_twice_and_a_dead_worker_is_replaced(
        app, client, factory, hook, httpserver, clock):
    ceremony = factory.ceremony()
    endpoint_id = register(client, hook, events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    with app.app_context():
        token, claimed = delivery.claim(endpoint_id, clock.now)  # a worker that then dies
        assert len(claimed) == 1
        assert delivery.claim(endpoint_id, clock.now)[1] == []  # a second one finds nothing
    run_due(app)
    assert received(httpserver) == []  # the lease still holds
    clock.advance(minutes=6)
    run_due(app)
    run_due(app)
    [request] = received(httpserver)
    assert [d.status for d in deliveries(app)] == ["delivered"]
    assert len(event_ids(app)) == 1


def test_an_endpoint_sees_only_ceremonies_its_owner_may_see(app, client, factory, make_user, hook, httpserver,
                                                            clock):
    other = make_user(email="khac@example.vn", name="Lê Văn Khác")
    theirs = signed_in(app, other)
    ceremony = factory.ceremony(organizers=[client.user_id])
    spy = register(theirs, hook, events=["ceremony.cancelled"])
    refused = post_form(theirs, "/webhooks/new", {"url": hook, "events": ["ceremony.cancelled"],
                                                  "ceremony_id": str(ceremony.id), "active": "y"})
    assert refused.status_code == 200 and "ceremony_id-error" in refused.get_data(as_text=True)
    mine = register(client, hook, events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    assert [d.endpoint_id for d in deliveries(app)] == [mine]
    assert len(received(httpserver)) == 1
    [row] = deliveries(app)
    for path in (f"/webhooks/{mine}", f"/webhooks/{mine}/edit"):
        assert theirs.get(path).status_code == 404
    assert post_form(theirs, f"/webhooks/{mine}/deliveries/{row.id}/redeliver", {},
                     token_from="/webhooks/").status_code == 404
    assert post_form(theirs, f"/webhooks/{mine}/delete", {}, token_from="/webhooks/").status_code == 404
    assert f"/webhooks/{mine}" not in theirs.get("/webhooks/").get_data(as_text=True)
    assert endpoint(app, spy).secret not in client.get(f"/webhooks/{mine}").get_data(as_text=True)


def test_a_long_failing_endpoint_is_paused_its_owner_told_and_resume_sends_what_was_held(
        app, client, factory, httpserver, allow_loopback, clock, smtp):
    httpserver.expect_request("/hook").respond_with_data("<b>down</b>", status=500)
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BNI")
    endpoint_id = register(client, httpserver.url_for("/hook"), events=["site.confirmed", "site.declined"])
    phone = app.test_client()
    path = site_path(app, site.id)
    post_form(phone, f"{path}/reply", {"answer": "confirmed"}, token_from=path)
    for _ in range(12):  # 30 s, 2 min, 10 min, 1 h, 6 h, then every 12 h: past 3 days
        run_due(app)
        clock.advance(hours=13)
    run_due(app)
    state = endpoint(app, endpoint_id)
    assert state.paused_at is not None and state.pause_reason == "failing"
    page = client.get(f"/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "Tạm dừng" in page or "Paused" in page
    assert "HTTP 500" in page
    tries = len(received(httpserver))
    run_due(app)
    assert len(received(httpserver)) == tries  # paused: nothing more is tried
    with app.app_context():
        notice = db.session.scalar(select(Delivery).where(Delivery.kind == "webhook_paused"))
        assert notice.recipient_email == "organizer@example.vn"
    [mail] = smtp.to("organizer@example.vn")
    message = email.message_from_bytes(mail.data, policy=email.policy.default)
    assert message["Subject"].startswith("Webhook tạm dừng")
    assert httpserver.url_for("/hook") in message.get_body(("plain",)).get_content()
    post_form(phone, f"{path}/reply", {"answer": "declined"}, token_from=path)  # recorded, held
    assert [d.status for d in deliveries(app)] == ["failed", "paused"]
    httpserver.clear()
    httpserver.expect_request("/hook").respond_with_data("ok")
    post_form(client, f"/webhooks/{endpoint_id}/resume", {}, token_from=f"/webhooks/{endpoint_id}")
    run_due(app)
    [request] = received(httpserver)
    assert verify(state.secret, request.get_data(), request.headers, now_ts(clock))["type"] == "site.declined"
    assert endpoint(app, endpoint_id).paused_at is None


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/hook", "http://localhost/hook",
                                 "http://169.254.169.254/latest/meta-data/", "http://[::1]/hook",
                                 "http://0.0.0.0:5000/", "http://ceremonies.example.vn/hook",
                                 "ftp://gateway.example.vn/", "https://user:pw@gateway.example.vn/"])
def test_addresses_webhooks_may_not_reach_are_refused_on_the_form(app, client, monkeypatch, url):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://ceremonies.example.vn")
    response = post_form(client, "/webhooks/new", {"url": url, "events": ["ceremony.created"], "active": "y"})
    assert response.status_code == 200 and 'id="url-error"' in response.get_data(as_text=True)
    assert deliveries(app) == [] and "/webhooks/1" not in response.headers.get("Location", "")


def test_the_allowlist_opens_a_refused_address(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOWED_HOSTS", ["169.254.0.0/16"])
    register(client, "http://169.254.169.254/hook")
    assert targets.check_url("http://10.1.2.3/hook", targets.Policy()) == ["10.1.2.3"]  # LAN: allowed


def test_at_delivery_time_a_name_now_resolving_to_a_refused_address_gets_nothing(
        app, client, factory, httpserver, clock, monkeypatch):
    """DNS rebinding: the check passes on one answer, the connection gets another."""
    httpserver.expect_request("/hook").respond_with_data("ok")
    ceremony = factory.ceremony()
    with app.app_context():
        from scheduler.auth.models import User
        owner = db.session.get(User, client.user_id)
        made = operations.create_endpoint(owner.id, {
            "url": f"http://localhost:{httpserver.port}/hook", "description": "", "ceremony_id": None,
            "events": ["ceremony.cancelled"], "active": True}, now=clock.now)
        db.session.commit()
        endpoint_id = made.id
    # The pre-check is told a public address; urllib3's own lookup then finds 127.0.0.1.
    monkeypatch.setattr(targets, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("203.0.113.10", 80))])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    assert received(httpserver) == []
    [row] = deliveries(app, endpoint_id)
    assert row.status == "pending" and "refused" in row.last_error and "127.0.0.1" in row.last_error
    monkeypatch.undo()
    clock.advance(seconds=40)
    run_due(app)  # the plain check refuses it too, before connecting
    assert received(httpserver) == []
    assert "localhost resolves to" in deliveries(app, endpoint_id)[0].last_error


def test_the_forms_need_their_csrf_token(app, client, hook):
    assert client.post("/webhooks/new", data={"url": hook, "events": ["ceremony.created"]}).status_code == 400
    endpoint_id = register(client, hook)
    for action in ("rotate", "test", "pause", "resume", "delete"):
        assert client.post(f"/webhooks/{endpoint_id}/{action}").status_code == 400
    assert endpoint(app, endpoint_id) is not None


def test_a_hostile_response_is_shown_escaped(app, client, httpserver, allow_loopback):
    httpserver.expect_request("/hook").respond_with_data('<script>alert("x")</script>', status=500)
    endpoint_id = register(client, httpserver.url_for("/hook"))
    post_form(client, f"/webhooks/{endpoint_id}/test", {}, token_from=f"/webhooks/{endpoint_id}")
    run_due(app)
    page = client.get(f"/webhooks/{endpoint_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(" in page and '<script>alert("x")' not in page


def test_rotating_the_secret_signs_with_both_for_a_day(app, client, hook, httpserver, clock):
    endpoint_id = register(client, hook)
    old = endpoint(app, endpoint_id).secret
    post_form(client, f"/webhooks/{endpoint_id}/rotate", {}, token_from=f"/webhooks/{endpoint_id}")
    new = endpoint(app, endpoint_id).secret
    assert new != old and new.startswith("whsec_")
    post_form(client, f"/webhooks/{endpoint_id}/test", {}, token_from=f"/webhooks/{endpoint_id}")
    run_due(app)
    [request] = received(httpserver)
    assert len(request.headers["Webhook-Signature"].split()) == 2
    for secret in (old, new):
        assert verify(secret, request.get_data(), request.headers, now_ts(clock))["type"] == "ping"
    clock.advance(hours=25)
    post_form(client, f"/webhooks/{endpoint_id}/test", {}, token_from=f"/webhooks/{endpoint_id}")
    run_due(app)
    later = received(httpserver)[-1]
    verify(new, later.get_data(), later.headers, now_ts(clock))
    with pytest.raises(ValueError):
        verify(old, later.get_data(), later.headers, now_ts(clock))


def test_without_endpoints_a_signal_costs_one_query(app, ctx, factory, count_queries, clock):
    ceremony = factory.ceremony()
    with count_queries() as counter:
        assert events.record("ceremony.updated", ceremony.id, lambda: 1 / 0, now=clock.now) is None
    assert counter.count == 1


def test_backoff_and_retry_after():
    assert delivery.backoff(1, rng=lambda: 0) == timedelta(seconds=30)
    assert delivery.backoff(5, rng=lambda: 0) == timedelta(hours=6)
    assert delivery.backoff(9, rng=lambda: 1) == timedelta(hours=13, minutes=12)
    from datetime import UTC, datetime
    now = datetime(2027, 5, 10, tzinfo=UTC)
    assert delivery.retry_after("90", now) == timedelta(seconds=90)
    assert delivery.retry_after("Mon, 10 May 2027 00:05:00 GMT", now) == timedelta(minutes=5)
    assert delivery.retry_after("999999", now) == timedelta(hours=12)
    assert delivery.retry_after("soon", now) is None


def test_a_duplicate_is_announced_to_every_organizer_of_its_source(app, client, factory, make_user, hook,
                                                                  httpserver, clock):
    colleague = make_user(email="dongnghiep@example.vn", name="Đồng Nghiệp")
    ceremony = factory.ceremony(organizers=[client.user_id, colleague.id])
    factory.site(ceremony, code="BCA", is_host=True)
    theirs = register(signed_in(app, colleague), hook, events=["ceremony.created"])
    start = clock.now + timedelta(days=400)
    post_form(client, f"/ceremonies/{ceremony.id}/duplicate",
              {"title": "Lễ năm sau", "starts_at": start.strftime("%Y-%m-%dT%H:%M")},
              token_from=f"/ceremonies/{ceremony.id}/duplicate")
    run_due(app)
    assert [d.endpoint_id for d in deliveries(app)] == [theirs]
    [event] = check_all(app, client, httpserver, clock, theirs)
    assert event["type"] == "ceremony.created" and event["data"]["ceremony"]["title"] == "Lễ năm sau"


def test_one_event_the_receiver_refuses_does_not_hold_up_the_later_ones(app, client, factory, httpserver,
                                                                         allow_loopback, clock):
    """A 400 for one event is that event's problem: it retries on its own while the
    endpoint's later events go, and the endpoint, answering, is not paused for it."""
    import json

    def answer(request):
        title = json.loads(request.get_data())["data"]["ceremony"]["title"]
        return Response("no such ceremony", status=400) if title == "Lỗi" else Response("ok")

    httpserver.expect_request("/hook").respond_with_handler(answer)
    endpoint_id = register(client, httpserver.url_for("/hook"), events=["ceremony.cancelled"])
    for title in ("Lỗi", "Lễ một", "Lễ hai"):
        ceremony = factory.ceremony(title=title)
        post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    counts = run_due(app)
    assert (counts["webhooks"], counts["webhook_retries"]) == (2, 1)
    bad, one, two = deliveries(app)
    assert (bad.status, one.status, two.status) == ("pending", "delivered", "delivered")
    assert timedelta(seconds=30) <= bad.next_attempt_at - clock.now <= timedelta(seconds=33)
    for _ in range(8):  # until its retry window closes
        clock.advance(hours=13)
        post_form(client, f"/ceremonies/{factory.ceremony(title='Lễ mới').id}/cancel", {}, token_from="/")
        run_due(app)
    assert deliveries(app)[0].status == "failed"
    assert [d.status for d in deliveries(app)[1:]] == ["delivered"] * 10
    assert endpoint(app, endpoint_id).paused_at is None


def test_an_endpoint_answering_4xx_to_everything_costs_a_bounded_number_of_tries(
        app, client, factory, httpserver, allow_loopback, clock):
    httpserver.expect_request("/hook").respond_with_data("wrong secret", status=401)
    register(client, httpserver.url_for("/hook"), events=["ceremony.cancelled"])
    for i in range(delivery.REFUSALS_PER_BATCH + 5):
        post_form(client, f"/ceremonies/{factory.ceremony(title=f'Lễ {i}').id}/cancel", {}, token_from="/")
    run_due(app)
    assert len(received(httpserver)) == delivery.REFUSALS_PER_BATCH
    rows = deliveries(app)
    assert all(r.next_attempt_at > clock.now for r in rows)  # the rest wait behind the last refused


def test_a_row_whose_lease_ran_out_during_a_slow_request_is_not_sent_by_its_old_worker(
        app, client, factory, httpserver, allow_loopback, clock):
    """Worker A's first request takes longer than the lease; worker B claims the
    batch meanwhile. A must not go on to send rows that are B's now, and its late
    "delivered" mark of the first row must not clobber B's claim."""
    endpoint_id = register(client, httpserver.url_for("/hook"), events=["ceremony.cancelled"])
    taken = {}

    def slow_then_taken_over(request):
        if not taken:
            clock.advance(minutes=6)  # A's lease is over
            with app.app_context():
                taken["b"] = delivery.claim(endpoint_id, clock.now)  # B takes both rows
        return Response("ok")

    httpserver.expect_request("/hook").respond_with_handler(slow_then_taken_over)
    for title in ("Lễ một", "Lễ hai"):
        post_form(client, f"/ceremonies/{factory.ceremony(title=title).id}/cancel", {}, token_from="/")
    run_due(app)
    assert len(received(httpserver)) == 1  # A sent the first only
    token, claimed = taken["b"]
    assert len(claimed) == 2
    assert [(d.status, d.claim_token) for d in deliveries(app)] == [("sending", token)] * 2


def test_an_endpoint_deleted_during_a_pass_is_skipped_not_a_crash(app, client, factory, hook, httpserver,
                                                                  clock, monkeypatch):
    from scheduler.integrations.webhooks.models import WebhookEndpoint

    ceremony = factory.ceremony()
    endpoint_id = register(client, hook, events=["ceremony.cancelled"])
    other = register(client, hook + "?other", events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    real_claim = delivery.claim

    def claim_then_deleted(claimed_id, now, *args, **kwargs):
        claimed = real_claim(claimed_id, now, *args, **kwargs)
        if claimed_id == endpoint_id:  # the owner presses Delete right after the claim
            db.session.delete(db.session.get(WebhookEndpoint, endpoint_id))
            db.session.commit()
        return claimed

    monkeypatch.setattr(delivery, "claim", claim_then_deleted)
    assert run_due(app)["webhooks"] == 1
    assert [(d.endpoint_id, d.status) for d in deliveries(app)] == [(other, "delivered")]


@pytest.mark.parametrize("url", ["http://[::1/hook", "http://[v1.x/", "http://gate\tway.example.vn/",
                                 "http://gateway.example.vn/\r\nX: y"])
def test_a_malformed_address_is_a_field_error_not_a_500(app, client, monkeypatch, url):
    # Every name resolves to a public address here: the address itself must be refused.
    monkeypatch.setattr(targets, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("203.0.113.10", 80))])
    response = post_form(client, "/webhooks/new", {"url": url, "events": ["ceremony.created"], "active": "y"})
    assert response.status_code == 200 and 'id="url-error"' in response.get_data(as_text=True)


def test_redeliver_on_a_row_still_being_retried_keeps_its_retry_window(app, client, factory, httpserver,
                                                                      allow_loopback, clock):
    """The button shows on delivered and failed rows only; a forged or stale POST for a
    pending row must not turn its three days of retries into a single attempt."""
    httpserver.expect_request("/hook").respond_with_data("down", status=500)
    ceremony = factory.ceremony()
    endpoint_id = register(client, httpserver.url_for("/hook"), events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    [row] = deliveries(app)
    response = post_form(client, f"/webhooks/{endpoint_id}/deliveries/{row.id}/redeliver", {},
                         token_from=f"/webhooks/{endpoint_id}", follow_redirects=True)
    assert response.status_code == 200
    [after] = deliveries(app)
    assert (after.status, after.retry_until, after.next_attempt_at) == ("pending", row.retry_until,
                                                                         row.next_attempt_at)
    clock.advance(seconds=40)
    run_due(app)
    assert deliveries(app)[0].status == "pending"  # still retried, not failed after one more try


def test_a_row_in_flight_when_its_endpoint_is_paused_gets_a_fresh_window_on_resume(
        app, client, factory, httpserver, allow_loopback, clock):
    """Pause pressed while a worker sends: the row comes back pending, not held; on
    Resume (days later) it must get a fresh retry window like the held rows."""
    from scheduler.integrations.webhooks.models import WebhookEndpoint

    endpoint_id = register(client, httpserver.url_for("/hook"), events=["ceremony.cancelled"])

    def paused_meanwhile(request):
        with app.app_context():
            operations.pause(db.session.get(WebhookEndpoint, endpoint_id), "manual", "", now=clock.now)
            db.session.commit()
        return Response("down", status=500)

    httpserver.expect_request("/hook").respond_with_handler(paused_meanwhile)
    post_form(client, f"/ceremonies/{factory.ceremony().id}/cancel", {}, token_from="/")
    run_due(app)
    clock.advance(days=4)  # past the row's first retry window
    post_form(client, f"/webhooks/{endpoint_id}/resume", {}, token_from=f"/webhooks/{endpoint_id}")
    httpserver.clear()
    httpserver.expect_request("/hook").respond_with_data("still down", status=500)
    run_due(app)
    [row] = deliveries(app)
    assert row.status == "pending" and row.attempts == 2  # retried again later, not failed


def test_one_pass_serves_batch_after_batch_and_every_endpoint_in_turn(app, client, factory, httpserver,
                                                                     allow_loopback, monkeypatch):
    """A busy endpoint (a national check-in) is not held to one batch per pass, and a
    quiet one is served between its batches."""
    monkeypatch.setattr(delivery, "ROWS_PER_ENDPOINT", 3)
    httpserver.expect_request("/busy").respond_with_data("ok")
    httpserver.expect_request("/quiet").respond_with_data("ok")
    busy = register(client, httpserver.url_for("/busy"), events=["ceremony.cancelled"])
    for title in ("Một", "Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy"):
        post_form(client, f"/ceremonies/{factory.ceremony(title=title).id}/cancel", {}, token_from="/")
    quiet = register(client, httpserver.url_for("/quiet"), events=["ceremony.cancelled"])
    post_form(client, f"/ceremonies/{factory.ceremony(title='Tám').id}/cancel", {}, token_from="/")
    with app.app_context():
        counts = delivery.deliver_due(now=clock_now(app))
    assert counts == {"delivered": 9, "retry": 0, "failed": 0}
    assert {d.status for d in deliveries(app)} == {"delivered"}
    paths = [r.path for r in received(httpserver)]
    assert paths.index("/quiet") < 6  # in the first round, not after the busy one's 7
    assert sorted(d.endpoint_id for d in deliveries(app)) == [busy] * 8 + [quiet]


def clock_now(app):
    from scheduler.clock import current_time

    with app.app_context():
        return current_time()
