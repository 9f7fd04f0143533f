"""Keep a ceremony's reminder rows in step with its rules and times.

Called whenever the times, status or rules change. Rows not yet acted on are
added or removed to match; rows already sent stay as history, and any of their
messages still waiting in the outbox are withdrawn if their moment moved.
"""
from datetime import datetime

from sqlalchemy import delete, select, update

from ..extensions import db
from ..mail.models import Delivery
from ..planning.models import Ceremony
from . import notes
from .models import AUDIENCES, Reminder, ReminderRule
from .schedule import DEFAULT_RULES, occurrences


def add_default_rules(ceremony: Ceremony, *, now: datetime) -> None:
    for spec in DEFAULT_RULES:
        db.session.add(ReminderRule(
            ceremony_id=ceremony.id, audience=spec.audience, anchor=spec.anchor,
            offset_minutes=spec.offset_minutes, daily_minute=spec.daily_minute,
            send_late=spec.send_late, channel="email", enabled=True, created_at=now, updated_at=now))
    db.session.flush()


def rules_of(ceremony_id: int) -> list[ReminderRule]:
    """Attendees first, then coordinators, then the digest; earliest reminder first."""
    rules = db.session.scalars(select(ReminderRule).where(ReminderRule.ceremony_id == ceremony_id)).all()
    return sorted(rules, key=lambda r: (AUDIENCES.index(r.audience), -r.offset_minutes, r.id))


def wanted_moments(ceremony: Ceremony, rules: list[ReminderRule]) -> set[tuple[int, datetime]]:
    """(rule id, due time) of every reminder the ceremony should have now."""
    if ceremony.status != "scheduled":
        return set()  # drafts remind nobody; cancelled and completed ones are over
    return {(rule.id, moment) for rule in rules if rule.enabled
            for moment in occurrences(rule, starts_at=ceremony.starts_at,
                                      rehearsal_at=ceremony.rehearsal_at, timezone=ceremony.timezone)}


def replan(ceremony: Ceremony, *, now: datetime) -> None:
    rules = rules_of(ceremony.id)
    audience_of = {rule.id: rule.audience for rule in rules}
    wanted = wanted_moments(ceremony, rules)
    rows = db.session.scalars(select(Reminder).where(Reminder.ceremony_id == ceremony.id)).all()
    have = {(row.rule_id, row.due_at): row for row in rows}
    # Rows that never acted go; skipped and missed ones stay as history.
    stale_planned = [row.id for key, row in have.items() if key not in wanted and row.status == "planned"]
    if stale_planned:
        db.session.execute(delete(Reminder).where(Reminder.id.in_(stale_planned)))
    moved_away = [row.id for key, row in have.items()
                  if key not in wanted and row.status in ("running", "sent", "failed")]
    if moved_away:
        # Sent for a moment that no longer holds: what has not left yet stays here.
        db.session.execute(update(Delivery).where(Delivery.reminder_id.in_(moved_away),
                                                  Delivery.status == "pending")
                           .values(status="superseded", last_error="the ceremony's plan changed"))
    for rule_id, moment in sorted(wanted - have.keys(), key=lambda k: k[1]):
        late = moment <= now
        db.session.add(Reminder(
            ceremony_id=ceremony.id, rule_id=rule_id, audience=audience_of[rule_id], due_at=moment,
            # A moment already past when it was planned (scheduled late, or moved
            # closer) is not sent: the invitation or update just went out.
            status="skipped" if late else "planned",
            note=notes.dump(reason="planned_late") if late else "",
            created_at=now, finished_at=now if late else None))
    db.session.flush()


def replan_upcoming(*, now: datetime) -> int:
    """Re-plan every scheduled ceremony still ahead; returns how many."""
    ceremonies = db.session.scalars(select(Ceremony).where(Ceremony.status == "scheduled",
                                                           Ceremony.starts_at > now)).all()
    for ceremony in ceremonies:
        replan(ceremony, now=now)
    db.session.commit()
    return len(ceremonies)
