"""The iCalendar builders and the REPLY parser (pure: no app, no database).

Every object is read back by two independent parsers: icalendar (which we build
with) and vobject (which reads the VTIMEZONE itself rather than trusting the
TZID name, so it also checks the zone definitions we send).
"""
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import vobject
from icalendar import Calendar

from scheduler.calendar import (
    Alarm,
    EventData,
    Invitee,
    Person,
    ReplyError,
    build_reply,
    cancel,
    parse_reply,
    publish,
    request,
)

DTSTAMP = datetime(2027, 5, 10, 3, 0, tzinfo=UTC)
SUMMARY = "Lễ kỷ niệm 55 năm Ngày truyền thống lực lượng Cảnh sát nhân dân"
LOCATION = "Điểm cầu Công an tỉnh Bắc Ninh, Hội trường A, Số 1 Lý Thái Tổ"
LONG_DESCRIPTION = (
    "Lễ kỷ niệm 55 năm Ngày truyền thống được tổ chức theo hình thức trực tuyến, "
    "kết nối điểm cầu chính tại Bộ Công an (Hà Nội) với các điểm cầu Công an tỉnh.\n"
    "Chương trình: khai mạc; phát biểu của Bộ trưởng; phát động phong trào thi đua "
    "từ điểm cầu Bắc Ninh; trao khen thưởng cho 26 tập thể và 25 cá nhân.\n\n"
    "Đề nghị đại biểu có mặt trước 30 phút, mang theo giấy mời; trang phục: "
    "lễ phục mùa hè. Đầu mối điểm cầu kiểm tra kỹ thuật đường truyền, âm thanh, "
    "hình ảnh trước giờ khai mạc. Mọi thắc mắc xin liên hệ Văn phòng Cục Công tác "
    "Đảng và công tác chính trị; điện thoại: 069.2342.xxx; thư điện tử ghi ở trên.\n"
    "Ký tự đặc biệt: dấu phẩy, chấm phẩy; hai chấm: gạch chéo ngược \\ và \"ngoặc kép\"."
)
ORGANIZER = Person("vanphong@ceremony.example.vn", "Văn phòng Cục Công tác Đảng")
INVITEE = Invitee("Nguyen.VanA@Example.vn", "Đại tá Nguyễn Văn A", role="REQ-PARTICIPANT")


def make_event(**changes) -> EventData:
    event = EventData(
        uid="ceremony-42@ceremony.example.vn", sequence=3, summary=SUMMARY,
        description=LONG_DESCRIPTION,
        starts_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC),
        ends_at=datetime(2027, 6, 15, 9, 30, tzinfo=UTC),
        tzid="Asia/Ho_Chi_Minh", location=LOCATION,
        url="https://ceremony.example.vn/a/tok123", organizer=ORGANIZER,
        alarms=(Alarm(1440, "Ngày mai: Lễ kỷ niệm"), Alarm(60, "Còn 1 giờ")),
        created=datetime(2027, 5, 1, 2, 0, tzinfo=UTC),
        last_modified=datetime(2027, 5, 9, 8, 15, tzinfo=UTC))
    return replace(event, **changes)


def unfolded(raw: bytes) -> str:
    return raw.decode("utf-8").replace("\r\n ", "")


def one_event(raw: bytes):
    cal = Calendar.from_ical(raw)
    assert len(cal.events) == 1
    return cal, cal.events[0]


# --- REQUEST ----------------------------------------------------------------------------------

