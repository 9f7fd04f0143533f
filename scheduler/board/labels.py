from flask_babel import lazy_gettext as _l

READINESS_LABELS = {
    "ready": _l("Ready"), "confirmed": _l("Confirmed, checklist not done"),
    "pending": _l("No answer yet"), "declined": _l("Declined"),
}
SORT_LABELS = {
    "state": _l("Readiness"), "name": _l("Name"), "province": _l("Province"),
    "readiness": _l("Checklist"), "activity": _l("Last coordinator activity"),
}
BOARD_LABELS = {"readiness": READINESS_LABELS, "board_sort": SORT_LABELS}
