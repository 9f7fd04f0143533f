import secrets
import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import insert, select

from ... import signals
from ...extensions import db
from ..models import Attendee, Ceremony, Commendation, ProgrammeItem, Site
from .. import access
from . import PlanningError

CEREMONY_FIELDS = ("title", "kind", "description", "starts_at", "ends_at", "timezone",
                   "rehearsal_at", "chair", "organizing_unit", "join_details")
# Changes an invited attendee must hear about: each raises SEQUENCE (RFC 5545).
ATTENDEE_VISIBLE_FIELDS = frozenset({"title", "starts_at", "ends_at", "timezone", "join_details"})


def new_uid() -> str:
    return f"{uuid.uuid4()}@ceremony-scheduler"


def _check_times(values: dict) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise PlanningError(_("The end must come after the start."), "ends_at")
    rehearsal = values.get("rehearsal_at")
    if rehearsal is not None and rehearsal >= values["starts_at"]:
        raise PlanningError(_("The technical rehearsal must come before the start."), "rehearsal_at")


def create_ceremony(values: dict, *, created_by_id: int | None, now: datetime,
                    duplicated_from: int | None = None) -> Ceremony:
    _check_times(values)
    ceremony = Ceremony(uid=new_uid(), status="draft", sequence=0, created_by_id=created_by_id,
                        created_at=now, updated_at=now,
                        **{k: values[k] for k in CEREMONY_FIELDS})
    db.session.add(ceremony)
    db.session.flush()
    if created_by_id is not None:
        access.add_organizer(ceremony.id, created_by_id, now=now)
    if duplicated_from is not None:  # before the signal: webhooks judge who may hear of it
        access.copy_organizers(duplicated_from, ceremony.id, now=now)
    signals.ceremony_created.send(ceremony, source_id=duplicated_from)
    return ceremony


def update_ceremony(ceremony: Ceremony, values: dict, *, now: datetime) -> set[str]:
    if ceremony.is_cancelled:
        raise PlanningError(_("A cancelled ceremony cannot be edited; duplicate it instead."))
    _check_times(values)
    changed = {k for k in CEREMONY_FIELDS if getattr(ceremony, k) != values[k]}
    for field in changed:
        setattr(ceremony, field, values[field])
    if not changed:
        return changed
    visible = bool(changed & ATTENDEE_VISIBLE_FIELDS)
    if visible:
        # In SQL, not from the loaded value: the background pass raises it too (a join URL
        # known late), and `sequence = <old + 1>` would overwrite its raise on PostgreSQL.
        ceremony.sequence = Ceremony.sequence + 1
    ceremony.updated_at = now
    db.session.flush()
    signals.ceremony_updated.send(ceremony, changed=changed, attendee_visible=visible)
    return changed


def host_site_id(ceremony_id: int) -> int | None:
    return db.session.scalar(select(Site.id).where(Site.ceremony_id == ceremony_id, Site.is_host))


def schedule(ceremony: Ceremony, *, now: datetime) -> None:
    """Draft → scheduled: the ceremony is ready to be announced."""
    if ceremony.status != "draft":
        raise PlanningError(_("Only a draft can be scheduled."))
    if host_site_id(ceremony.id) is None:
        raise PlanningError(_("Add the host site before scheduling the ceremony."))
    ceremony.status = "scheduled"
    ceremony.updated_at = now
    db.session.flush()
    signals.ceremony_updated.send(ceremony, changed={"status"}, attendee_visible=False)


def cancel(ceremony: Ceremony, *, now: datetime) -> None:
    if ceremony.status in ("cancelled", "completed"):
        raise PlanningError(_("This ceremony can no longer be cancelled."))
    ceremony.status = "cancelled"
    ceremony.sequence = Ceremony.sequence + 1  # in SQL: see update_ceremony
    ceremony.updated_at = now
    db.session.flush()
    signals.ceremony_cancelled.send(ceremony)


def mark_completed(ceremony: Ceremony, *, now: datetime) -> None:
    if ceremony.status != "scheduled":
        raise PlanningError(_("Only a scheduled ceremony can be marked completed."))
    if now < ceremony.starts_at:
        raise PlanningError(_("The ceremony has not started yet."))
    ceremony.status = "completed"
    ceremony.updated_at = now
    db.session.flush()
    signals.ceremony_updated.send(ceremony, changed={"status"}, attendee_visible=False)


def _copy_rows(model, source_rows, overrides) -> None:
    rows = []
    for row in source_rows:
        data = {c.key: getattr(row, c.key) for c in model.__table__.columns if c.key != "id"}
        data.update(overrides(row))
        rows.append(data)
    if rows:
        db.session.execute(insert(model), rows)


def duplicate(source: Ceremony, *, title: str, starts_at: datetime, include_attendees: bool,
              include_commendations: bool, created_by_id: int | None, now: datetime) -> Ceremony:
    """A new draft with the same sites and programme, shifted to a new start.

    Rehearsal and end keep their distance from the start. Attendees and
    commendations come along only when asked: next year's awardees differ.
    """
    shift = starts_at - source.starts_at
    values = {k: getattr(source, k) for k in CEREMONY_FIELDS}
    values.update(title=title, starts_at=starts_at, ends_at=source.ends_at + shift,
                  rehearsal_at=source.rehearsal_at + shift if source.rehearsal_at else None)
    copy = create_ceremony(values, created_by_id=created_by_id, now=now, duplicated_from=source.id)

    sites = db.session.scalars(select(Site).where(Site.ceremony_id == source.id)).all()
    _copy_rows(Site, sites, lambda s: {"ceremony_id": copy.id, "status": "pending", "created_at": now})
    site_ids = dict(db.session.execute(
        select(Site.code, Site.id).where(Site.ceremony_id == copy.id)).all())
    new_site = {s.id: site_ids[s.code] for s in sites}

    items = db.session.scalars(select(ProgrammeItem).where(ProgrammeItem.ceremony_id == source.id))
    _copy_rows(ProgrammeItem, items, lambda i: {
        "ceremony_id": copy.id, "origin_site_id": new_site.get(i.origin_site_id)})
    if include_attendees:
        people = db.session.scalars(select(Attendee).where(Attendee.ceremony_id == source.id))
        # The people come along; their answers and invitations belong to the old ceremony.
        _copy_rows(Attendee, people, lambda a: {
            "ceremony_id": copy.id, "site_id": new_site[a.site_id], "created_at": now,
            "updated_at": now, "partstat": "NEEDS-ACTION", "rsvp_comment": "", "replied_at": None,
            "sequence_offset": 0, "invited_sequence": None, "link_key": secrets.token_hex(16)})
    if include_commendations:
        awards = db.session.scalars(select(Commendation).where(Commendation.ceremony_id == source.id))
        _copy_rows(Commendation, awards, lambda c: {
            "ceremony_id": copy.id, "site_id": new_site.get(c.site_id)})
    return copy

