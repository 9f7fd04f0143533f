"""Invitations end to end: outbox rows, a real SMTP server on loopback, real parsers."""
import email
import re
from email import policy

import icalendar
import vobject
from sqlalchemy import select

from scheduler.background.jobs import run_due
from scheduler.extensions import db
from scheduler.mail.models import Delivery

from .conftest import START_OF_TESTS, post_form
from .test_ceremonies import FORM as CEREMONY_FORM


def crowd(factory, client, count: int, prefix: str):
    """A scheduled ceremony with `count` people with email at its host site."""
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BCA", is_host=True)
    for n in range(count):
        factory.attendee(ceremony, site, full_name=f"Đại biểu {n:02d}",
                         email=f"{prefix}{n:02d}@example.vn")
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    return ceremony


def send_invitations(client, ceremony):
    return post_form(client, f"/ceremonies/{ceremony.id}/invitations/send", {},
                     token_from=f"/ceremonies/{ceremony.id}/invitations")


def parse(received):
    return email.message_from_bytes(received.data, policy=policy.default)


def calendar_of(message):
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    return part, icalendar.Calendar.from_ical(part.get_payload(decode=True))


def deliveries(app):
    with app.app_context():
        return db.session.scalars(select(Delivery).order_by(Delivery.id)).all()


