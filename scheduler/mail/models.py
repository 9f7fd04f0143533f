"""The outbox: every message is a row before it is an SMTP transaction."""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, one_of
from ..extensions import db

DELIVERY_STATUSES = ("pending", "sending", "sent", "failed", "superseded")
# Calendar messages carry an iTIP method; the others (reminders, digests, a
# coordinator's link, a paused webhook endpoint's notice) are plain mail with method NULL.
DELIVERY_KINDS = ("invitation", "update", "cancellation", "reminder", "digest", "site_link",
                  "webhook_paused")
CALENDAR_KINDS = ("invitation", "update", "cancellation")
FANOUT_ACTIONS = ("invite", "resend", "sync")
FANOUT_SCOPES = ("ceremony", "site", "attendee")
JOB_STATUSES = ("queued", "running", "done", "failed")


class Delivery(db.Model):
    """One message to one recipient. Rendered at send time from the current plan,
    so a row is small (50,000 of them cost a few MB) and always says the latest."""

    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint(one_of("status", DELIVERY_STATUSES), name="status_known"),
        CheckConstraint(one_of("kind", DELIVERY_KINDS), name="kind_known"),
        CheckConstraint("method IN ('REQUEST', 'CANCEL')", name="method_known"),  # or NULL
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_ceremony_status", "ceremony_id", "status"),
        Index("ix_outbox_attendee_id", "attendee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    # SET NULL: a removed attendee still gets their cancellation.
    attendee_id: Mapped[int | None] = mapped_column(ForeignKey("attendees.id", ondelete="SET NULL"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    recipient_email: Mapped[str] = mapped_column(String(254))
    recipient_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    method: Mapped[str | None] = mapped_column(String(10))  # iTIP method of the calendar part
    kind: Mapped[str] = mapped_column(String(20))
    sequence: Mapped[int]
    # The reminder occurrence this message belongs to (reminders and digests).
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"), index=True)
    # One message per (method, attendee, SEQUENCE); a deliberate resend adds its job id.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A claim expires: a worker that died mid-send gives its rows back. The token
    # names the claim, so a worker whose lease ran out cannot mark or resend a row
    # another worker has taken since.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FanoutJob(db.Model):
    """Queue work for many attendees: the request records it, the background runs it."""

    __tablename__ = "fanout_jobs"
    __table_args__ = (
        CheckConstraint(one_of("action", FANOUT_ACTIONS), name="action_known"),
        CheckConstraint(one_of("scope", FANOUT_SCOPES), name="scope_known"),
        CheckConstraint(one_of("status", JOB_STATUSES), name="status_known"),
        Index("ix_fanout_jobs_status", "status"),
        Index("ix_fanout_jobs_ceremony_id", "ceremony_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20), default="ceremony")
    scope_id: Mapped[int | None]  # site or attendee id
    status: Mapped[str] = mapped_column(String(20), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    queued: Mapped[int] = mapped_column(default=0)  # messages this job put in the outbox
    error: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Renewed after every batch; a running job whose lease ran out lost its worker.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
