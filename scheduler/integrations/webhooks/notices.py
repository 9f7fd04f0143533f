"""The email that tells an endpoint's owner it was paused, sent through the outbox
like every other message (a plain mail kind, rendered at send time)."""
from datetime import datetime
from email.utils import format_datetime

from flask import render_template
from flask_babel import gettext as _

from ...auth.models import User
from ...extensions import db
from ...mail import compose, mime
from ...mail.compose import PlainKind
from ...mail.models import Delivery
from ...planning import access
from ...planning.models import Ceremony
from .models import WebhookEndpoint

KIND = "webhook_paused"


def queue_pause_notice(endpoint: WebhookEndpoint, ceremony_id: int | None, *, now: datetime) -> bool:
    """Queue the notice; False when it cannot be (see below)."""
    owner = db.session.get(User, endpoint.owner_id)
    # Outbox rows belong to a ceremony (and are rendered with it): the one whose event
    # was failing, else the endpoint's own. A notice with neither (only test pings
    # failed) is not mailed; the endpoint's page shows the pause all the same.
    ceremony_id = ceremony_id or endpoint.ceremony_id
    if owner is None or not owner.active or ceremony_id is None \
            or db.session.get(Ceremony, ceremony_id) is None:
        return False
    db.session.add(Delivery(
        ceremony_id=ceremony_id, attendee_id=None, site_id=None, recipient_email=owner.email,
        recipient_name=owner.name, language=owner.language, method=None, kind=KIND,
        sequence=0, reminder_id=None, status="pending", attempts=0, next_attempt_at=now,
        idempotency_key=f"{KIND}:{endpoint.id}:{int(now.timestamp())}", created_at=now,
        last_error="", message_id=""))
    db.session.flush()
    return True


def _endpoint(delivery: Delivery) -> WebhookEndpoint | None:
    endpoint_id = int(delivery.idempotency_key.split(":")[1])
    return db.session.get(WebhookEndpoint, endpoint_id)


def stale(mail, delivery: Delivery, person, now: datetime) -> str | None:
    endpoint = _endpoint(delivery)
    if endpoint is None:
        return "the webhook endpoint was removed"
    if endpoint.paused_at is None:
        return "the webhook endpoint was resumed"
    owner = db.session.get(User, endpoint.owner_id)
    if owner is None or owner.email != delivery.recipient_email:
        return "their address changed"
    if endpoint.ceremony_id is not None and not access.may_see(owner, endpoint.ceremony_id):
        return "the webhook endpoint was removed"
    return None


def build(mail, delivery: Delivery, person, now: datetime, message_id: str) -> bytes:
    endpoint = _endpoint(delivery)
    link = f"{mail.base_url}/webhooks/{endpoint.id}"
    context = dict(name=delivery.recipient_name, endpoint=endpoint, link=link, mail=mail)
    headers = [mime.encoded_header("Subject", _("Webhook paused: %(url)s", url=endpoint.url[:120])),
               mime.address_header("From", mail.organizer.name, mail.organizer.email),
               mime.address_header("To", delivery.recipient_name, delivery.recipient_email),
               f"Date: {format_datetime(now)}", f"Message-ID: {message_id}"]
    return mime.assemble_plain(headers=headers,
                               text=render_template("email/webhook_paused.txt", **context),
                               html=render_template("email/webhook_paused.html", **context))


def register() -> None:
    compose.PLAIN_KINDS[KIND] = PlainKind(build=build, stale=stale)

