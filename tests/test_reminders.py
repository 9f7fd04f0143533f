"""Reminders: rules, rows planned from the ceremony's times, the due pass, the
missed-while-down policy, and delivery through a real SMTP server."""
import email
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
from sqlalchemy import select, update

from scheduler.auth.models import User
from scheduler.background.jobs import run_due
from scheduler.extensions import db
from scheduler.mail.models import Delivery
from scheduler.planning.models import Ceremony, Site
from scheduler.reminders import runner
from scheduler.reminders.models import Reminder, ReminderRule
from scheduler.reminders.schedule import RuleSpec, occurrences

from .conftest import START_OF_TESTS, post_form, snapshot
from .test_ceremonies import FORM as CEREMONY_FORM

STARTS = START_OF_TESTS + timedelta(days=10)  # the `planned` ceremony: 2027-05-20 10:00 in Hà Nội


@pytest.fixture
def planned(planned, app, client, smtp):
    """The shared scheduled ceremony, its invitations already delivered: reminders
    follow invitations, never replace them."""
    ceremony = planned[0]
    post_form(client, f"/ceremonies/{ceremony.id}/invitations/send", {},
              token_from=f"/ceremonies/{ceremony.id}/invitations")
    run_due(app)
    smtp.messages.clear()
    return planned


def reminders(app, ceremony_id, status=None):
    with app.app_context():
        query = select(Reminder).where(Reminder.ceremony_id == ceremony_id)
        if status:
            query = query.where(Reminder.status == status)
        return [snapshot(r) for r in db.session.scalars(query.order_by(Reminder.due_at, Reminder.id))]


def rule_of(app, ceremony_id, audience, offset=None):
    with app.app_context():
        query = select(ReminderRule).where(ReminderRule.ceremony_id == ceremony_id,
                                           ReminderRule.audience == audience)
        if offset is not None:
            query = query.where(ReminderRule.offset_minutes == offset)
        return snapshot(db.session.scalars(query).one())


def body(received, kind="plain"):
    message = email.message_from_bytes(received.data, policy=policy.default)
    return message, message.get_body((kind,)).get_content()


def reminder_mail(app):
    with app.app_context():
        return [snapshot(d) for d in db.session.scalars(
            select(Delivery).where(Delivery.method.is_(None)).order_by(Delivery.id))]


# The pure schedule ---------------------------------------------------------

def test_a_rule_fires_its_offset_before_its_anchor():
    start = datetime(2027, 5, 20, 3, 0, tzinfo=UTC)
    rehearsal = start - timedelta(days=1)
    kwargs = dict(starts_at=start, rehearsal_at=rehearsal, timezone="Asia/Ho_Chi_Minh")
    assert occurrences(RuleSpec("attendees", "start", 60), **kwargs) == [start - timedelta(hours=1)]
    assert occurrences(RuleSpec("coordinators", "rehearsal", 120), **kwargs) == [
        rehearsal - timedelta(hours=2)]
    assert occurrences(RuleSpec("coordinators", "rehearsal", 120),
                       **{**kwargs, "rehearsal_at": None}) == []


