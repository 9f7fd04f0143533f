"""Signals become webhook events: one event row per signal and its delivery rows,
inserted set-based for every endpoint that subscribed and may see the ceremony
now, in the transaction of the change itself.

With no endpoint to tell (the usual case) a signal costs one indexed EXISTS.
"""
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import case, exists, insert, literal, or_, select

from ... import signals
from ...auth.models import User
from ...clock import current_time
from ...extensions import db
from ...planning.models import Attendee, Ceremony, CeremonyOrganizer, Site
from . import signing
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent


def retry_window() -> timedelta:
    return timedelta(seconds=float(current_app.config["WEBHOOK_RETRY_FOR"]))


def _subscribers(event_type: str, ceremony_id: int):
    """Endpoints to tell: on, subscribed, for this ceremony or all, and whose owner
    is active and may see the ceremony (planning/access.py's rule, in SQL)."""
    listed = exists().where(CeremonyOrganizer.ceremony_id == ceremony_id,
                            CeremonyOrganizer.user_id == WebhookEndpoint.owner_id)
    return (WebhookEndpoint.active, User.active,
            WebhookEndpoint.events.contains(f" {event_type} ", autoescape=True),
            or_(WebhookEndpoint.ceremony_id.is_(None), WebhookEndpoint.ceremony_id == ceremony_id),
            or_(User.role == "admin", listed))


def record(event_type: str, ceremony_id: int | None, data: Callable[[], dict], *,
           now: datetime) -> int | None:
    """Record one event for every subscriber; returns the event's row id, or None
    when nobody is subscribed (then `data` is never built)."""
    if ceremony_id is None:
        return None  # only a ping has no ceremony, and it goes to one endpoint (record_ping)
    conditions = _subscribers(event_type, ceremony_id)
    if not db.session.scalar(select(exists().where(User.id == WebhookEndpoint.owner_id, *conditions))):
        return None
    event_id = _insert_event(event_type, ceremony_id, data(), now)
    held = case((WebhookEndpoint.paused_at.is_not(None), "paused"), else_="pending")
    db.session.execute(insert(WebhookDelivery).from_select(
        ["event_id", "endpoint_id", "status", "attempts", "next_attempt_at", "retry_until",
         "last_error", "last_response", "created_at"],
        select(literal(event_id), WebhookEndpoint.id, held, literal(0), literal(now, WebhookDelivery.next_attempt_at.type),
               literal(now + retry_window(), WebhookDelivery.retry_until.type), literal(""), literal(""),
               literal(now, WebhookDelivery.created_at.type))
        .join(User, User.id == WebhookEndpoint.owner_id).where(*conditions)))
    return event_id


def record_ping(endpoint: WebhookEndpoint, *, now: datetime) -> int:
    """A test event for one endpoint, whatever it subscribed to."""
    event_id = _insert_event("ping", None, {"endpoint_id": endpoint.id}, now)
    db.session.add(WebhookDelivery(
        event_id=event_id, endpoint_id=endpoint.id, attempts=0, next_attempt_at=now,
        status="paused" if endpoint.paused_at else "pending", retry_until=now + retry_window(),
        last_error="", last_response="", created_at=now))
    db.session.flush()
    return event_id


def _insert_event(event_type: str, ceremony_id: int | None, data: dict, now: datetime) -> int:
    public_id = signing.new_event_id()
    body = signing.body_for(public_id, event_type, now, data)
    return db.session.execute(insert(WebhookEvent).values(
        public_id=public_id, type=event_type, occurred_at=now, ceremony_id=ceremony_id, body=body)
        .returning(WebhookEvent.id)).scalar_one()


# What receivers get: ids and the fields they act on; never link keys or secrets.

def ceremony_data(ceremony: Ceremony) -> dict:
    return {"id": ceremony.id, "uid": ceremony.uid, "title": ceremony.title, "status": ceremony.status,
            "starts_at": signing.iso(ceremony.starts_at), "ends_at": signing.iso(ceremony.ends_at),
            "timezone": ceremony.timezone, "sequence": ceremony.sequence}


def site_data(site: Site) -> dict:
    return {"id": site.id, "code": site.code, "name": site.name, "status": site.status,
            "is_host": site.is_host}


def attendee_data(person: Attendee) -> dict:
    return {"id": person.id, "full_name": person.full_name, "site_id": person.site_id,
            "partstat": person.partstat, "comment": person.rsvp_comment,
            "replied_at": signing.iso(person.replied_at), "attendance": person.attendance,
            "attendance_at": signing.iso(person.attendance_at)}


def _ceremony(ceremony_id: int) -> dict:
    return ceremony_data(db.session.get(Ceremony, ceremony_id))


def on_ceremony_created(ceremony, **_):
    record("ceremony.created", ceremony.id, lambda: {"ceremony": ceremony_data(ceremony)},
           now=current_time())


def on_ceremony_updated(ceremony, *, changed, attendee_visible, **_):
    record("ceremony.updated", ceremony.id, lambda: {
        "ceremony": ceremony_data(ceremony), "changed": sorted(changed),
        "attendee_visible": bool(attendee_visible)}, now=current_time())


def on_ceremony_cancelled(ceremony, **_):
    record("ceremony.cancelled", ceremony.id, lambda: {"ceremony": ceremony_data(ceremony)},
           now=current_time())


def _site_answer(site: Site, previous: str | None, by: str) -> None:
    record(f"site.{site.status}", site.ceremony_id, lambda: {
        "ceremony": _ceremony(site.ceremony_id), "site": site_data(site),
        "previous_status": previous, "by": by}, now=current_time())


def on_site_replied(site, *, status, previous, **_):
    _site_answer(site, previous, "coordinator")


def on_site_changed(site, *, changed, **_):
    """An organizer setting the status in the site form says the same thing as the
    coordinator's answer, so receivers hear it too (marked "by": "organizer")."""
    if "status" in changed and site.status in ("confirmed", "declined"):
        _site_answer(site, None, "organizer")


def _person_data(person: Attendee, **extra) -> Callable[[], dict]:
    def build() -> dict:
        site = db.session.get(Site, person.site_id)
        return {"ceremony": _ceremony(person.ceremony_id), "attendee": attendee_data(person),
                "site": site_data(site) if site is not None else None, **extra}
    return build


def on_attendee_replied(person, *, source, **_):
    record("attendee.replied", person.ceremony_id, _person_data(person, source=source),
           now=current_time())


def on_attendee_checked_in(person, *, attendance, **_):
    record("attendee.checked_in", person.ceremony_id, _person_data(person), now=current_time())


def on_delivery_failed(row, *, error, **_):
    record("delivery.failed", row.ceremony_id, lambda: {
        "ceremony": _ceremony(row.ceremony_id),
        "delivery": {"id": row.id, "kind": row.kind, "recipient": row.recipient_email,
                     "attendee_id": row.attendee_id, "site_id": row.site_id, "error": error}},
        now=current_time())


def connect() -> None:
    signals.connect([
        (signals.ceremony_created, on_ceremony_created),
        (signals.ceremony_updated, on_ceremony_updated),
        (signals.ceremony_cancelled, on_ceremony_cancelled),
        (signals.site_replied, on_site_replied),
        (signals.site_changed, on_site_changed),
        (signals.attendee_replied, on_attendee_replied),
        (signals.attendee_checked_in, on_attendee_checked_in),
        (signals.delivery_failed, on_delivery_failed),
    ])
