"""Turn "invite these people" and "the plan changed" into outbox rows.

A request records a FanoutJob; the background runs it in batches, so inviting
50,000 people never holds a request open and memory stays flat.
"""
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import exists, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from ..clock import current_time
from ..extensions import db
from ..planning.models import Attendee, Ceremony, Site
from .models import Delivery, FanoutJob

BATCH_SIZE = 2000
JOB_LEASE = timedelta(minutes=10)  # renewed after every batch of a running job


def insert_ignoring_duplicates(model):
    """INSERT … ON CONFLICT DO NOTHING: a job run twice queues each message once."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(model).on_conflict_do_nothing(index_elements=["idempotency_key"])


def request_job(ceremony_id: int, action: str, *, now: datetime, scope: str = "ceremony",
                scope_id: int | None = None, created_by_id: int | None = None) -> FanoutJob:
    # No reuse of a queued job: a worker may be starting it right now with a view
    # of the plan from before this change. A job with nothing left to do is cheap.
    job = FanoutJob(ceremony_id=ceremony_id, action=action, scope=scope, scope_id=scope_id,
                    status="queued", created_by_id=created_by_id, created_at=now)
    db.session.add(job)
    db.session.flush()
    return job


def _targets(job: FanoutJob, ceremony: Ceremony):
    query = select(Attendee).where(Attendee.ceremony_id == ceremony.id, Attendee.email != "")
    if job.scope == "site":
        query = query.where(Attendee.site_id == job.scope_id)
    elif job.scope == "attendee":
        query = query.where(Attendee.id == job.scope_id)
    if job.action == "invite":
        # Not those their coordinator says are not coming (a substitute goes instead),
        # nor anyone at a site that declined to take part.
        query = query.where(Attendee.invited_sequence.is_(None),
                            Attendee.site_confirmation != "not_coming",
                            Attendee.site_id.not_in(select(Site.id).where(
                                Site.ceremony_id == ceremony.id, Site.status == "declined")))
    elif job.action == "sync":
        query = query.where(Attendee.invited_sequence.is_not(None),
                            Attendee.invited_sequence < ceremony.sequence + Attendee.sequence_offset)
    if ceremony.is_cancelled:
        # Only a calendar that holds the ceremony needs the cancellation; an
        # invitation still waiting in the outbox is superseded when its turn comes.
        query = query.where(_received_invitation(Attendee.id, Attendee.email))
    return query


def _received_invitation(attendee_id, address):
    return exists().where(Delivery.attendee_id == attendee_id, Delivery.recipient_email == address,
                          Delivery.method == "REQUEST", Delivery.status == "sent")


def _message_row(job: FanoutJob, ceremony: Ceremony, person: Attendee, now: datetime) -> dict:
    sequence = person.calendar_sequence(ceremony)
    method = "CANCEL" if ceremony.is_cancelled else "REQUEST"
    if method == "CANCEL":
        kind = "cancellation"
    else:
        kind = "invitation" if person.invited_sequence is None else "update"
    key = f"{method}:{person.id}:{sequence}"
    if job.action == "resend":
        key += f":resend-{job.id}"
    return {"ceremony_id": ceremony.id, "attendee_id": person.id, "site_id": person.site_id,
            "recipient_email": person.email, "recipient_name": person.full_name,
            "language": person.language, "method": method, "kind": kind, "sequence": sequence,
            "idempotency_key": key, "status": "pending", "attempts": 0, "next_attempt_at": now,
            "created_at": now, "last_error": "", "message_id": ""}


def run_job(job: FanoutJob, *, now: datetime, progress: Callable[[int, int], None] | None = None,
            batch_size: int = BATCH_SIZE) -> None:
    """Queue the job's messages batch by batch, committing each batch (resumable)."""
    ceremony = db.session.get(Ceremony, job.ceremony_id)
    if ceremony.status != "scheduled" and not (job.action == "sync" and ceremony.is_cancelled):
        # Invitations are for announced ceremonies only; a cancelled one only syncs.
        job.status, job.finished_at = "done", now
        db.session.commit()
        return
    query = _targets(job, ceremony)
    job.status, job.lease_until = "running", current_time() + JOB_LEASE
    job.total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    db.session.commit()
    last_id = 0
    while True:
        people = db.session.scalars(query.where(Attendee.id > last_id)
                                    .order_by(Attendee.id).limit(batch_size)).all()
        if not people:
            break
        last_id = people[-1].id
        rows = [_message_row(job, ceremony, person, now) for person in people]
        _supersede_older(rows)
        db.session.execute(insert_ignoring_duplicates(Delivery), rows)
        for sequence in {row["sequence"] for row in rows}:
            ids = [row["attendee_id"] for row in rows if row["sequence"] == sequence]
            db.session.execute(update(Attendee).where(Attendee.id.in_(ids))
                               .values(invited_sequence=sequence))
        job.queued += len(rows)
        job.lease_until = current_time() + JOB_LEASE
        db.session.commit()
        if progress:
            progress(job.queued, job.total)
    job.status = "done"
    job.finished_at = now
    db.session.commit()


