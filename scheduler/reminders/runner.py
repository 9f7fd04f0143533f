"""The due pass: claim reminders whose moment has come and put their messages
in the outbox, batch by batch.

A reminder is claimed by a conditional UPDATE under a random token (FOR UPDATE
SKIP LOCKED on PostgreSQL), so a second scheduler, or the same pass run twice,
finds nothing to take. Each batch commits its outbox rows together with the
cursor; a pass that dies resumes after the last committed batch when its lease
runs out, and the outbox's idempotency keys turn any overlap into nothing.
"""
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from ..clock import current_time
from ..extensions import db
from ..mail.fanout import insert_ignoring_duplicates
from ..mail.models import Delivery
from ..mail.outbox import retry_delay
from ..planning.models import Ceremony
from . import audiences, notes
from .digest import digest_facts
from .models import Reminder, ReminderRule

BATCH_SIZE = 2000
LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 5  # passing faults retried with backoff before a reminder counts as failed
# Later than this counts as "late": the scheduler was down at the moment.
LATE_AFTER = timedelta(minutes=10)


def _due(now: datetime):
    return or_((Reminder.status == "planned") & (Reminder.due_at <= now),
               (Reminder.status == "running") & (Reminder.lease_until < now))


def claim_next(now: datetime) -> tuple[Reminder, str] | None:
    candidates = select(Reminder.id).where(_due(now)).order_by(Reminder.due_at, Reminder.id).limit(1)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    while (reminder_id := db.session.scalar(candidates)) is not None:
        token = secrets.token_hex(16)
        claimed = db.session.execute(
            update(Reminder).where(Reminder.id == reminder_id, _due(now))
            .values(status="running", claim_token=token, lease_until=current_time() + LEASE,
                    first_claimed_at=func.coalesce(Reminder.first_claimed_at, now),
                    attempts=Reminder.attempts + 1)).rowcount
        db.session.commit()
        if claimed:
            return db.session.get(Reminder, reminder_id), token
    db.session.commit()
    return None


def run_due_reminders(*, now: datetime) -> int:
    """Handle every reminder due at `now`; returns how many were handled."""
    handled = 0
    while (claimed := claim_next(now)) is not None:
        reminder, token = claimed
        try:
            _handle(reminder, token, now)
        except Exception as error:  # noqa: BLE001 (kept for the organizer and retried)
            current_app.logger.exception("reminder %s could not be queued", reminder.id)
            db.session.rollback()
            _retry_later(reminder.id, token, now, repr(error))
        handled += 1
    return handled


def _retry_later(reminder_id: int, token: str, now: datetime, error: str) -> None:
    """A passing fault (a locked database, a lost connection) costs a delay, not the
    reminder: it stays claimed until a backoff lease runs out, then resumes from its
    cursor. After MAX_ATTEMPTS it is failed and shown."""
    reminder = db.session.get(Reminder, reminder_id)
    if reminder is None or reminder.claim_token != token:
        db.session.rollback()
        return  # withdrawn or taken over meanwhile
    reminder.last_error = error[:2000]
    if reminder.attempts >= MAX_ATTEMPTS:
        reminder.status, reminder.lease_until, reminder.finished_at = "failed", None, now
    else:
        reminder.lease_until = now + retry_delay(reminder.attempts)
    db.session.commit()


def _finish(reminder: Reminder, token: str, status: str, now: datetime, **details) -> None:
    values = {"status": status, "lease_until": None, "finished_at": now,
              "queued": _queued(reminder.id)}
    if details:
        values["note"] = notes.dump(**{**notes.load(reminder.note), **details})
    # Under the claim only: a reminder withdrawn meanwhile stays withdrawn, and
    # what this step queued (a digest) is undone with it.
    _under_claim(reminder.id, token, **values)


def _policy(reminder: Reminder, rule: ReminderRule | None, ceremony: Ceremony, now: datetime) -> str | None:
    """Whether a due reminder may go now, apart from other reminders: None, or why not."""
    if ceremony.status != "scheduled":
        return "not_scheduled"
    if reminder.anchor == "rehearsal" and (ceremony.rehearsal_at is None or now >= ceremony.rehearsal_at):
        return "rehearsal_passed"
    if now >= ceremony.starts_at:
        return "started"
    # Judged from the first claim: a scheduler that crashed right after claiming
    # does not turn a punctual reminder into a late one.
    taken = reminder.first_claimed_at or now
    if taken - reminder.due_at > LATE_AFTER and rule is not None and not rule.send_late:
        return "too_late"
    return None


def missed_reason(reminder: Reminder, rule: ReminderRule | None, ceremony: Ceremony,
                  now: datetime) -> str | None:
    """The missed-while-down policy: why this reminder must not go now, if it must not."""
    reason = _policy(reminder, rule, ceremony, now)
    if reason is not None or now - reminder.due_at <= LATE_AFTER:
        return reason
    # Several overdue reminders of one audience (a long outage): only the latest
    # that may itself go is sent, so a later one that cannot go never silences this one.
    newer = db.session.scalars(select(Reminder).where(
        Reminder.ceremony_id == reminder.ceremony_id, Reminder.audience == reminder.audience,
        Reminder.status == "planned", Reminder.due_at > reminder.due_at, Reminder.due_at <= now)).all()
    for candidate in newer:
        if _policy(candidate, db.session.get(ReminderRule, candidate.rule_id), ceremony, now) is None:
            return "later_reminder"
    return None


