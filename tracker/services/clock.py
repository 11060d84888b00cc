"""The clock, injected: the system's, or a fixed instant from `--now` / `TRACKER_NOW`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from ..domain.errors import DomainError
from ..seeds.fields import parse_instant

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def fixed_clock(instant: datetime) -> Clock:
    """Return a clock that always reads `instant`."""
    return lambda: instant


def parse_user_instant(value: str, *, field: str, tz: str | None = None) -> datetime:
    """Return the UTC instant a user typed, or a DomainError naming the field and the fix (for
    a naive time, the offset of `tz`, the agreement's zone, at that time)."""
    try:
        return parse_instant(value, tz)
    except ValueError as error:
        raise DomainError(f"{field}: {error}") from None


def clock_from(now: str | None, *, field: str = "--now") -> Clock:
    return fixed_clock(parse_user_instant(now, field=field)) if now else system_clock
