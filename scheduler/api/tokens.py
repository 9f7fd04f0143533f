"""Personal API tokens: issued in the browser, shown once, only their hash kept.

A token reads `cs_<prefix>_<secret>`: the prefix is shown in lists so an owner
recognises a token (and a leaked one in a log), the secret is 32 random bytes.
The whole token is hashed with SHA-256 (`security.hash_secret`): it is random
and long, so a slow password hash would buy nothing and cost every request.
"""
import secrets
from datetime import datetime, timedelta

from sqlalchemy import CheckConstraint, ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column

from ..auth.models import User
from ..dbtypes import UTCDateTime, one_of
from ..extensions import db
from ..security import hash_secret

SCOPES = ("read", "read-write")
# last_used_at is written at most this often: not a database write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    __table_args__ = (CheckConstraint(one_of("scope", SCOPES), name="scope_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(20), default="read")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def display(self) -> str:
        return f"cs_{self.prefix}_…"

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)

    @property
    def may_write(self) -> bool:
        return self.scope == "read-write"


def issue(user_id: int, *, name: str, scope: str, expires_at: datetime | None,
          now: datetime) -> tuple[ApiToken, str]:
    """A new token and its text; the text exists only in this return value."""
    prefix = secrets.token_hex(4)
    text = f"cs_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user_id=user_id, name=name, prefix=prefix, token_hash=hash_secret(text),
                     scope=scope, created_at=now, expires_at=expires_at)
    db.session.add(token)
    db.session.flush()
    return token, text


def authenticate(text: str, *, now: datetime) -> tuple[ApiToken, User, bool] | None:
    """The token and its account, if the token is known, live and its account
    active; the flag says whether last_used_at was written (the caller commits)."""
    if not text.startswith("cs_") or len(text) > 200:
        return None
    row = db.session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_secret(text))).first()
    if row is None:
        return None
    token, user = row
    if not token.usable(now) or not user.is_active:
        return None
    touched = token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION
    if touched:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                           .execution_options(synchronize_session=False))
    return token, user, touched


def revoke(token: ApiToken, *, now: datetime) -> None:
    token.revoked_at = token.revoked_at or now
    db.session.flush()
