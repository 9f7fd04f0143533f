"""Changes to reminder rules (each followed by a re-plan), and the coordinator's link by mail."""
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from ..extensions import db
from ..mail.fanout import insert_ignoring_duplicates
from ..mail.models import Delivery
from ..planning.models import Ceremony, Site
from ..planning.operations import PlanningError
from .models import Reminder, ReminderRule
from .planner import replan

RULE_FIELDS = ("audience", "anchor", "offset_minutes", "daily_minute", "send_late", "enabled")


def _check(values: dict) -> dict:
    values = {key: values[key] for key in RULE_FIELDS}
    if values["audience"] == "organizers":
        if values["daily_minute"] is None:
            raise PlanningError(_("A digest needs the time of day it is sent."), "daily_time")
        values["anchor"] = "start"
    else:
        values["daily_minute"] = None
    if values["audience"] == "attendees" and values["anchor"] == "rehearsal":
        raise PlanningError(_("Attendees are reminded of the ceremony, not of the rehearsal."), "anchor")
    return values


def add_rule(ceremony: Ceremony, values: dict, *, now: datetime) -> ReminderRule:
    rule = ReminderRule(ceremony_id=ceremony.id, channel="email", created_at=now, updated_at=now,
                        **_check(values))
    db.session.add(rule)
    db.session.flush()
    replan(ceremony, now=now)
    return rule


def update_rule(ceremony: Ceremony, rule: ReminderRule, values: dict, *, now: datetime) -> None:
    for key, value in _check(values).items():
        setattr(rule, key, value)
    rule.updated_at = now
    db.session.flush()
    replan(ceremony, now=now)


def set_enabled(ceremony: Ceremony, rule: ReminderRule, enabled: bool, *, now: datetime) -> None:
    rule.enabled, rule.updated_at = enabled, now
    db.session.flush()
    replan(ceremony, now=now)


def delete_rule(ceremony: Ceremony, rule: ReminderRule, *, now: datetime) -> None:
    acted = db.session.scalar(select(func.count()).where(
        Reminder.rule_id == rule.id, Reminder.status.in_(("running", "sent", "failed"))))
    if acted:
        # Its history (who was reminded when) would go with it.
        raise PlanningError(_("This rule has already sent reminders: turn it off instead."), "")
    db.session.delete(rule)
    db.session.flush()
    replan(ceremony, now=now)


def alarm_minutes(ceremony_id: int) -> tuple[int, ...]:
    """Calendar alarms follow the attendees' reminders (minutes before the start)."""
    return tuple(db.session.scalars(
        select(ReminderRule.offset_minutes).where(
            ReminderRule.ceremony_id == ceremony_id, ReminderRule.audience == "attendees",
            ReminderRule.anchor == "start", ReminderRule.daily_minute.is_(None),
            ReminderRule.enabled)
        .distinct().order_by(ReminderRule.offset_minutes.desc())))


def queue_site_link(ceremony: Ceremony, site: Site, *, now: datetime) -> bool:
    """Mail the coordinator their site's link (through the outbox); False without an address."""
    if not site.coordinator_email:
        return False
    db.session.execute(insert_ignoring_duplicates(Delivery), [{
        "ceremony_id": ceremony.id, "attendee_id": None, "site_id": site.id,
        "recipient_email": site.coordinator_email,
        "recipient_name": site.coordinator_name or site.name, "language": site.coordinator_language,
        "method": None, "kind": "site_link", "sequence": ceremony.sequence, "reminder_id": None,
        # One per click (a double click in the same second is one message) and per key.
        "idempotency_key": f"site_link:{site.id}:{site.link_key}:{int(now.timestamp())}",
        "status": "pending", "attempts": 0, "next_attempt_at": now, "created_at": now,
        "last_error": "", "message_id": ""}])
    return True
