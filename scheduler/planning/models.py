"""Ceremonies and everything planned inside one: sites, attendees, programme, commendations."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..config import DEFAULT_TIMEZONE
from ..dbtypes import UTCDateTime, one_of
from ..extensions import db

CEREMONY_KINDS = ("commemoration", "conference", "award_ceremony", "other")
CEREMONY_STATUSES = ("draft", "scheduled", "cancelled", "completed")
SITE_STATUSES = ("pending", "confirmed", "declined")
ATTENDEE_CATEGORIES = (
    "chair", "leader", "former_leader", "delegate", "awardee", "guest", "press", "staff",
)
RECIPIENT_KINDS = ("collective", "individual")
LANGUAGES = ("vi", "en")
# RFC 5545 participation status of an attendee's answer.
PARTSTATS = ("NEEDS-ACTION", "ACCEPTED", "TENTATIVE", "DECLINED")
# What the site's coordinator says of a person, beside the person's own answer (partstat).
SITE_CONFIRMATIONS = ("pending", "confirmed", "not_coming")
# Check-in on the day; NULL until the coordinator records it.
ATTENDANCES = ("present", "late", "absent")


class Ceremony(db.Model):
    __tablename__ = "ceremonies"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint(one_of("kind", CEREMONY_KINDS), name="kind_known"),
        CheckConstraint(one_of("status", CEREMONY_STATUSES), name="status_known"),
        CheckConstraint("sequence >= 0", name="sequence_non_negative"),
        Index("ix_ceremonies_starts_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable iCalendar UID: invitations, updates and cancellations all carry it.
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default="commemoration")
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
    rehearsal_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    chair: Mapped[str] = mapped_column(String(300), default="")
    organizing_unit: Mapped[str] = mapped_column(String(300), default="")
    join_details: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    # Raised on every change an invited attendee must hear about (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    sites: Mapped[list[Site]] = relationship(
        back_populates="ceremony", cascade="all, delete-orphan", passive_deletes=True,
        order_by="(Site.is_host.desc(), Site.name)", lazy="raise_on_sql",
    )

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"


class CeremonyOrganizer(db.Model):
    """An account that plans this ceremony. Organizers see and change only the
    ceremonies they are listed on; admins see every ceremony (planning/access.py)."""

    __tablename__ = "ceremony_organizers"

    ceremony_id: Mapped[int] = mapped_column(
        ForeignKey("ceremonies.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Site(db.Model):
    __tablename__ = "sites"
    __table_args__ = (
        db.UniqueConstraint("ceremony_id", "code", name="uq_sites_ceremony_code"),
        CheckConstraint(one_of("status", SITE_STATUSES), name="status_known"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_non_negative"),
        CheckConstraint(one_of("coordinator_language", LANGUAGES), name="coordinator_language_known"),
        # Exactly one host per ceremony: at most one by this index, at least one
        # checked before a ceremony may be scheduled.
        Index(
            "uq_sites_one_host_per_ceremony", "ceremony_id", unique=True,
            sqlite_where=text("is_host"), postgresql_where=text("is_host"),
        ),
        Index("ix_sites_room_key", "room_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(32))
    is_host: Mapped[bool] = mapped_column(default=False)
    province: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    room: Mapped[str] = mapped_column(String(200), default="")
    # Normalised address + room, so the overlap check is one indexed join.
    room_key: Mapped[str | None] = mapped_column(String(700))
    timezone: Mapped[str | None] = mapped_column(String(64))  # None: the ceremony's
    video_endpoint: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None]
    coordinator_name: Mapped[str] = mapped_column(String(200), default="")
    coordinator_email: Mapped[str] = mapped_column(String(254), default="")
    coordinator_phone: Mapped[str] = mapped_column(String(50), default="")
    coordinator_language: Mapped[str] = mapped_column(String(5), default="vi")  # of their emails
    # Random, signed into the coordinator's link; a new key revokes every older link.
    link_key: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The coordinator's readiness checklist. Plain columns of the site, so the
    # readiness board over thousands of sites reads them without a join.
    room_ready: Mapped[bool] = mapped_column(default=False)
    endpoint_tested: Mapped[bool] = mapped_column(default=False)  # at the technical rehearsal
    av_checked: Mapped[bool] = mapped_column(default=False)  # sound and image
    backup_contact: Mapped[str] = mapped_column(String(300), default="")  # name and phone
    readiness_remark: Mapped[str] = mapped_column(Text, default="")
    # When the coordinator last confirmed or declined, and last used their link.
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    coordinator_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    ceremony: Mapped[Ceremony] = relationship(back_populates="sites", lazy="raise_on_sql")

    def effective_timezone(self, ceremony: Ceremony) -> str:
        return self.timezone or ceremony.timezone

    @property
    def readiness_done(self) -> int:
        """How many of the four checklist items are done (a named backup contact counts)."""
        return sum((self.room_ready, self.endpoint_tested, self.av_checked, bool(self.backup_contact)))


class Attendee(db.Model):
    __tablename__ = "attendees"
    __table_args__ = (
        CheckConstraint(one_of("category", ATTENDEE_CATEGORIES), name="category_known"),
        CheckConstraint(one_of("language", LANGUAGES), name="language_known"),
        CheckConstraint(one_of("partstat", PARTSTATS), name="partstat_known"),
        CheckConstraint("sequence_offset >= 0", name="sequence_offset_non_negative"),
        CheckConstraint(one_of("site_confirmation", SITE_CONFIRMATIONS), name="site_confirmation_known"),
        CheckConstraint("attendance IS NULL OR " + one_of("attendance", ATTENDANCES),
                        name="attendance_known"),
        Index("ix_attendees_ceremony_name_key", "ceremony_id", "name_key"),
        Index("ix_attendees_ceremony_email", "ceremony_id", "email"),
        Index("ix_attendees_site_id", "site_id"),
        # Deleting someone clears the link of their substitute: find it by index.
        Index("ix_attendees_substitute_for_id", "substitute_for_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    # RESTRICT: a site with people in it is emptied deliberately, never by accident.
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="RESTRICT"))
    full_name: Mapped[str] = mapped_column(String(200))
    # NFC + casefold + single spaces: "Nguyễn  Văn A" typed two ways is one person.
    name_key: Mapped[str] = mapped_column(String(200))
    rank: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[str] = mapped_column(String(300), default="")
    unit: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    category: Mapped[str] = mapped_column(String(20), default="delegate")
    language: Mapped[str] = mapped_column(String(5), default="vi")  # of their emails
    partstat: Mapped[str] = mapped_column(String(20), default="NEEDS-ACTION")
    rsvp_comment: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # This attendee's calendar copy has SEQUENCE = ceremony.sequence + sequence_offset:
    # a change that concerns only them (a move, their site's room) raises the
    # offset, so only they get an update.
    sequence_offset: Mapped[int] = mapped_column(default=0)
    # The SEQUENCE of the last invitation or update queued for them; None = never invited.
    invited_sequence: Mapped[int | None]
    # Random, signed into their personal link: a new key (new address, or a row id
    # reused after a deletion) makes every older link stop working.
    link_key: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The coordinator's word, kept apart from `partstat` (the person's own answer)
    # so neither overwrites the other and the organizer sees both.
    site_confirmation: Mapped[str] = mapped_column(String(20), default="pending")
    site_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[str | None] = mapped_column(String(10))
    attendance_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set on a substitute proposed by the coordinator: the person they replace.
    substitute_for_id: Mapped[int | None] = mapped_column(
        ForeignKey("attendees.id", ondelete="SET NULL"))

    site: Mapped[Site] = relationship(lazy="raise_on_sql")

    def calendar_sequence(self, ceremony: Ceremony) -> int:
        return ceremony.sequence + self.sequence_offset


class AttendeeMove(db.Model):
    """History of an attendee's sites; names are copied so history outlives a deleted site."""

    __tablename__ = "attendee_moves"

    id: Mapped[int] = mapped_column(primary_key=True)
    attendee_id: Mapped[int] = mapped_column(
        ForeignKey("attendees.id", ondelete="CASCADE"), index=True
    )
    from_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    to_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    from_site_name: Mapped[str] = mapped_column(String(300))
    to_site_name: Mapped[str] = mapped_column(String(300))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime)
    moved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ProgrammeItem(db.Model):
    __tablename__ = "programme_items"
    __table_args__ = (
        CheckConstraint("start_offset_minutes >= 0", name="offset_non_negative"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        Index("ix_programme_items_ceremony_offset", "ceremony_id", "start_offset_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    start_offset_minutes: Mapped[int]
    duration_minutes: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(300), default="")
    # The video control switches to this site for the item; None means the host.
    origin_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    origin_site: Mapped[Site | None] = relationship(lazy="raise_on_sql")

    @property
    def end_offset_minutes(self) -> int:
        return self.start_offset_minutes + self.duration_minutes


class Commendation(db.Model):
    __tablename__ = "commendations"
    __table_args__ = (
        CheckConstraint(one_of("recipient_kind", RECIPIENT_KINDS), name="recipient_kind_known"),
        Index("ix_commendations_ceremony_id", "ceremony_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    recipient_kind: Mapped[str] = mapped_column(String(20))
    recipient_name: Mapped[str] = mapped_column(String(300))
    recipient_detail: Mapped[str] = mapped_column(String(300), default="")  # rank, position, unit
    award: Mapped[str] = mapped_column(String(200), default="")  # e.g. Bằng khen
    authority: Mapped[str] = mapped_column(String(300))
    citation: Mapped[str] = mapped_column(Text, default="")
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))

    site: Mapped[Site | None] = relationship(lazy="raise_on_sql")
