"""Build iTIP objects (RFC 5545 / 5546) as UTF-8 bytes ready for an iMIP mail.

Pure: every value, including DTSTAMP, comes in as an argument. icalendar does
the serialising (escaping, CRLF, folding at 75 octets on character
boundaries); we only steer it where mail clients need something stricter.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm as VAlarm
from icalendar import Calendar, Event, Timezone, vCalAddress, vDuration, vUri
from icalendar.parser import Contentline, Parameters

from scheduler.calendar.model import Alarm, EventData, Invitee, Person

PRODID = "-//ceremony-scheduler//EN"
FEED_TTL = timedelta(hours=1)

# icalendar quotes CN only when it holds , ; : ' or a space. We always quote it:
# a bare CN is legal, but quoting keeps names such as "Đại tá" safe in every
# client parser, and it costs nothing. A subclass, so the library default for
# other code in this process stays as it is.
class _QuotedParams(Parameters):
    always_quoted = (*Parameters.always_quoted, "CN")


class _ExactMinutes(vDuration):
    """TRIGGER as -PT<n>M: icalendar would write 1440 minutes as -P1D, which
    RFC 5545 makes a *nominal* day (23 or 25 hours across a DST change)."""

    def to_ical(self) -> bytes:
        minutes = int(self.td.total_seconds() // 60)
        sign = "-" if minutes < 0 else ""
        return f"{sign}PT{abs(minutes)}M".encode()


# Control characters (newlines included) would break the content line; a double
# quote is forbidden inside a quoted parameter. icalendar would RFC 6868-escape
# them (^n, ^'), which Outlook shows literally, so we replace them instead.
_PARAM_UNSAFE = re.compile(r'[\x00-\x1f\x7f]+')


def _param_text(text: str) -> str:
    return _PARAM_UNSAFE.sub(" ", text).replace('"', "'").strip()


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email.strip()}")
    cn = _param_text(name)
    address.params = _QuotedParams({"CN": cn, **params} if cn else params)
    return address


def _utc(moment: datetime, what: str) -> datetime:
    # A naive datetime would be written as floating time: each client would
    # read it in its own zone, and every site would get a different hour.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC)


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    return cal


def _vevent(event: EventData, dtstamp: datetime, status: str, url: bool = True) -> Event:
    starts_at, ends_at = _utc(event.starts_at, "starts_at"), _utc(event.ends_at, "ends_at")
    if ends_at <= starts_at:
        raise ValueError("ends_at must be after starts_at")
    zone = ZoneInfo(event.tzid)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", _utc(dtstamp, "dtstamp"))
    vevent.add("dtstart", starts_at.astimezone(zone))
    vevent.add("dtend", ends_at.astimezone(zone))
    vevent.add("summary", _text(event.summary))
    vevent.add("description", _text(event.description))
    vevent.add("location", _text(event.location))
    if url and event.url:
        vevent.add("url", event.url)
    if event.conference_url:
        # RFC 7986: calendar clients that know it show a "Join" button; DESCRIPTION has it too.
        vevent.add("conference", vUri(event.conference_url), parameters={"VALUE": "URI", "FEATURE": "VIDEO"})
    vevent.add("organizer", _address(event.organizer.email, event.organizer.name))
    vevent.add("status", status)
    # A cancelled meeting must not keep blocking the attendee's free/busy time.
    busy = status != "CANCELLED"
    vevent.add("transp", "OPAQUE" if busy else "TRANSPARENT")
    vevent.add("class", "PUBLIC")
    if event.created is not None:
        vevent.add("created", _utc(event.created, "created"))
    if event.last_modified is not None:
        vevent.add("last-modified", _utc(event.last_modified, "last_modified"))
    # Outlook ignores TRANSP for its own busy display and reads this instead;
    # DISALLOW-COUNTER hides "propose new time", which we could not process.
    vevent.add("x-microsoft-cdo-busystatus", "BUSY" if busy else "FREE")
    vevent.add("x-microsoft-disallow-counter", "TRUE")
    return vevent


def _valarm(alarm: Alarm) -> VAlarm:
    valarm = VAlarm()
    valarm.add("action", "DISPLAY")
    valarm.add("description", _text(alarm.description))
    valarm.add("trigger", _ExactMinutes(timedelta(minutes=-alarm.minutes_before)))
    return valarm


def _attendee(invitee: Invitee, rsvp: bool) -> vCalAddress:
    return _address(invitee.email, invitee.name, ROLE=invitee.role,
                    PARTSTAT=invitee.partstat, RSVP="TRUE" if rsvp else "FALSE")


@lru_cache(maxsize=128)
def _vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """icalendar's VTIMEZONE, rewritten to one observance per transition.

    icalendar lists later transitions as comma-separated RDATEs. ical.js (the
    parser behind Thunderbird and many web calendars) ignores DTSTART when RDATE is present
    and reads only the first value of an RDATE line, so June 2027 in Paris
    came out as +0100. Single-onset observances are read the same everywhere.
    icalendar also writes a spring-forward onset as the wall time *after* the
    jump (03:00); RFC 5545 wants it in the old offset (02:00), so we shift it.

    Cached: computing it walks every hour of the window (~25 ms), and a fan-out
    needs the same few zones 50,000 times. The component is only serialised,
    never changed, so sharing it is safe.
    """
    generated = Timezone.from_tzid(tzid, first_date=first, last_date=last)
    onsets = []
    for observance in generated.subcomponents:
        offset_from, offset_to = observance.TZOFFSETFROM, observance.TZOFFSETTO
        jump = max(timedelta(0), offset_to - offset_from)
        starts = [observance.DTSTART] + [start for start, _ in observance.rdates]
        onsets += [(start - jump, type(observance), offset_from, offset_to,
                    str(observance["TZNAME"])) for start in starts]
    vtimezone = Timezone()
    vtimezone.add("tzid", tzid)
    for start, kind, offset_from, offset_to, tzname in sorted(onsets, key=lambda o: o[0]):
        observance = kind()
        observance.DTSTART = start
        observance.TZOFFSETFROM = offset_from
        observance.TZOFFSETTO = offset_to
        observance.add("tzname", tzname)
        vtimezone.add_component(observance)
    return vtimezone


def _finish(cal: Calendar, events: list[EventData]) -> bytes:
    # One VTIMEZONE per TZID in use, placed before the events. The window is
    # cut to the years the events fall in: icalendar's default 1970–2038 would
    # add ~6 kB per DST zone to every mail.
    tzids = {str(v["DTSTART"].params["TZID"]) for v in cal.walk("VEVENT")
             if "TZID" in v["DTSTART"].params}
    if tzids:
        years = [moment.astimezone(ZoneInfo(e.tzid)).year
                 for e in events for moment in (e.starts_at, e.ends_at)]
        first, last = date(min(years), 1, 1), date(max(years) + 2, 1, 1)
        cal.subcomponents[:0] = [_vtimezone(tzid, first, last) for tzid in sorted(tzids)]
    return cal.to_ical()


def skeleton(event: EventData, dtstamp: datetime, method: str) -> bytes:
    """REQUEST or CANCEL without the per-recipient lines (ATTENDEE, URL).

    A fan-out builds this once per site and SEQUENCE and `personalise`s it per
    attendee: the expensive part (VTIMEZONE, folding the long DESCRIPTION) is
    then done once, not 50,000 times.
    """
    cal = _calendar(method)
    if method == "CANCEL":
        cal.add_component(_vevent(event, dtstamp, "CANCELLED", url=False))
    else:
        vevent = _vevent(event, dtstamp, event.status, url=False)
        for alarm in event.alarms:
            vevent.add_component(_valarm(alarm))
        cal.add_component(vevent)
    return _finish(cal, [event])


def personalise(template: bytes, invitee: Invitee, url: str = "") -> bytes:
    """Add one recipient's ATTENDEE (and URL) to a `skeleton`.

    The lines are serialised (and folded) by icalendar, then placed after the
    event's other properties: before its first VALARM, as RFC 5545 orders them.
    """
    rsvp = invitee.rsvp and b"METHOD:CANCEL" not in template
    attendee = _attendee(invitee, rsvp)
    # Content lines straight from icalendar's parser types (escaped and folded
    # as in a whole component), without serialising a throwaway VEVENT.
    lines = [Contentline.from_parts("ATTENDEE", attendee.params, attendee)]
    if url:
        lines.insert(0, Contentline.from_parts("URL", Parameters(), vUri(url)))
    body = b"".join(line.to_ical() + b"\r\n" for line in lines)
    marker = b"BEGIN:VALARM\r\n" if b"BEGIN:VALARM\r\n" in template else b"END:VEVENT\r\n"
    head, tail = template.split(marker, 1)
    return head + body + marker + tail


def request(event: EventData, invitee: Invitee, dtstamp: datetime) -> bytes:
    """METHOD:REQUEST for one attendee: the invitation or an update to it."""
    return personalise(skeleton(event, dtstamp, "REQUEST"), invitee, event.url)


def cancel(event: EventData, invitee: Invitee, dtstamp: datetime) -> bytes:
    """METHOD:CANCEL for one attendee; the caller passes the raised SEQUENCE."""
    return personalise(skeleton(event, dtstamp, "CANCEL"), invitee, event.url)


def publish(events: Iterable[EventData], dtstamp: datetime, calendar_name: str) -> bytes:
    """METHOD:PUBLISH feed for subscription: no attendees, alarms kept."""
    cal = _calendar("PUBLISH")
    cal.calendar_name = _text(calendar_name)  # writes NAME and X-WR-CALNAME
    # RFC 7986 requires VALUE=DURATION; icalendar's refresh_interval omits it.
    cal.add("refresh-interval", FEED_TTL, parameters={"VALUE": "DURATION"})
    # An X- property would be written as str(timedelta) ("1:00:00") by default.
    cal.add("x-published-ttl", vDuration(FEED_TTL))
    events = list(events)
    for event in events:
        vevent = _vevent(event, dtstamp, event.status)
        for alarm in event.alarms:
            vevent.add_component(_valarm(alarm))
        cal.add_component(vevent)
    return _finish(cal, events)


def build_reply(uid: str, sequence: int, attendee: Invitee, organizer: Person,
                dtstamp: datetime, comment: str = "") -> bytes:
    """METHOD:REPLY as a calendar client sends it back (tests, gateways)."""
    cal = _calendar("REPLY")
    vevent = Event()
    vevent.add("uid", uid)
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", _utc(dtstamp, "dtstamp"))
    vevent.add("organizer", _address(organizer.email, organizer.name))
    vevent.add("attendee", _address(attendee.email, attendee.name,
                                    PARTSTAT=attendee.partstat))
    if comment:
        vevent.add("comment", _text(comment))
    cal.add_component(vevent)
    return cal.to_ical()
