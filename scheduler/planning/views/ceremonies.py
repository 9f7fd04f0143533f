from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ...clock import current_time
from ...extensions import db
from .. import access, conflicts, queries
from ..forms import CeremonyForm, DuplicateForm
from ..labels import CEREMONY_STATUS_LABELS
from ..models import Ceremony
from ..operations import PlanningError, ceremonies as ops
from ..timeutil import NonexistentLocalTime, local_to_utc, utc_to_local
from .common import get_ceremony, organizers_only, report
from .organizers import organizer_panel

bp = Blueprint("ceremonies", __name__)
organizers_only(bp)


@bp.get("/")
def index():
    now = current_time()
    when = request.args.get("when", "upcoming")
    q = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    query = select(Ceremony).where(access.visible_ceremonies(current_user))
    if when == "past":
        query = query.where(Ceremony.ends_at < now).order_by(Ceremony.starts_at.desc())
    else:
        when = "upcoming"
        query = query.where(Ceremony.ends_at >= now).order_by(Ceremony.starts_at)
    if q:
        query = query.where(func.lower(Ceremony.title).contains(q.lower(), autoescape=True))
    if status in CEREMONY_STATUS_LABELS:
        query = query.where(Ceremony.status == status)
    page = db.paginate(query, per_page=20, error_out=False)
    counts = queries.site_and_attendee_counts([c.id for c in page.items])
    return render_template("planning/index.html", page=page, counts=counts, when=when, q=q,
                           status=status, statuses=CEREMONY_STATUS_LABELS)


@bp.route("/ceremonies/new", methods=["GET", "POST"])
def new():
    form = CeremonyForm()
    if form.validate_on_submit():
        try:
            ceremony = ops.create_ceremony(form.values(), created_by_id=current_user.id,
                                           now=current_time())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Ceremony created. Add its host site next."), "success")
            return redirect(url_for("sites.new", ceremony_id=ceremony.id))
    return render_template("planning/ceremony_form.html", form=form, ceremony=None)


@bp.get("/ceremonies/<int:ceremony_id>")
def show(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    overview = queries.ceremony_overview(ceremony)
    warnings = {
        "rooms": conflicts.room_clashes(ceremony),
        "people": conflicts.duplicate_attendees(ceremony.id),
        "programme": conflicts.programme_problems(overview.programme, ceremony.duration_minutes),
    }
    organizers, organizer_form = organizer_panel(ceremony.id)
    return render_template("planning/ceremony.html", ceremony=ceremony, overview=overview,
                           warnings=warnings, now=current_time(),
                           organizers=organizers, organizer_form=organizer_form,
                           # A clash with a ceremony this account may not see names no title.
                           visible_clashes=access.visible_ids(
                               current_user, (c.other_ceremony_id for c in warnings["rooms"])))


@bp.route("/ceremonies/<int:ceremony_id>/edit", methods=["GET", "POST"])
def edit(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    form = CeremonyForm(obj=ceremony)
    if request.method == "GET":
        for name in ("starts_at", "ends_at", "rehearsal_at"):
            moment = getattr(ceremony, name)
            getattr(form, name).data = utc_to_local(moment, ceremony.timezone) if moment else None
    if form.validate_on_submit():
        try:
            changed = ops.update_ceremony(ceremony, form.values(), now=current_time())
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("ceremonies.show", ceremony_id=ceremony.id))
    return render_template("planning/ceremony_form.html", form=form, ceremony=ceremony)


def _transition(ceremony_id: int, operation, done_message: str):
    ceremony = get_ceremony(ceremony_id)
    try:
        operation(ceremony, now=current_time())
    except PlanningError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("ceremonies.show", ceremony_id=ceremony_id))


@bp.post("/ceremonies/<int:ceremony_id>/schedule")
def schedule(ceremony_id: int):
    return _transition(ceremony_id, ops.schedule, _("The ceremony is scheduled."))


@bp.post("/ceremonies/<int:ceremony_id>/cancel")
def cancel(ceremony_id: int):
    return _transition(ceremony_id, ops.cancel, _("The ceremony is cancelled."))


@bp.post("/ceremonies/<int:ceremony_id>/complete")
def complete(ceremony_id: int):
    return _transition(ceremony_id, ops.mark_completed, _("The ceremony is marked completed."))


@bp.route("/ceremonies/<int:ceremony_id>/duplicate", methods=["GET", "POST"])
def duplicate(ceremony_id: int):
    source = get_ceremony(ceremony_id)
    form = DuplicateForm()
    if request.method == "GET":
        form.title.data = _("%(title)s (copy)", title=source.title)
        form.starts_at.data = utc_to_local(source.starts_at, source.timezone)
    if form.validate_on_submit():
        try:
            starts_at = local_to_utc(form.starts_at.data, source.timezone)
            copy = ops.duplicate(source, title=form.title.data.strip(), starts_at=starts_at,
                                 include_attendees=form.include_attendees.data,
                                 include_commendations=form.include_commendations.data,
                                 created_by_id=current_user.id, now=current_time())
        except NonexistentLocalTime:
            form.starts_at.errors = [_("This time does not exist in that time zone (the clocks skip it).")]
        except PlanningError as error:
            report(form, error)
        else:
            db.session.commit()
            flash(_("Copy created as a draft."), "success")
            return redirect(url_for("ceremonies.show", ceremony_id=copy.id))
    return render_template("planning/duplicate.html", form=form, ceremony=source)

