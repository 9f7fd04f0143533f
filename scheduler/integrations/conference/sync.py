"""The background pass: make, change and delete meetings at the provider.

A row is claimed with a conditional UPDATE under a random token and a lease
(FOR UPDATE SKIP LOCKED on PostgreSQL), so a second scheduler finds nothing to
take. No transaction stays open during a call. The external id is committed
the moment a create answers, and a create resent after a crash carries the same
Idempotency-Key, so a ceremony never gets two meetings. Results are written
only under the claim and only count as "ready" if the plan did not change
during the call (wanted_version); otherwise the row is taken again at once.
"""
import random
import secrets
import time
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import exists, or_, select, update

from ... import signals
from ...clock import current_time
from ...extensions import db
from ...planning.models import Attendee, Ceremony
from .base import Meeting, MeetingPlan, ProviderError, web_address
from .models import ConferenceMeeting
from .providers import Providers

LEASE = timedelta(minutes=5)  # longer than a call with its quick retries and timeouts
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
MAX_ATTEMPTS = 10  # then "failed", shown with its error and a "Try again" button
PER_PASS = 200  # rows handled per pass at most; the next pass takes the rest
# run_due sends mail after this pass: a slow provider must not hold invitations and
# reminders for long. No new call starts after this much time (one call may still
# take its own timeouts), and a provider that is down costs one failed call per pass.
PASS_BUDGET = timedelta(seconds=60)

M = ConferenceMeeting


def retry_delay(attempts: int, retry_after: float | None = None) -> timedelta:
    """1, 2, 4 … minutes, at most an hour, with jitter so a provider coming back is
    not hit by every ceremony in the same second; a longer Retry-After wins."""
    delay = min(FIRST_DELAY * 2 ** (attempts - 1), MAX_DELAY) * random.uniform(0.75, 1.0)
    if retry_after:
        delay = max(delay, timedelta(seconds=min(retry_after, MAX_DELAY.total_seconds())))
    return delay


def _due(now: datetime):
    wanted = or_(M.status.in_(("pending", "deleting")),
                 M.ceremony_id.is_(None) & (M.status == "ready"))  # its ceremony was deleted
    free = or_(M.claim_token.is_(None), M.lease_until < now)
    return wanted & (M.next_attempt_at <= now) & free


def claim_next(now: datetime, skip: set[int], skip_providers: set[str] = frozenset()) -> tuple[int, str] | None:
    candidates = (select(M.id).where(_due(now), M.id.not_in(skip) if skip else True,
                                     M.provider.not_in(skip_providers) if skip_providers else True)
                  .order_by(M.next_attempt_at, M.id).limit(1))
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    while (meeting_id := db.session.scalar(candidates)) is not None:
        token = secrets.token_hex(16)
        claimed = db.session.execute(
            update(M).where(M.id == meeting_id, _due(now))
            .values(claim_token=token, lease_until=current_time() + LEASE)).rowcount
        db.session.commit()
        if claimed:
            return meeting_id, token
    db.session.commit()
    return None


def run_due_meetings(*, now: datetime) -> int:
    """Handle every meeting row due at `now`; returns how many were handled."""
    providers = Providers()
    handled: set[int] = set()
    down: set[str] = set()  # providers that timed out, refused or were overloaded in this pass
    deadline = time.monotonic() + PASS_BUDGET.total_seconds()
    try:
        while (len(handled) < PER_PASS and time.monotonic() < deadline
               and (claimed := claim_next(now, handled, down)) is not None):
            meeting_id, token = claimed
            handled.add(meeting_id)
            # Read before the ceremony's data: the version recorded is never newer
            # than what the provider was told.
            version = db.session.scalar(select(M.wanted_version).where(M.id == meeting_id))
            try:
                _handle(meeting_id, token, version, now, providers)
            except ProviderError as error:
                db.session.rollback()
                _failed(meeting_id, token, version, error, now)
                if error.unavailable:
                    down.add(db.session.scalar(select(M.provider).where(M.id == meeting_id)))
            except Exception as error:  # a bug or a lost database: kept for the organizer, retried
                current_app.logger.exception("conference meeting %s", meeting_id)
                db.session.rollback()
                _failed(meeting_id, token, version, ProviderError(repr(error), permanent=False), now)
    finally:
        providers.close()
    return len(handled)


