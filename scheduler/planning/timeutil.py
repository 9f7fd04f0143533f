"""Pure conversions between a wall-clock time in a zone and UTC."""
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

# Shown first in time-zone pickers: where our sites and their partners are.
COMMON_TIMEZONES = ("Asia/Ho_Chi_Minh", "Asia/Bangkok", "Asia/Vientiane", "Asia/Phnom_Penh",
                    "Asia/Shanghai", "Asia/Tokyo", "Europe/Paris", "Europe/Moscow",
                    "America/New_York", "UTC")


class NonexistentLocalTime(ValueError):
    """The clock skips this time (a daylight-saving gap) in that zone."""


def local_to_utc(wall: datetime, tz: str) -> datetime:
    """A naive wall-clock time in zone `tz` as an aware UTC datetime.

    Ambiguous times (clocks going back) take the first occurrence; times inside
    a spring-forward gap do not exist and are refused rather than guessed.
    """
    zone = ZoneInfo(tz)
    aware = wall.replace(tzinfo=zone, fold=0)
    round_trip = aware.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != wall:
        raise NonexistentLocalTime(f"{wall:%Y-%m-%d %H:%M} does not exist in {tz}")
    return aware.astimezone(UTC)


def utc_to_local(moment: datetime, tz: str) -> datetime:
    """An aware datetime as a naive wall-clock time in `tz` (for form fields)."""
    return moment.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


@cache
def timezone_names() -> tuple[str, ...]:
    rest = sorted(available_timezones() - set(COMMON_TIMEZONES) - {"localtime", "Factory"})
    return COMMON_TIMEZONES + tuple(rest)


def is_known_timezone(name: str) -> bool:
    return name in timezone_names()
