"""An import: the uploaded file, what checking it found, and how far the background got."""
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime, one_of
from ..extensions import db

IMPORT_KINDS = ("attendees", "sites")
# checking: the background checks the file for the preview; ready / invalid: the
# preview is shown (invalid has errors, and can only be discarded); queued: the
# organizer asked to write it; running: a worker holds it under a lease;
# done: written; expired / discarded: the file was dropped unwritten.
IMPORT_STATUSES = ("checking", "ready", "invalid", "queued", "running", "done", "failed",
                   "expired", "discarded")
OPEN_STATUSES = ("checking", "ready", "invalid", "queued", "running")


class ImportJob(db.Model):
    __tablename__ = "import_jobs"
    __table_args__ = (
        CheckConstraint(one_of("kind", IMPORT_KINDS), name="kind_known"),
        CheckConstraint(one_of("status", IMPORT_STATUSES), name="status_known"),
        Index("ix_import_jobs_status", "status"),
        Index("ix_import_jobs_ceremony_id", "ceremony_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ceremony_id: Mapped[int] = mapped_column(ForeignKey("ceremonies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    # A coordinator's import may only add people to their own site.
    only_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    skip_existing: Mapped[bool] = mapped_column(default=False)
    filename: Mapped[str] = mapped_column(String(255), default="")
    # The upload itself, in the database rather than the instance folder: the web
    # and the background worker may run on different hosts. Emptied once the
    # import is written, discarded or expired.
    # Deferred: progress updates reload the row, and must not drag 10 MB along.
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    status: Mapped[str] = mapped_column(String(20), default="checking")
    # What a worker does with a claimed job: check only, or check and write.
    write_requested: Mapped[bool] = mapped_column(default=False)
    phase: Mapped[str] = mapped_column(String(20), default="")  # "checking" or "writing" while running
    total_rows: Mapped[int] = mapped_column(default=0)
    processed_rows: Mapped[int] = mapped_column(default=0)
    added_rows: Mapped[int] = mapped_column(default=0)
    skipped_rows: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)
    # {"errors": [...first errors...], "preview": [...first rows...], "ignored": [...], "encoding": ...}
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    failure: Mapped[str] = mapped_column(Text, default="")  # an unexpected crash, for the log
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Names the claim: a worker whose lease ran out cannot finish what another took.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def busy(self) -> bool:
        return self.status in ("checking", "queued", "running")

    def progress(self) -> dict:
        """What a live progress bar reads (static/progress.js)."""
        return {"status": self.status, "busy": self.busy, "indeterminate": self.phase == "writing",
                "done": self.processed_rows, "total": max(self.total_rows, self.processed_rows),
                "added": self.added_rows, "errors": self.error_count}
