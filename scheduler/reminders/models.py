"""Reminder rules (what the organizer asks for) and reminders (when each is due).

The database is the source of truth for everything time-driven: a web request
writes rows, the one scheduler process acts on them. A reminder row stands for
one occurrence of a rule for its whole audience; it is expanded into outbox
messages, in batches, only when it comes due, so 50,000 attendees cost nothing
up front.
"""
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, one_of
from ..extensions import db

# attendees: everyone invited who has not declined; coordinators: every site's
# coordinator; unconfirmed: coordinators of sites still pending; organizers: a digest.
AUDIENCES = ("attendees", "coordinators", "unconfirmed", "organizers")
ANCHORS = ("start", "rehearsal")
CHANNELS = ("email",)  # webhooks join once integrations exist
# planned → running (being expanded into the outbox) → sent; or skipped (nobody to
# tell), missed (its moment passed while nothing ran), failed (could not expand),
# withdrawn (the plan changed while it was being sent: the rest does not go).
REMINDER_STATUSES = ("planned", "running", "sent", "skipped", "missed", "failed", "withdrawn")


class ReminderRule(db.Model):
    __tablename__ = "reminder_rules"
    __table_args__ = (
        CheckConstraint(one_of("audience", AUDIENCES), name="audience_known"),
        CheckConstraint(one_of("anchor", ANCHORS), name="anchor_known"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel_known"),
        CheckConstraint("offset_minutes >= 0", name="offset_non_negative"),
        CheckConstraint("daily_minute IS NULL OR (daily_minute >= 0 AND daily_minute < 1440)",
                        name="daily_minute_in_day"),
        Index("ix_reminder_rules_ceremony_id", "ceremony_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    audience: Mapped[str] = mapped_column(String(20))
    anchor: Mapped[str] = mapped_column(String(20), default="start")
    # How long before the anchor. For a daily digest: how many minutes before the
    # start the digests begin (one a day, at daily_minute local time, until the start).
    offset_minutes: Mapped[int]
    daily_minute: Mapped[int | None]
    channel: Mapped[str] = mapped_column(String(20), default="email")
    enabled: Mapped[bool] = mapped_column(default=True)
    # Missed while no scheduler ran: still send if the ceremony has not started.
    send_late: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def is_digest(self) -> bool:
        return self.daily_minute is not None


class Reminder(db.Model):
    __tablename__ = "reminders"
    __table_args__ = (
        CheckConstraint(one_of("status", REMINDER_STATUSES), name="status_known"),
        # Re-planning the same moment finds the row it made before.
        UniqueConstraint("rule_id", "due_at", name="uq_reminders_rule_due"),
        Index("ix_reminders_due", "status", "due_at"),
        Index("ix_reminders_ceremony_id", "ceremony_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    rule_id: Mapped[int] = mapped_column(ForeignKey("reminder_rules.id", ondelete="CASCADE"))
    # Copied from the rule: history outlives a rule edit (re-planning updates planned rows).
    audience: Mapped[str] = mapped_column(String(20))
    anchor: Mapped[str] = mapped_column(String(20), default="start")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Expansion progress: recipients put in the outbox, and why others were left out.
    queued: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    # Keyset cursor of the expansion, so a crashed pass resumes where it stopped.
    cursor: Mapped[int] = mapped_column(default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When a scheduler first took it: lateness is judged from here, so a restart
    # after a crash mid-claim does not make a punctual reminder "late".
    first_claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
