from flask_babel import lazy_gettext as _l

DELIVERY_STATUS_LABELS = {
    "pending": _l("Waiting to be sent"), "sending": _l("Sending"), "sent": _l("Sent"),
    "failed": _l("Failed"), "superseded": _l("Replaced by a newer message"),
}
DELIVERY_KIND_LABELS = {
    "invitation": _l("Invitation"), "update": _l("Updated invitation"), "cancellation": _l("Cancelled"),
    "reminder": _l("Reminder"), "digest": _l("Daily summary"), "site_link": _l("Coordinator link"),
    "webhook_paused": _l("Webhook paused"),
}
JOB_ACTION_LABELS = {
    "invite": _l("Send invitations"), "resend": _l("Send again"), "sync": _l("Send updates"),
}
JOB_STATUS_LABELS = {
    "queued": _l("Waiting"), "running": _l("Running"), "done": _l("Done"), "failed": _l("Failed"),
}
PARTSTAT_LABELS = {
    "NEEDS-ACTION": _l("No answer yet"), "ACCEPTED": _l("Accepted"), "TENTATIVE": _l("Tentative"),
    "DECLINED": _l("Declined"),
}
MAIL_LABELS = {
    "delivery_status": DELIVERY_STATUS_LABELS, "delivery_kind": DELIVERY_KIND_LABELS,
    "job_action": JOB_ACTION_LABELS, "job_status": JOB_STATUS_LABELS, "partstat": PARTSTAT_LABELS,
}

# Why a message was withdrawn before sending; stored in English (the outbox also
# holds mail servers' answers verbatim), worded in the reader's language when shown.
WITHDRAWN_REASONS = {
    "the ceremony is cancelled": _l("the ceremony is cancelled"),
    "the ceremony is no longer scheduled": _l("the ceremony is no longer scheduled"),
    "the ceremony has started": _l("the ceremony has started"),
    "the ceremony's plan changed": _l("the ceremony's plan changed"),
    "the rehearsal has started": _l("the technical rehearsal has started"),
    "the site was removed": _l("the site was removed"),
    "the site declined": _l("the site declined"),
    "the site has answered": _l("the site has answered"),
    "the person was removed": _l("the person was removed"),
    "their address changed": _l("their address changed"),
    "they are not coming": _l("they are not coming"),
    "the webhook endpoint was removed": _l("the webhook endpoint was removed"),
    "the webhook endpoint was resumed": _l("the webhook endpoint was resumed"),
}


def explain(text: str) -> str:
    """A stored reason in the reader's language; a server's own answer as it came."""
    return str(WITHDRAWN_REASONS.get(text, text))
