import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import db


def new_secret() -> str:
    return secrets.token_urlsafe(24)


class FeedToken(db.Model):
    """A feed of every ceremony with a site of this code, or of one organizer.

    Only the hash of the secret is stored: a leaked database does not leak feeds.
    """

    __tablename__ = "feed_tokens"
    __table_args__ = (
        CheckConstraint("kind IN ('site', 'organizer')", name="kind_known"),
        CheckConstraint("(kind = 'site') = (site_code IS NOT NULL)", name="site_code_for_site_feeds"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    site_code: Mapped[str | None] = mapped_column(String(32))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
