"""Imports from upload to written rows: check (the preview), then write all or nothing.

Views and the background pass call these; they flush and never commit, except
through the `progress` callback a caller may pass (the background commits its
progress so the organizer's bar moves; nothing else is written at that point).
Small files are checked and written during the request; large ones by the
background pass (see jobs.py).
"""
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select, update

from .. import signals
from ..extensions import db
from ..planning.labels import ATTENDEE_CATEGORY_LABELS
from ..planning.models import ATTENDEE_CATEGORIES, Attendee, Ceremony, Site
from ..planning.timeutil import timezone_names
from .columns import COLUMNS, READ_ONLY_COLUMNS, fold, match_header
from .commit import BatchWriter
from .models import ImportJob
from .readers import UnreadableFile, read_table
from .validate import AttendeeChecker, AttendeeRules, RowError, SiteChecker, SiteRules, unit_key

INLINE_BYTES = 256 * 1024  # a file this small is checked while the upload request waits
INLINE_ROWS = 2000  # and written while the "Import" request waits; larger ones go to the background
MAX_ROWS = 100_000  # twice the national case
PROGRESS_EVERY = 1000
ERRORS_KEPT = 500  # the rest are counted; fixing the first 500 usually shows the pattern
PREVIEW_ROWS = 20


class ClaimLost(Exception):
    """Another worker took the job over (this one's lease ran out): roll back, keep nothing."""


class ImportRefused(Exception):
    """Writing found errors (the plan changed since the preview): roll back, then record()."""

    def __init__(self, outcome: "Outcome"):
        super().__init__(f"{outcome.error_count} errors")
        self.outcome = outcome


@dataclass
class Outcome:
    total: int = 0
    error_count: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    preview: list[dict] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    encoding: str = "utf-8"

    def add_errors(self, errors: list[RowError]) -> None:
        self.error_count += len(errors)
        room = ERRORS_KEPT - len(self.errors)
        self.errors += [e.as_dict() for e in errors[:max(room, 0)]]


def start_import(ceremony: Ceremony, kind: str, filename: str, data: bytes, *, now: datetime,
                 only_site_id: int | None = None, skip_existing: bool = False,
                 created_by_id: int | None = None) -> ImportJob:
    """Record the upload; check it at once when small. `only_site_id` limits an
    attendee import to one site (the coordinator portal passes their site)."""
    if kind not in COLUMNS or (kind == "sites" and only_site_id is not None):
        raise ValueError(f"no such import: {kind} (only_site_id={only_site_id})")
    job = ImportJob(ceremony_id=ceremony.id, kind=kind, only_site_id=only_site_id,
                    skip_existing=skip_existing, filename=filename[:255], content=data,
                    status="checking", created_by_id=created_by_id, created_at=now, report={})
    db.session.add(job)
    db.session.flush()
    if len(data) <= INLINE_BYTES:
        check(job)
    return job


def _category_words() -> dict[str, str]:
    words = {code: code for code in ATTENDEE_CATEGORIES}
    for locale in ("vi", "en"):
        with force_locale(locale):
            words.update({fold(str(label)): code for code, label in ATTENDEE_CATEGORY_LABELS.items()})
    return words


def _checker(job: ImportJob) -> AttendeeChecker | SiteChecker:
    """Rules loaded once per pass: 50,000 people cost a few MB as two sets."""
    codes = dict(db.session.execute(select(Site.code, Site.id).where(Site.ceremony_id == job.ceremony_id)).all())
    if job.kind == "sites":
        return SiteChecker(SiteRules({c.upper() for c in codes},
                                     {name.lower(): name for name in timezone_names()}))
    people = select(Attendee.email, Attendee.name_key, Attendee.unit).where(
        Attendee.ceremony_id == job.ceremony_id)
    emails, names = set(), set()
    for email, key, unit in db.session.execute(people):
        if email:
            emails.add(email)
        names.add((key, unit_key(unit)))
    only = next((c for c, i in codes.items() if i == job.only_site_id), None) if job.only_site_id else None
    return AttendeeChecker(AttendeeRules({c.upper(): i for c, i in codes.items()}, emails, names,
                                         _category_words(), only_site_code=only,
                                         skip_existing=job.skip_existing))


def scan(job: ImportJob, *, writer: BatchWriter | None = None,
         progress: Callable[[int], None] | None = None) -> Outcome:
    """Check every row; hand the good ones to `writer` until the first error."""
    outcome = Outcome()
    checker = _checker(job)
    try:
        sheet = read_table(job.content or b"", job.filename)
        outcome.encoding = sheet.encoding
        if not job.total_rows:
            job.total_rows = sheet.estimated_rows  # the bar's length until the rows are counted
        header = match_header(sheet.header, checker.columns, READ_ONLY_COLUMNS[job.kind])
        if job.only_site_id is not None and "site_code" in header.missing:
            header.missing.remove("site_code")  # a coordinator's rows are for their own site
        outcome.ignored = header.ignored
        problems = ([RowError(1, key, "missing_column") for key in header.missing]
                    + [RowError(1, key, "repeated_column") for key in header.repeated])
        if problems:
            outcome.add_errors(problems)
            return outcome
        for line, cells in sheet.rows:
            outcome.total += 1
            if outcome.total > MAX_ROWS:
                outcome.add_errors([RowError(line, "", "too_many_rows", str(MAX_ROWS))])
                break
            raw = {key: cells[i] if i < len(cells) else "" for key, i in header.positions.items()}
            checked = checker.check(line, raw)
            outcome.add_errors(checked.errors)
            outcome.skipped += checked.skipped
            if len(outcome.preview) < PREVIEW_ROWS:
                outcome.preview.append({"line": line, "values": raw,
                                        "failed": bool(checked.errors), "skipped": checked.skipped})
            if writer is not None and not outcome.error_count and not checked.skipped:
                writer.add(checked.values)
            if progress and outcome.total % PROGRESS_EVERY == 0:
                progress(outcome.total)
    except UnreadableFile as error:
        outcome.add_errors([RowError(error.line, "", error.code, error.value)])
    if outcome.total == 0 and not outcome.error_count:
        outcome.add_errors([RowError(1, "", "no_rows")])
    return outcome


