"""Signatures a receiver can check with the standard library alone (see README,
"Webhooks"): HMAC-SHA256 under the endpoint's secret over "<timestamp>.<body>".

Pure functions: no Flask, no database.
"""
import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime

SECRET_PREFIX = "whsec_"
USER_AGENT = "ceremony-scheduler-webhooks/1"
TOLERANCE_SECONDS = 5 * 60  # what the README tells receivers to accept


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def new_event_id() -> str:
    return "evt_" + secrets.token_hex(16)


def body_for(event_id: str, event_type: str, occurred_at: datetime, data: dict) -> str:
    """The JSON document, always serialised the same way for the same values."""
    payload = {"id": event_id, "type": event_type, "created_at": iso(occurred_at), "data": data}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def headers(event_id: str, timestamp: int, body: bytes, secrets_in_use: list[str]) -> dict[str, str]:
    """Request headers; during a secret rotation one signature per secret, space-separated,
    so a receiver still holding the old secret keeps verifying."""
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": event_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": " ".join(sign(s, timestamp, body) for s in secrets_in_use),
    }


def verify(secret: str, body: bytes, timestamp: str, signature_header: str, *, now: int,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does (and the README shows): recompute, compare in constant
    time, refuse stale or future timestamps."""
    try:
        sent = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - sent) > tolerance:
        return False
    expected = sign(secret, sent, body)
    return any(hmac.compare_digest(expected, candidate)
               for candidate in signature_header.split())
