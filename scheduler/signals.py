"""What happened, told to whoever cares (mail, reminders, integrations).

Senders emit after the change is flushed; receivers record durable work in the
same transaction, which the request or command commits.
"""
from blinker import Namespace

_signals = Namespace()


def connect(receivers) -> None:
    """Connect each (signal, receiver) pair. Blinker keys a receiver by identity, so
    connecting it again (create_app runs many times in tests) adds nothing."""
    for signal, receiver in receivers:
        signal.connect(receiver)


# kwargs: source_id (the ceremony it duplicates, or None)
ceremony_created = _signals.signal("ceremony-created")
# kwargs: changed (set of field names), attendee_visible (bool: SEQUENCE was raised)
ceremony_updated = _signals.signal("ceremony-updated")
ceremony_cancelled = _signals.signal("ceremony-cancelled")
site_changed = _signals.signal("site-changed")
attendee_added = _signals.signal("attendee-added")
# One per written attendee import (sender: the ImportJob); kwargs: site_id (the
# coordinator's site, None for an organizer's import), added (rows), now
attendees_imported = _signals.signal("attendees-imported")
# kwargs: changed (field names), previous (their old values)
attendee_changed = _signals.signal("attendee-changed")
# kwargs: from_site_id, to_site_id
attendee_moved = _signals.signal("attendee-moved")
attendee_removed = _signals.signal("attendee-removed")
# An attendee answered (calendar REPLY, or their page); kwargs: source ("itip" or "page")
attendee_replied = _signals.signal("attendee-replied")
# A site's coordinator confirmed or declined the site's participation; kwargs: status, previous
site_replied = _signals.signal("site-replied")
# A coordinator recorded someone's attendance; kwargs: attendance (present, late or absent,
# or None when a check-in is undone)
attendee_checked_in = _signals.signal("attendee-checked-in")
# An outbox message (sender: the mail Delivery row) ended failed: refused by the mail
# server, impossible to build, or still failing after its last retry; kwargs: error
delivery_failed = _signals.signal("delivery-failed")
