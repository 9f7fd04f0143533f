"""Planning changes become invitation work: a queued sync job, or a cancellation row."""
import secrets

from .. import signals
from ..clock import current_time
from ..extensions import db
from ..planning.models import Ceremony
from . import fanout

def _sync(ceremony_id: int) -> None:
    fanout.request_job(ceremony_id, "sync", now=current_time())


def on_ceremony_updated(ceremony, *, changed, attendee_visible, **_):
    if attendee_visible:
        _sync(ceremony.id)


def on_ceremony_cancelled(ceremony, **_):
    _sync(ceremony.id)


def on_site_changed(site, *, changed, attendee_visible, **_):
    if attendee_visible:
        _sync(site.ceremony_id)


def on_attendee_moved(person, **_):
    _sync(person.ceremony_id)


def on_attendee_changed(person, *, changed, previous, **_):
    """A new address: the old one's calendar entry is cancelled, the new one invited."""
    if "email" not in changed or person.invited_sequence is None:
        return
    ceremony = db.session.get(Ceremony, person.ceremony_id)
    now = current_time()
    fanout.queue_cancellation(person, ceremony, now=now, address=previous["email"])
    person.sequence_offset += 1  # the new address's copy starts above the cancellation
    person.invited_sequence = None
    person.link_key = secrets.token_hex(16)  # the link mailed to the old address stops working
    if person.email and ceremony.status == "scheduled":
        fanout.request_job(ceremony.id, "invite", scope="attendee", scope_id=person.id, now=now)


def on_attendee_removed(person, **_):
    fanout.queue_cancellation(person, db.session.get(Ceremony, person.ceremony_id), now=current_time())


def connect() -> None:
    signals.connect([
        (signals.ceremony_updated, on_ceremony_updated),
        (signals.ceremony_cancelled, on_ceremony_cancelled),
        (signals.site_changed, on_site_changed),
        (signals.attendee_moved, on_attendee_moved),
        (signals.attendee_changed, on_attendee_changed),
        (signals.attendee_removed, on_attendee_removed),
    ])
