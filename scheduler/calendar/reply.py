"""Read an iTIP REPLY (RFC 5546 §3.2.3) sent back by an attendee's calendar.

Only shape is checked here; whether the UID, SEQUENCE and attendee match a
real invitation is the caller's business (it owns the database).
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

from icalendar import Calendar
from icalendar.prop import vBroken

from scheduler.calendar.model import Reply, ReplyError

ANSWERS = frozenset({"ACCEPTED", "DECLINED", "TENTATIVE"})
_MAILTO = re.compile(r"^\s*mailto:", re.IGNORECASE)  # Outlook writes MAILTO:


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _load(data: bytes | str) -> Calendar:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")  # some gateways prepend a BOM
        except UnicodeDecodeError as exc:
            raise ReplyError("not_icalendar", f"not UTF-8 text: {exc}") from None
    try:
        cal = Calendar.from_ical(data)
    except ValueError as exc:
        raise ReplyError("not_icalendar", f"cannot parse: {exc}") from None
    if cal.name != "VCALENDAR":
        raise ReplyError("not_icalendar", f"top-level component is {cal.name}, not VCALENDAR")
    return cal


def _sequence(vevent) -> int:
    raw = vevent.get("SEQUENCE")
    if raw is None:
        return 0  # RFC 5545: absent SEQUENCE means 0
    if isinstance(raw, vBroken):
        raise ReplyError("not_icalendar", f"SEQUENCE is not an integer: {str(raw)!r}")
    return int(raw)


def _dtstamp(vevent) -> datetime | None:
    # DTSTAMP is informative for us, so a broken or odd one is dropped, not fatal.
    prop = vevent.get("DTSTAMP")
    try:
        moment = getattr(prop, "dt", None)
    except Exception:  # icalendar raises on a malformed value when it is read
        return None
    if not isinstance(moment, datetime):
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment


def parse_reply(data: bytes | str) -> Reply:
    """Parse one REPLY; raise ReplyError with a stable code when it is unusable."""
    cal = _load(data)
    method = str(cal.get("METHOD", "")).strip().upper()
    if method != "REPLY":
        raise ReplyError("not_a_reply", f"METHOD is {method or 'missing'}, expected REPLY")

    events = cal.events
    if len(events) != 1:
        raise ReplyError("no_event", f"expected exactly one VEVENT, found {len(events)}")
    vevent = events[0]

    uid = str(vevent.get("UID", "")).strip()
    if not uid:
        raise ReplyError("no_uid", "VEVENT has no UID")

    attendees = _as_list(vevent.get("ATTENDEE"))
    if not attendees:
        raise ReplyError("no_attendee", "VEVENT has no ATTENDEE")
    if len(attendees) > 1:
        raise ReplyError("several_attendees",
                         f"a REPLY must carry one ATTENDEE, found {len(attendees)}")
    attendee = attendees[0]
    email = _MAILTO.sub("", str(attendee)).strip().lower()
    if not email:
        raise ReplyError("no_attendee", "ATTENDEE has no address")

    # Unquoted parameter values are case-insensitive (RFC 5545 §3.2).
    partstat = str(attendee.params.get("PARTSTAT", "")).strip().upper()
    if partstat not in ANSWERS:
        raise ReplyError("bad_partstat",
                         f"PARTSTAT {partstat or 'missing'} is not ACCEPTED, DECLINED or TENTATIVE")

    comment = "\n".join(str(c) for c in _as_list(vevent.get("COMMENT")))
    return Reply(uid=uid, sequence=_sequence(vevent), attendee_email=email,
                 partstat=partstat, comment=comment, dtstamp=_dtstamp(vevent))
