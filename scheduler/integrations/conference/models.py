"""One row per ceremony: what the provider was asked for and what it answered."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...dbtypes import UTCDateTime, one_of
from ...extensions import db

# pending: the meeting must be created or updated; ready: it reflects the plan;
# failed: stopped retrying (an error the organizer must see; "Try again" restarts);
# deleting: the ceremony is cancelled or gone and the meeting must go; deleted: done.
MEETING_STATUSES = ("pending", "ready", "failed", "deleting", "deleted")


class ConferenceMeeting(db.Model):
    __tablename__ = "conference_meetings"
    __table_args__ = (
        CheckConstraint(one_of("status", MEETING_STATUSES), name="status_known"),
        CheckConstraint("synced_version <= wanted_version", name="synced_not_ahead"),
        Index("ix_conference_meetings_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # SET NULL, not CASCADE: a deleted ceremony leaves the row behind so the pass can
    # still delete the remote meeting (provider, external id and uid are all here).
    ceremony_id: Mapped[int | None] = mapped_column(
        ForeignKey("ceremonies.id", ondelete="SET NULL"), unique=True)
    ceremony_uid: Mapped[str] = mapped_column(String(100))  # external_ref; idempotency keys
    provider: Mapped[str] = mapped_column(String(20))
    # Random key of the per-site rehearsal rooms (Jitsi): unguessable, never from ids alone.
    room_secret: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(32))
    external_id: Mapped[str | None] = mapped_column(String(200))
    join_url: Mapped[str] = mapped_column(Text, default="")
    dial_in: Mapped[str] = mapped_column(Text, default="")
    host_url: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # Every change of the plan raises wanted_version; a call that read version V
    # records synced_version = V, and is "ready" only if nothing moved meanwhile.
    wanted_version: Mapped[int] = mapped_column(default=1)
    synced_version: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)  # failed calls since the last success or change
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def retrying(self) -> bool:
        return self.status in ("pending", "deleting") and self.attempts > 0
