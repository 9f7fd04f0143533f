"""Which record a link opens, or why it opens none.

A link is refused with a page that says why (unknown or tampered, replaced by a
newer link, expired, ceremony cancelled) and shows nothing of any site: the
reason is known only after the signature checks out, and a valid signature
names one row only.
"""
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g, render_template
from flask_babel import gettext as _

from ..clock import current_time
from ..extensions import db
from ..i18n import use_browser_language
from ..planning.models import Attendee, Ceremony, Site
from .tokens import read_attendee_token, read_site_token

# Links keep working for a day after the ceremony ends, so a coordinator can
# still correct the attendance record; then they expire. No date is signed into
# the link: moving the ceremony moves the expiry with it.
LINK_GRACE = timedelta(days=1)


def link_expired(ceremony: Ceremony, now: datetime) -> bool:
    return now > ceremony.ends_at + LINK_GRACE


@dataclass
class LinkProblem(Exception):
    reason: str  # invalid | revoked | expired | cancelled
    ceremony_title: str = ""  # only once the link is proven to belong to it

    STATUS = {"invalid": 404, "revoked": 410, "expired": 410, "cancelled": 410}

    def response(self):
        if self.reason == "invalid":
            use_browser_language()  # the link names no one whose language we know
        titles = {
            "invalid": _("This link is not valid"),
            "revoked": _("This link was replaced"),
            "expired": _("This link has expired"),
            "cancelled": _("The ceremony was cancelled"),
        }
        messages = {
            "invalid": _("Check that the whole link was copied from the email. If it still does not "
                         "open, ask the organizer for a new link."),
            "revoked": _("A newer link was issued in place of this one, so it no longer works. "
                         "Use the link in the latest email, or ask the organizer for it."),
            "expired": _("The ceremony is over, so this link no longer works."),
            "cancelled": _("There is nothing left to confirm. The organizer will contact you if it "
                           "is planned again."),
        }
        return render_template("portal/link_problem.html", title=titles[self.reason],
                               message=messages[self.reason], reason=self.reason,
                               ceremony_title=self.ceremony_title), self.STATUS[self.reason]


def _checked(row, key: str | None, *, allow_cancelled: bool):
    if row is None or key is None:
        raise LinkProblem("invalid")
    if not hmac.compare_digest(row.link_key, key):
        raise LinkProblem("revoked")
    ceremony = db.session.get(Ceremony, row.ceremony_id)
    if link_expired(ceremony, current_time()):
        raise LinkProblem("expired", ceremony.title)
    if ceremony.is_cancelled and not allow_cancelled:
        raise LinkProblem("cancelled", ceremony.title)
    return ceremony


def _open(token: str, read, model, language_of, *, allow_cancelled: bool):
    parts = read(token)
    row = db.session.get(model, parts[0]) if parts else None
    if row is not None:
        # Before the checks: a replaced, expired or cancelled link is refused in
        # the language the organizer recorded for its reader.
        g.preferred_lang = language_of(row)
    ceremony = _checked(row, parts[1] if parts else None, allow_cancelled=allow_cancelled)
    return row, ceremony


def open_site_link(token: str) -> tuple[Site, Ceremony]:
    return _open(token, read_site_token, Site, lambda site: site.coordinator_language,
                 allow_cancelled=False)


def open_attendee_link(token: str) -> tuple[Attendee, Ceremony]:
    """Attendees still see a cancelled ceremony: their page says so and offers the CANCEL."""
    return _open(token, read_attendee_token, Attendee, lambda person: person.language,
                 allow_cancelled=True)


def init_blueprint(blueprint) -> None:
    blueprint.register_error_handler(LinkProblem, lambda problem: problem.response())
