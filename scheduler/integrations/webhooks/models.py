"""Endpoints organizers register, the events we record, and one delivery per
(event, endpoint) with every attempt kept for the log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ...dbtypes import UTCDateTime, one_of
from ...extensions import db

# What an endpoint may subscribe to; "ping" is only ever sent on request.
EVENT_TYPES = ("ceremony.created", "ceremony.updated", "ceremony.cancelled", "site.confirmed",
               "site.declined", "attendee.replied", "attendee.checked_in", "delivery.failed")
ALL_EVENT_TYPES = (*EVENT_TYPES, "ping")
# paused: held while its endpoint is paused; "Resume" makes it pending again.
DELIVERY_STATUSES = ("pending", "sending", "delivered", "failed", "paused")
PAUSE_REASONS = ("failing", "manual")


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"
    __table_args__ = (
        CheckConstraint("pause_reason IS NULL OR " + one_of("pause_reason", PAUSE_REASONS),
                        name="pause_reason_known"),
        CheckConstraint("consecutive_failures >= 0", name="failures_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account that registered it; it sees what that account may see, no more.
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # One ceremony only, or (NULL) every ceremony the owner may see. CASCADE, not
    # SET NULL: an endpoint meant for one ceremony must never widen to all of them.
    ceremony_id: Mapped[int | None] = mapped_column(
        ForeignKey("ceremonies.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    # Kept as generated: it must be at hand to sign every delivery.
    secret: Mapped[str] = mapped_column(String(100))
    # After a rotation deliveries carry a signature under the old secret too, until then.
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The chosen event types, space-separated with a space at each end, so that
    # "is it subscribed?" is one LIKE in the fan-out's INSERT … SELECT on any database.
    events: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)  # off: no events are recorded for it
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # on: events wait for "Resume"
    pause_reason: Mapped[str | None] = mapped_column(String(20))
    pause_detail: Mapped[str] = mapped_column(Text, default="")
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def event_types(self) -> list[str]:
        return self.events.split()

    @staticmethod
    def pack_events(types) -> str:
        chosen = [t for t in EVENT_TYPES if t in set(types)]
        return f" {' '.join(chosen)} "


class WebhookEvent(db.Model):
    """Something that happened, once, whatever the number of endpoints told."""

    __tablename__ = "webhook_events"
    __table_args__ = (CheckConstraint(one_of("type", ALL_EVENT_TYPES), name="type_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The id receivers see and de-duplicate on (Webhook-Id): evt_ + 32 hex digits.
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # SET NULL: the record of what was sent outlives a deleted ceremony.
    ceremony_id: Mapped[int | None] = mapped_column(
        ForeignKey("ceremonies.id", ondelete="SET NULL"), index=True)
    # The exact JSON sent (it holds the data): signed as bytes, so every
    # redelivery must send it byte for byte.
    body: Mapped[str] = mapped_column(Text)


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id", name="uq_webhook_deliveries_event_endpoint"),
        CheckConstraint(one_of("status", DELIVERY_STATUSES), name="status_known"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id", ondelete="CASCADE"))
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Retries stop here (failed); a manual redelivery sets it to "now": one attempt.
    retry_until: Mapped[datetime] = mapped_column(UTCDateTime)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    last_response: Mapped[str] = mapped_column(Text, default="")  # an excerpt, shown escaped
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A claim names its worker and expires: see delivery.py.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WebhookAttempt(db.Model):
    """One try of one delivery, for the log: when, what came back, how long it took."""

    __tablename__ = "webhook_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None]
    duration_ms: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    response_excerpt: Mapped[str] = mapped_column(Text, default="")
