"""Commitment rules in words, and the dependency graph's edges: what the dashboard draws."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel

from ..domain.rules import After, AfterStart, Commitment, Condition
from ..domain.timefmt import duration_words, local


class Edge(BaseModel):
    """`source`'s state is read by `target`'s rule; `label` says how ("after fulfilled")."""

    source: str
    target: str
    label: str


def rule_words(c: Commitment, tz: str) -> list[str]:
    """Return one plain sentence per rule of `c`, e.g. "starts when seven-day-calm is fulfilled".

    >>> from datetime import timedelta
    >>> from tracker.domain.states import State
    >>> c = Commitment("jic", "JIC", ("us",), starts=After("calm", State.FULFILLED),
    ...                due=AfterStart(timedelta(days=7)))
    >>> rule_words(c, "UTC")
    ['starts when calm is fulfilled', 'due 7 days after it starts']
    """
    words = [_starts(c, tz)]
    if c.requires is not None:
        words.append("requires " + _condition(c.requires))
    if c.hold_for is not None:
        words.append(f"must hold {duration_words(c.hold_for)} unbroken; then it is fulfilled")
    if c.due is not None:
        words.append(_due(c.due, tz))
    if c.ends is not None:
        words.append(f"ends, fulfilled, when {_after(c.ends)}")
    if c.reminders:
        leads = " and ".join(duration_words(r) for r in c.reminders)
        words.append(f"reminders {leads} before each deadline")
    return [w for w in words if w]


def edges(commitments: tuple[Commitment, ...]) -> list[Edge]:
    """Return every dependency as an edge from the commitment read to the one whose rule reads it."""
    out: list[Edge] = []
    for c in commitments:
        if isinstance(c.starts, After):
            out.append(Edge(source=c.starts.commitment, target=c.slug,
                            label=f"after {c.starts.state.value}{_plus(c.starts.offset)}"))
        if c.requires is not None:
            out += [Edge(source=slug, target=c.slug, label=f"requires {state.value}")
                    for slug, state in c.requires.terms]
        if isinstance(c.due, After):
            out.append(Edge(source=c.due.commitment, target=c.slug,
                            label=f"due after {c.due.state.value}{_plus(c.due.offset)}"))
        if c.ends is not None:
            out.append(Edge(source=c.ends.commitment, target=c.slug,
                            label=f"ends when {c.ends.state.value}"))
    return out


def _starts(c: Commitment, tz: str) -> str:
    if isinstance(c.starts, datetime):
        return f"starts at {local(c.starts, tz)}"
    if isinstance(c.starts, After):
        return f"starts when {_after(c.starts)}"
    return "" if c.requires is not None else "in force from the announcement"


def _due(due: datetime | After | AfterStart, tz: str) -> str:
    if isinstance(due, datetime):
        return f"due by {local(due, tz)}"
    if isinstance(due, AfterStart):
        return f"due {duration_words(due.duration)} after it starts"
    return f"due {duration_words(due.offset)} after {due.commitment} is {due.state.value}"


def _after(rule: After) -> str:
    later = f", {duration_words(rule.offset)} later" if rule.offset else ""
    return f"{rule.commitment} is {rule.state.value}{later}"


def _condition(condition: Condition) -> str:
    joiner = " and " if condition.mode == "all_of" else " or "
    return joiner.join(f"{slug} to have been {state.value}" for slug, state in condition.terms)


def _plus(offset: timedelta) -> str:
    return f" +{duration_words(offset)}" if offset else ""
