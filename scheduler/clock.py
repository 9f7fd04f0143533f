"""The one place that reads the wall clock.

Logic takes `now` as an argument; views and commands ask `current_time()`, which
tests replace through the app config key ``CLOCK`` (a zero-argument callable).
"""
from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app, has_app_context


def system_clock() -> datetime:
    return datetime.now(UTC)


def current_time() -> datetime:
    clock: Callable[[], datetime] = system_clock
    if has_app_context():
        clock = current_app.config.get("CLOCK") or system_clock
    return clock()
