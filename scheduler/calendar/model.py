"""Plain values the calendar builders take and the reply parser returns.

Frozen dataclasses, no ORM: callers map their rows onto these, so the iCalendar
code stays testable without an app or a database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Person:
    email: str
    name: str


@dataclass(frozen=True)
class Alarm:
    minutes_before: int
    description: str


@dataclass(frozen=True)
class EventData:
    uid: str
    sequence: int
    summary: str
    description: str          # plain text; may be long, Vietnamese, with newlines
    starts_at: datetime       # aware (UTC)
    ends_at: datetime         # aware (UTC)
    tzid: str                 # IANA zone DTSTART/DTEND are written in
    location: str             # the attendee's own bridge site
    url: str                  # link back to the attendee page; "" for none
    organizer: Person
    status: str = "CONFIRMED"  # CONFIRMED | TENTATIVE | CANCELLED
    alarms: tuple[Alarm, ...] = ()
    created: datetime | None = None
    last_modified: datetime | None = None
    conference_url: str = ""  # the video meeting's join URL (RFC 7986 CONFERENCE); "" for none


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str
    role: str = "REQ-PARTICIPANT"   # CHAIR | REQ-PARTICIPANT | OPT-PARTICIPANT | NON-PARTICIPANT
    partstat: str = "NEEDS-ACTION"  # NEEDS-ACTION | ACCEPTED | DECLINED | TENTATIVE
    rsvp: bool = True


@dataclass(frozen=True)
class Reply:
    uid: str
    sequence: int
    attendee_email: str   # lower-cased, without "mailto:"
    partstat: str
    comment: str
    dtstamp: datetime | None


class ReplyError(ValueError):
    """A REPLY we cannot use; `code` is stable for callers, `message` is for logs."""

    CODES = frozenset({"not_icalendar", "not_a_reply", "no_event", "no_uid",
                       "no_attendee", "bad_partstat", "several_attendees"})

    def __init__(self, code: str, message: str):
        if code not in self.CODES:
            raise ValueError(f"unknown ReplyError code {code!r}")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
