"""Translated labels for the stored codes (kinds, statuses, categories)."""
from flask_babel import lazy_gettext as _l

CEREMONY_KIND_LABELS = {
    "commemoration": _l("Commemoration"),
    "conference": _l("Conference"),
    "award_ceremony": _l("Award ceremony"),
    "other": _l("Other"),
}
CEREMONY_STATUS_LABELS = {
    "draft": _l("Draft"),
    "scheduled": _l("Scheduled"),
    "cancelled": _l("Cancelled"),
    "completed": _l("Completed"),
}
SITE_STATUS_LABELS = {
    "pending": _l("Not yet confirmed"),
    "confirmed": _l("Confirmed"),
    "declined": _l("Declined"),
}
ATTENDEE_CATEGORY_LABELS = {
    "chair": _l("Chair"),
    "leader": _l("Leader"),
    "former_leader": _l("Former leader"),
    "delegate": _l("Delegate"),
    "awardee": _l("Awardee"),
    "guest": _l("Guest"),
    "press": _l("Press"),
    "staff": _l("Staff"),
}
SITE_CONFIRMATION_LABELS = {
    "pending": _l("Not yet confirmed by the site"),
    "confirmed": _l("Confirmed by the site"),
    "not_coming": _l("Not coming"),
}
ATTENDANCE_LABELS = {
    "present": _l("Present"),
    "late": _l("Late"),
    "absent": _l("Absent"),
}
RECIPIENT_KIND_LABELS = {
    "collective": _l("Collective"),
    "individual": _l("Individual"),
}
ALL_LABELS = {
    "kind": CEREMONY_KIND_LABELS, "status": CEREMONY_STATUS_LABELS, "site_status": SITE_STATUS_LABELS,
    "category": ATTENDEE_CATEGORY_LABELS, "recipient_kind": RECIPIENT_KIND_LABELS,
    "site_confirmation": SITE_CONFIRMATION_LABELS, "attendance": ATTENDANCE_LABELS,
}
