"""Warnings an organizer should see before the day: each is a bounded query or a pure check."""
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from ..extensions import db
from .models import Attendee, Ceremony, ProgrammeItem, Site

MAX_LISTED = 50  # a warning list longer than this is a data problem, not a reading list


@dataclass(frozen=True)
class RoomClash:
    site_name: str
    room: str
    other_ceremony_id: int
    other_title: str
    other_site_name: str


def room_clashes(ceremony: Ceremony) -> list[RoomClash]:
    """Rooms of this ceremony's sites also booked by an overlapping, live ceremony."""
    other_site, other = aliased(Site), aliased(Ceremony)
    rows = db.session.execute(
        select(Site.name, Site.room, other.id, other.title, other_site.name)
        .join(other_site, and_(other_site.room_key == Site.room_key,
                               other_site.ceremony_id != Site.ceremony_id))
        .join(other, other.id == other_site.ceremony_id)
        .where(Site.ceremony_id == ceremony.id, Site.room_key.is_not(None),
               other.status != "cancelled",
               other.starts_at < ceremony.ends_at, other.ends_at > ceremony.starts_at)
        .order_by(Site.name).limit(MAX_LISTED)
    ).all()
    return [RoomClash(*row) for row in rows]


@dataclass(frozen=True)
class DuplicatePerson:
    reason: str  # "email" or "name"
    value: str
    people: list[tuple[int, str, str]]  # (attendee id, full name, site name)


def duplicate_attendees(ceremony_id: int) -> list[DuplicatePerson]:
    """People listed twice: the same email, or the same name in the same unit."""
    by_email = (select(Attendee.email).where(Attendee.ceremony_id == ceremony_id, Attendee.email != "")
                .group_by(Attendee.email).having(func.count() > 1).limit(MAX_LISTED))
    by_name = (select(Attendee.name_key, Attendee.unit).where(Attendee.ceremony_id == ceremony_id)
               .group_by(Attendee.name_key, Attendee.unit).having(func.count() > 1).limit(MAX_LISTED))
    emails = db.session.scalars(by_email).all()
    names = db.session.execute(by_name).all()
    if not emails and not names:
        return []
    members = db.session.execute(
        select(Attendee.id, Attendee.full_name, Site.name, Attendee.email, Attendee.name_key,
               Attendee.unit)
        .join(Site, Site.id == Attendee.site_id)
        .where(Attendee.ceremony_id == ceremony_id,
               (Attendee.email.in_(emails)) | (Attendee.name_key.in_([n for n, _ in names])))
        .order_by(Attendee.id)
    ).all()
    groups: list[DuplicatePerson] = []
    for email in emails:
        groups.append(DuplicatePerson("email", email,
                                      [(m[0], m[1], m[2]) for m in members if m[3] == email]))
    for key, unit in names:
        people = [(m[0], m[1], m[2]) for m in members if m[4] == key and m[5] == unit]
        groups.append(DuplicatePerson("name", people[0][1], people))
    return groups


def listed_already(ceremony_id: int, *, email: str, key: str, unit: str,
                   ignore_id: int | None = None) -> str | None:
    """Would one more person with these (normalised) values be listed twice?

    The rule of `duplicate_attendees`, asked before a row is written: "email"
    if someone in the ceremony has this address, "name" if someone has this
    name key in the same unit, else None.
    """
    others = [Attendee.ceremony_id == ceremony_id]
    if ignore_id is not None:
        others.append(Attendee.id != ignore_id)
    if email and db.session.scalar(select(Attendee.id).where(*others, Attendee.email == email)
                                   .limit(1)) is not None:
        return "email"
    if db.session.scalar(select(Attendee.id).where(*others, Attendee.name_key == key,
                                                   Attendee.unit == unit).limit(1)) is not None:
        return "name"
    return None


@dataclass(frozen=True)
class ProgrammeProblem:
    item_id: int
    title: str
    reason: str  # "overflow" (ends after the ceremony) or "overlap" (starts before the previous ends)
    minutes: int  # by how much


def programme_problems(items: list[ProgrammeItem], duration_minutes: int) -> list[ProgrammeProblem]:
    """Pure: items (ordered by start) that run past the end or into each other."""
    problems = []
    previous_end = 0
    for item in items:
        if item.start_offset_minutes < previous_end:
            problems.append(ProgrammeProblem(item.id, item.title, "overlap",
                                             previous_end - item.start_offset_minutes))
        if item.end_offset_minutes > duration_minutes:
            problems.append(ProgrammeProblem(item.id, item.title, "overflow",
                                             item.end_offset_minutes - duration_minutes))
        previous_end = max(previous_end, item.end_offset_minutes)
    return problems
