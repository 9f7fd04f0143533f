"""Record what a ceremony wants of its meeting, in the caller's transaction.

Only rows change here; the background pass (`sync`) makes the calls. Each
change of intent raises `wanted_version` with a SQL expression, so a call in
flight that read an older version can never mark the row "ready" (see sync).
"""
from datetime import datetime

from sqlalchemy import select, update

from ...extensions import db
from ...planning.models import Ceremony
from . import providers
from .models import ConferenceMeeting


def add_meeting(ceremony: Ceremony, *, now: datetime) -> ConferenceMeeting | None:
    """A meeting is wanted for a new ceremony, drafts included: the join URL is then
    known before the first invitation goes out."""
    name = providers.configured_name()
    if name == "none":
        return None
    meeting = ConferenceMeeting(ceremony_id=ceremony.id, ceremony_uid=ceremony.uid, provider=name,
                                status="pending", wanted_version=1, synced_version=0, attempts=0,
                                next_attempt_at=now, created_at=now, updated_at=now)
    db.session.add(meeting)
    return meeting


def _want(ceremony_id: int, status: str, *, now: datetime, only_from: tuple[str, ...]) -> int:
    return db.session.execute(
        update(ConferenceMeeting)
        .where(ConferenceMeeting.ceremony_id == ceremony_id, ConferenceMeeting.status.in_(only_from))
        .values(status=status, wanted_version=ConferenceMeeting.wanted_version + 1, attempts=0,
                next_attempt_at=now, last_error="", updated_at=now)).rowcount


def plan_changed(ceremony: Ceremony, *, now: datetime) -> None:
    _want(ceremony.id, "pending", now=now, only_from=("pending", "ready", "failed"))


def ceremony_cancelled(ceremony: Ceremony, *, now: datetime) -> None:
    _want(ceremony.id, "deleting", now=now, only_from=("pending", "ready", "failed", "deleting"))


def try_again(ceremony: Ceremony, *, now: datetime) -> ConferenceMeeting | None:
    """The organizer's "Try again": start over now, or make the row a ceremony created
    before a provider was configured never got."""
    meeting = db.session.scalar(select(ConferenceMeeting).where(ConferenceMeeting.ceremony_id == ceremony.id))
    if meeting is None:
        return add_meeting(ceremony, now=now) if not ceremony.is_cancelled else None
    if meeting.status == "deleted":
        return meeting
    _want(ceremony.id, "deleting" if ceremony.is_cancelled else "pending", now=now,
          only_from=("pending", "ready", "failed", "deleting"))
    return meeting
