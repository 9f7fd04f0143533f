"""Every change to endpoints and deliveries; flushes, never commits (the view or
the background pass commits)."""
from datetime import datetime, timedelta

from sqlalchemy import update

from ...extensions import db
from . import events, notices, signing
from .models import WebhookDelivery, WebhookEndpoint

ROTATION_OVERLAP = timedelta(hours=24)  # the old secret still signs this long after a rotation


def create_endpoint(owner_id: int, values: dict, *, now: datetime) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(owner_id=owner_id, secret=signing.new_secret(), created_at=now,
                               updated_at=now, consecutive_failures=0, pause_detail="")
    _apply(endpoint, values)
    db.session.add(endpoint)
    db.session.flush()
    return endpoint


def update_endpoint(endpoint: WebhookEndpoint, values: dict, *, now: datetime) -> None:
    _apply(endpoint, values)
    endpoint.updated_at = now
    db.session.flush()


def _apply(endpoint: WebhookEndpoint, values: dict) -> None:
    endpoint.url = values["url"]
    endpoint.description = values["description"]
    endpoint.ceremony_id = values["ceremony_id"]
    endpoint.events = WebhookEndpoint.pack_events(values["events"])
    endpoint.active = values["active"]


def rotate_secret(endpoint: WebhookEndpoint, *, now: datetime) -> None:
    endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, now + ROTATION_OVERLAP
    endpoint.secret = signing.new_secret()
    endpoint.updated_at = now
    db.session.flush()


def secrets_in_use(secret: str, previous: str | None, previous_until: datetime | None,
                   now: datetime) -> list[str]:
    if previous and previous_until is not None and previous_until > now:
        return [secret, previous]
    return [secret]


def pause(endpoint: WebhookEndpoint, reason: str, detail: str, *, now: datetime,
          ceremony_id: int | None = None) -> None:
    """Hold its deliveries until "Resume"; a pause for failing is mailed to the owner."""
    if endpoint.paused_at is not None:
        return
    endpoint.paused_at, endpoint.pause_reason, endpoint.pause_detail = now, reason, detail[:2000]
    db.session.execute(update(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == "pending")
        .values(status="paused"))
    db.session.flush()
    if reason == "failing":
        notices.queue_pause_notice(endpoint, ceremony_id, now=now)


def resume(endpoint: WebhookEndpoint, *, now: datetime) -> int:
    """Deliver what was held, from now on, each with a fresh retry window (the owner
    says the receiver works again); returns how many deliveries were re-queued.
    Pending rows too: one a worker was sending when the pause came back pending,
    not held, and its old window may have closed while the endpoint was paused."""
    endpoint.paused_at, endpoint.pause_reason, endpoint.pause_detail = None, None, ""
    endpoint.failing_since, endpoint.consecutive_failures = None, 0
    result = db.session.execute(update(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status.in_(("paused", "pending")))
        .values(status="pending", next_attempt_at=now, retry_until=now + events.retry_window()))
    db.session.flush()
    return result.rowcount


def redeliver(delivery: WebhookDelivery, endpoint: WebhookEndpoint, *, now: datetime) -> bool:
    """One more attempt of the same event (same id, same body; new timestamp and
    signature). Only a delivered or failed row: one still being retried keeps its
    retry window (a redelivery would cut it to one attempt), one being sent is a
    worker's, one held waits for "Resume"."""
    if delivery.status not in ("delivered", "failed"):
        return False
    delivery.status = "paused" if endpoint.paused_at else "pending"
    delivery.next_attempt_at = delivery.retry_until = now
    delivery.claim_token = delivery.lease_until = None
    db.session.flush()
    return True


def send_test(endpoint: WebhookEndpoint, *, now: datetime) -> None:
    events.record_ping(endpoint, now=now)