def test_request_read_by_icalendar():
    assert len(LONG_DESCRIPTION) >= 500
    cal, ev = one_event(request(make_event(), INVITEE, DTSTAMP))
    assert str(cal["METHOD"]) == "REQUEST"
    assert str(cal["VERSION"]) == "2.0" and str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["PRODID"]) == "-//ceremony-scheduler//EN"
    assert [str(tz["TZID"]) for tz in cal.timezones] == ["Asia/Ho_Chi_Minh"]

    assert str(ev["UID"]) == "ceremony-42@ceremony.example.vn"
    assert int(ev["SEQUENCE"]) == 3
    assert ev["DTSTAMP"].dt == DTSTAMP
    start, end = ev["DTSTART"], ev["DTEND"]
    assert start.params["TZID"] == end.params["TZID"] == "Asia/Ho_Chi_Minh"
    assert start.dt.replace(tzinfo=None) == datetime(2027, 6, 15, 14, 0)
    assert start.dt == datetime(2027, 6, 15, 7, 0, tzinfo=UTC)
    assert end.dt.replace(tzinfo=None) == datetime(2027, 6, 15, 16, 30)
    assert str(ev["SUMMARY"]) == SUMMARY
    assert str(ev["DESCRIPTION"]) == LONG_DESCRIPTION
    assert str(ev["LOCATION"]) == LOCATION
    assert str(ev["URL"]) == "https://ceremony.example.vn/a/tok123"
    assert str(ev["ORGANIZER"]) == "mailto:vanphong@ceremony.example.vn"
    assert ev["ORGANIZER"].params["CN"] == "Văn phòng Cục Công tác Đảng"

    attendee = ev["ATTENDEE"]
    assert not isinstance(attendee, list)  # exactly one
    assert str(attendee) == "mailto:Nguyen.VanA@Example.vn"
    assert dict(attendee.params) == {"CN": "Đại tá Nguyễn Văn A", "ROLE": "REQ-PARTICIPANT",
                                     "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
    assert str(ev["STATUS"]) == "CONFIRMED"
    assert str(ev["TRANSP"]) == "OPAQUE" and str(ev["CLASS"]) == "PUBLIC"
    assert ev["CREATED"].dt == datetime(2027, 5, 1, 2, 0, tzinfo=UTC)
    assert ev["LAST-MODIFIED"].dt == datetime(2027, 5, 9, 8, 15, tzinfo=UTC)
    assert str(ev["X-MICROSOFT-CDO-BUSYSTATUS"]) == "BUSY"
    assert str(ev["X-MICROSOFT-DISALLOW-COUNTER"]) == "TRUE"

    alarms = ev.walk("VALARM")
    assert [a["TRIGGER"].dt for a in alarms] == [timedelta(minutes=-1440), timedelta(minutes=-60)]
    assert [str(a["ACTION"]) for a in alarms] == ["DISPLAY", "DISPLAY"]
    assert [str(a["DESCRIPTION"]) for a in alarms] == ["Ngày mai: Lễ kỷ niệm", "Còn 1 giờ"]


def test_request_read_by_vobject():
    cal = vobject.readOne(request(make_event(), INVITEE, DTSTAMP).decode("utf-8"))
    ev = cal.vevent
    assert cal.method.value == "REQUEST"
    assert cal.vtimezone.tzid.value == "Asia/Ho_Chi_Minh"
    assert ev.uid.value == "ceremony-42@ceremony.example.vn"
    assert int(ev.sequence.value) == 3
    assert ev.dtstamp.value == DTSTAMP
    assert ev.dtstart.value.replace(tzinfo=None) == datetime(2027, 6, 15, 14, 0)
    assert ev.dtstart.value == datetime(2027, 6, 15, 7, 0, tzinfo=UTC)
    assert ev.dtend.value == datetime(2027, 6, 15, 9, 30, tzinfo=UTC)
    assert ev.summary.value == SUMMARY
    assert ev.description.value == LONG_DESCRIPTION
    assert ev.location.value == LOCATION
    assert ev.url.value == "https://ceremony.example.vn/a/tok123"
    assert ev.organizer.value == "mailto:vanphong@ceremony.example.vn"
    assert ev.organizer.params["CN"] == ["Văn phòng Cục Công tác Đảng"]
    assert len(ev.attendee_list) == 1
    assert ev.attendee.value == "mailto:Nguyen.VanA@Example.vn"
    assert ev.attendee.params == {"CN": ["Đại tá Nguyễn Văn A"], "ROLE": ["REQ-PARTICIPANT"],
                                  "PARTSTAT": ["NEEDS-ACTION"], "RSVP": ["TRUE"]}
    assert ev.status.value == "CONFIRMED"
    assert ev.x_microsoft_cdo_busystatus.value == "BUSY"
    assert ev.x_microsoft_disallow_counter.value == "TRUE"
    assert [a.trigger.value for a in ev.valarm_list] == [timedelta(days=-1), timedelta(hours=-1)]


def test_request_writes_local_wall_time_with_tzid():
    text = unfolded(request(make_event(), INVITEE, DTSTAMP))
    assert "\r\nDTSTART;TZID=Asia/Ho_Chi_Minh:20270615T140000\r\n" in text
    assert "\r\nDTEND;TZID=Asia/Ho_Chi_Minh:20270615T163000\r\n" in text
    assert "\r\nDTSTAMP:20270510T030000Z\r\n" in text
    assert "\r\nTRIGGER:-PT1440M\r\n" in text and "\r\nTRIGGER:-PT60M\r\n" in text


def test_optional_fields_are_left_out():
    event = make_event(url="", alarms=(), created=None, last_modified=None)
    _, ev = one_event(request(event, INVITEE, DTSTAMP))
    for name in ("URL", "CREATED", "LAST-MODIFIED"):
        assert name not in ev
    assert ev.walk("VALARM") == []


def test_invitee_without_rsvp_and_chair_role():
    chair = Invitee("bo.truong@example.vn", "Bộ trưởng", role="CHAIR", partstat="ACCEPTED",
                    rsvp=False)
    _, ev = one_event(request(make_event(), chair, DTSTAMP))
    assert dict(ev["ATTENDEE"].params) == {"CN": "Bộ trưởng", "ROLE": "CHAIR",
                                           "PARTSTAT": "ACCEPTED", "RSVP": "FALSE"}


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        request(make_event(starts_at=datetime(2027, 6, 15, 7, 0)), INVITEE, DTSTAMP)
    with pytest.raises(ValueError, match="dtstamp"):
        request(make_event(), INVITEE, datetime(2027, 5, 10))
    with pytest.raises(ValueError, match="after"):
        request(make_event(ends_at=datetime(2027, 6, 15, 7, 0, tzinfo=UTC)), INVITEE, DTSTAMP)


# --- names in parameters ----------------------------------------------------------------------

def test_cn_is_always_quoted_even_when_plain():
    plain = Invitee("a@example.vn", "Lan")
    text = unfolded(request(make_event(organizer=Person("o@example.vn", "BTC")), plain, DTSTAMP))
    assert 'ATTENDEE;CN="Lan";' in text
    assert 'ORGANIZER;CN="BTC":mailto:o@example.vn' in text
    assert "CN=L" not in text and "CN=B" not in text


def test_cn_with_double_quote_and_newline_stays_one_line():
    odd = Invitee("a@example.vn", 'Nguyễn Văn "Ba"\nPhó Giám đốc; Công an, tỉnh: BN')
    raw = request(make_event(), odd, DTSTAMP)
    line = next(ln for ln in unfolded(raw).split("\r\n") if ln.startswith("ATTENDEE"))
    assert line.startswith('ATTENDEE;CN="Nguyễn Văn \'Ba\' Phó Giám đốc; Công an, tỉnh: BN";')
    expected = "Nguyễn Văn 'Ba' Phó Giám đốc; Công an, tỉnh: BN"
    assert one_event(raw)[1]["ATTENDEE"].params["CN"] == expected
    assert vobject.readOne(raw.decode()).vevent.attendee.params["CN"] == [expected]


# --- raw bytes: folding, CRLF, UTF-8 ------------------------------------------------------------

def every_kind() -> dict[str, bytes]:
    event = make_event()
    paris = make_event(uid="p@x", tzid="Europe/Paris", location="Paris, salle Ho Chi Minh")
    return {
        "request": request(event, INVITEE, DTSTAMP),
        "cancel": cancel(replace(event, sequence=4), INVITEE, DTSTAMP),
        "publish": publish([event, paris], DTSTAMP, "Lịch lễ kỷ niệm – Bộ Công an"),
        "reply": build_reply(event.uid, 3, replace(INVITEE, partstat="ACCEPTED"), ORGANIZER,
                             DTSTAMP, comment="Tôi sẽ tham dự đúng giờ, cảm ơn Ban tổ chức. " * 4),
    }


@pytest.mark.parametrize("kind", ["request", "cancel", "publish", "reply"])
def test_raw_lines_are_folded_crlf_utf8(kind):
    raw = every_kind()[kind]
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare LF
    assert b"\r" not in raw.replace(b"\r\n", b"")  # no bare CR
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(len(line) >= 70 for line in lines)  # long lines really were folded
    for line in lines:
        line.decode("utf-8")  # a multi-byte character split by folding would fail here
    assert 'CN="' in unfolded(raw)


# --- CANCEL ---------------------------------------------------------------------------------

def test_cancel_read_by_both_parsers():
    raw = cancel(make_event(sequence=4), INVITEE, DTSTAMP)
    cal, ev = one_event(raw)
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(ev["UID"]) == "ceremony-42@ceremony.example.vn" and int(ev["SEQUENCE"]) == 4
    assert str(ev["STATUS"]) == "CANCELLED"
    assert ev["DTSTART"].dt == datetime(2027, 6, 15, 7, 0, tzinfo=UTC)
    assert str(ev["ATTENDEE"]) == "mailto:Nguyen.VanA@Example.vn"
    assert ev["ATTENDEE"].params.get("RSVP") != "TRUE"
    assert ev.walk("VALARM") == []
    # A cancelled slot frees the attendee's time in Outlook and elsewhere.
    assert str(ev["X-MICROSOFT-CDO-BUSYSTATUS"]) == "FREE"
    assert str(ev["TRANSP"]) == "TRANSPARENT"

    v = vobject.readOne(raw.decode())
    assert v.method.value == "CANCEL"
    assert v.vevent.status.value == "CANCELLED"
    assert v.vevent.sequence.value == "4"
    assert v.vevent.uid.value == "ceremony-42@ceremony.example.vn"
    assert len(v.vevent.attendee_list) == 1
    assert v.vevent.attendee.params["RSVP"] != ["TRUE"]
    assert v.vevent.summary.value == SUMMARY
    assert v.vtimezone.tzid.value == "Asia/Ho_Chi_Minh"


# --- time zones with daylight saving ----------------------------------------------------------

def test_daylight_saving_zone_gets_standard_and_daylight():
    summer = make_event(tzid="Europe/Paris")  # 07:00 UTC in June is 09:00 CEST
    winter = make_event(tzid="Europe/Paris", starts_at=datetime(2027, 1, 20, 8, 0, tzinfo=UTC),
                        ends_at=datetime(2027, 1, 20, 10, 0, tzinfo=UTC))  # 09:00 CET
    for event, local, offset in ((summer, datetime(2027, 6, 15, 9, 0), 2),
                                 (winter, datetime(2027, 1, 20, 9, 0), 1)):
        raw = request(event, INVITEE, DTSTAMP)
        cal, ev = one_event(raw)
        (vtimezone,) = cal.timezones
        assert str(vtimezone["TZID"]) == "Europe/Paris"
        assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}
        assert ev["DTSTART"].dt.replace(tzinfo=None) == local
        assert ev["DTSTART"].dt == event.starts_at
        # vobject builds the zone from our VTIMEZONE, so this checks its offsets.
        v = vobject.readOne(raw.decode()).vevent
        assert v.dtstart.value.replace(tzinfo=None) == local
        assert v.dtstart.value.utcoffset() == timedelta(hours=offset)
        assert v.dtstart.value == event.starts_at


