"""Instants and durations as people read them. Pure: zone data comes from the standard library."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local(value: datetime, tz: str) -> str:
    """Return `value` as 'YYYY-MM-DD HH:MM ZONE' in the zone `tz`.

    >>> local(datetime(2016, 9, 12, 16, tzinfo=UTC), "Asia/Damascus")
    '2016-09-12 19:00 EEST'
    """
    return value.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M %Z")


def utc_z(value: datetime) -> str:
    """Return `value` as ISO 8601 in UTC with a Z.

    >>> utc_z(datetime(2016, 9, 12, 16, tzinfo=UTC))
    '2016-09-12T16:00:00Z'
    """
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def duration_words(value: timedelta) -> str:
    """Return a duration in words.

    >>> duration_words(timedelta(days=7))
    '7 days'
    >>> duration_words(timedelta(hours=36))
    '1 day 12 hours'
    """
    days, rest = value.days, value.seconds
    hours, minutes = rest // 3600, rest % 3600 // 60
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words) or "0 minutes"