def test_a_digest_fires_daily_at_local_time_inside_its_window():
    start = datetime(2027, 5, 20, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
    digest = RuleSpec("organizers", "start", 3 * 24 * 60, daily_minute=8 * 60)
    moments = occurrences(digest, starts_at=start, rehearsal_at=None, timezone="Asia/Ho_Chi_Minh")
    # Window opens 17 May 10:00 local: 08:00 on the 17th is before it; the 20th's is before the start.
    assert moments == [datetime(2027, 5, d, 1, 0, tzinfo=UTC) for d in (18, 19, 20)]
    # Across a DST change the local hour holds (08:00 Paris is 06:00 then 07:00 UTC).
    spring = datetime(2027, 3, 30, 12, 0, tzinfo=UTC)
    paris = occurrences(RuleSpec("organizers", "start", 4 * 24 * 60, daily_minute=8 * 60),
                        starts_at=spring, rehearsal_at=None, timezone="Europe/Paris")
    assert [(m.day, m.hour) for m in paris] == [(27, 7), (28, 6), (29, 6), (30, 6)]  # DST on the 28th


# Planning ------------------------------------------------------------------

def test_a_new_ceremony_gets_the_default_rules_and_reminders_once_scheduled(app, client, factory):
    ceremony = factory.ceremony(rehearsal_at=STARTS - timedelta(days=1))
    with app.app_context():
        audiences = sorted((r.audience, r.offset_minutes) for r in db.session.scalars(
            select(ReminderRule).where(ReminderRule.ceremony_id == ceremony.id)))
    assert audiences == [("attendees", 60), ("attendees", 1440), ("coordinators", 120),
                         ("organizers", 10080), ("unconfirmed", 2880)]
    assert reminders(app, ceremony.id) == []  # a draft reminds nobody
    factory.site(ceremony, code="BCA", is_host=True)
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    due = [(r.audience, r.due_at) for r in reminders(app, ceremony.id) if r.audience != "organizers"]
    assert due == [("unconfirmed", STARTS - timedelta(days=2)),
                   ("coordinators", STARTS - timedelta(days=1, hours=2)),
                   ("attendees", STARTS - timedelta(days=1)),
                   ("attendees", STARTS - timedelta(hours=1))]
    assert len([r for r in reminders(app, ceremony.id) if r.audience == "organizers"]) == 7


def test_changing_the_time_moves_the_reminders(app, client, planned):
    ceremony = planned[0]
    before = {r.due_at for r in reminders(app, ceremony.id)}
    form = {**CEREMONY_FORM, "title": ceremony.title, "starts_at": "2027-06-15T14:00",
            "ends_at": "2027-06-15T16:30", "rehearsal_at": ""}
    assert post_form(client, f"/ceremonies/{ceremony.id}/edit", form).status_code == 302
    new_start = datetime(2027, 6, 15, 7, 0, tzinfo=UTC)
    after = reminders(app, ceremony.id)
    assert not before & {r.due_at for r in after}
    attendee_due = [r.due_at for r in after if r.audience == "attendees"]
    assert attendee_due == [new_start - timedelta(days=1), new_start - timedelta(hours=1)]
    assert all(r.status == "planned" for r in after)


def test_a_moment_already_past_when_planned_is_skipped_not_sent(app, client, factory, clock):
    clock.now = STARTS - timedelta(hours=5)  # scheduled late: the 24 h and 48 h moments are gone
    ceremony = factory.ceremony(starts_at=STARTS)
    factory.site(ceremony, code="BCA", is_host=True)
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    rows = {(r.audience, r.due_at): r for r in reminders(app, ceremony.id)}
    assert rows[("attendees", STARTS - timedelta(days=1))].status == "skipped"
    assert rows[("attendees", STARTS - timedelta(hours=1))].status == "planned"


def test_cancelling_removes_the_planned_reminders(app, client, planned):
    ceremony = planned[0]
    assert reminders(app, ceremony.id, "planned")
    post_form(client, f"/ceremonies/{ceremony.id}/cancel", {}, token_from="/")
    assert reminders(app, ceremony.id, "planned") == []


# The due pass --------------------------------------------------------------

def recipients(smtp, digests=False) -> list[str]:
    """Who received mail; without the organizer's daily digest (tested on its own),
    which falls due beside many reminders."""
    return sorted(r for m in smtp.messages for r in m.recipients
                  if digests or r != "organizer@example.vn")


def test_attendees_are_reminded_in_their_language_with_their_site_time_and_link(
        app, client, smtp, planned, clock):
    ceremony, host, bni, people = planned
    clock.now = STARTS - timedelta(days=1)
    run_due(app)
    vi_message, vi_text = body(smtp.to("thang@example.vn")[0])
    assert vi_message["Subject"].startswith("Nhắc lịch: ")
    assert "Xin nhắc" in vi_text and "Điểm cầu Công an tỉnh Bắc Ninh" in vi_text
    assert "10:00" in vi_text and "Đại tá Bùi Chiến Thắng" in vi_text
    en_message, en_text = body(smtp.to("anna@example.org")[0])
    assert en_message["Subject"].startswith("Reminder: ") and "A reminder" in en_text
    assert "Điểm cầu Bộ Công an" in en_text
    # No calendar object: a reminder must not touch the calendar entry.
    assert all(p.get_content_type() != "text/calendar" for p in en_message.walk())
    link = "/r/" + en_text.split("/r/", 1)[1].split()[0]
    assert "Anna Schmidt" in client.get(link).get_data(as_text=True)
    # Beside the attendees' reminders, the organizer's daily digest fell due at the same time.
    assert "organizer@example.vn" in recipients(smtp, digests=True)
    assert recipients(smtp) == ["anna@example.org", "lan@example.vn", "thang@example.vn"]
    [row] = [r for r in reminders(app, ceremony.id)
             if r.due_at == clock.now and r.audience == "attendees"]
    assert row.status == "sent" and row.queued == 3
    assert '"no_address": 1' in row.note  # Trần Văn Không Thư has no address


def test_declined_attendees_are_not_reminded(app, client, smtp, planned, clock):
    ceremony, host, bni, people = planned
    with app.app_context():
        db.session.execute(update(db.metadata.tables["attendees"])
                           .where(db.metadata.tables["attendees"].c.id == people["lan"].id)
                           .values(partstat="DECLINED"))
        db.session.commit()
    clock.now = STARTS - timedelta(days=1)
    run_due(app)
    assert smtp.to("lan@example.vn") == []
    assert len(smtp.to("thang@example.vn")) == 1


def test_coordinators_get_the_rehearsal_reminder_with_their_site_link(app, client, smtp, factory, clock):
    ceremony = factory.ceremony(rehearsal_at=STARTS - timedelta(days=1))
    factory.site(ceremony, code="BCA", is_host=True, coordinator_email="bca@example.vn",
                 coordinator_name="Phạm Đầu Mối", status="confirmed")
    factory.site(ceremony, code="BNI", coordinator_email="bni@example.vn", coordinator_language="en",
                 status="confirmed")  # (pending sites also get the late "please confirm" reminder)
    factory.site(ceremony, code="HNI", coordinator_email="hni@example.vn", status="declined")
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    clock.now = STARTS - timedelta(days=1, hours=2)
    run_due(app)
    assert sorted(r for m in smtp.messages for r in m.recipients) == ["bca@example.vn", "bni@example.vn"]
    message, text = body(smtp.to("bni@example.vn")[0])
    assert message["Subject"].startswith("Technical rehearsal: ")
    assert "/s/" in text  # their coordinator link
    vi_message, vi_text = body(smtp.to("bca@example.vn")[0])
    assert vi_message["Subject"].startswith("Kiểm tra kỹ thuật: ") and "Phạm Đầu Mối" in vi_text


def test_unconfirmed_sites_are_asked_to_confirm_48_hours_before(app, client, smtp, factory, clock):
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True, coordinator_email="bca@example.vn",
                 status="confirmed")
    factory.site(ceremony, code="BNI", coordinator_email="bni@example.vn")
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    clock.now = STARTS - timedelta(days=2)
    run_due(app)
    assert recipients(smtp) == ["bni@example.vn"]
    message, _ = body(smtp.to("bni@example.vn")[0])
    assert message["Subject"].startswith("Đề nghị xác nhận tham dự của điểm cầu: ")


