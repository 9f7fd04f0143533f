"""Organizer pages for invitations and the outbox, and the mail gateway's reply endpoint."""
import hmac
from email import message_from_bytes, policy
from pathlib import Path

from flask import (Blueprint, abort, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import current_time
from ..extensions import csrf, db
from ..planning.models import Attendee, Site
from ..security import is_safe_redirect
from ..planning.views.common import get_ceremony, get_child, organizers_only
from . import fanout, status
from .models import Delivery
from .replies import ReplyRefused, apply_reply

bp = Blueprint("invitations", __name__, url_prefix="/ceremonies/<int:ceremony_id>")
organizers_only(bp)
gateway_bp = Blueprint("gateway", __name__)


@bp.get("/invitations")
def index(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    page = db.paginate(status.problem_deliveries(ceremony.id), per_page=50, error_out=False)
    return render_template("mail/invitations.html", ceremony=ceremony,
                           progress=status.progress(ceremony.id), jobs=status.recent_jobs(ceremony.id),
                           page=page)


@bp.get("/invitations/progress.json")
def progress_json(ceremony_id: int):
    return jsonify(status.progress(get_ceremony(ceremony_id).id))


@bp.post("/invitations/send")
def send(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    if ceremony.status != "scheduled":
        flash(_("Schedule the ceremony before sending invitations."), "error")
    else:
        fanout.request_job(ceremony.id, "invite", now=current_time(), created_by_id=current_user.id)
        db.session.commit()
        flash(_("Invitations are being sent."), "success")
    return redirect(url_for("invitations.index", ceremony_id=ceremony.id))


@bp.post("/invitations/resend")
def resend(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    scope = request.form.get("scope", "ceremony")
    scope_id = request.form.get("scope_id", type=int)
    if scope == "site":
        get_child(Site, scope_id or 0, ceremony)
    elif scope == "attendee":
        get_child(Attendee, scope_id or 0, ceremony)
    elif scope != "ceremony":
        abort(400)
    if ceremony.status != "scheduled":
        flash(_("Schedule the ceremony before sending invitations."), "error")
    else:
        fanout.request_job(ceremony.id, "resend", scope=scope, scope_id=scope_id,
                           now=current_time(), created_by_id=current_user.id)
        db.session.commit()
        flash(_("The invitation will be sent again."), "success")
    back = request.form.get("back")
    return redirect(back if is_safe_redirect(back)
                    else url_for("invitations.index", ceremony_id=ceremony.id))


@bp.get("/outbox")
def outbox(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    wanted = request.args.get("status", "")
    page = db.paginate(status.deliveries(ceremony.id, wanted), per_page=50, error_out=False)
    return render_template("mail/outbox.html", ceremony=ceremony, page=page, wanted=wanted)


@bp.get("/outbox/<int:delivery_id>")
def message(ceremony_id: int, delivery_id: int):
    ceremony = get_ceremony(ceremony_id)
    delivery = get_child(Delivery, delivery_id, ceremony)
    path = Path(current_app.config["MAIL_FILE_DIR"]) / f"{delivery.id:08d}-{delivery.kind}.eml"
    parts, headers = [], []
    if delivery.status == "sent" and path.is_file():
        # The default policy decodes RFC 2047 words: the page shows the Vietnamese text.
        sent = message_from_bytes(path.read_bytes(), policy=policy.default)
        headers = [(name, str(value)) for name, value in sent.items()]
        for part in sent.walk():
            if not part.is_multipart():
                parts.append((part.get_content_type(), part.get_filename() or "",
                              part.get_payload(decode=True).decode("utf-8", "replace")))
    return render_template("mail/message.html", ceremony=ceremony, delivery=delivery,
                           raw=bool(headers), parts=parts, headers=headers)


@bp.route("/replies", methods=["GET", "POST"])
def upload_reply(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    if request.method == "POST":
        upload = request.files.get("reply")
        if upload is None or not upload.filename:
            flash(_("Choose the .ics file of the reply."), "error")
        else:
            try:
                person = apply_reply(upload.read(1_000_000), now=current_time())
            except ReplyRefused as error:
                db.session.rollback()
                flash(_("Reply refused: %(reason)s", reason=str(error)), "error")
            else:
                if person.ceremony_id != ceremony.id:
                    db.session.rollback()
                    flash(_("Reply refused: %(reason)s", reason=_("it belongs to another ceremony.")),
                          "error")
                else:
                    db.session.commit()
                    flash(_("Answer of %(name)s recorded.", name=person.full_name), "success")
    return render_template("mail/replies.html", ceremony=ceremony)


@gateway_bp.post("/itip/reply")
@csrf.exempt
def gateway_reply():
    """For a mail gateway: the body is the text/calendar part, or the whole email."""
    expected = current_app.config.get("ITIP_GATEWAY_TOKEN")
    if not expected:
        abort(404)
    given = request.headers.get("Authorization", "").encode("utf-8", "replace")
    if not hmac.compare_digest(given, f"Bearer {expected}".encode()):
        return jsonify(error="unauthorized", message="missing or wrong bearer token"), 401
    body = request.get_data(cache=False)
    if request.mimetype == "message/rfc822":
        body = next((part.get_payload(decode=True) for part in message_from_bytes(body).walk()
                     if part.get_content_type() == "text/calendar"), b"")
    try:
        person = apply_reply(body, now=current_time())
    except ReplyRefused as error:
        db.session.rollback()
        return jsonify(error=error.code, message=str(error)), 422
    db.session.commit()
    return jsonify(attendee_id=person.id, partstat=person.partstat), 200


@bp.get("/sites/<int:site_id>/calendar.ics")
def site_ics(ceremony_id: int, site_id: int):
    """The ceremony as seen from one site (PUBLISH, with that site as the location)."""
    from .. import calendar
    from ..portal.views import ics_response
    from . import compose

    ceremony = get_ceremony(ceremony_id)
    site = get_child(Site, site_id, ceremony)
    mail = compose.mail_for(ceremony, extra_site_ids={site.id})
    event = compose.event_for(mail, method="CANCEL" if ceremony.is_cancelled else "REQUEST",
                              sequence=ceremony.sequence, site=site, link="")
    return ics_response(calendar.publish([event], current_time(), ceremony.title), f"{site.code}.ics")


@bp.get("/attendees/<int:attendee_id>/invite.ics")
def attendee_ics(ceremony_id: int, attendee_id: int):
    """Exactly what this attendee's calendar holds (for a person who lost the email)."""
    from ..portal.tokens import attendee_link
    from ..portal.views import ics_response, person_calendar
    from . import compose

    ceremony = get_ceremony(ceremony_id)
    person = get_child(Attendee, attendee_id, ceremony)
    link = attendee_link(compose.public_url(), person.id, person.link_key)
    return ics_response(person_calendar(person, link), "invite.ics")
