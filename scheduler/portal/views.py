"""The attendee's own page, reached from the link in their invitation."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from .. import calendar, signals
from ..clock import current_time
from ..extensions import db
from ..forms import strip_control
from ..mail import compose
from ..planning import queries
from ..planning.models import Attendee, Ceremony, Site
from ..ratelimit import limit_links
from . import links
from .checkin import checkin_code, qr_svg
from .tokens import ATTENDEE_PATH, read_attendee_token

bp = limit_links(Blueprint("portal", __name__, url_prefix="/r"), read_attendee_token)
links.init_blueprint(bp)
ANSWERS = ("ACCEPTED", "TENTATIVE", "DECLINED")


def _attendee(token: str) -> Attendee:
    return links.open_attendee_link(token)[0]


@bp.route("/<token>", methods=["GET", "POST"])
def attendee(token: str):
    person, ceremony = links.open_attendee_link(token)
    if request.method == "POST":
        answer = request.form.get("answer")
        if answer not in ANSWERS or ceremony.is_cancelled:
            abort(400)
        person.partstat = answer
        person.rsvp_comment = strip_control(request.form.get("comment", "")).strip()[:2000]
        person.replied_at = current_time()
        db.session.flush()
        signals.attendee_replied.send(person, source="page")
        db.session.commit()
        flash(_("Thank you, your answer is recorded."), "success")
        return redirect(url_for("portal.attendee", token=token))
    site = db.session.get(Site, person.site_id)
    return render_template("portal/attendee.html", person=person, ceremony=ceremony, site=site,
                           programme=queries.programme(ceremony.id), token=token,
                           tz=site.timezone or ceremony.timezone,
                           code=checkin_code(person.id, person.link_key))


@bp.get("/<token>/qr.svg")
def attendee_qr(token: str):
    """The check-in QR code: it holds the code only, never a link."""
    person = _attendee(token)
    return Response(qr_svg(checkin_code(person.id, person.link_key)), mimetype="image/svg+xml",
                    headers={"Cache-Control": "private, max-age=3600"})


@bp.get("/<token>/invite.ics")
def attendee_ics(token: str):
    person = _attendee(token)
    link = compose.public_url() + ATTENDEE_PATH.format(token=token)
    return ics_response(person_calendar(person, link), "invite.ics")


def person_calendar(person: Attendee, link: str) -> bytes:
    """The attendee's invitation as their calendar holds it (REQUEST, or CANCEL once cancelled)."""
    ceremony = db.session.get(Ceremony, person.ceremony_id)
    mail = compose.mail_for(ceremony, extra_site_ids={person.site_id})
    method = "CANCEL" if ceremony.is_cancelled else "REQUEST"
    with compose.in_language(person.language):
        event = compose.event_for(mail, method=method, sequence=person.calendar_sequence(ceremony),
                                  site=mail.sites[person.site_id], link=link)
    invitee = calendar.Invitee(email=person.email or "unknown@invalid", name=person.full_name,
                               partstat=person.partstat)
    builder = calendar.cancel if method == "CANCEL" else calendar.request
    return builder(event, invitee, current_time())


def ics_response(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