def test_the_organizers_digest_lists_unconfirmed_sites_and_failed_messages(
        app, client, smtp, planned, clock, make_user):
    make_user(email="admin@example.vn", role="admin", name="Quản Trị")
    with app.app_context():  # the ceremony's listed organizer reads English
        db.session.execute(update(User).where(User.id == client.user_id).values(language="en"))
        db.session.commit()
    clock.now = datetime(2027, 5, 14, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội, six days before
    run_due(app)
    [received] = smtp.to("organizer@example.vn")
    message, text = body(received)
    assert message["Subject"].startswith("Daily summary: ")
    assert "Sites not yet confirmed: 2" in text and "Điểm cầu Công an tỉnh Bắc Ninh" in text
    assert smtp.to("admin@example.vn") == []  # admins stand in only when nobody is listed


def test_a_ceremony_with_no_organizer_left_sends_its_digest_to_the_admins(
        app, client, smtp, factory, clock, make_user):
    make_user(email="admin@example.vn", role="admin", name="Quản Trị")
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True)
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    with app.app_context():  # the only organizer's account is disabled
        db.session.execute(update(User).where(User.id == client.user_id).values(active=False))
        db.session.commit()
    clock.now = datetime(2027, 5, 14, 1, 0, tzinfo=UTC)
    run_due(app)
    assert len(smtp.to("admin@example.vn")) == 1 and smtp.to("organizer@example.vn") == []


def test_a_digest_with_nothing_to_report_is_skipped(app, client, smtp, factory, clock, make_user):
    make_user(email="admin@example.vn", role="admin", name="Quản Trị")
    ceremony = factory.ceremony()
    factory.site(ceremony, code="BCA", is_host=True, status="confirmed")
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    clock.now = datetime(2027, 5, 14, 1, 0, tzinfo=UTC)
    run_due(app)
    assert smtp.messages == []
    [row] = [r for r in reminders(app, ceremony.id) if r.due_at == clock.now]
    assert row.status == "skipped" and "nothing_to_report" in row.note


