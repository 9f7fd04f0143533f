"""Pure iCalendar functions: ceremony + attendee → REQUEST / CANCEL / PUBLISH
bytes, and REPLY parsing. No Flask, no database, no wall clock."""
from scheduler.calendar.build import (PRODID, build_reply, cancel, personalise, publish, request,
                                     skeleton)
from scheduler.calendar.model import (
    Alarm,
    EventData,
    Invitee,
    Person,
    Reply,
    ReplyError,
)
from scheduler.calendar.reply import parse_reply

__all__ = [
    "PRODID", "Alarm", "EventData", "Invitee", "Person", "Reply", "ReplyError",
    "build_reply", "cancel", "parse_reply", "personalise", "publish", "request", "skeleton",
]
