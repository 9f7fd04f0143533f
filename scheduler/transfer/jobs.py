"""The background side of imports: check or write the queued ones, expire the forgotten.

A job is claimed with a conditional UPDATE under a random token and a lease, like
a fan-out job: a second runner's identical UPDATE matches nothing, and a worker
whose lease ran out cannot mark done what another worker has taken since (its
whole write is then rolled back), so no import is ever written twice.
"""
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ..clock import current_time
from ..extensions import db
from . import imports
from .models import ImportJob

LEASE = timedelta(minutes=10)  # renewed every 1,000 rows; writing 50,000 takes seconds
KEEP_UNWRITTEN = timedelta(hours=24)  # an upload nobody imported is dropped after this


def _expired_lease():
    return (ImportJob.status == "running") & (ImportJob.lease_until < current_time())


def expire_forgotten(*, now: datetime) -> int:
    """Drop the file of previews nobody imported (the report stays for the record)."""
    return db.session.execute(
        update(ImportJob).where(ImportJob.status.in_(("ready", "invalid")),
                                ImportJob.created_at < now - KEEP_UNWRITTEN)
        .values(status="expired", content=None, finished_at=now)).rowcount


def run_queued_imports(*, now: datetime) -> int:
    """Check or write every waiting import, oldest first; returns how many ran."""
    expire_forgotten(now=now)
    db.session.commit()
    count = 0
    while True:
        waiting = or_(ImportJob.status.in_(("checking", "queued")), _expired_lease())
        job_id = db.session.scalar(select(ImportJob.id).where(waiting).order_by(ImportJob.id).limit(1))
        if job_id is None:
            return count
        token = imports.claim(job_id, ("checking", "queued"), lease_until=current_time() + LEASE,
                              extra=_expired_lease())
        db.session.commit()
        if token:
            run_import(job_id, token, now=now)
            count += 1


def run_import(job_id: int, token: str, *, now: datetime) -> None:
    def progress(rows: int) -> None:
        # Only the job row changes here: nothing of the import is written yet.
        db.session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.claim_token == token)
                           .values(processed_rows=rows, lease_until=current_time() + LEASE))
        db.session.commit()

    job = db.session.get(ImportJob, job_id)
    try:
        if not job.write_requested:
            job.phase = "checking"
            imports.check(job, progress=progress)  # ready or invalid: the preview
        else:
            # One pass that checks each row again and inserts it, in one transaction;
            # its progress cannot be committed, so the bar shows "writing" without a
            # count (seconds for the national list; the preview's check had the count).
            job.phase = "writing"
            db.session.commit()
            try:
                imports.write(job, token, now=now)
            except imports.ImportRefused as refused:
                db.session.rollback()
                imports.refuse(job_id, refused.outcome, now=now)
        job = db.session.get(ImportJob, job_id)
        job.claim_token = None
        db.session.commit()
    except imports.ClaimLost:
        db.session.rollback()  # the worker that took it over finishes it
    except Exception as error:  # a bug or a lost database: recorded and logged, the pass goes on
        db.session.rollback()
        current_app.logger.exception("import %s failed", job_id)
        db.session.execute(update(ImportJob).where(ImportJob.id == job_id, ImportJob.claim_token == token)
                           .values(status="failed", phase="", failure=str(error)[:2000], finished_at=now))
        db.session.commit()
