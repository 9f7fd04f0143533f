"""What every provider offers, and the errors the background pass tells apart."""
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import urlsplit


@dataclass(frozen=True)
class MeetingPlan:
    """What a provider is told of a ceremony (plain values: no session during a call)."""
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str


@dataclass(frozen=True)
class Meeting:
    external_id: str
    join_url: str = ""
    dial_in: str = ""
    host_url: str = ""


class ProviderError(Exception):
    """A call that did not work. `permanent`: retrying the same request cannot help
    (a 4xx, an answer we cannot use); otherwise the pass retries with backoff.
    `unavailable`: the provider itself is down, slow or overloaded (timeout, no
    connection, 5xx, 429), so its other meetings wait for the next pass."""

    def __init__(self, message: str, *, permanent: bool, retry_after: float | None = None,
                 unavailable: bool = False):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.unavailable = unavailable


class Provider(Protocol):
    name: str

    def create(self, plan: MeetingPlan, *, idempotency_key: str) -> Meeting: ...

    def update(self, external_id: str, plan: MeetingPlan, *, idempotency_key: str) -> Meeting: ...

    def get(self, external_id: str) -> Meeting: ...

    def delete(self, external_id: str, *, idempotency_key: str) -> None: ...

    def close(self) -> None: ...


def web_address(url: str) -> bool:
    """Only http(s) addresses become links or go into invitations (never javascript: …)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(
        ch.isspace() or ord(ch) < 32 for ch in url)
