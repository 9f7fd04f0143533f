"""Apply an attendee's iTIP REPLY (from their calendar client) to their record."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import calendar, signals
from ..extensions import db
from ..planning.models import Attendee, Ceremony
from .models import Delivery


class ReplyRefused(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def apply_reply(data: bytes | str, *, now: datetime) -> Attendee:
    """Record the answer, or refuse it with a reason the sender can act on."""
    try:
        reply = calendar.parse_reply(data)
    except calendar.ReplyError as error:
        raise ReplyRefused(error.code, str(error)) from error
    ceremony = db.session.scalar(select(Ceremony).where(Ceremony.uid == reply.uid))
    if ceremony is None:
        raise ReplyRefused("unknown_uid", _("No ceremony has the UID %(uid)s.", uid=reply.uid))
    person = db.session.scalar(
        select(Attendee).where(Attendee.ceremony_id == ceremony.id,
                               func.lower(Attendee.email) == reply.attendee_email)
        .order_by(Attendee.id).limit(1))
    if person is None:
        raise ReplyRefused("unknown_attendee", _("%(email)s is not an attendee of this ceremony.",
                                                 email=reply.attendee_email))
    # Compare with the newest invitation that reached them, not with the plan: an
    # update still on its way must not make their answer to the last one "outdated".
    delivered = db.session.scalar(
        select(func.max(Delivery.sequence)).where(
            Delivery.attendee_id == person.id, Delivery.recipient_email == person.email,
            Delivery.method == "REQUEST", Delivery.status == "sent"))
    current = delivered if delivered is not None else person.calendar_sequence(ceremony)
    if reply.sequence < current:
        raise ReplyRefused("outdated", _(
            "This answer is to version %(old)d of the invitation; the current version is %(new)d. "
            "Please answer the latest invitation.", old=reply.sequence, new=current))
    person.partstat = reply.partstat
    person.rsvp_comment = reply.comment
    person.replied_at = now
    db.session.flush()
    signals.attendee_replied.send(person, source="itip")
    return person
