"""Who may see and plan which ceremony.

One rule for every door (pages, feeds, the JSON API, webhooks): an admin sees
every ceremony; an organizer sees the ceremonies they are listed on as an
organizer (the creator is listed on creation). A ceremony nobody may see is a
404, never a 403, so ids reveal nothing.
"""
from datetime import datetime

from sqlalchemy import ColumnElement, delete, exists, func, select, true

from ..auth.models import User
from ..extensions import db
from .models import Ceremony, CeremonyOrganizer


def visible_ceremonies(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Ceremony keeping what `user` may see."""
    if user.is_admin:
        return true()
    return exists().where(CeremonyOrganizer.ceremony_id == Ceremony.id,
                          CeremonyOrganizer.user_id == user.id)


def visible_ceremony(user: User, ceremony_id: int) -> Ceremony | None:
    """The ceremony if `user` may see it, else None: one query."""
    if not user.is_active:
        return None
    return db.session.scalar(select(Ceremony).where(Ceremony.id == ceremony_id, visible_ceremonies(user)))


def may_see(user: User, ceremony_id: int) -> bool:
    if not user.is_active:
        return False
    if user.is_admin:
        return True
    return db.session.get(CeremonyOrganizer, (ceremony_id, user.id)) is not None


def visible_ids(user: User, ceremony_ids) -> set[int]:
    """Which of `ceremony_ids` `user` may see, in one query (also when there are none,
    so a page costs the same number of queries whatever it shows)."""
    return set(db.session.scalars(select(Ceremony.id).where(Ceremony.id.in_(set(ceremony_ids)),
                                                           visible_ceremonies(user))))


def organizers_of(ceremony_id: int) -> list[User]:
    return list(db.session.scalars(
        select(User).join(CeremonyOrganizer, CeremonyOrganizer.user_id == User.id)
        .where(CeremonyOrganizer.ceremony_id == ceremony_id).order_by(User.name, User.id)))


def add_organizer(ceremony_id: int, user_id: int, *, now: datetime) -> bool:
    """List `user_id` on the ceremony; False if they were listed already."""
    if db.session.get(CeremonyOrganizer, (ceremony_id, user_id)) is not None:
        return False
    db.session.add(CeremonyOrganizer(ceremony_id=ceremony_id, user_id=user_id, added_at=now))
    db.session.flush()
    return True


def remove_organizer(ceremony_id: int, user_id: int) -> bool:
    """Take `user_id` off the ceremony; refused (False) for its last organizer,
    so a ceremony never drops out of every organizer's list."""
    listed = db.session.scalar(select(func.count()).select_from(CeremonyOrganizer)
                               .where(CeremonyOrganizer.ceremony_id == ceremony_id))
    if listed <= 1:
        return False
    db.session.execute(delete(CeremonyOrganizer).where(CeremonyOrganizer.ceremony_id == ceremony_id,
                                                       CeremonyOrganizer.user_id == user_id))
    return True


def copy_organizers(source_id: int, copy_id: int, *, now: datetime) -> None:
    """A duplicate is planned by the same people as its source."""
    for user in organizers_of(source_id):
        add_organizer(copy_id, user.id, now=now)
