"""The coordinator's first page: the site joins or not, and its readiness checklist."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..planning.models import Attendee
from . import operations
from .coordinator import bp, site_and_ceremony
from .forms import ReadinessForm


def _render_home(form: ReadinessForm, token: str):
    site, ceremony = site_and_ceremony()
    counts = dict(db.session.execute(
        select(Attendee.site_confirmation, func.count()).where(Attendee.site_id == site.id)
        .group_by(Attendee.site_confirmation)).all())
    return render_template("portal/site.html", site=site, ceremony=ceremony, form=form, token=token,
                           counts=counts, total=sum(counts.values()),
                           tz=site.effective_timezone(ceremony))


@bp.get("/<token>")
def home(token: str):
    site, _ceremony = site_and_ceremony()
    # Opening the link tells the organizer the coordinator has it (one write per
    # few minutes at most, so reloading costs nothing).
    if operations.note_activity(site, g.now):
        db.session.commit()
    return _render_home(ReadinessForm(obj=site), token)


@bp.post("/<token>/reply")
def reply(token: str):
    site, _ceremony = site_and_ceremony()
    answer = request.form.get("answer")
    if answer not in ("confirmed", "declined"):
        abort(400)
    operations.reply_for_site(site, answer, g.now)
    db.session.commit()
    flash(_("Thank you: the site's participation is confirmed.") if answer == "confirmed"
          else _("Recorded: the site will not take part."), "success")
    return redirect(url_for("coordinator.home", token=token))


@bp.post("/<token>/readiness")
def readiness(token: str):
    site, _ceremony = site_and_ceremony()
    form = ReadinessForm()
    if not form.validate():
        return _render_home(form, token)
    operations.save_readiness(site, form.values(), g.now)
    db.session.commit()
    flash(_("Checklist saved."), "success")
    return redirect(url_for("coordinator.home", token=token))