def test_running_twice_or_claiming_twice_sends_once(app, client, smtp, planned, clock):
    clock.now = STARTS - timedelta(days=1)
    with app.app_context():
        claims = []
        while (claim := runner.claim_next(clock.now)) is not None:
            claims.append(claim)
        ids = [reminder.id for reminder, _ in claims]
        assert len(ids) == len(set(ids))  # a second claimer never takes a taken row
        first = next(c for c in claims if c[0].due_at == clock.now and c[0].audience == "attendees")
        for reminder, token in claims:
            runner._handle(reminder, token, clock.now)
        # Crash after the batch committed, before the row was marked: the lease runs
        # out and the row is taken again; the outbox keys turn the overlap into nothing.
        db.session.execute(update(Reminder).where(Reminder.id == first[0].id).values(
            status="running", cursor=0, queued=0, lease_until=clock.now - timedelta(seconds=1)))
        db.session.commit()
    run_due(app)
    run_due(app)
    assert recipients(smtp) == ["anna@example.org", "lan@example.vn", "thang@example.vn"]


# Missed while down ----------------------------------------------------------

def test_a_reminder_missed_while_down_is_sent_late_before_the_start(app, client, smtp, planned, clock):
    ceremony = planned[0]
    clock.now = STARTS - timedelta(hours=20)  # the 24 h reminder's moment passed 4 hours ago
    run_due(app)
    assert len(smtp.to("thang@example.vn")) == 1
    [row] = [r for r in reminders(app, ceremony.id) if r.due_at == STARTS - timedelta(days=1)]
    assert row.status == "sent" and '"reason": "late"' in row.note
    assert b"late" not in smtp.messages[0].data  # the attendee is not told about our outage


def test_only_the_latest_of_several_overdue_reminders_goes(app, client, smtp, planned, clock):
    ceremony = planned[0]
    clock.now = STARTS - timedelta(minutes=30)  # down through both the 24 h and the 1 h moments
    run_due(app)
    assert len(smtp.to("thang@example.vn")) == 1
    rows = {r.due_at: r for r in reminders(app, ceremony.id) if r.audience == "attendees"}
    assert rows[STARTS - timedelta(days=1)].status == "missed"
    assert "later_reminder" in rows[STARTS - timedelta(days=1)].note
    assert rows[STARTS - timedelta(hours=1)].status == "sent"


def test_after_the_start_a_missed_reminder_is_marked_missed_and_shown(app, client, smtp, planned, clock):
    ceremony = planned[0]
    clock.now = STARTS + timedelta(minutes=5)
    run_due(app)
    assert smtp.messages == []
    attendee_rows = [r for r in reminders(app, ceremony.id) if r.audience == "attendees"]
    assert {r.status for r in attendee_rows} == {"missed"}
    page = client.get(f"/ceremonies/{ceremony.id}/reminders").get_data(as_text=True)
    assert "Đã lỡ" in page or "Missed" in page


def test_a_rule_that_does_not_send_late_is_missed_when_late(app, client, smtp, planned, clock):
    ceremony = planned[0]
    rule = rule_of(app, ceremony.id, "attendees", 1440)
    with app.app_context():
        db.session.execute(update(ReminderRule).where(ReminderRule.id == rule.id).values(send_late=False))
        db.session.commit()
    clock.now = STARTS - timedelta(hours=20)
    run_due(app)
    assert recipients(smtp) == []
    [row] = [r for r in reminders(app, ceremony.id) if r.rule_id == rule.id]
    assert row.status == "missed" and "too_late" in row.note


def test_a_reminder_waiting_in_the_outbox_is_dropped_once_the_ceremony_starts(
        app, client, smtp, planned, clock):
    clock.now = STARTS - timedelta(hours=1)
    smtp.stop()  # the relay is down at the moment
    run_due(app)
    smtp.start()
    clock.now = STARTS + timedelta(minutes=1)
    run_due(app)
    assert smtp.messages == []
    assert {d.status for d in reminder_mail(app)} == {"superseded"}
    assert {d.last_error for d in reminder_mail(app)} == {"the ceremony has started"}


def test_an_outage_delays_reminders_and_never_duplicates_them(app, client, smtp, planned, clock):
    clock.now = STARTS - timedelta(days=1)
    smtp.stop()
    run_due(app)
    assert {d.status for d in reminder_mail(app)} == {"pending"}
    smtp.start()
    clock.advance(minutes=5)
    run_due(app)
    run_due(app)
    assert recipients(smtp) == ["anna@example.org", "lan@example.vn", "thang@example.vn"]


def test_a_time_change_withdraws_reminders_still_waiting_for_the_old_time(app, client, smtp, planned, clock):
    ceremony = planned[0]
    clock.now = STARTS - timedelta(days=1)
    smtp.stop()
    run_due(app)
    smtp.start()
    form = {**CEREMONY_FORM, "title": ceremony.title, "starts_at": "2027-06-15T14:00",
            "ends_at": "2027-06-15T16:30", "rehearsal_at": ""}
    assert post_form(client, f"/ceremonies/{ceremony.id}/edit", form).status_code == 302
    clock.advance(minutes=5)
    run_due(app)
    # Only the calendar update for the new time goes; nothing about a moment that no longer holds.
    assert smtp.messages and all(b"text/calendar" in m.data for m in smtp.messages)
    assert {d.status for d in reminder_mail(app)} == {"superseded"}


