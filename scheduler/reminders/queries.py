"""What the organizer's Reminders tab reads (a bounded number of queries)."""
from sqlalchemy import func, select

from ..extensions import db
from ..mail.models import Delivery
from ..planning.models import Ceremony
from . import audiences
from .models import Reminder


def upcoming(ceremony: Ceremony) -> list[tuple[Reminder, int]]:
    """Planned reminders, soonest first, each with how many it would reach now."""
    rows = db.session.scalars(select(Reminder).where(Reminder.ceremony_id == ceremony.id,
                                                     Reminder.status.in_(("planned", "running")))
                              .order_by(Reminder.due_at, Reminder.id)).all()
    counts = {audience: audiences.count(audience, ceremony) for audience in {r.audience for r in rows}}
    return [(row, counts[row.audience]) for row in rows]


def history(ceremony_id: int):
    return (select(Reminder).where(Reminder.ceremony_id == ceremony_id,
                                   Reminder.status.not_in(("planned", "running")))
            .order_by(Reminder.due_at.desc(), Reminder.id.desc()))


def delivery_counts(reminder_ids: list[int]) -> dict[int, dict[str, int]]:
    """Messages of each reminder by outbox status: {reminder id: {status: count}}."""
    counts: dict[int, dict[str, int]] = {i: {} for i in reminder_ids}
    if reminder_ids:
        for reminder_id, status, number in db.session.execute(
                select(Delivery.reminder_id, Delivery.status, func.count())
                .where(Delivery.reminder_id.in_(reminder_ids))
                .group_by(Delivery.reminder_id, Delivery.status)):
            counts[reminder_id][status] = number
    return counts
