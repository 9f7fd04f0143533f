"""Why a reminder went the way it did, stored as a small JSON object on the row
(a reason code and counts), and worded in the reader's language when shown."""
import json

from flask_babel import lazy_gettext as _l, ngettext

REASONS = {
    "planned_late": _l("Its moment had already passed when it was planned."),
    "not_scheduled": _l("The ceremony is not scheduled."),
    "started": _l("Missed: the ceremony had started before a scheduler ran."),
    "rehearsal_passed": _l("Missed: the rehearsal had started before a scheduler ran."),
    "too_late": _l("Missed: no scheduler ran at its moment, and this rule does not send late."),
    "later_reminder": _l("Missed: a later reminder of the same kind went instead."),
    "nobody": _l("Nobody to remind."),
    "nothing_to_report": _l("Nothing to report."),
    "late": _l("Sent late: no scheduler ran at its moment."),
    "plan_changed": _l("Withdrawn: the ceremony's time or the rule changed while it was being sent."),
}


def dump(**details) -> str:
    return json.dumps(details, sort_keys=True)


def load(text: str) -> dict:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def describe(text: str) -> list[str]:
    """Sentences for the organizer: the reason, then who was left out and why."""
    details = load(text)
    lines = [str(REASONS[details["reason"]])] if details.get("reason") in REASONS else []
    counts = {
        "declined": lambda n: ngettext("%(num)d declined", "%(num)d declined", n),
        "no_address": lambda n: ngettext("%(num)d without an email address",
                                         "%(num)d without an email address", n),
        "site_declined": lambda n: ngettext("%(num)d at a site that declined",
                                            "%(num)d at sites that declined", n),
        "sites_declined": lambda n: ngettext("%(num)d site declined", "%(num)d sites declined", n),
        "not_invited": lambda n: ngettext("%(num)d not invited yet", "%(num)d not invited yet", n),
    }
    left_out = [word(details[key]) for key, word in counts.items() if details.get(key)]
    if left_out:
        lines.append(", ".join(left_out))
    return lines