# Rules in the UI -------------------------------------------------------------

def test_the_reminders_page_shows_rules_upcoming_with_recipients_and_history(app, client, planned, clock):
    ceremony = planned[0]
    page = client.get(f"/ceremonies/{ceremony.id}/reminders").get_data(as_text=True)
    assert "1 ngày trước giờ khai mạc" in page and "1 giờ trước giờ khai mạc" in page
    assert 'id="upcoming-reminders"' in page
    # 3 attendees with an address (one has none) for each attendee reminder.
    upcoming = page.split('id="upcoming-reminders"')[1].split("</table>")[0]
    assert upcoming.count('<td class="num">3</td>') == 2


def test_adding_a_rule_plans_it_and_bad_input_shows_field_errors(app, client, planned):
    ceremony = planned[0]
    path = f"/ceremonies/{ceremony.id}/reminders/rules/new"
    response = post_form(client, path, {"audience": "organizers", "amount": "3", "unit": "days",
                                        "anchor": "start", "daily_time": "", "enabled": "y"})
    assert response.status_code == 200 and 'id="daily_time-error"' in response.get_data(as_text=True)
    response = post_form(client, path, {"audience": "attendees", "amount": "-1", "unit": "hours",
                                        "anchor": "start", "enabled": "y"})
    assert 'id="amount-error"' in response.get_data(as_text=True)
    count = len(reminders(app, ceremony.id))
    response = post_form(client, path, {"audience": "attendees", "amount": "3", "unit": "hours",
                                        "anchor": "start", "enabled": "y", "send_late": "y"})
    assert response.status_code == 302
    assert len(reminders(app, ceremony.id)) == count + 1
    assert STARTS - timedelta(hours=3) in {r.due_at for r in reminders(app, ceremony.id)}


def test_turning_a_rule_off_removes_its_planned_reminders_and_its_calendar_alarm(
        app, client, smtp, planned):
    ceremony = planned[0]
    rule = rule_of(app, ceremony.id, "attendees", 60)
    post_form(client, f"/ceremonies/{ceremony.id}/reminders/rules/{rule.id}/toggle", {},
              token_from=f"/ceremonies/{ceremony.id}/reminders")
    assert rule.id not in {r.rule_id for r in reminders(app, ceremony.id)}
    post_form(client, f"/ceremonies/{ceremony.id}/invitations/resend", {"scope": "ceremony"},
              token_from=f"/ceremonies/{ceremony.id}/invitations")
    run_due(app)
    raw = smtp.to("thang@example.vn")[0].data.decode()
    message = email.message_from_string(raw, policy=policy.default)
    ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    text = ics.get_payload(decode=True).decode()
    assert "TRIGGER:-PT1440M" in text and "TRIGGER:-PT60M" not in text


def test_a_rule_that_has_sent_cannot_be_deleted_only_turned_off(app, client, smtp, planned, clock):
    ceremony = planned[0]
    rule = rule_of(app, ceremony.id, "attendees", 1440)
    clock.now = STARTS - timedelta(days=1)
    run_due(app)
    response = post_form(client, f"/ceremonies/{ceremony.id}/reminders/rules/{rule.id}/delete", {},
                         token_from=f"/ceremonies/{ceremony.id}/reminders", follow_redirects=True)
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(ReminderRule, rule.id) is not None


def test_rules_of_another_ceremony_are_out_of_reach(app, client, planned, factory):
    other = factory.ceremony(title="Khác")
    rule = rule_of(app, other.id, "attendees", 60)
    ceremony = planned[0]
    assert client.get(f"/ceremonies/{ceremony.id}/reminders/rules/{rule.id}/edit").status_code == 404


def test_the_coordinators_link_is_mailed_through_the_outbox(app, client, smtp, factory):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BCA", is_host=True, coordinator_email="bca@example.vn")
    response = post_form(client, f"/ceremonies/{ceremony.id}/sites/{site.id}/send-link", {},
                         token_from=f"/ceremonies/{ceremony.id}/sites/{site.id}")
    assert response.status_code == 302
    assert smtp.messages == []  # queued, not sent in the request
    run_due(app)
    [received] = smtp.to("bca@example.vn")
    message, text = body(received)
    assert "/s/" in text
    with app.app_context():
        key = db.session.get(Site, site.id).link_key
    from scheduler.portal.tokens import read_site_token
    with app.test_request_context():
        assert read_site_token(text.split("/s/", 1)[1].split()[0]) == (site.id, key)


