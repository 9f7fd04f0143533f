"""Import/Export pages of a ceremony: exports, templates, uploads, previews, the sheet."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..clock import current_time
from ..extensions import db
from ..planning.models import Attendee, Site
from ..planning.queries import substitutions
from ..planning.views.common import get_ceremony, get_child, organizers_only
from . import export, imports
from .columns import COLUMNS, EXPORT_COLUMNS
from .forms import ImportForm
from .labels import IMPORT_KIND_LABELS, IMPORT_STATUS_LABELS, error_message, write_outcome
from .models import ImportJob

bp = Blueprint("transfer", __name__, url_prefix="/ceremonies/<int:ceremony_id>/transfer")
organizers_only(bp)
FORMATS = ("csv", "xlsx")
MAX_ID = 2**31 - 1  # ids are PostgreSQL integers: a larger number names no row


def _child(model, row_id: int, ceremony):
    """get_child for an id from the URL: one past the column's range is a 404, not
    "integer out of range" from PostgreSQL (or an OverflowError from SQLite)."""
    if not 0 < row_id <= MAX_ID:
        abort(404)
    return get_child(model, row_id, ceremony)


def _download(columns, kind: str, fmt: str, rows, name: str):
    if fmt not in FORMATS:
        abort(404)
    return export.download(columns, fmt, rows, name, kind)


@bp.get("/")
def index(ceremony_id: int):
    ceremony = get_ceremony(ceremony_id)
    jobs = db.session.scalars(select(ImportJob).where(ImportJob.ceremony_id == ceremony.id)
                              .order_by(ImportJob.id.desc()).limit(10)).all()
    return render_template("transfer/index.html", ceremony=ceremony, jobs=jobs, form=ImportForm(),
                           columns=COLUMNS,
                           kinds=IMPORT_KIND_LABELS, statuses=IMPORT_STATUS_LABELS)


@bp.get("/export/<any(attendees, sites):kind>.<fmt>")
def export_rows(ceremony_id: int, kind: str, fmt: str):
    ceremony = get_ceremony(ceremony_id)
    site_id = request.args.get("site_id", type=int) if kind == "attendees" else None
    name = f"{kind}-{ceremony.id}"
    if site_id:
        name += "-" + _child(Site, site_id, ceremony).code
    return _download(EXPORT_COLUMNS[kind], kind, fmt, export.rows_for(kind, ceremony.id, site_id), name)


@bp.get("/template/<any(attendees, sites):kind>.<fmt>")
def template(ceremony_id: int, kind: str, fmt: str):
    get_ceremony(ceremony_id)
    return _download(COLUMNS[kind], kind, fmt, export.example_rows(COLUMNS[kind]), f"{kind}-template")


@bp.post("/import/<any(attendees, sites):kind>")
def upload(ceremony_id: int, kind: str):
    ceremony = get_ceremony(ceremony_id)
    form = ImportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for("transfer.index", ceremony_id=ceremony.id))
    data = form.file.data.read()
    job = imports.start_import(ceremony, kind, form.file.data.filename or "", data,
                               skip_existing=form.skip_existing.data, now=current_time(),
                               created_by_id=current_user.id)
    db.session.commit()
    return redirect(url_for("transfer.job", ceremony_id=ceremony.id, job_id=job.id))


@bp.get("/imports/<int:job_id>")
def job(ceremony_id: int, job_id: int):
    ceremony = get_ceremony(ceremony_id)
    job = _child(ImportJob, job_id, ceremony)
    return render_template("transfer/job.html", ceremony=ceremony, job=job,
                           columns=COLUMNS[job.kind], error_message=error_message,
                           kinds=IMPORT_KIND_LABELS, statuses=IMPORT_STATUS_LABELS)


@bp.get("/imports/<int:job_id>/progress.json")
def progress_json(ceremony_id: int, job_id: int):
    job = _child(ImportJob, job_id, get_ceremony(ceremony_id))
    return jsonify(job.progress())


@bp.post("/imports/<int:job_id>/write")
def write(ceremony_id: int, job_id: int):
    ceremony = get_ceremony(ceremony_id)
    job = _child(ImportJob, job_id, ceremony)
    outcome = imports.write_or_queue(job, now=current_time())
    db.session.commit()
    job = db.session.get(ImportJob, job_id)
    flash(*write_outcome(outcome, job.added_rows))
    return redirect(url_for("transfer.job", ceremony_id=ceremony.id, job_id=job.id))


@bp.post("/imports/<int:job_id>/discard")
def discard(ceremony_id: int, job_id: int):
    ceremony = get_ceremony(ceremony_id)
    job = _child(ImportJob, job_id, ceremony)
    if imports.discard(job, now=current_time()):
        db.session.commit()
        flash(_("The file was discarded; nothing was imported."), "success")
    return redirect(url_for("transfer.index", ceremony_id=ceremony.id))


@bp.get("/sites/<int:site_id>/sheet")
def sheet(ceremony_id: int, site_id: int):
    ceremony = get_ceremony(ceremony_id)
    site = _child(Site, site_id, ceremony)
    people = db.session.scalars(select(Attendee).where(Attendee.site_id == site.id)
                                .order_by(Attendee.full_name, Attendee.id)).all()
    replaces, replaced_by = substitutions(people, site.id)
    # A printed sheet invites a signature: only from those still expected. The
    # others are listed apart at the end, without a line to sign.
    away = [p for p in people if p.site_confirmation == "not_coming" or p.id in replaced_by]
    expected = [p for p in people if p not in away]
    return render_template("transfer/sheet.html", ceremony=ceremony, site=site, people=expected,
                           away=away, replaces=replaces, replaced_by=replaced_by)
