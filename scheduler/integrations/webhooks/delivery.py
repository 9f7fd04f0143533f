"""The background pass: post due deliveries, retry with backoff, pause endpoints
that keep failing — safe to run twice at once and after a crash.

Claims: per endpoint, due rows are taken under a random token by a conditional
UPDATE (FOR UPDATE SKIP LOCKED first on PostgreSQL) with a lease, and every
outcome is written only under that token. A second scheduler finds nothing to
claim; a worker that dies leaves a lease that expires, after which the row is
sent again with the same event id and body (at-least-once: receivers
de-duplicate on Webhook-Id).

Bounded work: one endpoint's rows go in event order and its batch stops at the
first failure, which pushes the endpoint's other waiting rows back behind the
failed one. A dead endpoint with 50,000 waiting rows costs one timeout per retry,
not 50,000; endpoints are served a batch each in rounds, and the whole pass stops
starting new batches after PASS_BUDGET.
"""
import random
import secrets
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from flask import current_app
from sqlalchemy import and_, bindparam, func, insert, or_, select, update

from ...auth.models import User
from ...clock import current_time
from ...extensions import db
from . import operations, signing, targets, transport
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent

LEASE = timedelta(minutes=5)
RENEW_AFTER = LEASE / 5
PASS_BUDGET = 60.0  # seconds of HTTP per pass; mail and reminders run between passes
ENDPOINTS_PER_PASS = 50
ROWS_PER_ENDPOINT = 100
SUCCESSES_PER_COMMIT = 50
REFUSALS_PER_BATCH = 10  # 4xx answers in a row before a batch stops (a wrong URL or secret)
# After the 1st, 2nd … failure; then every 12 hours until the retry window closes.
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(hours=1),
           timedelta(hours=6))
LAST_BACKOFF = timedelta(hours=12)
RETRY_AFTER_CAP = timedelta(hours=12)  # a receiver's Retry-After is honoured up to this

D, E, Ev = WebhookDelivery, WebhookEndpoint, WebhookEvent


def backoff(failures: int, rng=random.random) -> timedelta:
    """Delay after the `failures`-th failure, plus up to 10% jitter so that many
    rows failing together do not come back together."""
    base = BACKOFF[failures - 1] if 0 < failures <= len(BACKOFF) else LAST_BACKOFF
    return base + base * 0.1 * rng()


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """A Retry-After header (seconds or an HTTP date), capped; None if unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value))
    else:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        delay = moment - now
    return max(min(delay, RETRY_AFTER_CAP), timedelta(0))


def _due(now: datetime):
    return or_(and_(D.status == "pending", D.next_attempt_at <= now),
               and_(D.status == "sending", D.lease_until < now))


def _sendable():
    return (E.active, E.paused_at.is_(None), User.active)


def deliver_due(*, now: datetime) -> dict[str, int]:
    """Serve the endpoints with due rows in rounds, one batch each per round, until
    nothing is left or PASS_BUDGET is spent: a busy endpoint (a national check-in)
    gets batch after batch, and never ahead of a quiet one's next batch."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    endpoint_ids = db.session.scalars(
        select(D.endpoint_id).join(E, E.id == D.endpoint_id).join(User, User.id == E.owner_id)
        .where(_due(now), *_sendable()).group_by(D.endpoint_id)
        .order_by(func.min(D.next_attempt_at)).limit(ENDPOINTS_PER_PASS)).all()
    db.session.commit()
    if not endpoint_ids:
        return counts
    policy = targets.policy_from_config()
    timeout = tuple(current_app.config["WEBHOOK_TIMEOUT"])
    started = time.monotonic()
    with transport.session_for(policy) as session:
        while endpoint_ids and time.monotonic() - started <= PASS_BUDGET:
            endpoint_ids = [endpoint_id for endpoint_id in endpoint_ids
                            if time.monotonic() - started <= PASS_BUDGET
                            and _deliver_endpoint(endpoint_id, session, policy, timeout, counts, started)]
    return counts


def claim(endpoint_id: int, now: datetime, limit: int = ROWS_PER_ENDPOINT) -> tuple[str, list[int]]:
    """Take up to `limit` due rows of one endpoint, oldest event first."""
    candidates = select(D.id).where(D.endpoint_id == endpoint_id, _due(now)).order_by(D.id).limit(limit)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    token = secrets.token_hex(16)
    ids = db.session.scalars(candidates).all()
    claimed = []
    if ids:
        claimed = db.session.scalars(
            update(D).where(D.id.in_(ids), _due(now))
            .values(status="sending", claim_token=token, lease_until=now + LEASE)
            .returning(D.id)).all()
    db.session.commit()
    return token, sorted(claimed)


