"""Attendees' answers: iTIP REPLY (uploaded or from a mail gateway) and the attendee page."""
from datetime import UTC, datetime
from email.message import EmailMessage

import icalendar
import pytest
import vobject

from scheduler import calendar
from scheduler.background.jobs import run_due
from scheduler.planning.models import Attendee

from .conftest import attendee_path, post_form
from .test_invitations import send_invitations

NOW = datetime(2027, 5, 10, 3, 0, tzinfo=UTC)


def reply_for(ceremony, person, partstat="ACCEPTED", sequence=0, comment="", uid=None):
    return calendar.build_reply(
        uid or ceremony.uid, sequence,
        calendar.Invitee(email=person.email.upper(), name=person.full_name, partstat=partstat),
        calendar.Person(email="ban-to-chuc@ceremony-scheduler.example", name="Ban Tổ chức"),
        NOW, comment)


def upload(client, ceremony, data: bytes):
    return post_form(client, f"/ceremonies/{ceremony.id}/replies",
                     {"reply": (__import__("io").BytesIO(data), "reply.ics")},
                     content_type="multipart/form-data", follow_redirects=True)


def test_an_uploaded_reply_records_the_answer(client, planned, fetch):
    ceremony, _host, _bni, people = planned
    page = upload(client, ceremony, reply_for(ceremony, people["thang"], "DECLINED",
                                              comment="Bận công tác"))
    assert "Bùi Chiến Thắng" in page.get_data(as_text=True)
    person = fetch(Attendee, people["thang"].id)
    assert person.partstat == "DECLINED" and person.rsvp_comment == "Bận công tác"
    assert person.replied_at is not None


@pytest.mark.parametrize("case,expected", [
    ("old_sequence", "version 0 of the invitation; the current version is 1"),
    ("unknown_uid", "No ceremony has the UID nope@elsewhere"),
    ("stranger", "stranger@example.vn is not an attendee"), ("garbage", "Reply refused")])
def test_refused_replies_say_why_and_change_nothing(client, planned, fetch, case, expected):
    ceremony, _host, _bni, people = planned
    client.get("/language/en")
    person = people["lan"]
    if case == "old_sequence":
        post_form(client, f"/ceremonies/{ceremony.id}/edit", {
            "title": ceremony.title, "kind": "commemoration", "timezone": "Asia/Ho_Chi_Minh",
            "starts_at": "2027-05-21T08:00", "ends_at": "2027-05-21T10:00"})
        data = reply_for(ceremony, person, sequence=0)
    elif case == "unknown_uid":
        data = reply_for(ceremony, person, uid="nope@elsewhere")
    elif case == "stranger":
        data = calendar.build_reply(ceremony.uid, 5, calendar.Invitee("stranger@example.vn", "X",
                                                                       partstat="ACCEPTED"),
                                    calendar.Person("o@example.vn", "O"), NOW)
    else:
        data = b"this is not a calendar"
    page = upload(client, ceremony, data).get_data(as_text=True)
    assert "flash-error" in page and expected in page
    assert fetch(Attendee, person.id).partstat == "NEEDS-ACTION"


def test_gateway_endpoint_needs_its_token(app, client, planned, monkeypatch, fetch):
    ceremony, _host, _bni, people = planned
    data = reply_for(ceremony, people["lan"], "TENTATIVE")
    browser = app.test_client()
    assert browser.post("/itip/reply", data=data).status_code == 404  # off until configured
    monkeypatch.setitem(app.config, "ITIP_GATEWAY_TOKEN", "gateway-secret")
    refused = browser.post("/itip/reply", data=data, headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    ok = browser.post("/itip/reply", data=data, content_type="text/calendar",
                      headers={"Authorization": "Bearer gateway-secret"})
    assert ok.status_code == 200 and ok.get_json()["partstat"] == "TENTATIVE"
    assert fetch(Attendee, people["lan"].id).partstat == "TENTATIVE"


def test_gateway_accepts_the_whole_email_and_explains_refusals(app, planned, monkeypatch, fetch):
    ceremony, _host, _bni, people = planned
    monkeypatch.setitem(app.config, "ITIP_GATEWAY_TOKEN", "gateway-secret")
    mail = EmailMessage()
    mail["Subject"] = "Accepted: Lễ kỷ niệm"
    mail.set_content("accepted")
    mail.add_alternative(reply_for(ceremony, people["thang"], "ACCEPTED"), maintype="text",
                         subtype="calendar", params={"method": "REPLY"})
    browser = app.test_client()
    headers = {"Authorization": "Bearer gateway-secret"}
    ok = browser.post("/itip/reply", data=mail.as_bytes(), content_type="message/rfc822",
                      headers=headers)
    assert ok.status_code == 200 and fetch(Attendee, people["thang"].id).partstat == "ACCEPTED"
    bad = browser.post("/itip/reply", data=reply_for(ceremony, people["thang"], uid="x@y"),
                       content_type="text/calendar", headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"] == "unknown_uid"


def test_attendee_page_answers_and_shows_only_their_record(app, client, smtp, planned, fetch):
    ceremony, _host, bni, people = planned
    send_invitations(client, ceremony)
    run_due(app)
    path = attendee_path(smtp.to("lan@example.vn")[0])
    visitor = app.test_client()  # no account
    page = visitor.get(path).get_data(as_text=True)
    assert "Nguyễn Thị Lan" in page and "Điểm cầu Công an tỉnh Bắc Ninh" in page
    assert "Bùi Chiến Thắng" not in page
    response = post_form(visitor, path, {"answer": "ACCEPTED", "comment": "Sẽ đến sớm"})
    assert response.status_code == 302
    person = fetch(Attendee, people["lan"].id)
    assert person.partstat == "ACCEPTED" and person.rsvp_comment == "Sẽ đến sớm"
    assert visitor.post(path, data={"answer": "ACCEPTED"}).status_code == 400  # no CSRF token
    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    assert visitor.get(tampered).status_code == 404
    ics = visitor.get(path + "/invite.ics")
    assert ics.mimetype == "text/calendar"
    [event] = icalendar.Calendar.from_ical(ics.data).walk("VEVENT")
    assert event.get("ATTENDEE").params["PARTSTAT"] == "ACCEPTED"
    assert str(event["LOCATION"]).startswith("Điểm cầu Công an tỉnh Bắc Ninh")
    independent = vobject.readOne(ics.data.decode()).vevent
    assert independent.attendee.params["PARTSTAT"] == ["ACCEPTED"]
    assert independent.location.value == str(event["LOCATION"])


def test_every_answer_is_announced_for_later_integrations(client, planned):
    from scheduler import signals

    heard = []

    def listener(person, source, **_):
        heard.append((person.email, person.partstat, source))

    ceremony, _host, _bni, people = planned
    with signals.attendee_replied.connected_to(listener):
        upload(client, ceremony, reply_for(ceremony, people["lan"], "TENTATIVE"))
    assert heard == [("lan@example.vn", "TENTATIVE", "itip")]
