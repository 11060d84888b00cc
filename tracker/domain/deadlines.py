"""Deadlines (`due`, the end of a `hold_for`) and the reminders that come before them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from .conditions import Track
from .rules import After, AfterStart, Commitment
from .states import State


@dataclass(frozen=True)
class Notice:
    """A reminder the clock reached: `lead` before the `deadline` of `rule` ("due" or "hold_for")."""

    commitment: str
    at: datetime
    lead: timedelta
    deadline: datetime
    rule: str


def due_at(commitment: Commitment, tracks: Mapping[str, Track]) -> datetime | None:
    """Return the commitment's due instant once its rules can tell it."""
    due = commitment.due
    if isinstance(due, datetime):
        return due
    if isinstance(due, AfterStart):
        start = tracks[commitment.slug].entered.get(State.ACTIVE)
        return None if start is None else start + due.duration
    if isinstance(due, After):
        met = due.when.outlook(tracks).met
        return None if met is None else met.at + due.offset
    return None


def hold_ends_at(commitment: Commitment, track: Track) -> datetime | None:
    """Return when the current unbroken hold completes, if one is running."""
    if commitment.hold_for is None or track.hold_from is None or track.state is not State.ACTIVE:
        return None
    return track.hold_from + commitment.hold_for


def deadlines(commitment: Commitment, tracks: Mapping[str, Track]) -> list[tuple[str, datetime]]:
    """Return the deadlines in force for the commitment in its current state."""
    track = tracks[commitment.slug]
    out: list[tuple[str, datetime]] = []
    due = due_at(commitment, tracks)
    if due is not None and track.state in (State.PENDING, State.ACTIVE, State.SUSPENDED):
        out.append(("due", due))
    hold = hold_ends_at(commitment, track)
    if hold is not None:
        out.append(("hold_for", hold))
    return out


def next_reminder(commitment: Commitment, tracks: Mapping[str, Track], *,
                  after: datetime) -> Notice | None:
    """Return the earliest reminder after `after` for a deadline in force.

    A reminder whose moment came before the commitment entered its current state never
    existed: the deadline was not in force then.
    """
    track = tracks[commitment.slug]
    best: Notice | None = None
    for rule, deadline in deadlines(commitment, tracks):
        for lead in commitment.reminders:
            at = deadline - lead
            if at > after and (track.since is None or at >= track.since) and (
                    best is None or at < best.at):
                best = Notice(commitment.slug, at, lead, deadline, rule)
    return best


@dataclass(frozen=True)
class Step:
    """One step of a commitment's timeline, as the calendar reads it."""

    state: State
    at: datetime
    cause: str


@dataclass(frozen=True)
class HoldWindow:
    """One stretch a hold had to last: from a start (or resume) to when it would complete,
    and how it went: `held`, `broken` (by `ended_by`), or `running`."""

    start: datetime
    end: datetime
    outcome: str
    ended_by: Step | None = None


def hold_windows(commitment: Commitment, steps: list[Step]) -> list[HoldWindow]:
    """Return every hold the commitment had to keep, completed, broken or running, in order.

    `steps` are the commitment's timeline in order; each entry into `active` starts a hold.
    """
    if commitment.hold_for is None:
        return []
    out = []
    for i, step in enumerate(steps):
        if step.state is not State.ACTIVE:
            continue
        end = step.at + commitment.hold_for
        after = steps[i + 1] if i + 1 < len(steps) else None
        if after is None:
            out.append(HoldWindow(step.at, end, "running"))
        elif after.state is State.FULFILLED and after.at >= end:
            out.append(HoldWindow(step.at, end, "held", after))
        else:
            out.append(HoldWindow(step.at, end, "broken", after))
    return out