def _handle(meeting_id: int, token: str, version: int, now: datetime, providers: Providers) -> None:
    row = db.session.get(M, meeting_id)
    ceremony = db.session.get(Ceremony, row.ceremony_id) if row.ceremony_id else None
    external_id, uid = row.external_id, row.ceremony_uid
    provider = providers.get(row.provider)
    plan = None if ceremony is None else MeetingPlan(
        uid=ceremony.uid, title=ceremony.title, starts_at=ceremony.starts_at,
        ends_at=ceremony.ends_at, timezone=ceremony.timezone)
    remove = ceremony is None or ceremony.is_cancelled
    # A create tried before (timed out, refused, or its worker died after the call) may
    # have made the meeting then: the resend, under the same Idempotency-Key, gets that
    # meeting back as it was made. If the plan changed since (a change resets attempts;
    # so does "Try again"), the meeting is then brought up to the plan as it is now.
    resend = row.last_attempt_at is not None and row.attempts == 0
    db.session.execute(update(M).where(M.id == meeting_id, M.claim_token == token).values(last_attempt_at=now))
    db.session.commit()  # nothing held open while the provider answers

    if remove:
        if external_id:
            provider.delete(external_id, idempotency_key=f"{uid}:delete")
        _finish(meeting_id, token, version, now, status="deleted")
        return
    if external_id is None:
        meeting = provider.create(plan, idempotency_key=f"{uid}:create")
        _keep_external_id(meeting_id, token, meeting.external_id)
        if resend:
            meeting = provider.update(meeting.external_id, plan, idempotency_key=f"{uid}:update:{version}")
    else:
        meeting = provider.update(external_id, plan, idempotency_key=f"{uid}:update:{version}")
    if not meeting.join_url:  # some providers fill it in after answering: read it back
        meeting = provider.get(meeting.external_id)
    if not meeting.join_url:
        raise ProviderError("the provider has no join URL for the meeting yet", permanent=False)
    if not web_address(meeting.join_url):
        raise ProviderError(f"refused join URL (not an http(s) address): {meeting.join_url[:200]}",
                            permanent=True)
    _finish(meeting_id, token, version, now, status="ready", meeting=meeting)


def _keep_external_id(meeting_id: int, token: str, external_id: str) -> None:
    """Committed before anything else: a crash after this updates, never creates again."""
    db.session.execute(update(M).where(M.id == meeting_id, M.claim_token == token)
                       .values(external_id=external_id))
    db.session.commit()


def _finish(meeting_id: int, token: str, version: int, now: datetime, *, status: str,
            meeting: Meeting | None = None) -> None:
    before = db.session.execute(select(M.join_url, M.dial_in, M.ceremony_id).where(M.id == meeting_id)).first()
    values = dict(synced_version=version, attempts=0, last_error="", last_attempt_at=now,
                  claim_token=None, lease_until=None, updated_at=now)
    if meeting is not None:
        values.update(external_id=meeting.external_id, join_url=meeting.join_url,
                      dial_in=meeting.dial_in,
                      host_url=meeting.host_url if web_address(meeting.host_url) else "")
    if not _write(meeting_id, token, version, now, values, status=status):
        return
    if meeting is not None and (before.join_url, before.dial_in) != (meeting.join_url, meeting.dial_in):
        announce(before.ceremony_id, now=now)
    db.session.commit()


def _failed(meeting_id: int, token: str, version: int, error: ProviderError, now: datetime) -> None:
    row = db.session.execute(select(M.attempts, M.status).where(M.id == meeting_id)).first()
    if row is None:
        return
    attempts = row.attempts + 1
    values = dict(attempts=attempts, last_error=str(error)[:2000], last_attempt_at=now,
                  claim_token=None, lease_until=None, updated_at=now)
    if error.permanent or attempts >= MAX_ATTEMPTS:
        status = "failed"
    else:
        status = row.status
        values["next_attempt_at"] = now + retry_delay(attempts, error.retry_after)
    _write(meeting_id, token, version, now, values, status=status)
    db.session.commit()


def _write(meeting_id: int, token: str, version: int, now: datetime, values: dict, *, status: str) -> bool:
    """The outcome of a call, under our claim only. If the plan moved on meanwhile, the
    row keeps the status its change gave it and is due at once; an error of the old
    plan is not the new plan's."""
    done = db.session.execute(update(M).where(M.id == meeting_id, M.claim_token == token,
                                              M.wanted_version == version)
                              .values(status=status, **values)).rowcount
    if done:
        return True
    moved = {k: v for k, v in values.items() if k in ("external_id", "join_url", "dial_in", "host_url",
                                                       "synced_version", "claim_token", "lease_until",
                                                       "last_attempt_at", "updated_at")}
    if "synced_version" not in moved:  # a failed call: try the new plan now, from a clean count
        moved.update(attempts=0, last_error="")
    return bool(db.session.execute(update(M).where(M.id == meeting_id, M.claim_token == token)
                                   .values(next_attempt_at=now, **moved)).rowcount)


def announce(ceremony_id: int | None, *, now: datetime) -> None:
    """New join details are a change attendees must hear about (like editing
    `join_details`): those already invited get an update with a higher SEQUENCE.
    Invitations not sent yet are rendered at send time with the new details."""
    if ceremony_id is None:
        return
    ceremony = db.session.get(Ceremony, ceremony_id)
    if ceremony is None or ceremony.status != "scheduled":
        return
    invited = db.session.scalar(select(exists().where(Attendee.ceremony_id == ceremony_id,
                                                      Attendee.invited_sequence.is_not(None))))
    if not invited:
        return
    # In SQL: an organizer's edit may be raising it at this very moment.
    db.session.execute(update(Ceremony).where(Ceremony.id == ceremony_id)
                       .values(sequence=Ceremony.sequence + 1, updated_at=now))
    db.session.refresh(ceremony)
    signals.ceremony_updated.send(ceremony, changed={"conference"}, attendee_visible=True)