@pytest.mark.parametrize("tzid, observances", [
    ("Europe/Paris", 5), ("America/New_York", 5), ("Australia/Sydney", 5), ("Asia/Ho_Chi_Minh", 1)])
def test_vtimezone_has_one_exact_onset_per_observance(tzid, observances):
    # ical.js ignores DTSTART next to RDATE and reads one RDATE value per line,
    # so every transition gets its own observance; each onset must be exact.
    event = make_event(tzid=tzid)
    (vtimezone,) = Calendar.from_ical(request(event, INVITEE, DTSTAMP)).timezones
    zone = ZoneInfo(tzid)
    parts = vtimezone.subcomponents
    assert len(parts) == observances  # the event's year and the next one
    assert all("RDATE" not in part and "RRULE" not in part for part in parts)
    assert parts[0].DTSTART <= event.starts_at.astimezone(zone).replace(tzinfo=None)
    for part in parts[1:]:
        onset = (part.DTSTART - part.TZOFFSETFROM).replace(tzinfo=UTC)
        assert onset.astimezone(zone).utcoffset() == part.TZOFFSETTO
        assert (onset - timedelta(seconds=1)).astimezone(zone).utcoffset() == part.TZOFFSETFROM
    assert [p.DTSTART for p in parts] == sorted(p.DTSTART for p in parts)


