from flask_babel import lazy_gettext as _l

EVENT_TYPE_LABELS = {
    "ceremony.created": _l("Ceremony created"),
    "ceremony.updated": _l("Ceremony updated"),
    "ceremony.cancelled": _l("Ceremony cancelled"),
    "site.confirmed": _l("Site confirmed"),
    "site.declined": _l("Site declined"),
    "attendee.replied": _l("Attendee replied"),
    "attendee.checked_in": _l("Attendee checked in"),
    "delivery.failed": _l("Message delivery failed"),
    "ping": _l("Test event"),
}
DELIVERY_STATUS_LABELS = {
    "pending": _l("Waiting"), "sending": _l("Sending"), "delivered": _l("Delivered"),
    "failed": _l("Failed"), "paused": _l("Held (endpoint paused)"),
}
PAUSE_REASON_LABELS = {
    "failing": _l("it kept failing"), "manual": _l("paused by hand"),
}
WEBHOOK_LABELS = {"event_type": EVENT_TYPE_LABELS, "status": DELIVERY_STATUS_LABELS,
                  "pause_reason": PAUSE_REASON_LABELS}
