"""Conditions read as "X has entered S" over the projected tracks (see DESIGN, Precise semantics)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .rules import Condition
from .states import FINAL, State


@dataclass
class Track:
    """One commitment's projected position: its state, since when, why, and what it has entered."""

    slug: str
    state: State = State.PENDING
    since: datetime | None = None
    cause: str = ""
    by: str = "clock"
    record_id: int | None = None
    entered: dict[State, datetime] = field(default_factory=dict)
    hold_from: datetime | None = None

    @property
    def started(self) -> bool:
        return State.ACTIVE in self.entered

    def copy(self) -> Track:
        return Track(
            self.slug, self.state, self.since, self.cause, self.by, self.record_id,
            dict(self.entered), self.hold_from,
        )

    def can_never_enter(self, state: State) -> bool:
        """Return True when this track is final and never entered `state`."""
        return self.state in FINAL and state not in self.entered


@dataclass(frozen=True)
class Decided:
    """The commitment and instant that made a condition impossible."""

    commitment: str
    state: State
    at: datetime


def met_at(condition: Condition, tracks: Mapping[str, Track]) -> datetime | None:
    """Return the instant `condition` became met, or None while it is not met."""
    times = [tracks[slug].entered.get(state) for slug, state in condition.terms]
    known = [t for t in times if t is not None]
    if condition.mode == "all_of":
        return max(known) if len(known) == len(times) else None
    return min(known) if known else None


def impossible(condition: Condition, tracks: Mapping[str, Track]) -> Decided | None:
    """Return what made `condition` impossible, or None while it can still be met."""
    dead = [
        Decided(slug, tracks[slug].state, _since(tracks[slug]))
        for slug, state in condition.terms
        if tracks[slug].can_never_enter(state)
    ]
    if condition.mode == "all_of":
        return min(dead, key=lambda d: d.at) if dead else None
    if len(dead) == len(condition.terms):
        return max(dead, key=lambda d: d.at)
    return None


def _since(track: Track) -> datetime:
    assert track.since is not None, "a final track always has the instant it ended"
    return track.since