# Security ----------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'


def test_every_reminder_form_refuses_a_post_without_its_csrf_token(app, client, planned):
    ceremony, host, bni, people = planned
    rule = rule_of(app, ceremony.id, "attendees", 60)
    before = (reminders(app, ceremony.id), rule)
    c = ceremony.id
    for path, data in [
        (f"/ceremonies/{c}/reminders/rules/new", {"audience": "attendees", "amount": 2,
                                                  "unit": "hours", "anchor": "start"}),
        (f"/ceremonies/{c}/reminders/rules/{rule.id}/edit", {"audience": "attendees", "amount": 2,
                                                            "unit": "hours", "anchor": "start"}),
        (f"/ceremonies/{c}/reminders/rules/{rule.id}/toggle", {}),
        (f"/ceremonies/{c}/reminders/rules/{rule.id}/delete", {}),
        (f"/ceremonies/{c}/sites/{bni.id}/send-link", {}),
    ]:
        assert client.post(path, data=data).status_code == 400, path
    assert (reminders(app, ceremony.id), rule_of(app, ceremony.id, "attendees", 60)) == before
    assert reminder_mail(app) == []


def test_names_with_html_are_escaped_on_the_page_and_in_reminder_mail(app, client, smtp, factory, clock):
    ceremony = factory.ceremony(title=f"Lễ {SCRIPT}")
    site = factory.site(ceremony, code="BCA", is_host=True, name=f"Điểm cầu {SCRIPT}")
    factory.attendee(ceremony, site, full_name=f"Nguyễn {SCRIPT}", email="x@example.vn")
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    page = client.get(f"/ceremonies/{ceremony.id}/reminders").get_data(as_text=True)
    assert SCRIPT not in page and "&lt;script&gt;" in page
    post_form(client, f"/ceremonies/{ceremony.id}/invitations/send", {},
              token_from=f"/ceremonies/{ceremony.id}/invitations")
    run_due(app)
    clock.now = STARTS - timedelta(days=1)
    run_due(app)
    message, html = body(smtp.to("x@example.vn")[-1], "html")
    assert message["Subject"].startswith("Nhắc lịch")
    assert SCRIPT not in html and "&lt;script&gt;" in html


def test_an_organizer_s_language_choice_is_the_language_of_their_digest(app, client):
    client.get("/language/en")
    with app.app_context():
        assert db.session.get(User, client.user_id).language == "en"
    client.post("/logout", data={"csrf_token": ""})


def test_people_their_coordinator_marked_not_coming_are_not_reminded(app, client, smtp, planned, clock):
    ceremony, host, bni, people = planned
    with app.app_context():
        from scheduler.planning.models import Attendee
        db.session.execute(update(Attendee).where(Attendee.id == people["thang"].id)
                           .values(site_confirmation="not_coming"))
        db.session.commit()
    clock.now = STARTS - timedelta(days=1)
    run_due(app)
    assert smtp.to("thang@example.vn") == [] and len(smtp.to("lan@example.vn")) == 1


# What the review found: every way a reminder could reach the wrong person or go twice.

def outage_while_queued(app, smtp, clock, moment):
    """Reminders queued at `moment` while the relay is down: they wait in the outbox."""
    clock.now = moment
    smtp.stop()
    run_due(app)
    smtp.start()
    assert {d.status for d in reminder_mail(app)} == {"pending"}


def test_someone_removed_while_their_reminder_waits_gets_nothing(app, client, smtp, planned, clock):
    ceremony, host, bni, people = planned
    outage_while_queued(app, smtp, clock, STARTS - timedelta(days=1))
    post_form(client, f"/ceremonies/{ceremony.id}/attendees/{people['lan'].id}/delete", {},
              token_from=f"/ceremonies/{ceremony.id}/attendees/")
    clock.advance(minutes=5)
    run_due(app)
    received = [body(m)[0]["Subject"] for m in smtp.to("lan@example.vn")]
    assert received and all("Nhắc lịch" not in subject for subject in received)  # only the cancellation
    assert all(b"/s/" not in m.data for m in smtp.messages)  # no coordinator link to anyone


