"""What a long fan-out meets in real life: bad rows, slow or busy relays, late
changes, dead workers, reused links. Each would lose or duplicate mail if unhandled."""
import email
from datetime import timedelta
from email import policy

import pytest
from sqlalchemy import select

from scheduler.background.jobs import run_due
from scheduler.extensions import db
from scheduler.mail import fanout, mime, outbox
from scheduler.mail.models import Delivery, FanoutJob
from scheduler.planning.models import Attendee

from .conftest import attendee_path, post_form
from .test_feeds import feed_path
from .test_invitations import crowd, deliveries, send_invitations


def queue_invitations(app, client, ceremony, clock):
    send_invitations(client, ceremony)
    with app.app_context():
        fanout.run_queued_jobs(now=clock())


def test_an_address_with_accents_is_refused_by_the_form(app, client, planned):
    ceremony, _host, bni, _people = planned
    page = post_form(client, f"/ceremonies/{ceremony.id}/attendees/new", {
        "full_name": "Lê Dũng", "email": "dũng@example.vn", "category": "delegate",
        "language": "vi", "site_id": bni.id}).get_data(as_text=True)
    assert 'id="email-error"' in page


def test_a_message_that_cannot_be_built_fails_alone(app, client, smtp, planned, clock):
    ceremony, _host, _bni, people = planned
    queue_invitations(app, client, ceremony, clock)
    with app.app_context():  # e.g. an address imported before validation existed
        row = db.session.scalar(select(Delivery).where(Delivery.recipient_email == "lan@example.vn"))
        row.recipient_email = "lân@example.vn"
        db.session.commit()
    run_due(app)
    clock.advance(minutes=10)  # past any lease: nothing comes back to be sent again
    run_due(app)
    assert sorted(m.recipients[0] for m in smtp.messages) == ["anna@example.org", "thang@example.vn"]
    failed = [d for d in deliveries(app) if d.status == "failed"]
    assert len(failed) == 1 and "could not build" in failed[0].last_error


def test_cancelling_during_a_fan_out_stops_the_remaining_invitations(app, client, smtp, planned,
                                                                      clock):
    ceremony, *_ = planned
    queue_invitations(app, client, ceremony, clock)  # queued, none delivered yet
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    assert smtp.messages == []  # nobody had it in a calendar: nothing to send at all
    assert {d.status for d in deliveries(app)} == {"superseded"}


def test_header_values_cannot_smuggle_headers():
    subject = mime.encoded_header("Subject", "Lễ\r\nBcc: spy@example.org")
    to = mime.address_header("To", "A\nX-Injected: yes", "a@example.vn\r\nBcc: b@example.vn")
    for header in (subject, to):
        assert all(line.startswith(" ") for line in header.split("\r\n")[1:])
    parsed = email.message_from_bytes(
        mime.assemble(headers=[subject, to], text="x", html="y", ics=b"z", method="REQUEST"),
        policy=policy.default)
    assert parsed["Bcc"] is None and parsed["X-Injected"] is None


def test_a_deactivated_owners_feeds_stop(app, client, make_user):
    from scheduler.auth.models import User

    path = feed_path(post_form(client, "/feeds", {"kind": "organizer"}, token_from="/feeds"))
    assert app.test_client().get(path).status_code == 200
    with app.app_context():
        db.session.get(User, client.user_id).active = False
        db.session.commit()
    assert app.test_client().get(path).status_code == 404


def test_a_link_stops_working_when_the_address_changes(app, client, smtp, planned):
    ceremony, _host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    path = attendee_path(smtp.to("lan@example.vn")[0])
    assert app.test_client().get(path).status_code == 200
    person = people["lan"]
    post_form(client, f"/ceremonies/{ceremony.id}/attendees/{person.id}/edit", {
        "full_name": person.full_name, "email": "lan.moi@example.vn", "category": "delegate",
        "language": "vi", "site_id": bni.id})
    response = app.test_client().get(path)
    assert response.status_code == 410  # replaced by the new address's link: a page says so
    assert person.full_name not in response.get_data(as_text=True)


def test_a_reused_row_id_does_not_inherit_an_old_link(app, client, smtp, planned):
    ceremony, _host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    path = attendee_path(smtp.to("thang@example.vn")[0])
    with app.app_context():  # another person now holds that row id
        row = db.session.get(Attendee, people["thang"].id)
        row.full_name, row.link_key = "Người khác", "0" * 32
        db.session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "Người khác" not in response.get_data(as_text=True)


def test_a_slow_relay_keeps_its_claim_alive(app, client, factory, clock):
    ceremony = crowd(factory, client, 12, "s")
    queue_invitations(app, client, ceremony, clock)
    taken_by_a_second_worker = []

    class SlowRelay:  # 40 s a message: the batch outlasts a 5-minute lease twice over
        def open(self):
            pass

        def close(self):
            pass

        def send(self, sender, recipient, message, name=""):
            clock.advance(seconds=40)
            with app.app_context():
                taken_by_a_second_worker.extend(outbox.claim(clock(), 100)[1])
            return "250"

    with app.app_context():
        counts = outbox.deliver_due(now=clock(), transport=SlowRelay())
    assert counts["sent"] == 12 and taken_by_a_second_worker == []


