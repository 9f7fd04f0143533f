"""Run of show (programme items, timeline) and commendations."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from .. import conflicts, queries, timeline
from ..forms import CommendationForm, ProgrammeItemForm
from ..models import Commendation, ProgrammeItem, Site
from ..operations import PlanningError, programme as ops
from .common import get_ceremony, get_child, organizers_only, report, site_choices

bp = Blueprint("programme", __name__, url_prefix="/ceremonies/<int:ceremony_id>")
organizers_only(bp)


@bp.get("/programme")
def index(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    items = queries.programme(ceremony.id)
    host = db.session.scalar(select(Site).where(Site.ceremony_id == ceremony.id, Site.is_host))
    return render_template(
        "planning/programme.html", ceremony=ceremony, items=items,
        rows=timeline.layout(items, ceremony.starts_at, ceremony.duration_minutes),
        end_marker=timeline.end_marker_percent(items, ceremony.duration_minutes),
        problems=conflicts.programme_problems(items, ceremony.duration_minutes), host=host)


def _item_form(ceremony, item):
    form = ProgrammeItemForm(obj=item)
    form.origin_site_id.choices = site_choices(ceremony.id, blank=_("Host site"))
    if item is None and request.method == "GET":
        items = queries.programme(ceremony.id)
        form.start_offset_minutes.data = max((i.end_offset_minutes for i in items), default=0)
        form.duration_minutes.data = 10
    return form


@bp.route("/programme/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/programme/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(ceremony_id: int, item_id: int | None):
    ceremony = get_ceremony(ceremony_id)
    item = get_child(ProgrammeItem, item_id, ceremony) if item_id else None
    form = _item_form(ceremony, item)
    if form.validate_on_submit():
        try:
            ops.save_item(ceremony, item, form.values())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("programme.index", ceremony_id=ceremony.id))
    return render_template("planning/item_form.html", form=form, ceremony=ceremony, item=item)


@bp.post("/programme/<int:item_id>/delete")
def delete_item(ceremony_id: int, item_id: int):
    ceremony = get_ceremony(ceremony_id)
    ops.delete_row(get_child(ProgrammeItem, item_id, ceremony))
    db.session.commit()
    flash(_("Item removed."), "success")
    return redirect(url_for("programme.index", ceremony_id=ceremony.id))


@bp.get("/commendations")
def commendations(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    page = db.paginate(
        select(Commendation).where(Commendation.ceremony_id == ceremony.id)
        .options(selectinload(Commendation.site))
        .order_by(Commendation.authority, Commendation.recipient_kind, Commendation.id),
        error_out=False, per_page=100, max_per_page=500)
    overview = queries.ceremony_overview(ceremony)
    return render_template("planning/commendations.html", ceremony=ceremony, page=page,
                           overview=overview)


@bp.route("/commendations/new", methods=["GET", "POST"], defaults={"award_id": None})
@bp.route("/commendations/<int:award_id>/edit", methods=["GET", "POST"])
def edit_commendation(ceremony_id: int, award_id: int | None):
    ceremony = get_ceremony(ceremony_id)
    award = get_child(Commendation, award_id, ceremony) if award_id else None
    form = CommendationForm(obj=award)
    form.site_id.choices = site_choices(ceremony.id, blank=_("Not set"))
    authorities = db.session.scalars(
        select(Commendation.authority).where(Commendation.ceremony_id == ceremony.id).distinct()).all()
    if form.validate_on_submit():
        try:
            ops.save_commendation(ceremony, award, form.values())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("programme.commendations", ceremony_id=ceremony.id))
    return render_template("planning/commendation_form.html", form=form, ceremony=ceremony,
                           award=award, authorities=authorities)


@bp.post("/commendations/<int:award_id>/delete")
def delete_commendation(ceremony_id: int, award_id: int):
    ceremony = get_ceremony(ceremony_id)
    ops.delete_row(get_child(Commendation, award_id, ceremony))
    db.session.commit()
    flash(_("Commendation removed."), "success")
    return redirect(url_for("programme.commendations", ceremony_id=ceremony.id))