# --- PUBLISH ----------------------------------------------------------------------------------

def test_publish_feed_in_two_zones():
    events = [
        make_event(uid="a@x"),
        make_event(uid="b@x", starts_at=datetime(2027, 9, 2, 1, 0, tzinfo=UTC),
                   ends_at=datetime(2027, 9, 2, 3, 0, tzinfo=UTC), alarms=(Alarm(30, "Sắp bắt đầu"),)),
        make_event(uid="c@x", tzid="Europe/Paris", status="TENTATIVE", url=""),
    ]
    raw = publish(iter(events), DTSTAMP, "Lịch lễ – Công an tỉnh Bắc Ninh")
    cal = Calendar.from_ical(raw)
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Lịch lễ – Công an tỉnh Bắc Ninh"
    assert sorted(str(tz["TZID"]) for tz in cal.timezones) == ["Asia/Ho_Chi_Minh", "Europe/Paris"]
    assert [str(e["UID"]) for e in cal.events] == ["a@x", "b@x", "c@x"]
    assert [str(e["STATUS"]) for e in cal.events] == ["CONFIRMED", "CONFIRMED", "TENTATIVE"]
    assert all("ATTENDEE" not in e and "ORGANIZER" in e for e in cal.events)
    assert [[a["TRIGGER"].dt for a in e.walk("VALARM")] for e in cal.events] == [
        [timedelta(days=-1), timedelta(hours=-1)], [timedelta(minutes=-30)],
        [timedelta(days=-1), timedelta(hours=-1)]]
    assert cal.events[1]["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 9, 2, 8, 0)
    assert cal.events[2]["DTSTART"].dt.replace(tzinfo=None) == datetime(2027, 6, 15, 9, 0)

    text = unfolded(raw)
    assert "\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
    assert "\r\nX-PUBLISHED-TTL:PT1H\r\n" in text
    assert "RSVP" not in text and "ATTENDEE" not in text

    v = vobject.readOne(raw.decode())
    assert v.method.value == "PUBLISH"
    assert v.x_wr_calname.value == "Lịch lễ – Công an tỉnh Bắc Ninh"
    assert sorted(tz.tzid.value for tz in v.vtimezone_list) == ["Asia/Ho_Chi_Minh", "Europe/Paris"]
    assert [e.uid.value for e in v.vevent_list] == ["a@x", "b@x", "c@x"]
    assert [len(e.contents.get("valarm", [])) for e in v.vevent_list] == [2, 1, 2]
    assert all("attendee" not in e.contents for e in v.vevent_list)
    assert [e.dtstart.value for e in v.vevent_list] == [e.starts_at for e in events]
    assert v.vevent_list[0].description.value == LONG_DESCRIPTION


def test_publish_with_no_events_is_a_valid_empty_feed():
    cal = Calendar.from_ical(publish([], DTSTAMP, "Trống"))
    assert cal.events == [] and cal.timezones == []
    assert str(cal["X-WR-CALNAME"]) == "Trống"


# --- REPLY ------------------------------------------------------------------------------------

@pytest.mark.parametrize("partstat", ["ACCEPTED", "DECLINED", "TENTATIVE"])
def test_build_reply_round_trips(partstat):
    comment = "Xin phép vắng mặt vì công tác đột xuất;\nđã cử Phó trưởng phòng dự thay."
    raw = build_reply("ceremony-42@ceremony.example.vn", 5, replace(INVITEE, partstat=partstat),
                      ORGANIZER, DTSTAMP, comment=comment)
    for data in (raw, raw.decode("utf-8")):
        reply = parse_reply(data)
        assert reply.uid == "ceremony-42@ceremony.example.vn"
        assert reply.sequence == 5
        assert reply.attendee_email == "nguyen.vana@example.vn"
        assert reply.partstat == partstat
        assert reply.comment == comment
        assert reply.dtstamp == DTSTAMP

    v = vobject.readOne(raw.decode())
    assert v.method.value == "REPLY"
    assert v.vevent.attendee.params["PARTSTAT"] == [partstat]
    assert v.vevent.attendee.params["CN"] == ["Đại tá Nguyễn Văn A"]
    assert v.vevent.organizer.value == "mailto:vanphong@ceremony.example.vn"
    assert v.vevent.comment.value == comment
    assert v.vevent.sequence.value == "5"


OUTLOOK_REPLY = (
    "BEGIN:VCALENDAR\r\n"
    "METHOD:REPLY\r\n"
    "PRODID:Microsoft Exchange Server 2010\r\n"
    "VERSION:2.0\r\n"
    "BEGIN:VTIMEZONE\r\n"
    "TZID:SE Asia Standard Time\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:16010101T000000\r\n"
    "TZOFFSETFROM:+0700\r\n"
    "TZOFFSETTO:+0700\r\n"
    "END:STANDARD\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "DTSTART:16010101T000000\r\n"
    "TZOFFSETFROM:+0700\r\n"
    "TZOFFSETTO:+0700\r\n"
    "END:DAYLIGHT\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "ATTENDEE;PARTSTAT=ACCEPTED;CN=Nguyen Van A:MAILTO:Nguyen.VanA@Example.VN\r\n"
    "COMMENT;LANGUAGE=vi-VN:Tôi sẽ có mặt tại điểm cầu Bắc Ninh trước 30 phút\\, x\r\n"
    " in cảm ơn.\\n\r\n"
    "SUMMARY;LANGUAGE=vi-VN:Đã chấp nhận: Lễ kỷ niệm 55 năm Ngày truyền thống\r\n"
    "DTSTART;TZID=SE Asia Standard Time:20270615T140000\r\n"
    "DTEND;TZID=SE Asia Standard Time:20270615T163000\r\n"
    "UID:ceremony-42@ceremony.example.vn\r\n"
    "CLASS:PUBLIC\r\n"
    "PRIORITY:5\r\n"
    "DTSTAMP:20270511T014502Z\r\n"
    "TRANSP:OPAQUE\r\n"
    "STATUS:CONFIRMED\r\n"
    "SEQUENCE:3\r\n"
    "LOCATION;LANGUAGE=vi-VN:Điểm cầu Công an tỉnh Bắc Ninh\\, Hội trường A\r\n"
    "X-MICROSOFT-CDO-APPT-SEQUENCE:3\r\n"
    "X-MICROSOFT-CDO-OWNERAPPTID:-1180241392\r\n"
    "X-MICROSOFT-CDO-REPLYTIME:20270511T014502Z\r\n"
    "X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r\n"
    "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY\r\n"
    "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE\r\n"
    "X-MICROSOFT-CDO-IMPORTANCE:1\r\n"
    "X-MICROSOFT-CDO-INSTTYPE:0\r\n"
    "X-MICROSOFT-DISALLOW-COUNTER:FALSE\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n"
)


def test_outlook_style_reply_parses():
    reply = parse_reply(OUTLOOK_REPLY.encode("utf-8"))
    assert reply.uid == "ceremony-42@ceremony.example.vn"
    assert reply.sequence == 3
    assert reply.attendee_email == "nguyen.vana@example.vn"
    assert reply.partstat == "ACCEPTED"
    assert reply.comment == "Tôi sẽ có mặt tại điểm cầu Bắc Ninh trước 30 phút, xin cảm ơn.\n"
    assert reply.dtstamp == datetime(2027, 5, 11, 1, 45, 2, tzinfo=UTC)


def test_reply_without_sequence_means_zero_and_partstat_is_case_insensitive():
    gmail_like = (
        "BEGIN:VCALENDAR\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\nVERSION:2.0\n"
        "METHOD:REPLY\nBEGIN:VEVENT\nUID:u-1\nDTSTAMP:20270511T014502Z\n"
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=tentative;"
        "CN=lan@example.vn;X-NUM-GUESTS=0:mailto:Lan@Example.vn\n"
        "END:VEVENT\nEND:VCALENDAR\n")
    reply = parse_reply(gmail_like)
    assert (reply.sequence, reply.partstat, reply.attendee_email, reply.comment) == \
        (0, "TENTATIVE", "lan@example.vn", "")


def reply_text(method="METHOD:REPLY", body=None) -> str:
    if body is None:
        body = ["UID:u-1", "SEQUENCE:2", "DTSTAMP:20270511T014502Z",
                'ATTENDEE;CN="A";PARTSTAT=ACCEPTED:mailto:a@example.vn']
    vevent = ["BEGIN:VEVENT", *body, "END:VEVENT"] if body != "none" else []
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", method, *vevent, "END:VCALENDAR"]
    return "\r\n".join(line for line in lines if line) + "\r\n"


ATTENDEE = "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@example.vn"


@pytest.mark.parametrize("data, code", [
    (b"this is not a calendar", "not_icalendar"),
    (b"", "not_icalendar"),
    ("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", "not_icalendar"),
    (b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nX-NAME:\xff\xfe\r\nEND:VCALENDAR\r\n", "not_icalendar"),
    (reply_text(body=["UID:u-1", "SEQUENCE:two", ATTENDEE]), "not_icalendar"),
    (reply_text(method="METHOD:REQUEST"), "not_a_reply"),
    (reply_text(method=""), "not_a_reply"),
    (reply_text(body="none"), "no_event"),
    (reply_text(body=["UID:u-1", ATTENDEE, "END:VEVENT", "BEGIN:VEVENT", "UID:u-1", ATTENDEE]),
     "no_event"),
    (reply_text(body=["SEQUENCE:1", ATTENDEE]), "no_uid"),
    (reply_text(body=["UID:u-1", "SEQUENCE:1"]), "no_attendee"),
    (reply_text(body=["UID:u-1", ATTENDEE, "ATTENDEE;PARTSTAT=DECLINED:mailto:b@example.vn"]),
     "several_attendees"),
    (reply_text(body=["UID:u-1", "ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:a@example.vn"]),
     "bad_partstat"),
    (reply_text(body=["UID:u-1", "ATTENDEE;PARTSTAT=DELEGATED:mailto:a@example.vn"]),
     "bad_partstat"),
    (reply_text(body=["UID:u-1", "ATTENDEE:mailto:a@example.vn"]), "bad_partstat"),
])
def test_parse_reply_error_codes(data, code):
    with pytest.raises(ReplyError) as caught:
        parse_reply(data)
    assert caught.value.code == code
    assert caught.value.message


def test_request_is_not_a_reply():
    with pytest.raises(ReplyError) as caught:
        parse_reply(request(make_event(), INVITEE, DTSTAMP))
    assert caught.value.code == "not_a_reply"


def test_reply_error_is_a_value_error_with_known_codes():
    assert issubclass(ReplyError, ValueError)
    with pytest.raises(ValueError):
        ReplyError("made_up", "x")
