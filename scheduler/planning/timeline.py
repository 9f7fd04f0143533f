"""Pure layout of the run of show as a timeline (drawn as SVG by the template)."""
from dataclasses import dataclass
from datetime import datetime, timedelta

from .models import ProgrammeItem


@dataclass(frozen=True)
class TimelineRow:
    item: ProgrammeItem
    starts_at: datetime
    ends_at: datetime
    x_percent: float  # left edge, share of the whole scale
    width_percent: float
    overflows: bool  # runs past the ceremony's end


def layout(items: list[ProgrammeItem], starts_at: datetime, duration_minutes: int) -> list[TimelineRow]:
    """Place each item on a scale that covers the ceremony and anything running past it."""
    scale = max([duration_minutes, *(i.end_offset_minutes for i in items)] or [1]) or 1
    return [
        TimelineRow(
            item=item,
            starts_at=starts_at + timedelta(minutes=item.start_offset_minutes),
            ends_at=starts_at + timedelta(minutes=item.end_offset_minutes),
            x_percent=round(100 * item.start_offset_minutes / scale, 3),
            width_percent=round(100 * item.duration_minutes / scale, 3),
            overflows=item.end_offset_minutes > duration_minutes,
        )
        for item in items
    ]


def end_marker_percent(items: list[ProgrammeItem], duration_minutes: int) -> float:
    """Where the ceremony's scheduled end falls on the same scale."""
    scale = max([duration_minutes, *(i.end_offset_minutes for i in items)] or [1]) or 1
    return round(100 * duration_minutes / scale, 3)
