"""The small words conditions are told in: a state as a verb, a deadline, a list joined by
"and" or "or". Shared by every place that words a condition, so the CLI, the dashboard and
reports say the same thing."""

from __future__ import annotations

from datetime import datetime, timedelta

from .states import State
from .timefmt import duration_words, zone

# "X <verb>": what it reads as when X enters the state; the first word is the auxiliary.
_VERB = {
    State.PENDING: "is pending", State.ACTIVE: "becomes active", State.OVERDUE: "becomes overdue",
    State.FULFILLED: "is fulfilled", State.BREACHED: "is breached", State.LAPSED: "lapses",
    State.SUSPENDED: "is suspended", State.WITHDRAWN: "is withdrawn",
}
_NEVER = {
    State.PENDING: "is never pending", State.ACTIVE: "never becomes active",
    State.OVERDUE: "never becomes overdue", State.FULFILLED: "is never fulfilled",
    State.BREACHED: "is never breached", State.LAPSED: "never lapses",
    State.SUSPENDED: "is never suspended", State.WITHDRAWN: "is never withdrawn",
}
_NOT_BEFORE = {
    State.PENDING: "is not pending", State.ACTIVE: "does not become active",
    State.OVERDUE: "does not become overdue", State.FULFILLED: "is not fulfilled",
    State.BREACHED: "is not breached", State.LAPSED: "does not lapse",
    State.SUSPENDED: "is not suspended", State.WITHDRAWN: "is not withdrawn",
}


def enters(states: tuple[State, ...], *, negated: bool, dated: bool) -> str:
    """Return "is breached", "never becomes active", "becomes fulfilled or breached"...

    >>> enters((State.BREACHED,), negated=False, dated=True)
    'is breached'
    >>> enters((State.ACTIVE,), negated=True, dated=False)
    'never becomes active'
    >>> enters((State.FULFILLED, State.BREACHED), negated=False, dated=False)
    'is fulfilled or breached'
    >>> enters((State.LAPSED, State.WITHDRAWN), negated=True, dated=True)
    'does not become lapsed or withdrawn'
    """
    if len(states) == 1:
        table = (_NOT_BEFORE if dated else _NEVER) if negated else _VERB
        return table[states[0]]
    names = joined([s.value for s in states], "or", comma=False)
    if negated:
        return ("does not become " if dated else "never becomes ") + names
    verbs = [_VERB[s] for s in states]
    first = {v.split(" ", 1)[0] for v in verbs}
    if len(first) == 1 and all(" " in v for v in verbs):
        return f"{first.pop()} " + joined([v.split(' ', 1)[1] for v in verbs], "or", comma=False)
    return joined(verbs, "or", comma=False)


def deadline(by: datetime, tz: str, within: timedelta | None = None) -> str:
    """Return a `by:` deadline in words: "before 19 Sep 2016 19:00" (times in the agreement's
    zone), "by the end of 18 Sep 2016" for a midnight, and the announcement's offset for `within`.

    >>> from datetime import UTC
    >>> deadline(datetime(2016, 9, 19, 16, tzinfo=UTC), "Asia/Damascus")
    'before 19 Sep 2016 19:00'
    >>> deadline(datetime(2016, 9, 18, 21, tzinfo=UTC), "Asia/Damascus")
    'by the end of 18 Sep 2016'
    """
    shown = by.astimezone(zone(tz))
    if (shown.hour, shown.minute, shown.second) == (0, 0, 0):
        words = f"by the end of {day(shown - timedelta(days=1))}"
    else:
        words = f"before {day(shown)} {shown:%H:%M}"
    if within is not None:
        return f"within {duration_words(within)} of the announcement ({words})"
    return words


def day(value: datetime) -> str:
    """Return '19 Sep 2016' for the day `value` falls on, as it stands."""
    return f"{value.day} {value:%b %Y}"


def joined(parts: list[str], word: str, *, comma: bool = True) -> str:
    """Return parts joined as a list in words: "a, b, or c" (the comma before the last word
    keeps a long part from swallowing the next).

    >>> joined(["a", "b", "c"], "or")
    'a, b, or c'
    >>> joined(["a", "b"], "and", comma=False)
    'a and b'
    """
    if len(parts) == 1:
        return parts[0]
    last = f", {word} " if comma else f" {word} "
    return ", ".join(parts[:-1]) + last + parts[-1]
