from datetime import datetime

from flask_babel import gettext as _

from ... import signals
from ...extensions import db
from ..models import Attendee, AttendeeMove, Ceremony, Site
from ..names import name_key, normalise_text
from . import PlanningError, ensure_editable

ATTENDEE_FIELDS = ("full_name", "rank", "position", "unit", "email", "phone", "category", "language")


def normalise_values(values: dict) -> dict:
    values = {k: values.get(k) or "" for k in ATTENDEE_FIELDS}
    for key in ("full_name", "rank", "position", "unit", "phone"):
        values[key] = normalise_text(values[key])
    values["email"] = values["email"].strip().lower()
    values["language"] = values["language"] or "vi"
    if not values["full_name"]:
        raise PlanningError(_("This field is required."), "full_name")
    return values


def _site_of(ceremony: Ceremony, site_id: int) -> Site:
    site = db.session.get(Site, site_id)
    if site is None or site.ceremony_id != ceremony.id:
        raise PlanningError(_("Choose a site of this ceremony."), "site_id")
    return site


def add_attendee(ceremony: Ceremony, site_id: int, values: dict, *, now: datetime) -> Attendee:
    ensure_editable(ceremony)
    values = normalise_values(values)
    site = _site_of(ceremony, site_id)
    person = Attendee(ceremony_id=ceremony.id, site_id=site.id, name_key=name_key(values["full_name"]),
                      created_at=now, updated_at=now, **values)
    db.session.add(person)
    db.session.flush()
    signals.attendee_added.send(person)
    return person


def update_attendee(ceremony: Ceremony, person: Attendee, site_id: int, values: dict, *,
                    moved_by_id: int | None, now: datetime) -> set[str]:
    ensure_editable(ceremony)
    values = normalise_values(values)
    changed = {k for k in ATTENDEE_FIELDS if getattr(person, k) != values[k]}
    previous = {k: getattr(person, k) for k in changed}
    for field in changed:
        setattr(person, field, values[field])
    person.name_key = name_key(person.full_name)
    if changed:
        person.updated_at = now
        db.session.flush()
        signals.attendee_changed.send(person, changed=changed, previous=previous)
    if site_id != person.site_id:
        move_attendee(ceremony, person, site_id, moved_by_id=moved_by_id, now=now)
        changed.add("site_id")
    return changed


def move_attendee(ceremony: Ceremony, person: Attendee, to_site_id: int, *,
                  moved_by_id: int | None, now: datetime) -> AttendeeMove:
    """Same attendee row (so replies and history stay), new site, one history line."""
    ensure_editable(ceremony)
    target = _site_of(ceremony, to_site_id)
    source = db.session.get(Site, person.site_id)
    move = AttendeeMove(attendee_id=person.id, from_site_id=source.id, to_site_id=target.id,
                        from_site_name=source.name, to_site_name=target.name,
                        moved_at=now, moved_by_id=moved_by_id)
    person.site_id = target.id
    person.sequence_offset += 1  # their copy's location changes: they need an update
    person.updated_at = now
    db.session.add(move)
    db.session.flush()
    signals.attendee_moved.send(person, from_site_id=source.id, to_site_id=target.id)
    return move


def remove_attendee(person: Attendee) -> None:
    signals.attendee_removed.send(person)
    db.session.delete(person)
    db.session.flush()
