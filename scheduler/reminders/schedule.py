"""When reminders fall due: pure functions of a rule and the ceremony's times."""
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY = 24 * 60


@dataclass(frozen=True)
class RuleSpec:
    audience: str
    anchor: str
    offset_minutes: int
    daily_minute: int | None = None
    send_late: bool = True


# What a new ceremony starts with; the organizer edits them per ceremony.
DEFAULT_RULES = (
    RuleSpec("attendees", "start", DAY),
    RuleSpec("attendees", "start", 60),
    RuleSpec("coordinators", "rehearsal", 120, send_late=False),
    RuleSpec("unconfirmed", "start", 2 * DAY),
    # A digest each morning at 08:00 (the ceremony's zone) in the week before.
    RuleSpec("organizers", "start", 7 * DAY, daily_minute=8 * 60),
)


def occurrences(rule, *, starts_at: datetime, rehearsal_at: datetime | None,
                timezone: str) -> list[datetime]:
    """Every moment (UTC) the rule fires for a ceremony with these times.

    A plain rule fires once, `offset_minutes` before its anchor; a rule without
    its anchor (no rehearsal planned) never fires. A digest fires daily at
    `daily_minute` local time, from `offset_minutes` before the start until it.
    """
    if rule.anchor == "rehearsal":
        if rehearsal_at is None:
            return []
        anchor = rehearsal_at
    else:
        anchor = starts_at
    window_start = anchor - timedelta(minutes=rule.offset_minutes)
    if rule.daily_minute is None:
        return [window_start]
    zone = ZoneInfo(timezone)
    hour, minute = divmod(rule.daily_minute, 60)
    day = window_start.astimezone(zone).date()
    last_day = anchor.astimezone(zone).date()
    moments = []
    while day <= last_day:
        # zoneinfo resolves a wall time in a DST gap forward, which is what a
        # morning digest wants; Vietnam has no DST at all.
        moment = datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)
        if window_start <= moment < anchor:
            moments.append(moment)
        day += timedelta(days=1)
    return moments


def describe_offset(minutes: int) -> tuple[int, str]:
    """(amount, unit) in the largest whole unit: 2880 → (2, "days")."""
    for unit, size in (("days", DAY), ("hours", 60)):
        if minutes and minutes % size == 0:
            return minutes // size, unit
    return minutes, "minutes"