def _handle(reminder: Reminder, token: str, now: datetime) -> None:
    ceremony = db.session.get(Ceremony, reminder.ceremony_id)
    rule = db.session.get(ReminderRule, reminder.rule_id)
    if reminder.cursor == 0 and reminder.queued == 0:
        reason = missed_reason(reminder, rule, ceremony, now)
        if reason is not None:
            _finish(reminder, token, "skipped" if reason == "not_scheduled" else "missed", now,
                    reason=reason)
            return
        late = (reminder.first_claimed_at or now) - reminder.due_at > LATE_AFTER
        note = notes.dump(**audiences.left_out(reminder.audience, ceremony.id),
                          **({"reason": "late"} if late else {}))
        if not _under_claim(reminder.id, token, note=note):
            return
    if reminder.audience == "organizers":
        _queue_digest(reminder, token, ceremony, now)
        return
    query = audiences.recipients_query(reminder.audience, ceremony.id)
    model = query.column_descriptions[0]["entity"]
    cursor, queued = reminder.cursor, reminder.queued
    while True:
        batch = db.session.scalars(query.where(model.id > cursor).limit(BATCH_SIZE)).all()
        if not batch:
            break
        rows = [_row(reminder, ceremony, recipient, now) for recipient in batch]
        db.session.execute(insert_ignoring_duplicates(Delivery), rows)
        cursor, queued = batch[-1].id, _queued(reminder.id)
        # The batch commits with the cursor, under the claim: a pass whose lease ran
        # out, or whose reminder was withdrawn, writes nothing and stops here.
        if not _under_claim(reminder.id, token, cursor=cursor, queued=queued,
                            lease_until=current_time() + LEASE):
            return
    reminder = db.session.get(Reminder, reminder.id)
    if queued:
        _finish(reminder, token, "sent", now)
    else:
        _finish(reminder, token, "skipped", now, reason="nobody")


def _under_claim(reminder_id: int, token: str, **values) -> bool:
    """Write `values` and commit if the claim still holds; otherwise undo the batch."""
    kept = db.session.execute(update(Reminder).where(
        Reminder.id == reminder_id, Reminder.claim_token == token, Reminder.status == "running")
        .values(**values)).rowcount
    if not kept:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def _row(reminder: Reminder, ceremony: Ceremony, recipient, now: datetime) -> dict:
    if reminder.audience == "attendees":
        who, attendee_id, site_id = f"a{recipient.id}", recipient.id, recipient.site_id
        email, name, language = recipient.email, recipient.full_name, recipient.language
    else:
        who, attendee_id, site_id = f"s{recipient.id}", None, recipient.id
        email, name = recipient.coordinator_email, recipient.coordinator_name or recipient.name
        language = recipient.coordinator_language
    return _delivery(reminder, ceremony, now, kind="reminder", who=who, attendee_id=attendee_id,
                     site_id=site_id, email=email, name=name, language=language)


def _delivery(reminder: Reminder, ceremony: Ceremony, now: datetime, *, kind: str, who: str,
              attendee_id, site_id, email: str, name: str, language: str) -> dict:
    # (rule, moment, recipient, SEQUENCE): a double run queues one message each.
    key = f"remind:{reminder.rule_id}:{int(reminder.due_at.timestamp())}:{who}:{ceremony.sequence}"
    return {"ceremony_id": ceremony.id, "attendee_id": attendee_id, "site_id": site_id,
            "recipient_email": email, "recipient_name": name, "language": language,
            "method": None, "kind": kind, "sequence": ceremony.sequence, "reminder_id": reminder.id,
            "idempotency_key": key, "status": "pending", "attempts": 0, "next_attempt_at": now,
            "created_at": now, "last_error": "", "message_id": ""}


def _queue_digest(reminder: Reminder, token: str, ceremony: Ceremony, now: datetime) -> None:
    if not digest_facts(ceremony.id).worth_sending:
        _finish(reminder, token, "skipped", now, reason="nothing_to_report")
        return
    people = [user for user in audiences.organizers(ceremony) if user.email]
    if not people:
        current_app.logger.warning("digest of ceremony %s: no active organizer or admin", ceremony.id)
        _finish(reminder, token, "skipped", now, reason="nobody")
        return
    rows = [_delivery(reminder, ceremony, now, kind="digest", who=f"u{user.id}", attendee_id=None,
                      site_id=None, email=user.email, name=user.name, language=user.language)
            for user in people]
    db.session.execute(insert_ignoring_duplicates(Delivery), rows)
    _finish(reminder, token, "sent", now)


def _queued(reminder_id: int) -> int:
    return db.session.scalar(select(func.count()).where(Delivery.reminder_id == reminder_id))