def test_an_old_address_gets_no_reminder_and_no_working_link(app, client, smtp, planned, clock):
    ceremony, host, bni, people = planned
    outage_while_queued(app, smtp, clock, STARTS - timedelta(days=1))
    with app.app_context():
        from scheduler.planning.models import Attendee
        from scheduler.planning.operations import attendees
        person = db.session.get(Attendee, people["lan"].id)
        values = {k: getattr(person, k) for k in attendees.ATTENDEE_FIELDS}
        attendees.update_attendee(db.session.get(Ceremony, ceremony.id), person, person.site_id,
                                  {**values, "email": "lan.moi@example.vn"}, moved_by_id=None,
                                  now=clock.now)
        db.session.commit()
    clock.advance(minutes=5)
    run_due(app)
    assert all("Nhắc lịch" not in body(m)[0]["Subject"] for m in smtp.to("lan@example.vn"))


def test_a_reminder_withdrawn_while_it_is_being_sent_stops(app, client, smtp, planned, clock):
    ceremony = planned[0]
    clock.now = STARTS - timedelta(days=1)
    with app.app_context():
        while (claim := runner.claim_next(clock.now)) is not None:
            if claim[0].audience == "attendees":
                reminder, token = claim
                break
        from scheduler.reminders.planner import replan
        moved = db.session.get(Ceremony, ceremony.id)
        moved.starts_at += timedelta(days=7)
        moved.ends_at += timedelta(days=7)
        replan(moved, now=clock.now)  # what a time change does, while the sender works
        db.session.commit()
        runner._handle(db.session.get(Reminder, reminder.id), token, clock.now)
        row = db.session.get(Reminder, reminder.id)
        assert row is not None and row.status == "withdrawn"
    assert reminder_mail(app) == []


