import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update

from ... import signals
from ...extensions import db
from ..models import Attendee, Ceremony, Site
from ..names import normalise_text, room_key
from . import PlanningError, ensure_editable

SITE_FIELDS = ("name", "code", "is_host", "province", "address", "room", "timezone",
               "video_endpoint", "capacity", "coordinator_name", "coordinator_email",
               "coordinator_phone", "coordinator_language", "status")
# What an attendee's invitation shows of their site: a change raises SEQUENCE.
ATTENDEE_VISIBLE_SITE_FIELDS = frozenset({"name", "address", "room", "timezone", "video_endpoint"})


def normalise_values(values: dict) -> dict:
    values = dict(values)
    for key in ("name", "province", "address", "room", "coordinator_name"):
        values[key] = normalise_text(values.get(key) or "")
    values["code"] = normalise_text(values["code"]).upper()
    values["timezone"] = values.get("timezone") or None
    values["coordinator_language"] = values.get("coordinator_language") or "vi"
    return values


def _check_code_free(ceremony_id: int, code: str, site_id: int | None) -> None:
    query = select(Site.id).where(Site.ceremony_id == ceremony_id, func.upper(Site.code) == code)
    if site_id is not None:
        query = query.where(Site.id != site_id)
    if db.session.scalar(query) is not None:
        raise PlanningError(_("Another site of this ceremony already uses the code %(code)s.",
                              code=code), "code")


def _take_host_role(ceremony_id: int, site_id: int | None) -> None:
    # The partial unique index allows one host: clear the old one first.
    query = update(Site).where(Site.ceremony_id == ceremony_id, Site.is_host)
    if site_id is not None:
        query = query.where(Site.id != site_id)
    db.session.execute(query.values(is_host=False))


def add_site(ceremony: Ceremony, values: dict, *, now: datetime) -> Site:
    ensure_editable(ceremony)
    values = normalise_values(values)
    _check_code_free(ceremony.id, values["code"], None)
    if values["is_host"]:
        _take_host_role(ceremony.id, None)
    site = Site(ceremony_id=ceremony.id, created_at=now,
                room_key=room_key(values["address"], values["room"]),
                **{k: values[k] for k in SITE_FIELDS})
    db.session.add(site)
    db.session.flush()
    signals.site_changed.send(site, changed=set(SITE_FIELDS), attendee_visible=False)
    return site


def update_site(ceremony: Ceremony, site: Site, values: dict) -> set[str]:
    ensure_editable(ceremony)
    values = normalise_values(values)
    _check_code_free(ceremony.id, values["code"], site.id)
    if site.is_host and not values["is_host"]:
        raise PlanningError(_("Make another site the host instead; a ceremony needs one."), "is_host")
    if values["is_host"] and not site.is_host:
        _take_host_role(ceremony.id, site.id)
    changed = {k for k in SITE_FIELDS if getattr(site, k) != values[k]}
    for field in changed:
        setattr(site, field, values[field])
    site.room_key = room_key(site.address, site.room)
    visible = bool(changed & ATTENDEE_VISIBLE_SITE_FIELDS)
    if visible:
        # Only this site's people see the change, so only their copies move on.
        db.session.execute(update(Attendee).where(Attendee.site_id == site.id)
                           .values(sequence_offset=Attendee.sequence_offset + 1))
    db.session.flush()
    if changed:
        signals.site_changed.send(site, changed=changed, attendee_visible=visible)
    return changed


def delete_site(ceremony: Ceremony, site: Site) -> None:
    if site.is_host:
        raise PlanningError(_("The host site cannot be removed; make another site the host first."))
    if db.session.scalar(select(exists().where(Attendee.site_id == site.id))):
        raise PlanningError(_("Move or remove this site's attendees before removing the site."))
    db.session.delete(site)
    db.session.flush()


def reissue_coordinator_link(site: Site) -> None:
    """A new random key: the coordinator's current link stops working at once."""
    site.link_key = secrets.token_hex(16)
    db.session.flush()
