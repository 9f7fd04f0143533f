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


def copy_rules(source_id: int, ceremony: Ceremony, *, now: datetime) -> None:
    for rule in db.session.scalars(select(ReminderRule).where(ReminderRule.ceremony_id == source_id)):
        db.session.add(ReminderRule(
            ceremony_id=ceremony.id, audience=rule.audience, anchor=rule.anchor,
            offset_minutes=rule.offset_minutes, daily_minute=rule.daily_minute,
            send_late=rule.send_late, channel=rule.channel, enabled=rule.enabled,
            created_at=now, updated_at=now))
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
    rules = {rule.id: rule for rule in rules_of(ceremony.id)}
    wanted = wanted_moments(ceremony, list(rules.values()))
    rows = db.session.scalars(select(Reminder).where(Reminder.ceremony_id == ceremony.id)).all()
    have = {(row.rule_id, row.due_at): row for row in rows}
    unwanted = [row.id for key, row in have.items() if key not in wanted
                and row.status in ("planned", "running", "sent", "failed")]
    if unwanted:
        # Every statement re-checks the status: a scheduler may have claimed a row
        # since it was read. Rows that never acted go; a row being sent right now is
        # withdrawn (its claim dropped, so the sender stops at its next batch); skipped
        # and missed rows stay as history.
        db.session.execute(delete(Reminder).where(Reminder.id.in_(unwanted), Reminder.status == "planned"))
        db.session.execute(update(Reminder).where(Reminder.id.in_(unwanted), Reminder.status == "running")
                           .values(status="withdrawn", claim_token=None, lease_until=None,
                                   finished_at=now, note=notes.dump(reason="plan_changed")))
        # Sent for a moment that no longer holds: what has not left yet stays here.
        db.session.execute(update(Delivery).where(Delivery.reminder_id.in_(unwanted),
                                                  Delivery.status == "pending")
                           .values(status="superseded", last_error="the ceremony's plan changed"))
    for key, row in have.items():
        rule = rules.get(key[0])
        if key in wanted and row.status == "planned" and (row.audience, row.anchor) != (rule.audience, rule.anchor):
            row.audience, row.anchor = rule.audience, rule.anchor  # the rule was edited
    for rule_id, moment in sorted(wanted - have.keys(), key=lambda k: k[1]):
        late = moment <= now
        db.session.add(Reminder(
            ceremony_id=ceremony.id, rule_id=rule_id, audience=rules[rule_id].audience,
            anchor=rules[rule_id].anchor, due_at=moment,
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
