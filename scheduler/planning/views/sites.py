from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from ...clock import current_time
from ...extensions import db
from .. import queries
from ..forms import SiteForm
from ..labels import SITE_STATUS_LABELS
from ..models import Attendee, Site
from ..operations import PlanningError, sites as ops
from .common import PAGE_SIZE, get_ceremony, get_child, organizers_only, report

bp = Blueprint("sites", __name__, url_prefix="/ceremonies/<int:ceremony_id>/sites")
organizers_only(bp)


def contains(column, text: str):
    return func.lower(column).contains(text.lower(), autoescape=True)


@bp.get("/")
def index(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    q = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    query = select(Site).where(Site.ceremony_id == ceremony.id)
    if q:
        query = query.where(or_(contains(Site.name, q), contains(Site.code, q),
                                contains(Site.province, q)))
    if status in SITE_STATUS_LABELS:
        query = query.where(Site.status == status)
    page = db.paginate(query.order_by(Site.is_host.desc(), Site.name), per_page=PAGE_SIZE,
                       error_out=False, max_per_page=200)
    ids = [s.id for s in page.items]
    counts = dict(db.session.execute(
        select(Attendee.site_id, func.count()).where(Attendee.site_id.in_(ids))
        .group_by(Attendee.site_id)).all()) if ids else {}
    return render_template("planning/sites.html", ceremony=ceremony, page=page, counts=counts,
                           q=q, status=status, statuses=SITE_STATUS_LABELS)


@bp.route("/new", methods=["GET", "POST"])
def new(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    form = SiteForm()
    if request.method == "GET":
        has_host = db.session.scalar(select(Site.id).where(Site.ceremony_id == ceremony.id, Site.is_host))
        form.is_host.data = has_host is None
    if form.validate_on_submit():
        try:
            site = ops.add_site(ceremony, form.values(), now=current_time())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Site %(name)s added.", name=site.name), "success")
            if request.form.get("then") == "another":
                return redirect(url_for("sites.new", ceremony_id=ceremony.id))
            return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=site.id))
    return render_template("planning/site_form.html", form=form, ceremony=ceremony, site=None)


@bp.get("/<int:site_id>")
def show(ceremony_id: int, site_id: int):
    ceremony = get_ceremony(ceremony_id)
    site = get_child(Site, site_id, ceremony)
    page = db.paginate(select(Attendee).where(Attendee.site_id == site.id)
                       .order_by(Attendee.full_name, Attendee.id), per_page=PAGE_SIZE, error_out=False)
    from ...mail.status import latest_by_attendee  # the mail package reads planning, not back

    from ...portal.links import link_expired
    from ...portal.tokens import site_link

    messages = latest_by_attendee([person.id for person in page.items])
    return render_template("planning/site.html", ceremony=ceremony, site=site, page=page,
                           messages=messages,
                           coordinator_link=site_link(current_app.config["PUBLIC_URL"], site.id, site.link_key),
                           substitutions=queries.substitutions(page.items),
                           link_expired=link_expired(ceremony, current_time()))


@bp.post("/<int:site_id>/link/reissue")
def reissue_link(ceremony_id: int, site_id: int):
    ceremony = get_ceremony(ceremony_id)
    site = get_child(Site, site_id, ceremony)
    ops.reissue_coordinator_link(site)
    db.session.commit()
    flash(_("A new coordinator link was issued; the old one no longer works."), "success")
    return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=site.id) + "#coordinator-link")


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
def edit(ceremony_id: int, site_id: int):
    ceremony = get_ceremony(ceremony_id)
    site = get_child(Site, site_id, ceremony)
    form = SiteForm(obj=site)
    if request.method == "GET":
        form.timezone.data = site.timezone or ""
    if form.validate_on_submit():
        try:
            ops.update_site(ceremony, site, form.values())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=site.id))
    return render_template("planning/site_form.html", form=form, ceremony=ceremony, site=site)


@bp.post("/<int:site_id>/delete")
def delete(ceremony_id: int, site_id: int):
    ceremony = get_ceremony(ceremony_id)
    site = get_child(Site, site_id, ceremony)
    try:
        ops.delete_site(ceremony, site)
    except PlanningError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=site_id))
    db.session.commit()
    flash(_("Site removed."), "success")
    return redirect(url_for("sites.index", ceremony_id=ceremony.id))