def test_a_row_claimed_by_another_worker_is_not_marked_by_the_first(app, client, planned, clock):
    ceremony, *_ = planned
    queue_invitations(app, client, ceremony, clock)
    with app.app_context():
        stale_token, ids = outbox.claim(clock(), 100)
        clock.advance(minutes=6)  # the first worker stalled past its lease
        fresh_token, again = outbox.claim(clock(), 100)
        assert again == ids
        db.session.connection().execute(outbox.MARK_SENT, {
            "row_id": ids[0], "token": stale_token, "sent_at": clock(), "message_id": "<x@y>"})
        db.session.commit()
        assert db.session.get(Delivery, ids[0]).status == "sending"  # still the second's


def test_only_messages_actually_tried_count_as_attempts(app, client, smtp, factory, clock):
    ceremony = crowd(factory, client, 8, "a")
    original = smtp.handler.handle_DATA

    async def busy_after_three(server, session, envelope):
        if len(smtp.messages) >= 3:
            return "421 4.7.0 too many messages, slow down"
        return await original(server, session, envelope)

    smtp.handler.handle_DATA = busy_after_three
    queue_invitations(app, client, ceremony, clock)
    run_due(app)
    waiting = [d for d in deliveries(app) if d.status == "pending"]
    assert len(waiting) == 5
    assert sorted(d.attempts for d in waiting)[-1] <= 1  # the untried ones spent nothing
    assert sum(d.attempts for d in waiting) <= len(waiting) - 1 + 1


def test_one_deferred_recipient_does_not_hold_up_the_others(app, client, smtp, planned):
    ceremony, *_ = planned
    smtp.handler.refuse_temporarily.add("thang@example.vn")
    send_invitations(client, ceremony)
    counts = run_due(app)
    assert counts["sent"] == 2 and counts["retry"] == 1
    assert sorted(m.recipients[0] for m in smtp.messages) == ["anna@example.org", "lan@example.vn"]


def test_an_invitation_given_back_after_its_cancellation_is_superseded(app, client, planned, clock):
    ceremony, *_ = planned
    queue_invitations(app, client, ceremony, clock)
    with app.app_context():
        _token, ids = outbox.claim(clock(), 100)
        rows = db.session.scalars(
            select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id)).all()
        newer = dict(rows[0].__dict__)  # a cancellation to the same address, queued meanwhile
        db.session.add(Delivery(**{k: newer[k] for k in (
            "ceremony_id", "attendee_id", "site_id", "recipient_email", "recipient_name", "language",
            "created_at")}, method="CANCEL", kind="cancellation", sequence=rows[0].sequence + 1,
            idempotency_key="test-cancel", status="pending", next_attempt_at=clock()))
        db.session.commit()
        outbox._give_back([rows[0]], clock(), "451 later", tried=True)
        assert db.session.get(Delivery, ids[0]).status == "superseded"


def test_a_job_whose_worker_died_is_finished_by_the_next_pass(app, client, smtp, planned, clock):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    with app.app_context():  # a worker took the job and died before queueing anything
        job = db.session.scalar(select(FanoutJob))
        job.status, job.lease_until = "running", clock() + timedelta(minutes=10)
        db.session.commit()
    run_due(app)
    assert smtp.messages == []  # its lease still runs
    clock.advance(minutes=11)
    run_due(app)
    assert len(smtp.messages) == 3


def test_sites_of_a_cancelled_ceremony_stay_as_they_were(app, client, smtp, planned):
    ceremony, _host, bni, _people = planned
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    page = post_form(client, f"/ceremonies/{ceremony.id}/sites/{bni.id}/edit", {
        "name": bni.name, "code": "BNI", "status": "pending", "room": "Phòng khác"})
    assert page.status_code == 200
    with app.app_context():
        from scheduler.planning.models import Site

        assert db.session.get(Site, bni.id).room == "Hội trường A"


@pytest.mark.parametrize("authorization", ["Bearer ñ", "Basic dXNlcg=="])
def test_gateway_refuses_odd_authorization_cleanly(app, monkeypatch, authorization):
    monkeypatch.setitem(app.config, "ITIP_GATEWAY_TOKEN", "gateway-secret")
    response = app.test_client().post("/itip/reply", data=b"x",
                                      headers={"Authorization": authorization.encode().decode("latin-1")})
    assert response.status_code == 401


def test_a_reply_with_a_broken_timestamp_is_still_read(app, planned, fetch, monkeypatch, clock):
    from scheduler import calendar

    ceremony, _host, _bni, people = planned
    reply = calendar.build_reply(ceremony.uid, 0,
                                 calendar.Invitee("lan@example.vn", "Lan", partstat="ACCEPTED"),
                                 calendar.Person("o@example.vn", "O"), clock())
    stamp = b"DTSTAMP:" + clock().strftime("%Y%m%dT%H%M%SZ").encode()
    assert stamp in reply
    monkeypatch.setitem(app.config, "ITIP_GATEWAY_TOKEN", "gateway-secret")
    response = app.test_client().post("/itip/reply", data=reply.replace(stamp, b"DTSTAMP:soon"),
                                      content_type="text/calendar",
                                      headers={"Authorization": "Bearer gateway-secret"})
    assert response.status_code == 200
    assert fetch(Attendee, people["lan"].id).partstat == "ACCEPTED"