def _deliver_endpoint(endpoint_id, session, policy, timeout, counts, started) -> bool:
    """One batch of one endpoint; True when it went through whole and more may wait."""
    token, ids = claim(endpoint_id, current_time(), ROWS_PER_ENDPOINT)
    if not ids:
        return False
    rows = db.session.execute(
        select(D.id, D.attempts, D.retry_until, Ev.public_id, Ev.body, Ev.ceremony_id)
        .join(Ev, Ev.id == D.event_id).where(D.id.in_(ids)).order_by(D.id)).all()
    endpoint = db.session.execute(
        select(E.url, E.secret, E.previous_secret, E.previous_secret_until).where(E.id == endpoint_id)).one_or_none()
    if endpoint is None:  # deleted since the claim: its rows went with it
        db.session.commit()
        return False
    successes = Successes(endpoint_id, token)
    owned, renewed = set(ids), current_time()
    refusals = 0  # 4xx answers in a row in this batch
    for index, row in enumerate(rows):
        if time.monotonic() - started > PASS_BUDGET:
            counts["delivered"] += successes.record()
            _release(token, [r.id for r in rows[index:]], None)
            return False
        if current_time() - renewed >= RENEW_AFTER:
            # Also after one slow request: a row whose lease ran out meanwhile may
            # belong to another worker now, and is then not ours to send.
            counts["delivered"] += successes.record()
            owned, renewed = _renew(token), current_time()
        if row.id not in owned:
            continue
        body = row.body.encode("utf-8")
        attempted = current_time()
        in_use = operations.secrets_in_use(endpoint.secret, endpoint.previous_secret,
                                           endpoint.previous_secret_until, attempted)
        outcome = transport.post(session, endpoint.url, body,
                                 signing.headers(row.public_id, int(attempted.timestamp()), body, in_use),
                                 timeout=timeout, policy=policy)
        if outcome.ok:
            refusals = 0
            if successes.add(row.id, outcome, attempted) >= SUCCESSES_PER_COMMIT:
                counts["delivered"] += successes.record()
            continue
        counts["delivered"] += successes.record()
        counts[_record_failure(row, token, endpoint_id, outcome, attempted)] += 1
        # A receiver that answers 4xx is up and refused this one event: it retries on
        # its own backoff while the endpoint's later events go on (one bad event must
        # not hold up the rest for days), unless every answer is a refusal.
        refusals = refusals + 1 if refused_event(outcome) else REFUSALS_PER_BATCH
        if refusals < REFUSALS_PER_BATCH and not _pause_due(endpoint_id, attempted):
            db.session.commit()
            continue
        # Everything else of this endpoint waits behind the row that failed.
        rest = [r.id for r in rows[index + 1:]]
        _release(token, rest, None)
        _push_back(endpoint_id, row.id, attempted)
        _maybe_pause(endpoint_id, outcome, row.ceremony_id, attempted)
        db.session.commit()
        return False
    counts["delivered"] += successes.record()
    return len(ids) == ROWS_PER_ENDPOINT and refusals == 0


def refused_event(outcome: transport.Outcome) -> bool:
    """A 4xx other than 408 (timeout) and 429 (slow down): this event, not the endpoint."""
    code = outcome.status_code
    return code is not None and 400 <= code < 500 and code not in (408, 429)


def _renew(token: str) -> set[int]:
    """Extend the lease of the rows still under `token`; their ids."""
    owned = set(db.session.scalars(
        update(D).where(D.claim_token == token, D.status == "sending")
        .values(lease_until=current_time() + LEASE).returning(D.id)))
    db.session.commit()
    return owned


