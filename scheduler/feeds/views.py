from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from .. import calendar
from ..auth.models import User
from ..clock import current_time
from ..extensions import db
from ..mail import compose
from ..planning import access
from ..planning.models import Ceremony, CeremonyOrganizer, Site
from ..portal.views import ics_response
from ..security import hash_secret
from .models import FeedToken, new_secret

bp = Blueprint("feeds", __name__)
FEED_LIMIT = 500  # ceremonies per feed, newest first: calendars poll this hourly


@bp.get("/feeds")
@login_required
def index():
    return _page()


def _page(fresh: str | None = None):
    tokens = db.session.scalars(select(FeedToken).where(FeedToken.owner_id == current_user.id)
                                .order_by(FeedToken.id.desc())).all()
    return render_template("feeds/index.html", tokens=tokens, fresh=fresh)


@bp.post("/feeds")
@login_required
def create():
    kind = request.form.get("kind")
    code = request.form.get("site_code", "").strip().upper()
    if kind not in ("site", "organizer") or (kind == "site" and not code):
        flash(_("Give the site code for a site feed."), "error")
        return redirect(url_for("feeds.index"))
    secret = new_secret()
    db.session.add(FeedToken(secret_hash=hash_secret(secret), kind=kind,
                             site_code=code if kind == "site" else None, owner_id=current_user.id,
                             label=request.form.get("label", "").strip()[:200],
                             created_at=current_time()))
    db.session.commit()
    # Shown once, in this answer: only its hash is kept, and never in the session
    # cookie (signed, not encrypted). Not cached, so Back does not bring it again.
    response = make_response(_page(compose.public_url() + url_for("feeds.feed", secret=secret)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/feeds/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    token = db.session.get(FeedToken, token_id)
    if token is None or token.owner_id != current_user.id:
        abort(404)
    token.revoked_at = token.revoked_at or current_time()
    db.session.commit()
    flash(_("Feed address revoked; calendars using it stop updating."), "success")
    return redirect(url_for("feeds.index"))


@bp.get("/feeds/<secret>.ics")
def feed(secret: str):
    token = db.session.scalar(
        select(FeedToken).join(User, User.id == FeedToken.owner_id)
        .where(FeedToken.secret_hash == hash_secret(secret), User.active))
    if token is None or token.revoked_at is not None:
        abort(404)  # unknown, revoked, or its owner's account is disabled
    if token.kind == "site":
        rows = db.session.execute(
            select(Ceremony, Site).join(Site, Site.ceremony_id == Ceremony.id)
            .where(func.upper(Site.code) == token.site_code, Ceremony.status != "draft",
                   access.visible_ceremonies(db.session.get(User, token.owner_id)))
            .order_by(Ceremony.starts_at.desc()).limit(FEED_LIMIT)).all()
        name = _("Ceremonies at site %(code)s", code=token.site_code)
    else:
        ceremonies = db.session.scalars(
            select(Ceremony).join(CeremonyOrganizer, CeremonyOrganizer.ceremony_id == Ceremony.id)
            .where(CeremonyOrganizer.user_id == token.owner_id, Ceremony.status != "draft")
            .order_by(Ceremony.starts_at.desc()).limit(FEED_LIMIT)).all()
        hosts = {s.ceremony_id: s for s in db.session.scalars(
            select(Site).where(Site.ceremony_id.in_([c.id for c in ceremonies]), Site.is_host))}
        rows = [(c, hosts.get(c.id)) for c in ceremonies]
        name = _("My ceremonies")
    return ics_response(calendar.publish([_feed_event(c, s) for c, s in rows], current_time(), name),
                        "ceremonies.ics")


def _feed_event(ceremony: Ceremony, site: Site | None) -> calendar.EventData:
    mail = compose.CeremonyMail(ceremony=ceremony, sites={site.id: site} if site else {},
                                programme=[], organizer=compose.organizer(), base_url=compose.public_url())
    return compose.event_for(mail, method="CANCEL" if ceremony.is_cancelled else "REQUEST",
                             sequence=ceremony.sequence, site=site, link="")
