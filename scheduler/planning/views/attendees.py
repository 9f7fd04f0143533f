from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from ...clock import current_time
from ...extensions import db
from ..forms import AttendeeForm
from ..labels import ATTENDEE_CATEGORY_LABELS
from ..models import Attendee, AttendeeMove, Site
from ..names import name_key
from ..operations import PlanningError, attendees as ops
from .common import PAGE_SIZE, get_ceremony, get_child, organizers_only, report, site_choices

bp = Blueprint("attendees", __name__, url_prefix="/ceremonies/<int:ceremony_id>/attendees")
organizers_only(bp)


@bp.get("/")
def index(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    q = request.args.get("q", "").strip()
    category = request.args.get("category", "")
    site_id = request.args.get("site_id", type=int)
    query = (select(Attendee).join(Attendee.site).options(contains_eager(Attendee.site))
             .where(Attendee.ceremony_id == ceremony.id))
    if q:
        query = query.where(or_(Attendee.name_key.contains(name_key(q), autoescape=True),
                                func.lower(Attendee.unit).contains(q.lower(), autoescape=True),
                                Attendee.email.contains(q.lower(), autoescape=True)))
    if category in ATTENDEE_CATEGORY_LABELS:
        query = query.where(Attendee.category == category)
    if site_id:
        query = query.where(Attendee.site_id == site_id)
    page = db.paginate(query.order_by(Site.is_host.desc(), Site.name, Attendee.full_name),
                       per_page=PAGE_SIZE, error_out=False, max_per_page=200)
    return render_template("planning/attendees.html", ceremony=ceremony, page=page, q=q,
                           category=category, site_id=site_id, categories=ATTENDEE_CATEGORY_LABELS)


@bp.route("/new", methods=["GET", "POST"])
def new(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    form = AttendeeForm()
    form.site_id.choices = site_choices(ceremony.id)
    if request.method == "GET" and request.args.get("site_id", type=int):
        form.site_id.data = request.args.get("site_id", type=int)
    if not form.site_id.choices:
        flash(_("Add a site first: every attendee attends at a site."), "error")
        return redirect(url_for("sites.new", ceremony_id=ceremony.id))
    if form.validate_on_submit():
        try:
            person = ops.add_attendee(ceremony, form.site_id.data, form.values(), now=current_time())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s added.", name=person.full_name), "success")
            if request.form.get("then") == "another":
                return redirect(url_for("attendees.new", ceremony_id=ceremony.id, site_id=person.site_id))
            return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=person.site_id))
    return render_template("planning/attendee_form.html", form=form, ceremony=ceremony, person=None,
                           moves=[])


@bp.route("/<int:attendee_id>/edit", methods=["GET", "POST"])
def edit(ceremony_id: int, attendee_id: int):
    ceremony = get_ceremony(ceremony_id)
    person = get_child(Attendee, attendee_id, ceremony)
    form = AttendeeForm(obj=person)
    form.site_id.choices = site_choices(ceremony.id)
    if form.validate_on_submit():
        try:
            ops.update_attendee(ceremony, person, form.site_id.data, form.values(),
                                moved_by_id=current_user.id, now=current_time())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=person.site_id))
    moves = db.session.scalars(select(AttendeeMove).where(AttendeeMove.attendee_id == person.id)
                               .order_by(AttendeeMove.moved_at.desc())).all()
    return render_template("planning/attendee_form.html", form=form, ceremony=ceremony,
                           person=person, moves=moves)


@bp.post("/<int:attendee_id>/delete")
def delete(ceremony_id: int, attendee_id: int):
    ceremony = get_ceremony(ceremony_id)
    person = get_child(Attendee, attendee_id, ceremony)
    site_id = person.site_id
    ops.remove_attendee(person)
    db.session.commit()
    flash(_("Attendee removed."), "success")
    return redirect(url_for("sites.show", ceremony_id=ceremony.id, site_id=site_id))
