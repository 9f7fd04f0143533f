"""Every state change of the planning package happens in these modules.

Functions flush but never commit: the request or command that called them
commits once, so a refused change leaves nothing half-saved.
"""
from flask_babel import gettext as _


class PlanningError(ValueError):
    """A change refused for a reason the organizer can fix; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def ensure_editable(ceremony) -> None:
    """A cancelled ceremony is over: attendees were told, nothing more goes out, so
    nothing is added or changed (the organizer duplicates it instead)."""
    if ceremony.is_cancelled:
        raise PlanningError(_("A cancelled ceremony cannot be edited; duplicate it instead."))
