"""The read side: join details for messages and pages, the row for the organizer."""
from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from . import providers
from .models import ConferenceMeeting


@dataclass(frozen=True)
class ConferenceDetails:
    provider: str
    join_url: str  # "" until the provider gave one (only http(s) addresses are ever stored)
    dial_in: str
    room_secret: str

    def test_room(self, site_id: int) -> str:
        """Where the site's coordinator tests the video link at the technical rehearsal."""
        if self.provider == "jitsi":
            return providers.jitsi().test_room_url(self.room_secret, site_id)
        # The REST contract has no per-site rooms: a site rehearses in the ceremony's
        # own meeting, which is what it must reach on the day.
        return self.join_url


def status_for(ceremony_id: int) -> ConferenceMeeting | None:
    return db.session.scalar(select(ConferenceMeeting).where(ConferenceMeeting.ceremony_id == ceremony_id))


def details_for(ceremony_id: int) -> ConferenceDetails | None:
    """What attendees and coordinators may be told; nothing once the meeting is being deleted."""
    row = db.session.execute(
        select(ConferenceMeeting.provider, ConferenceMeeting.join_url, ConferenceMeeting.dial_in,
               ConferenceMeeting.room_secret, ConferenceMeeting.status)
        .where(ConferenceMeeting.ceremony_id == ceremony_id)).first()
    if row is None or row.status in ("deleting", "deleted"):
        return None
    details = ConferenceDetails(provider=row.provider, join_url=row.join_url, dial_in=row.dial_in,
                                room_secret=row.room_secret)
    if not (details.join_url or details.dial_in or details.provider == "jitsi"):
        return None
    return details