def record(job: ImportJob, outcome: Outcome) -> None:
    job.total_rows = outcome.total
    job.processed_rows = outcome.total
    job.error_count = outcome.error_count
    job.skipped_rows = outcome.skipped
    job.report = {"errors": outcome.errors, "preview": outcome.preview, "ignored": outcome.ignored,
                  "encoding": outcome.encoding}


def check(job: ImportJob, *, progress: Callable[[int], None] | None = None) -> Outcome:
    outcome = scan(job, progress=progress)
    record(job, outcome)
    job.status = "invalid" if outcome.error_count else "ready"
    job.phase = ""
    db.session.flush()
    return outcome


def claim(job_id: int, from_statuses: tuple[str, ...], *, lease_until: datetime | None = None,
          extra=None) -> str | None:
    """Take the job for this worker or request; None when another has it (or it is done)."""
    token = secrets.token_hex(16)
    condition = ImportJob.status.in_(from_statuses)
    if extra is not None:
        condition = condition | extra
    taken = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, condition)
        .values(status="running", claim_token=token, lease_until=lease_until)).rowcount
    return token if taken else None


def _lock_ceremony(ceremony_id: int) -> None:
    """One write into a ceremony at a time, until its transaction ends.

    Each import checks for the people already there, then inserts: two imports
    of the same list written at once would each find none and write both.
    Taken before the rules are loaded (scan), so the second import sees the
    first one's rows and refuses them as duplicates. On PostgreSQL the
    ceremony row is locked; SQLite renders no FOR UPDATE, but the UPDATE of
    the job row just before has already taken its single writer lock.
    """
    db.session.execute(select(Ceremony.id).where(Ceremony.id == ceremony_id).with_for_update())


def write(job: ImportJob, token: str, *, now: datetime) -> Outcome:
    """Check again (the ceremony may have changed since the preview) and insert.

    Raises ImportRefused when a row fails: the caller rolls back, so nothing
    is written, and records the outcome. Also refuses when the claim was lost.
    """
    # Re-check the claim first; on PostgreSQL this also locks the job row, so a
    # worker taking it over waits for this transaction instead of racing it.
    ours = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.claim_token == token,
                                ImportJob.status == "running").values(phase="writing")).rowcount
    if not ours:
        raise ClaimLost()
    _lock_ceremony(job.ceremony_id)
    extra = None
    if job.only_site_id is not None:
        # A coordinator's import: their own people, confirmed by the site as the
        # ones they add one by one are (portal.operations.add_person).
        extra = {"site_confirmation": "confirmed", "site_confirmed_at": now}
    writer = BatchWriter(job.kind, job.ceremony_id, now=now, extra=extra)
    outcome = scan(job, writer=writer)
    if outcome.error_count:
        raise ImportRefused(outcome)
    writer.flush()
    finished = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.claim_token == token,
                                ImportJob.status == "running")
        .values(status="done", phase="", added_rows=writer.written, content=None,
                finished_at=now, lease_until=None)).rowcount
    if not finished:
        raise ClaimLost()
    db.session.refresh(job)
    record(job, outcome)
    if job.kind == "attendees":
        # In this transaction: receivers record their work (invitations) beside the rows.
        signals.attendees_imported.send(job, site_id=job.only_site_id, added=writer.written, now=now)
    return outcome


def refuse(job_id: int, outcome: Outcome, *, now: datetime) -> ImportJob:
    """After the rollback of a refused write: keep the report, write nothing."""
    job = db.session.get(ImportJob, job_id)
    record(job, outcome)
    job.status, job.phase, job.finished_at, job.claim_token = "invalid", "", now, None
    db.session.flush()
    return job


def request_write(job: ImportJob) -> bool:
    """Hand a checked import to the background; False if it is not waiting for that."""
    queued = db.session.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.status == "ready")
        .values(status="queued", write_requested=True)).rowcount
    db.session.refresh(job)
    return bool(queued)


def write_or_queue(job: ImportJob, *, now: datetime) -> str:
    """What the "Import" button does: "done", "queued", "refused" or "not_ready".

    A small import is written in the request; a large one goes to the background,
    so 50,000 rows never hold a request open. A refused write rolls back the
    session: it holds nothing but this import's rows (the view has changed nothing
    else), and the report of the refusal is then kept for the caller to commit.
    """
    if job.total_rows > INLINE_ROWS:
        return "queued" if request_write(job) else "not_ready"
    token = claim(job.id, ("ready",))
    if token is None:
        return "not_ready"
    try:
        write(job, token, now=now)
    except ImportRefused as refused:
        db.session.rollback()
        refuse(job.id, refused.outcome, now=now)
        return "refused"
    return "done"


def discard(job: ImportJob, *, now: datetime) -> bool:
    if job.status not in ("ready", "invalid", "failed"):
        return False
    job.status, job.content, job.finished_at = "discarded", None, now
    db.session.flush()
    return True
