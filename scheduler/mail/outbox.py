"""Deliver due outbox rows: claim, render, send, record — safe to run twice at once.

Rows are claimed under a random token by a conditional UPDATE (and FOR UPDATE
SKIP LOCKED on PostgreSQL) before they are sent; the claim's lease is renewed
while the batch runs, and a row is marked sent only under its own token, in its
own commit, as soon as the server accepted it. A second worker finds nothing to
claim; a worker that dies leaves a lease that expires, after which the row goes
out again with the same Message-ID.
"""
import secrets
from contextlib import contextmanager
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import bindparam, exists, or_, select, update
from sqlalchemy.orm import aliased

from .. import signals
from ..clock import current_time
from ..extensions import db
from ..planning.models import Attendee, Ceremony
from . import compose
from .models import Delivery
from .pipeline import SendingThread
from .transports import FileTransport, PermanentError, SMTPSettings, SMTPTransport, TransientError

LEASE = timedelta(minutes=5)
RENEW_AFTER = LEASE / 5  # a live worker's claim never comes near its end
FIRST_RETRY = timedelta(minutes=1)
LAST_RETRY = timedelta(hours=2)
MAX_ATTEMPTS = 12  # tries, about a day of them, before a transient fault counts as failed

# Built once, run 50,000 times: a Core statement on the table skips the ORM's
# per-call statement building and identity-map bookkeeping.
_outbox = Delivery.__table__
MARK_SENT = (update(_outbox)
             .where(_outbox.c.id == bindparam("row_id"), _outbox.c.claim_token == bindparam("token"),
                    _outbox.c.status == "sending")
             .values(status="sent", sent_at=bindparam("sent_at"), lease_until=None, last_error="",
                     attempts=_outbox.c.attempts + 1, message_id=bindparam("message_id")))


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


def claim(now: datetime, limit: int) -> tuple[str, list[int]]:
    """Take up to `limit` due rows for this worker; returns (claim token, row ids)."""
    due = or_(
        (Delivery.status == "pending") & (Delivery.next_attempt_at <= now),
        (Delivery.status == "sending") & (Delivery.lease_until < now),
    )
    candidates = select(Delivery.id).where(due).order_by(Delivery.ceremony_id, Delivery.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    token = secrets.token_hex(16)
    ids = db.session.scalars(candidates).all()
    if not ids:
        db.session.commit()
        return token, []
    claimed = db.session.scalars(
        update(Delivery).where(Delivery.id.in_(ids), due)
        .values(status="sending", lease_until=now + LEASE, claim_token=token)
        .returning(Delivery.id)).all()
    db.session.commit()
    return token, sorted(claimed)


class _Claim:
    """This worker's claim, renewed whenever a fifth of the lease has gone by."""

    def __init__(self, token: str):
        self.token = token
        self.renewed = current_time()

    def keep_alive(self) -> None:
        if current_time() - self.renewed < RENEW_AFTER:
            return
        self.renewed = current_time()
        db.session.execute(update(Delivery)
                           .where(Delivery.claim_token == self.token, Delivery.status == "sending")
                           .values(lease_until=self.renewed + LEASE))
        db.session.commit()


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
    token, ids = claim(now, limit)
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
        _give_back(rows, now, str(error), tried=False)
        counts["retry"] += len(rows)
        return counts
    sender = SendingThread(transport)
    claim_held = _Claim(token)
    handled = 0
    try:
        for row in rows:
            if sender.broken.is_set():
                break  # the server went away: the rest wait for the next pass
            handled += 1
            claim_held.keep_alive()
            mail = mails.get(row.ceremony_id) or mails.setdefault(
                row.ceremony_id, compose.mail_for(db.session.get(Ceremony, row.ceremony_id), all_sites=True))
            stale = compose.stale_reason(mail, row, people.get(row.attendee_id), now)
            if stale:
                row.status, row.lease_until, row.last_error = "superseded", None, stale
                db.session.commit()
                continue
            # Derived from the row, so a retry after a crash carries the same Message-ID.
            message_id = compose.message_id(row, mail.ceremony, domain)
            try:
                with compose.in_language(row.language):
                    message = compose.build_any(mail, row, people.get(row.attendee_id), now, message_id)
            except Exception as error:  # one bad row must not hold up the others
                current_app.logger.exception("cannot build outbox message %s", row.id)
                row.lease_until = None
                _fail(row, f"could not build the message: {error!r}"[:2000])
                counts["failed"] += 1
                db.session.commit()
                continue
            sender.submit((row, message_id), mail.organizer.email, row.recipient_email, message,
                          name=f"{row.id:08d}-{row.kind}", waiting=claim_held.keep_alive)
            _record(sender.outcomes(), token, now, counts)
    finally:
        sender.finish(waiting=claim_held.keep_alive)
        _record(sender.outcomes(), token, now, counts)
        transport.close()
    if handled < len(rows):
        _give_back(rows[handled:], now, sender.reason, tried=False)
        counts["retry"] += len(rows) - handled
    return counts


def _record(outcomes, token: str, now: datetime, counts: dict[str, int]) -> None:
    """Write each outcome as soon as it is known, one commit each."""
    for (row, message_id), error in outcomes:
        if error is None:
            connection = db.session.connection()
            if connection.dialect.name == "postgresql":
                # Like SQLite's synchronous=NORMAL: a crashed worker loses nothing; only
                # a crash of the database server could lose the last few marks (those
                # messages would go again with the same Message-ID). Not waiting for
                # the WAL flush 50,000 times keeps a fan-out at the mail server's pace.
                connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
            connection.execute(MARK_SENT, {
                "row_id": row.id, "token": token, "sent_at": now, "message_id": message_id})
            counts["sent"] += 1
        elif isinstance(error, PermanentError):
            row.lease_until = None
            row.attempts += 1
            _fail(row, str(error))
            counts["failed"] += 1
        else:
            _give_back([row], now, str(error), tried=not getattr(error, "untried", False))
            counts["retry"] += 1
        db.session.commit()


def _give_back(rows: list[Delivery], now: datetime, error: str, *, tried: bool) -> None:
    """Back to pending for a later pass; a newer message to the same address replaces it."""
    newer = aliased(Delivery)
    for row in rows:
        if tried:
            row.attempts += 1
        # Calendar messages only: a reminder is not replaced by an invitation update.
        replaced = row.method is not None and row.attendee_id is not None and db.session.scalar(
            select(exists().where(
                newer.attendee_id == row.attendee_id, newer.recipient_email == row.recipient_email,
                newer.method.is_not(None), newer.sequence > row.sequence,
                newer.status != "superseded")))
        if replaced:
            row.status = "superseded"  # an older invitation must never follow its cancellation
        elif row.attempts >= MAX_ATTEMPTS:
            _fail(row, error)
        else:
            row.status = "pending"
            row.next_attempt_at = now + retry_delay(max(row.attempts, 1))
        row.lease_until, row.last_error = None, error
    db.session.commit()


def _fail(row: Delivery, error: str) -> None:
    """The message will not go: say so to whoever listens (webhooks), in the same commit."""
    row.status, row.last_error = "failed", error or ""
    db.session.flush()
    signals.delivery_failed.send(row, error=row.last_error)
