"""Planning signals become meeting work, in the same transaction as the change."""
from ... import signals
from ...clock import current_time
from ...mail import compose
from . import details, operations

# What the provider is told of a ceremony (see rest.RestProvider._body).
MEETING_FIELDS = frozenset({"title", "starts_at", "ends_at", "timezone"})
def on_ceremony_created(ceremony, **_):
    operations.add_meeting(ceremony, now=current_time())


def on_ceremony_updated(ceremony, *, changed, **_):
    if changed & MEETING_FIELDS:
        operations.plan_changed(ceremony, now=current_time())


def on_ceremony_cancelled(ceremony, **_):
    operations.ceremony_cancelled(ceremony, now=current_time())


def connect() -> None:
    signals.connect([
        (signals.ceremony_created, on_ceremony_created),
        (signals.ceremony_updated, on_ceremony_updated),
        (signals.ceremony_cancelled, on_ceremony_cancelled),
    ])
    compose.conference_source = details.details_for  # join details into every message
