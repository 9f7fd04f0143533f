"""Words for reminder rules and rows, in the reader's language."""
from flask_babel import gettext as _, lazy_gettext as _l, ngettext

from .schedule import describe_offset

AUDIENCE_LABELS = {
    "attendees": _l("Attendees (not declined)"),
    "coordinators": _l("Site coordinators"),
    "unconfirmed": _l("Coordinators of sites not yet confirmed"),
    "organizers": _l("Organizers (daily digest)"),
}
ANCHOR_LABELS = {"start": _l("the start"), "rehearsal": _l("the technical rehearsal")}
CHANNEL_LABELS = {"email": _l("Email")}
UNIT_LABELS = {"minutes": _l("minutes"), "hours": _l("hours"), "days": _l("days")}
REMINDER_STATUS_LABELS = {
    "planned": _l("Planned"), "running": _l("Being sent"), "sent": _l("Sent"),
    "skipped": _l("Skipped"), "missed": _l("Missed"), "failed": _l("Failed"),
    "withdrawn": _l("Withdrawn"),
}
REMINDER_LABELS = {
    "audience": AUDIENCE_LABELS, "anchor": ANCHOR_LABELS, "channel": CHANNEL_LABELS,
    "reminder_status": REMINDER_STATUS_LABELS,
}


def span(minutes: int) -> str:
    amount, unit = describe_offset(minutes)
    if unit == "days":
        return ngettext("%(num)d day", "%(num)d days", amount)
    if unit == "hours":
        return ngettext("%(num)d hour", "%(num)d hours", amount)
    return ngettext("%(num)d minute", "%(num)d minutes", amount)


def describe_rule(rule) -> str:
    """"24 hours before the start", "daily at 08:00 in the 7 days before the start"."""
    if rule.daily_minute is not None:
        clock = "%02d:%02d" % divmod(rule.daily_minute, 60)
        return _("daily at %(time)s in the %(span)s before the start",
                 time=clock, span=span(rule.offset_minutes))
    if rule.anchor == "rehearsal":
        return _("%(span)s before the technical rehearsal", span=span(rule.offset_minutes))
    return _("%(span)s before the start", span=span(rule.offset_minutes))
