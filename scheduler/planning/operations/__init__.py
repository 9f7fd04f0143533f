"""Every state change of the planning package happens in these modules.

Functions flush but never commit: the request or command that called them
commits once, so a refused change leaves nothing half-saved.
"""


class PlanningError(ValueError):
    """A change refused for a reason the organizer can fix; `field` names the form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
