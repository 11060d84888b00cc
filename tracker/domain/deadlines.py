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
        entered = tracks[due.commitment].entered.get(due.state)
        return None if entered is None else entered + due.offset
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
