"""Registering endpoints through the pages, and checking what a receiver got the
way the README tells receivers to."""
import hashlib
import hmac
import json

from sqlalchemy import select

from scheduler.extensions import db
from scheduler.integrations.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

from .conftest import post_form, snapshot

ALL_EVENTS = ["ceremony.created", "ceremony.updated", "ceremony.cancelled", "site.confirmed",
              "site.declined", "attendee.replied", "attendee.checked_in", "delivery.failed"]


def register(client, url, events=ALL_EVENTS, ceremony_id=None, **extra):
    data = {"url": url, "description": "Cổng tích hợp", "events": list(events), "active": "y",
            "ceremony_id": "" if ceremony_id is None else str(ceremony_id), **extra}
    response = post_form(client, "/webhooks/new", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def endpoint(app, endpoint_id):
    with app.app_context():
        return snapshot(db.session.get(WebhookEndpoint, endpoint_id))


def deliveries(app, endpoint_id=None):
    with app.app_context():
        query = select(WebhookDelivery).order_by(WebhookDelivery.id)
        if endpoint_id is not None:
            query = query.where(WebhookDelivery.endpoint_id == endpoint_id)
        return [snapshot(d) for d in db.session.scalars(query)]


def event_ids(app):
    with app.app_context():
        return list(db.session.scalars(select(WebhookEvent.public_id)))


def verify(secret: str, body: bytes, headers, now: int) -> dict:
    """The README's receiver, line for line: recompute, compare in constant time,
    refuse old timestamps; returns the parsed event."""
    timestamp = headers["Webhook-Timestamp"]
    if abs(now - int(timestamp)) > 300:
        raise ValueError("stale timestamp")
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                                hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(expected, s) for s in headers["Webhook-Signature"].split()):
        raise ValueError("bad signature")
    event = json.loads(body)
    assert event["id"] == headers["Webhook-Id"]
    return event


def received(httpserver):
    """Every request the server got, in order."""
    return [request for request, _response in httpserver.log]
