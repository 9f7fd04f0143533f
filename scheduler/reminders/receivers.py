"""Planning changes re-plan reminders; a new ceremony starts with the default rules."""
from .. import signals
from ..clock import current_time
from ..mail import compose
from . import messages
from .operations import alarm_minutes
from .planner import add_default_rules, copy_rules, replan

# Fields whose change moves a reminder (or whether there are any).
TIMING_FIELDS = {"starts_at", "ends_at", "rehearsal_at", "timezone", "status"}


def on_ceremony_created(ceremony, *, source_id=None, **_):
    """A new ceremony starts with the default rules; a duplicate with its source's,
    which its organizers tuned for this kind of ceremony."""
    now = current_time()
    if source_id is not None:
        copy_rules(source_id, ceremony, now=now)
    else:
        add_default_rules(ceremony, now=now)
    replan(ceremony, now=now)


def on_ceremony_updated(ceremony, *, changed, **_):
    if changed & TIMING_FIELDS:
        replan(ceremony, now=current_time())


def on_ceremony_cancelled(ceremony, **_):
    replan(ceremony, now=current_time())  # nothing is wanted of a cancelled ceremony


def connect() -> None:
    signals.connect([
        (signals.ceremony_created, on_ceremony_created),
        (signals.ceremony_updated, on_ceremony_updated),
        (signals.ceremony_cancelled, on_ceremony_cancelled),
    ])
    messages.register()
    compose.alarm_source = alarm_minutes