def test_send_invitations_delivers_one_personal_message_per_attendee(app, client, smtp, planned):
    ceremony, host, bni, people = planned
    response = send_invitations(client, ceremony)
    assert response.status_code == 302
    assert smtp.messages == []  # the request only queued the work
    run_due(app)
    assert sorted(r for m in smtp.messages for r in m.recipients) == [
        "anna@example.org", "lan@example.vn", "thang@example.vn"]
    assert all(len(m.recipients) == 1 for m in smtp.messages)

    [received] = smtp.to("thang@example.vn")
    raw = received.data
    assert b"\r\n" in raw and re.search(rb"(?<!\r)\n", raw) is None  # CRLF only
    header_block = raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?utf-8?" in header_block.lower()  # Vietnamese subject as encoded words
    assert [line for line in header_block.split(b"\r\n") if len(line) > 78] == []
    message = parse(received)
    assert message["Subject"].startswith("Giấy mời") and "Lễ kỷ niệm 55 năm" in message["Subject"]
    assert message["Message-ID"] and message["Date"]
    assert "Bùi Chiến Thắng" in str(message["To"])
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain", "text/html", "text/calendar"]
    calendar_part = alternative.get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_param("charset").upper() == "UTF-8"
    assert attachment.get_filename() == "invite.ics"
    assert attachment["Content-Transfer-Encoding"] == "base64"
    assert attachment.get_payload(decode=True) == calendar_part.get_payload(decode=True)

    text = alternative.get_payload()[0].get_content()
    assert "Điểm cầu Công an tỉnh Bắc Ninh" in text and "Hội trường A" in text
    assert "sip:bni@vc.bocongan.example" in text and "mã PIN 1967" in text
    link = re.search(r"https?://\S+/r/\S+", text).group(0)
    page = client.get(link.split("//", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert page.status_code == 200 and "Bùi Chiến Thắng" in page.get_data(as_text=True)

    ics = calendar_part.get_payload(decode=True)
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["METHOD"]) == "REQUEST"
    [event] = cal.walk("VEVENT")
    assert str(event["UID"]) == ceremony.uid and int(event["SEQUENCE"]) == 0
    assert str(event["LOCATION"]).startswith("Điểm cầu Công an tỉnh Bắc Ninh, Hội trường A")
    attendees = event.get("ATTENDEE")
    assert not isinstance(attendees, list)  # only this recipient
    assert str(attendees).lower() == "mailto:thang@example.vn"
    assert attendees.params["RSVP"] == "TRUE" and attendees.params["PARTSTAT"] == "NEEDS-ACTION"
    assert "Bùi Chiến Thắng" in attendees.params["CN"]
    assert len(event.walk("VALARM")) == 2
    assert event["DTSTART"].dt.tzinfo is not None and event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event["DTSTART"].dt == ceremony.starts_at
    parsed = vobject.readOne(ics.decode())  # an independent parser agrees
    assert parsed.vevent.location.value == str(event["LOCATION"])
    assert parsed.vevent.dtstart.value == ceremony.starts_at


def test_each_attendee_reads_their_own_language(app, client, smtp, planned):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    run_due(app)
    english = parse(smtp.to("anna@example.org")[0])
    assert english["Subject"].startswith("Invitation:")
    assert "You are invited" in english.get_body(("plain",)).get_content()
    vietnamese = parse(smtp.to("lan@example.vn")[0])
    assert "Kính gửi" in vietnamese.get_body(("plain",)).get_content() or \
        "Nguyễn Thị Lan" in vietnamese.get_body(("plain",)).get_content()


def test_sending_again_and_running_twice_sends_nothing_twice(app, client, smtp, planned):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    send_invitations(client, ceremony)  # a second click before the worker ran
    run_due(app)
    run_due(app)
    send_invitations(client, ceremony)  # everyone is invited already
    run_due(app)
    assert len(smtp.messages) == 3
    assert len({m.recipients[0] for m in smtp.messages}) == 3


def test_a_time_change_sends_every_invited_attendee_an_update(app, client, smtp, planned):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    run_due(app)
    post_form(client, f"/ceremonies/{ceremony.id}/edit", {
        **CEREMONY_FORM, "title": ceremony.title, "starts_at": "2027-05-21T08:00",
        "ends_at": "2027-05-21T10:00", "rehearsal_at": "", "join_details": ceremony.join_details})
    run_due(app)
    updates = smtp.messages[3:]
    assert sorted(m.recipients[0] for m in updates) == ["anna@example.org", "lan@example.vn",
                                                        "thang@example.vn"]
    for received in updates:
        message = parse(received)
        _part, cal = calendar_of(message)
        [event] = cal.walk("VEVENT")
        assert int(event["SEQUENCE"]) == 1 and str(event["UID"]) == ceremony.uid
        assert event["DTSTART"].dt.hour == 8
    assert parse(smtp.to("lan@example.vn")[1])["Subject"].startswith("Cập nhật")


def test_a_change_nobody_sees_sends_nothing(app, client, smtp, planned):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    run_due(app)
    post_form(client, f"/ceremonies/{ceremony.id}/edit", {
        **CEREMONY_FORM, "title": ceremony.title, "starts_at": "2027-05-20T10:00",
        "ends_at": "2027-05-20T12:00", "rehearsal_at": "", "join_details": ceremony.join_details,
        "chair": "Người khác"})
    run_due(app)
    assert len(smtp.messages) == 3


def test_moving_an_attendee_updates_only_them_with_the_new_site(app, client, smtp, planned):
    ceremony, host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    person = people["lan"]
    post_form(client, f"/ceremonies/{ceremony.id}/attendees/{person.id}/edit", {
        "full_name": person.full_name, "email": person.email, "category": "delegate",
        "language": "vi", "site_id": host.id})
    run_due(app)
    [update] = smtp.messages[3:]
    assert update.recipients == ["lan@example.vn"]
    _part, cal = calendar_of(parse(update))
    [event] = cal.walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1 and str(event["LOCATION"]).startswith("Điểm cầu Bộ Công an")


def test_removing_an_attendee_sends_them_a_cancellation(app, client, smtp, planned):
    ceremony, host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    person = people["thang"]
    post_form(client, f"/ceremonies/{ceremony.id}/attendees/{person.id}/delete", {},
              token_from=f"/ceremonies/{ceremony.id}/attendees/{person.id}/edit")
    run_due(app)
    [cancel] = smtp.messages[3:]
    assert cancel.recipients == ["thang@example.vn"]
    part, cal = calendar_of(parse(cancel))
    assert part.get_param("method") == "CANCEL" and str(cal["METHOD"]) == "CANCEL"
    [event] = cal.walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


def test_cancelling_the_ceremony_cancels_it_in_every_calendar(app, client, smtp, planned):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    run_due(app)
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    run_due(app)
    cancels = smtp.messages[3:]
    assert len(cancels) == 3
    for received in cancels:
        message = parse(received)
        part, cal = calendar_of(message)
        [event] = cal.walk("VEVENT")
        assert str(cal["METHOD"]) == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1
        assert vobject.readOne(part.get_payload(decode=True).decode()).vevent.status.value == "CANCELLED"


def test_a_newer_change_supersedes_a_pending_older_message(app, client, smtp, planned):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    with app.app_context():  # queue, but the server has not had the messages yet
        from scheduler.mail import fanout
        from scheduler.clock import current_time

        fanout.run_queued_jobs(now=current_time())
    post_form(client, f"/ceremonies/{ceremony.id}/edit", {
        **CEREMONY_FORM, "title": ceremony.title, "starts_at": "2027-05-21T08:00",
        "ends_at": "2027-05-21T10:00", "rehearsal_at": "", "join_details": ceremony.join_details})
    run_due(app)
    assert len(smtp.messages) == 3  # one each, and it is the newer one
    for received in smtp.messages:
        _part, cal = calendar_of(parse(received))
        assert int(cal.walk("VEVENT")[0]["SEQUENCE"]) == 1
    statuses = sorted(d.status for d in deliveries(app))
    assert statuses == ["sent"] * 3 + ["superseded"] * 3


def test_server_outage_in_the_middle_delays_and_never_duplicates(app, client, smtp, factory, clock):
    ceremony = crowd(factory, client, 30, "db")
    send_invitations(client, ceremony)
    # The server answers 421 to everyone after the tenth message: a busy or dying server.
    original = smtp.handler.handle_DATA

    async def failing_after_ten(server, session, envelope):
        if len(smtp.messages) >= 10:
            return "421 4.3.2 service shutting down"
        return await original(server, session, envelope)

    smtp.handler.handle_DATA = failing_after_ten
    run_due(app)
    assert len(smtp.messages) == 10
    smtp.stop()  # now it is down altogether
    clock.advance(minutes=5)
    run_due(app)
    assert len(smtp.messages) == 10
    smtp.handler.handle_DATA = original
    smtp.start()  # back, on the same port
    run_due(app)  # not yet due: the retry waits for its backoff
    clock.advance(hours=3)
    run_due(app)
    recipients = [m.recipients[0] for m in smtp.messages]
    assert len(recipients) == 30 and len(set(recipients)) == 30
    assert all(d.status == "sent" for d in deliveries(app))


def test_a_permanent_refusal_is_marked_and_shown_with_the_servers_answer(app, client, smtp, planned):
    ceremony, host, bni, people = planned
    smtp.handler.refuse_permanently.add("lan@example.vn")
    send_invitations(client, ceremony)
    run_due(app)
    failed = [d for d in deliveries(app) if d.status == "failed"]
    assert [d.recipient_email for d in failed] == ["lan@example.vn"]
    assert "550" in failed[0].last_error and "mailbox unavailable" in failed[0].last_error
    page = client.get(f"/ceremonies/{ceremony.id}/invitations").get_data(as_text=True)
    assert "550 5.1.1 mailbox unavailable" in page
    site_page = client.get(f"/ceremonies/{ceremony.id}/sites/{bni.id}").get_data(as_text=True)
    assert "550 5.1.1 mailbox unavailable" in site_page


def test_a_temporary_refusal_is_retried_later(app, client, smtp, planned, clock):
    ceremony, *_ = planned
    smtp.handler.refuse_temporarily.add("lan@example.vn")
    send_invitations(client, ceremony)
    run_due(app)
    waiting = [d for d in deliveries(app) if d.recipient_email == "lan@example.vn"][0]
    assert waiting.status == "pending" and "451" in waiting.last_error
    assert waiting.next_attempt_at > clock()
    smtp.handler.refuse_temporarily.clear()
    clock.advance(minutes=2)
    run_due(app)
    assert len(smtp.to("lan@example.vn")) == 1


def test_a_worker_that_died_mid_send_gives_its_claim_back_after_the_lease(app, client, smtp,
                                                                          planned, clock):
    from scheduler.mail import fanout, outbox

    ceremony, *_ = planned
    send_invitations(client, ceremony)
    with app.app_context():
        fanout.run_queued_jobs(now=clock())
        _token, claimed = outbox.claim(clock(), limit=10)  # …and the process dies here
    assert len(claimed) == 3
    run_due(app)
    assert smtp.messages == []  # still claimed by the dead worker
    clock.advance(minutes=6)
    run_due(app)
    assert len(smtp.messages) == 3


def test_resend_to_one_site(app, client, smtp, planned):
    ceremony, host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    post_form(client, f"/ceremonies/{ceremony.id}/invitations/resend",
              {"scope": "site", "scope_id": bni.id}, token_from=f"/ceremonies/{ceremony.id}/invitations")
    run_due(app)
    again = sorted(m.recipients[0] for m in smtp.messages[3:])
    assert again == ["lan@example.vn", "thang@example.vn"]


def test_invitations_need_a_scheduled_ceremony(app, client, smtp, factory):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BCA", is_host=True)
    factory.attendee(ceremony, site, email="x@example.vn")
    send_invitations(client, ceremony)
    run_due(app)
    assert smtp.messages == [] and deliveries(app) == []


def test_progress_is_reported_as_json(app, client, smtp, planned):
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    before = client.get(f"/ceremonies/{ceremony.id}/invitations/progress.json").get_json()
    assert before["jobs_waiting"] == 1 and before["busy"] is True
    run_due(app)
    after = client.get(f"/ceremonies/{ceremony.id}/invitations/progress.json").get_json()
    assert after["sent"] == 3 and after["total"] == 3 and after["busy"] is False
    assert after["without_email"] == 1 and after["invited"] == 3


def test_file_transport_for_development_and_the_outbox_pages(app, client, planned, tmp_path,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    ceremony, *_ = planned
    send_invitations(client, ceremony)
    run_due(app)
    files = sorted(tmp_path.glob("*.eml"))
    assert len(files) == 3 and b"BEGIN:VCALENDAR" not in files[0].read_bytes()  # base64 parts
    listing = client.get(f"/ceremonies/{ceremony.id}/outbox").get_data(as_text=True)
    assert listing.count("thang@example.vn") == 1
    delivery = next(d for d in deliveries(app) if d.recipient_email == "thang@example.vn")
    shown = client.get(f"/ceremonies/{ceremony.id}/outbox/{delivery.id}").get_data(as_text=True)
    assert "METHOD:REQUEST" in shown and "Điểm cầu Công an tỉnh Bắc Ninh" in shown
    assert "Giấy mời: Lễ kỷ niệm 55 năm" in shown  # headers shown decoded, not as =?utf-8?


def test_cli_sends_with_progress_bars(app, runner, smtp, planned):
    ceremony, *_ = planned
    result = runner.invoke(args=["send-invitations", str(ceremony.id)])
    assert result.exit_code == 0, result.output
    assert "Queueing" in result.output and "Delivering" in result.output
    assert "3 queued; 0 failed; 0 waiting" in result.output
    assert len(smtp.messages) == 3
    again = runner.invoke(args=["send-invitations", str(ceremony.id)])
    assert "0 queued" in again.output and len(smtp.messages) == 3


def test_a_new_address_cancels_at_the_old_one_and_invites_the_new(app, client, smtp, planned):
    ceremony, host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    person = people["lan"]
    post_form(client, f"/ceremonies/{ceremony.id}/attendees/{person.id}/edit", {
        "full_name": person.full_name, "email": "lan.moi@example.vn", "category": "delegate",
        "language": "vi", "site_id": bni.id})
    run_due(app)
    [old, new] = smtp.messages[3:]
    assert old.recipients == ["lan@example.vn"] and new.recipients == ["lan.moi@example.vn"]
    _part, cancel = calendar_of(parse(old))
    _part, invite = calendar_of(parse(new))
    assert str(cancel["METHOD"]) == "CANCEL" and str(invite["METHOD"]) == "REQUEST"
    assert int(invite.walk("VEVENT")[0]["SEQUENCE"]) > int(cancel.walk("VEVENT")[0]["SEQUENCE"])


def test_two_workers_at_once_send_each_message_once(app, client, smtp, factory):
    import threading

    from scheduler.mail import fanout, outbox

    ceremony = crowd(factory, client, 40, "w")
    send_invitations(client, ceremony)
    with app.app_context():
        fanout.run_queued_jobs(now=START_OF_TESTS)
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            with app.app_context():
                start.wait()
                while outbox.deliver_due(now=START_OF_TESTS, limit=7)["sent"]:
                    pass
        except Exception as error:  # surfaced below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    recipients = [m.recipients[0] for m in smtp.messages]
    assert len(recipients) == 40 and len(set(recipients)) == 40


def test_invitations_skip_people_not_coming_and_sites_that_declined(app, client, smtp, planned):
    from sqlalchemy import update

    from scheduler.planning.models import Attendee, Site
    ceremony, host, bni, people = planned
    with app.app_context():
        db.session.execute(update(Attendee).where(Attendee.id == people["guest"].id)
                           .values(site_confirmation="not_coming"))
        db.session.execute(update(Site).where(Site.id == bni.id).values(status="declined"))
        db.session.commit()
    send_invitations(client, ceremony)
    run_due(app)
    assert smtp.messages == []  # Anna is not coming; Thắng and Lan's site declined
