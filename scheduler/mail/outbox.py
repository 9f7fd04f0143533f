"""Deliver due outbox rows: claim, render, send, record — safe to run twice at once.

A row is claimed by a conditional UPDATE (and FOR UPDATE SKIP LOCKED on
PostgreSQL) before it is sent, and marked sent in its own commit right after
the server accepted it. A second worker finds nothing to claim; a worker that
dies leaves a claim that expires, after which the row goes out again with the
same Message-ID.
"""
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import bindparam, or_, select, update

from ..extensions import db
from ..planning.models import Attendee, Ceremony
from . import compose
from .models import Delivery
from .pipeline import SendingThread
from .transports import FileTransport, PermanentError, SMTPSettings, SMTPTransport, TransientError

LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=2)
MAX_ATTEMPTS = 12  # about a day of retries before a transient fault counts as failed


# Built once, run 50,000 times: a Core statement on the table skips the ORM's
# per-call statement building and identity-map bookkeeping.
_outbox = Delivery.__table__
MARK_SENT = (update(_outbox).where(_outbox.c.id == bindparam("row_id"))
             .values(status="sent", sent_at=bindparam("sent_at"), lease_until=None, last_error="",
                     message_id=bindparam("message_id")))


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 1, 2, 4 … minutes, at most two hours apart."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LAST_RETRY)


def transport_from_config():
    config = current_app.config
    if config["MAIL_TRANSPORT"] == "smtp":
        return SMTPTransport(SMTPSettings(
            host=config["MAIL_SMTP_HOST"], port=int(config["MAIL_SMTP_PORT"]),
            security=config["MAIL_SMTP_SECURITY"], username=config["MAIL_SMTP_USERNAME"],
            password=config["MAIL_SMTP_PASSWORD"], timeout=float(config["MAIL_SMTP_TIMEOUT"]),
            ca_file=config["MAIL_SMTP_CA_FILE"]))
    return FileTransport(config["MAIL_FILE_DIR"])


def claim(now: datetime, limit: int) -> list[int]:
    due = or_(
        (Delivery.status == "pending") & (Delivery.next_attempt_at <= now),
        (Delivery.status == "sending") & (Delivery.lease_until < now),
    )
    candidates = select(Delivery.id).where(due).order_by(Delivery.ceremony_id, Delivery.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = db.session.scalars(candidates).all()
    if not ids:
        db.session.commit()
        return []
    claimed = db.session.scalars(
        update(Delivery).where(Delivery.id.in_(ids), due)
        .values(status="sending", lease_until=now + LEASE, attempts=Delivery.attempts + 1)
        .returning(Delivery.id)).all()
    db.session.commit()
    return sorted(claimed)


def _mail_for(ceremony_id: int) -> compose.CeremonyMail:
    return compose.mail_for(db.session.get(Ceremony, ceremony_id), all_sites=True)


@contextmanager
def _objects_survive_commits():
    """Commit after every message without reloading the plan for every message."""
    session = db.session()
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = previous


def deliver_due(*, now: datetime, transport=None, limit: int = 2000) -> dict[str, int]:
    """One pass over what is due now; returns counts by outcome."""
    with _objects_survive_commits():
        return _deliver(now, transport or transport_from_config(), limit)


def _deliver(now: datetime, transport, limit: int) -> dict[str, int]:
    counts = {"sent": 0, "retry": 0, "failed": 0}
    ids = claim(now, limit)
    if not ids:
        return counts
    domain = urlsplit("//" + compose.organizer().email.split("@")[-1]).hostname or "localhost"
    mails: dict[int, compose.CeremonyMail] = {}
    rows = db.session.scalars(select(Delivery).where(Delivery.id.in_(ids)).order_by(Delivery.id)).all()
    people = {p.id: p for p in db.session.scalars(
        select(Attendee).where(Attendee.id.in_([r.attendee_id for r in rows if r.attendee_id])))}
    try:
        transport.open()
    except TransientError as error:
        _give_back(rows, now, str(error))
        counts["retry"] += len(rows)
        return counts
    sender = SendingThread(transport)
    submitted = 0
    try:
        for row in rows:
            if sender.broken.is_set():
                break  # the server went away: the rest wait for the next pass
            mail = mails.get(row.ceremony_id) or mails.setdefault(row.ceremony_id, _mail_for(row.ceremony_id))
            # Derived from the row, so a retry after a crash carries the same Message-ID.
            message_id = compose.message_id(row, mail.ceremony, domain)
            with compose.in_language(row.language):
                message = compose.build(mail, row, people.get(row.attendee_id), now, message_id)
            sender.submit((row, message_id), mail.organizer.email, row.recipient_email, message,
                          name=f"{row.id:08d}-{row.kind}")
            submitted += 1
            _record(sender.outcomes(), now, counts)
        sender.finish()
        _record(sender.outcomes(), now, counts)
    finally:
        if sender.thread.is_alive():
            sender.finish()
        transport.close()
    if submitted < len(rows):
        _give_back(rows[submitted:], now, sender.reason)
        counts["retry"] += len(rows) - submitted
    return counts


def _record(outcomes, now: datetime, counts: dict[str, int]) -> None:
    """Write each outcome as soon as it is known, one commit each."""
    for (row, message_id), error in outcomes:
        if error is None:
            db.session.connection().execute(
                MARK_SENT, {"row_id": row.id, "sent_at": now, "message_id": message_id})
            counts["sent"] += 1
        elif isinstance(error, PermanentError):
            row.status, row.last_error, row.lease_until = "failed", str(error), None
            counts["failed"] += 1
        else:
            _give_back([row], now, str(error))
            counts["retry"] += 1
        db.session.commit()


def _give_back(rows: list[Delivery], now: datetime, error: str) -> None:
    for row in rows:
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
        else:
            row.status = "pending"
            row.next_attempt_at = now + retry_delay(row.attempts)
        row.lease_until, row.last_error = None, error
    db.session.commit()
