"""Field types shared by seed and record files: instants with an offset, exact ISO durations."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, PlainSerializer, ValidationInfo

_DURATION = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)

MAX_DURATION = timedelta(days=36_500)
FIRST_YEAR, LAST_YEAR = 1000, 2999


def parse_duration(value: object) -> timedelta:
    """Return an exact ISO 8601 duration (weeks, days, hours, minutes, seconds).

    >>> parse_duration("P7D")
    datetime.timedelta(days=7)
    >>> parse_duration("PT1H30M")
    datetime.timedelta(seconds=5400)
    """
    if isinstance(value, timedelta):
        return value
    text = value.strip() if isinstance(value, str) else ""
    match = _DURATION.match(text)
    if not match or text in ("P", "PT") or text.endswith("T"):
        raise ValueError(
            f"{shown(value)} is not an ISO 8601 duration; write e.g. P7D, PT24H or PT30M "
            "(months and years are not exact: use days, e.g. P30D)"
        )
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    seconds = (parts["w"] * 604800 + parts["d"] * 86400 + parts["h"] * 3600 + parts["m"] * 60
               + parts["s"])
    if seconds > MAX_DURATION.total_seconds():  # also keeps every deadline inside datetime's range
        raise ValueError(f"{shown(value)} is over {MAX_DURATION.days} days; an agreement's "
                         "durations are shorter, e.g. P7D or P365D")
    return timedelta(seconds=seconds)


def format_duration(value: timedelta) -> str:
    """Return the ISO 8601 form of an exact duration.

    >>> format_duration(timedelta(days=7, hours=2))
    'P7DT2H'
    """
    days, rest = value.days, int(value.total_seconds()) - value.days * 86400
    h, m, s = rest // 3600, rest % 3600 // 60, rest % 60
    clock = "".join(f"{n}{u}" for n, u in ((h, "H"), (m, "M"), (s, "S")) if n)
    out = "P" + (f"{days}D" if days else "") + (f"T{clock}" if clock else "")
    return out if out != "P" else "PT0S"


def parse_instant(value: object, tz: str | None = None) -> datetime:
    """Return a UTC instant from ISO 8601 text (or YAML's own timestamp) carrying an offset or Z;
    a naive one is refused with the offset of `tz` (the agreement's zone) at that time as fix."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        raise ValueError(f"{value.isoformat()} is a date, not an instant; "
                         f"write e.g. {value.isoformat()}T00:00:00+03:00")
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{shown(value)} is not an ISO 8601 instant; "
                             "write e.g. 2016-09-12T19:00:00+03:00") from None
    else:
        raise ValueError(f"{shown(value)} is not an instant; write e.g. 2016-09-12T19:00:00+03:00")
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValueError(f"{parsed.isoformat()} has no time zone; add an offset or Z, "
                         f"e.g. {parsed.isoformat()}{suggested_offset(parsed, tz)}")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:  # and deadlines stay inside datetime's range
        raise ValueError(f"{parsed.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}; "
                         "check the year")
    return parsed.astimezone(UTC)


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_deadline(value: object, tz: str | None = None) -> datetime:
    """Return a condition's `by:` as a UTC instant: an instant with an offset, or a date, which
    means the end of that day (the next midnight) in the agreement's zone `tz`.

    >>> parse_deadline("2016-09-18", "Asia/Damascus").isoformat()
    '2016-09-18T21:00:00+00:00'
    """
    day = value if isinstance(value, date) and not isinstance(value, datetime) else None
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{shown(value)} is not a date; write e.g. 2016-09-19") from None
    if day is None:
        return parse_instant(value, tz)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR}; "
                         "check the year")
    try:
        return end_of_day(day, ZoneInfo(tz or ""))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{day.isoformat()} is a date, and a date ends at midnight in the "
                         "agreement's timezone, which is not valid; fix agreement.timezone or "
                         f"give an instant, e.g. {day.isoformat()}T00:00:00Z") from None


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    """Return the instant `day` ends in `tz`: the next midnight (where a clock change skips
    midnight, the instant of the change, which is when the day ended)."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)


def suggested_offset(naive: datetime, tz: str | None) -> str:
    """Return the offset `tz` has at the wall time `naive` ("+04:30" in Kabul), "Z" without one.

    >>> suggested_offset(datetime(2020, 2, 29, 12), "Asia/Kabul")
    '+04:30'
    >>> suggested_offset(datetime(2016, 12, 1), "Asia/Damascus")  # no daylight saving then
    '+02:00'
    """
    try:
        offset = naive.replace(tzinfo=ZoneInfo(tz)).utcoffset() if tz else None
    except (ZoneInfoNotFoundError, ValueError):
        offset = None
    if offset is None:
        return "Z (UTC), or the agreement's own offset"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _instant_in_context(value: object, info: ValidationInfo) -> datetime:
    """Parse an instant of a seed, hinting the seed's own zone (given as validation context)."""
    tz = info.context.get("tz") if isinstance(info.context, dict) else None
    return parse_instant(value, tz if isinstance(tz, str) else None)


def _deadline_in_context(value: object, info: ValidationInfo) -> datetime:
    tz = info.context.get("tz") if isinstance(info.context, dict) else None
    return parse_deadline(value, tz if isinstance(tz, str) else None)


def shown(value: object, limit: int = 60) -> str:
    """Return what a user wrote, short enough for a one-line error: a clipped repr of a scalar,
    the type's name of anything else (a list can be an alias bomb of 10^9 items).

    >>> len(shown("x" * 100))
    60
    >>> shown([1, 2])
    'a list'
    """
    if not isinstance(value, str | int | float | bool | None):
        return f"a {type(value).__name__}"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def web_address(value: str) -> str:
    """Return `value` if it is a plain web address: http(s), a host, no white space, control
    character or character that must be percent-encoded (< > " ` \\ { } |).

    >>> web_address("https://example.org/a?b=1")
    'https://example.org/a?b=1'
    """
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{shown(value)} is not a web address; give one starting http:// or "
                         "https://")
    bad = next((c for c in value if c.isspace() or not c.isprintable() or c in '<>"`\\{}|'),
               None)
    if bad is not None:
        raise ValueError(f"{shown(value)} holds {bad!r}, which a web address cannot; "
                         "percent-encode it (e.g. %20 for a space) or remove it")
    return value


def _iso_z(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


Instant = Annotated[datetime, BeforeValidator(_instant_in_context), PlainSerializer(_iso_z)]
# A `by:` deadline: stored as the instant it means, so a stored definition reads the same.
Deadline = Annotated[datetime, BeforeValidator(_deadline_in_context), PlainSerializer(_iso_z)]
Duration = Annotated[timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration)]