class Successes:
    """Deliveries that went through, written together (a few statements and one
    commit per SUCCESSES_PER_COMMIT, not four and a commit each). A crash before
    they are written sends them again once the lease runs out: at-least-once, the
    same event id, which receivers de-duplicate."""

    def __init__(self, endpoint_id: int, token: str):
        self.endpoint_id, self.token, self.waiting = endpoint_id, token, []

    def add(self, row_id: int, outcome: transport.Outcome, at: datetime) -> int:
        self.waiting.append((row_id, outcome, at))
        return len(self.waiting)

    def record(self) -> int:
        """Write them; how many were still ours (a row whose lease ran out belongs to
        the worker that took it, which records its own attempt)."""
        if not self.waiting:
            return 0
        last = max(at for _, _, at in self.waiting)
        marked = set(db.session.scalars(
            update(D).where(D.id.in_([row_id for row_id, _, _ in self.waiting]),
                            D.claim_token == self.token, D.status == "sending")
            .values(status="delivered", attempts=D.attempts + 1, last_error="", lease_until=None,
                    claim_token=None).returning(D.id)))
        done = [(row_id, outcome, at) for row_id, outcome, at in self.waiting if row_id in marked]
        if done:
            table = D.__table__
            db.session.connection().execute(
                table.update().where(table.c.id == bindparam("row_id")).values(
                    delivered_at=bindparam("at"), last_attempt_at=bindparam("at"),
                    last_status_code=bindparam("code"), last_response=bindparam("excerpt")),
                [{"row_id": row_id, "at": at, "code": outcome.status_code,
                  "excerpt": outcome.excerpt[:1000]} for row_id, outcome, at in done])
            db.session.execute(insert(WebhookAttempt), [
                {"delivery_id": row_id, "attempted_at": at, "status_code": outcome.status_code,
                 "duration_ms": outcome.duration_ms, "error": outcome.error,
                 "response_excerpt": outcome.excerpt[:1000]} for row_id, outcome, at in done])
            db.session.execute(update(E).where(E.id == self.endpoint_id).values(
                consecutive_failures=0, failing_since=None, last_attempt_at=last, last_success_at=last))
        db.session.commit()
        self.waiting = []
        return len(done)


def _attempt(row_id: int, outcome: transport.Outcome, now: datetime) -> None:
    db.session.execute(insert(WebhookAttempt).values(
        delivery_id=row_id, attempted_at=now, status_code=outcome.status_code,
        duration_ms=outcome.duration_ms, error=outcome.error, response_excerpt=outcome.excerpt[:1000]))


def _record_failure(row, token: str, endpoint_id: int, outcome, now: datetime) -> str:
    attempts = row.attempts + 1
    delay = backoff(attempts)
    asked = retry_after(outcome.retry_after, now)
    if asked is not None:
        delay = max(delay, asked)
    final = now >= row.retry_until
    values = dict(attempts=attempts, last_attempt_at=now, last_status_code=outcome.status_code,
                  last_error=outcome.error, last_response=outcome.excerpt[:1000],
                  lease_until=None, claim_token=None)
    if final:
        values.update(status="failed")
    else:
        values.update(status="pending", next_attempt_at=now + delay)
    marked = db.session.execute(
        update(D).where(D.id == row.id, D.claim_token == token, D.status == "sending").values(**values)).rowcount
    if marked:
        _attempt(row.id, outcome, now)
        db.session.execute(update(E).where(E.id == endpoint_id).values(
            consecutive_failures=E.consecutive_failures + 1,
            failing_since=func.coalesce(E.failing_since, now), last_attempt_at=now))
    return "failed" if final else "retry"


def _release(token: str, ids: list[int], next_attempt_at: datetime | None) -> None:
    """Give claimed rows back untried (attempts unchanged)."""
    if not ids:
        return
    values = dict(status="pending", claim_token=None, lease_until=None)
    if next_attempt_at is not None:
        values["next_attempt_at"] = next_attempt_at
    db.session.execute(update(D).where(D.id.in_(ids), D.claim_token == token, D.status == "sending")
                       .values(**values))
    db.session.commit()


def _push_back(endpoint_id: int, failed_id: int, now: datetime) -> None:
    """The endpoint's other waiting rows come due only with (after) the failed one."""
    head = select(D.next_attempt_at).where(D.id == failed_id).scalar_subquery()
    db.session.execute(update(D).where(
        D.endpoint_id == endpoint_id, D.status == "pending", D.id != failed_id,
        D.next_attempt_at < head).values(next_attempt_at=head))


def _pause_due(endpoint_id: int, now: datetime) -> E | None:
    """The endpoint, when it has failed long enough and often enough to be paused."""
    config = current_app.config
    endpoint = db.session.get(E, endpoint_id, populate_existing=True)
    if endpoint is None or endpoint.paused_at is not None or endpoint.failing_since is None:
        return None
    long_enough = now - endpoint.failing_since >= timedelta(seconds=float(config["WEBHOOK_PAUSE_AFTER"]))
    if long_enough and endpoint.consecutive_failures >= int(config["WEBHOOK_PAUSE_AFTER_FAILURES"]):
        return endpoint
    return None


def _maybe_pause(endpoint_id: int, outcome, ceremony_id: int | None, now: datetime) -> None:
    endpoint = _pause_due(endpoint_id, now)
    if endpoint is not None:
        operations.pause(endpoint, "failing", outcome.error, now=now, ceremony_id=ceremony_id)