def test_a_passing_database_fault_delays_a_reminder_instead_of_losing_it(
        app, client, smtp, planned, clock, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from scheduler.reminders import audiences
    real = audiences.recipients_query
    faults = iter([OperationalError("SELECT", {}, Exception("database is locked"))])

    def flaky(audience, ceremony_id):
        fault = next(faults, None) if audience == "attendees" else None
        if fault is not None:
            raise fault
        return real(audience, ceremony_id)

    monkeypatch.setattr(audiences, "recipients_query", flaky)
    clock.now = STARTS - timedelta(days=1)
    run_due(app)
    assert smtp.to("thang@example.vn") == []
    [row] = [r for r in reminders(app, planned[0].id) if r.due_at == clock.now]
    assert row.status == "running" and "database is locked" in row.last_error
    clock.advance(minutes=3)  # past the first backoff
    run_due(app)
    assert len(smtp.to("thang@example.vn")) == 1


def test_a_restart_right_after_a_claim_does_not_make_a_punctual_reminder_late(
        app, client, smtp, factory, clock):
    ceremony = factory.ceremony(rehearsal_at=STARTS - timedelta(days=1))
    factory.site(ceremony, code="BCA", is_host=True, coordinator_email="bca@example.vn",
                 status="confirmed")
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    clock.now = STARTS - timedelta(days=1, hours=2)  # the rehearsal reminder: never sent late
    with app.app_context():
        taken = []  # …and the scheduler dies here, holding every claim it took
        while (claim := runner.claim_next(clock.now)) is not None:
            taken.append(claim[0].audience)
        assert "coordinators" in taken
    clock.advance(minutes=11)  # its lease runs out; a new scheduler takes it
    run_due(app)
    assert len(smtp.to("bca@example.vn")) == 1


def test_a_coordinator_rule_before_the_start_is_not_about_the_rehearsal(app, client, smtp, factory, clock):
    ceremony = factory.ceremony(rehearsal_at=STARTS - timedelta(days=2))
    factory.site(ceremony, code="BCA", is_host=True, coordinator_email="bca@example.vn",
                 status="confirmed")
    post_form(client, f"/ceremonies/{ceremony.id}/schedule", {}, token_from="/")
    response = post_form(client, f"/ceremonies/{ceremony.id}/reminders/rules/new",
                         {"audience": "coordinators", "amount": "3", "unit": "hours",
                          "anchor": "start", "enabled": "y", "send_late": "y"})
    assert response.status_code == 302
    clock.now = STARTS - timedelta(hours=3)
    run_due(app)
    [received] = smtp.to("bca@example.vn")
    message, text = body(received)
    assert message["Subject"].startswith("Nhắc lịch") and "Kiểm tra kỹ thuật diễn ra" not in text


def test_editing_a_rule_s_audience_changes_its_planned_reminders(app, client, planned):
    ceremony = planned[0]
    rule = rule_of(app, ceremony.id, "attendees", 60)
    post_form(client, f"/ceremonies/{ceremony.id}/reminders/rules/{rule.id}/edit",
              {"audience": "unconfirmed", "amount": "1", "unit": "hours", "anchor": "start",
               "enabled": "y", "send_late": "y"})
    assert {r.audience for r in reminders(app, ceremony.id) if r.rule_id == rule.id} == {"unconfirmed"}


def test_a_moved_person_is_reminded_of_their_new_site(app, client, smtp, planned, clock):
    ceremony, host, bni, people = planned
    outage_while_queued(app, smtp, clock, STARTS - timedelta(days=1))
    with app.app_context():
        from scheduler.planning.models import Attendee
        from scheduler.planning.operations import attendees
        attendees.move_attendee(db.session.get(Ceremony, ceremony.id),
                                db.session.get(Attendee, people["lan"].id), host.id, moved_by_id=None,
                                now=clock.now)
        db.session.commit()
    clock.advance(minutes=5)
    run_due(app)
    [reminder] = [m for m in smtp.to("lan@example.vn") if "Nhắc lịch" in body(m)[0]["Subject"]]
    text = body(reminder)[1]
    assert "Điểm cầu Bộ Công an" in text and "Bắc Ninh" not in text


def test_an_older_reminder_goes_when_the_later_one_may_not(app, client, smtp, planned, clock):
    ceremony = planned[0]
    rule = rule_of(app, ceremony.id, "attendees", 60)
    with app.app_context():
        db.session.execute(update(ReminderRule).where(ReminderRule.id == rule.id).values(send_late=False))
        db.session.commit()
    clock.now = STARTS - timedelta(minutes=30)  # down through both moments
    run_due(app)
    assert len(smtp.to("thang@example.vn")) == 1  # the 24 h one, late, rather than nothing


def test_never_invited_people_and_people_of_a_declined_site_are_not_reminded(
        app, client, smtp, planned, clock, factory):
    ceremony, host, bni, people = planned
    factory.attendee(ceremony, host, full_name="Mới Thêm", email="moi@example.vn")  # not invited yet
    set_site = update(Site).where(Site.id == bni.id).values(status="declined")
    with app.app_context():
        db.session.execute(set_site)
        db.session.commit()
    clock.now = STARTS - timedelta(days=1)
    run_due(app)
    assert recipients(smtp) == ["anna@example.org"]
    [row] = [r for r in reminders(app, ceremony.id) if r.due_at == clock.now]
    assert '"not_invited": 1' in row.note and '"site_declined": 2' in row.note


def test_a_coordinator_link_waiting_in_the_outbox_never_reaches_a_replaced_address(
        app, client, smtp, factory, clock):
    ceremony = factory.ceremony()
    site = factory.site(ceremony, code="BCA", is_host=True, coordinator_email="cu@example.vn")
    smtp.stop()
    post_form(client, f"/ceremonies/{ceremony.id}/sites/{site.id}/send-link", {},
              token_from=f"/ceremonies/{ceremony.id}/sites/{site.id}")
    run_due(app)  # the relay is down: the link waits in the outbox
    smtp.start()
    with app.app_context():
        db.session.execute(update(Site).where(Site.id == site.id).values(coordinator_email="moi@example.vn"))
        db.session.commit()
    clock.advance(minutes=5)
    run_due(app)
    assert smtp.to("cu@example.vn") == []


def test_a_duplicate_keeps_the_reminder_rules_its_source_was_given(app, client, planned):
    ceremony = planned[0]
    rule = rule_of(app, ceremony.id, "attendees", 60)
    post_form(client, f"/ceremonies/{ceremony.id}/reminders/rules/{rule.id}/toggle", {},
              token_from=f"/ceremonies/{ceremony.id}/reminders")
    post_form(client, f"/ceremonies/{ceremony.id}/reminders/rules/new",
              {"audience": "attendees", "anchor": "start", "amount": 3, "unit": "days",
               "send_late": "y", "enabled": "y"}, token_from=f"/ceremonies/{ceremony.id}/reminders")
    start = STARTS + timedelta(days=365)
    post_form(client, f"/ceremonies/{ceremony.id}/duplicate",
              {"title": "Lễ năm sau", "starts_at": start.strftime("%Y-%m-%dT%H:%M")},
              token_from=f"/ceremonies/{ceremony.id}/duplicate")

    def rules(ceremony_id):
        with app.app_context():
            return sorted((r.audience, r.anchor, r.offset_minutes, r.daily_minute, r.enabled, r.send_late)
                          for r in db.session.scalars(select(ReminderRule)
                                                      .where(ReminderRule.ceremony_id == ceremony_id)))

    with app.app_context():
        copy_id = db.session.scalar(select(Ceremony.id).where(Ceremony.title == "Lễ năm sau"))
    assert rules(copy_id) == rules(ceremony.id)
    assert (("attendees", "start", 3 * 1440, None, True, True) in rules(copy_id)
            and ("attendees", "start", 60, None, False, True) in rules(copy_id))
