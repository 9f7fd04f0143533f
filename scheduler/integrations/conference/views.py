"""The organizer's "Try again" on the ceremony page (the status itself is read by
the page through the `conference_status` template global)."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _

from ...clock import current_time
from ...extensions import db
from ...planning.views.common import get_ceremony, organizers_only
from . import operations

bp = Blueprint("conference", __name__)
organizers_only(bp)


@bp.post("/ceremonies/<int:ceremony_id>/conference/retry")
def retry(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    if operations.try_again(ceremony, now=current_time()) is None:
        flash(_("No video-conference provider is configured."), "error")
    else:
        db.session.commit()
        flash(_("The video-conference provider will be tried again in the background."), "success")
    return redirect(url_for("ceremonies.show", ceremony_id=ceremony.id))
