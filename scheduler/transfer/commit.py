"""Write checked rows in batches of Core INSERTs, inside the caller's one transaction.

All or nothing comes from that single transaction: the caller commits once after
the last batch, or rolls everything back when a row fails.

The planning operations emit `attendee_added` and `site_changed` for each row;
these bulk inserts do not. Nothing subscribes to `attendee_added`, and the mail
receiver ignores `site_changed` for a new site (nobody there is invited yet), so
no work is lost. Instead `imports.write` sends one `attendees_imported` per
import: an organizer's new people are invited when the organizer presses "Send
invitations" (which picks everyone not yet invited); a coordinator's are invited
at once when the ceremony is scheduled, like the people they add one by one
(the portal's receiver).
"""
import secrets
from datetime import datetime

from sqlalchemy import insert

from ..extensions import db
from ..planning.models import Attendee, Site
from ..planning.names import room_key

BATCH_SIZE = 1000


class BatchWriter:
    def __init__(self, kind: str, ceremony_id: int, *, now: datetime, batch_size: int = BATCH_SIZE,
                 extra: dict | None = None):
        self.model = Attendee if kind == "attendees" else Site
        self.common = {**(extra or {}), "ceremony_id": ceremony_id, "created_at": now}
        if kind == "attendees":
            self.common["updated_at"] = now
        self.batch_size = batch_size
        self.pending: list[dict] = []
        self.written = 0

    def add(self, values: dict) -> None:
        row = {**values, **self.common, "link_key": secrets.token_hex(16)}
        if self.model is Site:
            row["room_key"] = room_key(row["address"], row["room"])
        self.pending.append(row)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            # One executemany per batch (SQLAlchemy's insertmanyvalues on both databases).
            db.session.execute(insert(self.model), self.pending)
            self.written += len(self.pending)
            self.pending = []