def _supersede_older(rows: list[dict]) -> None:
    """A pending message not yet delivered to that same address is replaced by the
    newer one (a cancellation to an attendee's old address is not)."""
    for sequence in {row["sequence"] for row in rows}:
        pairs = [(row["attendee_id"], row["recipient_email"]) for row in rows
                 if row["sequence"] == sequence]
        db.session.execute(
            update(Delivery).where(tuple_(Delivery.attendee_id, Delivery.recipient_email).in_(pairs),
                                   Delivery.method.is_not(None),  # reminders stay
                                   Delivery.status == "pending", Delivery.sequence < sequence)
            .values(status="superseded"))


def queue_cancellation(person: Attendee, ceremony: Ceremony, *, now: datetime,
                       address: str | None = None) -> None:
    """An invited attendee leaves the ceremony (or an address is dropped): that
    calendar entry must go too. Called before the row is deleted; the outbox row
    keeps the address."""
    address = address or person.email
    if person.invited_sequence is None or not address:
        return
    if not db.session.scalar(select(_received_invitation(person.id, address))):
        # Nothing reached their calendar: withdraw what waits, send nothing.
        db.session.execute(update(Delivery).where(
            Delivery.attendee_id == person.id, Delivery.recipient_email == address,
            Delivery.status == "pending").values(status="superseded"))
        return
    person.sequence_offset += 1  # a cancellation is a change: it outranks what was sent
    sequence = person.calendar_sequence(ceremony)
    row = {"ceremony_id": ceremony.id, "attendee_id": person.id, "site_id": person.site_id,
           "recipient_email": address, "recipient_name": person.full_name,
           "language": person.language, "method": "CANCEL", "kind": "cancellation",
           "sequence": sequence, "idempotency_key": f"CANCEL:{person.id}:{sequence}",
           "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
           "last_error": "", "message_id": ""}
    _supersede_older([row])
    db.session.execute(insert_ignoring_duplicates(Delivery), [row])


def run_queued_jobs(*, now: datetime) -> int:
    """Run every queued job, oldest first; returns how many ran."""
    count = 0
    # Queued, or running under a lease that ran out (its worker died): jobs are
    # idempotent, so running one again only finishes what it had left.
    ready = or_(FanoutJob.status == "queued",
                (FanoutJob.status == "running") & (FanoutJob.lease_until < current_time()))
    while True:
        job = db.session.scalar(select(FanoutJob).where(ready).order_by(FanoutJob.id).limit(1))
        if job is None:
            return count
        # Claim it: a second runner's identical UPDATE matches no row.
        claimed = db.session.execute(
            update(FanoutJob).where(FanoutJob.id == job.id, ready)
            .values(status="running", lease_until=current_time() + JOB_LEASE)).rowcount
        db.session.commit()
        if claimed:
            try:
                run_job(db.session.get(FanoutJob, job.id), now=now)
            except Exception as error:  # recorded for the organizer, then re-raised for the log
                db.session.rollback()
                db.session.execute(update(FanoutJob).where(FanoutJob.id == job.id)
                                   .values(status="failed", error=str(error)[:2000]))
                db.session.commit()
                raise
            count += 1
