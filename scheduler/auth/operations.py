"""Every change to accounts happens here; callers commit."""
from datetime import datetime

from sqlalchemy import func, select

from ..extensions import db
from .models import User


class AccountError(ValueError):
    """A change refused for a reason the user can fix; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(*, email: str, name: str, password: str, role: str, now: datetime) -> User:
    from flask_babel import gettext as _

    email = email.strip().lower()
    if find_by_email(email):
        raise AccountError(_("An account with this email already exists."), "email")
    user = User(email=email, name=name.strip(), role=role, active=True, created_at=now)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, acting: User, email: str, name: str, role: str, active: bool,
                password: str | None) -> None:
    from flask_babel import gettext as _

    email = email.strip().lower()
    other = find_by_email(email)
    if other is not None and other.id != user.id:
        raise AccountError(_("An account with this email already exists."), "email")
    if user.id == acting.id and (role != "admin" or not active):
        # An admin locking themselves out leaves nobody to manage accounts.
        raise AccountError(_("You cannot remove your own administrator rights."), "role")
    user.email, user.name, user.role, user.active = email, name.strip(), role, active
    if password:
        user.set_password(password)
