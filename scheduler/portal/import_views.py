"""The coordinator imports their site's list from a file: upload, preview, then write.

The organizer's import does the work (scheduler.transfer.imports) with
`only_site_id` set to the link's site, so every row lands there or is an error.
An import is reached only through the link of its own site.
"""
from flask import abort, flash, g, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..forms import strip_control
from ..transfer import export
from ..transfer.columns import ATTENDEE_COLUMNS, SITE_ATTENDEE_COLUMNS
from ..transfer.forms import ImportForm
from ..transfer.labels import IMPORT_STATUS_LABELS, error_message, write_outcome
from ..transfer.models import ImportJob
from . import operations
from .coordinator import bp, site_and_ceremony

RECENT = 5


def import_at_site(job_id: int) -> ImportJob:
    """An import of this link's site; another site's, or an organizer's, is a 404."""
    job = db.session.get(ImportJob, job_id) if job_id < 2**31 else None
    if job is None or job.only_site_id != g.site.id or job.kind != "attendees":
        abort(404)
    return job


def _upload_page(form: ImportForm, token: str):
    site, ceremony = site_and_ceremony()
    recent = db.session.scalars(select(ImportJob).where(ImportJob.only_site_id == site.id)
                                .order_by(ImportJob.id.desc()).limit(RECENT)).all()
    return render_template("portal/import.html", site=site, ceremony=ceremony, token=token, form=form,
                           columns=SITE_ATTENDEE_COLUMNS, recent=recent, statuses=IMPORT_STATUS_LABELS)


@bp.get("/<token>/people/import")
def import_form(token: str):
    return _upload_page(ImportForm(), token)


@bp.post("/<token>/people/import")
def upload(token: str):
    site, ceremony = site_and_ceremony()
    form = ImportForm()
    if not form.validate_on_submit():
        return _upload_page(form, token)
    job = operations.start_import(ceremony, site, strip_control(form.file.data.filename or ""), form.file.data.read(),
                                  skip_existing=form.skip_existing.data, now=g.now)
    db.session.commit()
    return redirect(url_for("coordinator.import_job", token=token, job_id=job.id))


@bp.get("/<token>/people/import/template.<any(csv, xlsx):fmt>")
def import_template(token: str, fmt: str):
    site, _ceremony = site_and_ceremony()
    return export.download(SITE_ATTENDEE_COLUMNS, fmt, export.example_rows(SITE_ATTENDEE_COLUMNS),
                           f"attendees-{site.code}-template", "attendees")


@bp.get("/<token>/imports/<int:job_id>")
def import_job(token: str, job_id: int):
    site, ceremony = site_and_ceremony()
    job = import_at_site(job_id)
    # The site code column shows only when the file has one (rows naming another site).
    with_code = any("site_code" in row["values"] for row in job.report.get("preview", []))
    return render_template("portal/import_job.html", site=site, ceremony=ceremony, token=token, job=job,
                           columns=ATTENDEE_COLUMNS,
                           preview_columns=ATTENDEE_COLUMNS if with_code else SITE_ATTENDEE_COLUMNS,
                           error_message=error_message, statuses=IMPORT_STATUS_LABELS)


@bp.get("/<token>/imports/<int:job_id>/progress.json")
def import_progress(token: str, job_id: int):
    return jsonify(import_at_site(job_id).progress())


@bp.post("/<token>/imports/<int:job_id>/write")
def import_write(token: str, job_id: int):
    site, ceremony = site_and_ceremony()
    job = import_at_site(job_id)
    outcome = operations.write_import(site, job, g.now)
    db.session.commit()
    job = db.session.get(ImportJob, job_id)
    message, category = write_outcome(outcome, job.added_rows)
    if outcome == "done" and ceremony.status == "scheduled":
        message += " " + _("Those with an email address get their invitation at once.")
    flash(message, category)
    return redirect(url_for("coordinator.import_job", token=token, job_id=job.id))


@bp.post("/<token>/imports/<int:job_id>/discard")
def import_discard(token: str, job_id: int):
    site, _ceremony = site_and_ceremony()
    job = import_at_site(job_id)
    if operations.discard_import(site, job, g.now):
        flash(_("The file was discarded; nothing was imported."), "success")
    db.session.commit()
    return redirect(url_for("coordinator.import_form", token=token))
