"""Stacked horizontal bars of site readiness, drawn as SVG on the server.

Pure geometry: counts in, rectangles out. No charting library and no script,
so the chart costs nothing on a slow connection and passes the CSP.
"""
from dataclasses import dataclass

from .readiness import STATES

BAR_HEIGHT, GAP, LABEL_WIDTH, BAR_WIDTH, COUNT_WIDTH = 18, 6, 190, 420, 60


@dataclass(frozen=True)
class Segment:
    state: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    total: int
    y: int
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_width: int = BAR_WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def stacked_bars(rows: list[tuple[str, dict[str, int]]]) -> Chart:
    """One bar per (label, {state: count}); each bar is scaled to the largest total,
    so provinces with more sites have longer bars and shares stay comparable."""
    largest = max((sum(counts.values()) for _, counts in rows), default=0) or 1
    bars = []
    for index, (label, counts) in enumerate(rows):
        x, segments = float(LABEL_WIDTH), []
        for state in STATES:
            count = counts.get(state, 0)
            if count:
                width = BAR_WIDTH * count / largest
                segments.append(Segment(state, count, round(x, 2), round(width, 2)))
                x += width
        bars.append(Bar(label, sum(counts.values()), index * (BAR_HEIGHT + GAP), tuple(segments)))
    height = max(len(bars) * (BAR_HEIGHT + GAP) - GAP, 0)
    return Chart(tuple(bars), LABEL_WIDTH + BAR_WIDTH + COUNT_WIDTH, height)
