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
    # When the latest analyst record that moved it was recorded: a clock decision that reads
    # this track could not have been derived before then.
    known_from: datetime | None = None

    @property
    def started(self) -> bool:
        return State.ACTIVE in self.entered

    def copy(self) -> Track:
        return Track(
            self.slug, self.state, self.since, self.cause, self.by, self.record_id,
            dict(self.entered), self.hold_from, self.known_from,
        )


@dataclass(frozen=True)
class Decided:
    """The commitment and instant that made a condition impossible."""

    commitment: str
    state: State
    at: datetime


@dataclass(frozen=True)
class Verdict:
    """Where a condition stands on the tracks: met (and since when), failed (by what), or open.

    At most one of `met` and `failed` is set: met and failed are both for ever.
    """

    met: datetime | None = None
    failed: Decided | None = None

    @property
    def decided_at(self) -> datetime | None:
        """Return the instant the condition was decided either way, or None while open."""
        return self.met if self.met is not None else (self.failed.at if self.failed else None)


def verdict(condition: Condition, tracks: Mapping[str, Track]) -> Verdict:
    """Return whether `condition` is met, failed or open, decided structurally (DESIGN,
    "Conditions, decided structurally"): a leaf "X has entered S" is met at the first instant X
    entered S, failed once X can never enter it — X final (a final commitment never changes), or
    S `lapsed`/`pending` once X has started (a started commitment never lapses, never goes back).
    No wider search of what could still happen. `all_of` is met when every part is met, failed
    at the first part that fails; `any_of` the reverse. Lapses and scenarios both read this.
    """
    parts = [_leaf(slug, state, tracks) for slug, state in condition.terms]
    if condition.mode == "all_of":
        return _all_of(parts)
    return _any_of(parts)


def _leaf(slug: str, state: State, tracks: Mapping[str, Track]) -> Verdict:
    track = tracks[slug]
    entered = track.entered.get(state)
    if entered is not None:
        return Verdict(met=entered)
    if track.state in FINAL:
        return Verdict(failed=Decided(slug, track.state, _since(track)))
    if track.started and state in _BEFORE_START:
        return Verdict(failed=Decided(slug, State.ACTIVE, track.entered[State.ACTIVE]))
    return Verdict()


# What a commitment can only enter before it starts (it is pending from the announcement on).
_BEFORE_START = frozenset({State.LAPSED, State.PENDING})


def _all_of(parts: list[Verdict]) -> Verdict:
    failed = [p.failed for p in parts if p.failed is not None]
    if failed:
        return Verdict(failed=min(failed, key=lambda d: d.at))
    met = [p.met for p in parts if p.met is not None]
    return Verdict(met=max(met)) if len(met) == len(parts) else Verdict()


def _any_of(parts: list[Verdict]) -> Verdict:
    met = [p.met for p in parts if p.met is not None]
    if met:
        return Verdict(met=min(met))
    failed = [p.failed for p in parts if p.failed is not None]
    if len(failed) == len(parts):
        return Verdict(failed=max(failed, key=lambda d: d.at))
    return Verdict()


def met_at(condition: Condition, tracks: Mapping[str, Track]) -> datetime | None:
    """Return the instant `condition` became met, or None while it is not met."""
    return verdict(condition, tracks).met


def impossible(condition: Condition, tracks: Mapping[str, Track]) -> Decided | None:
    """Return what made `condition` impossible, or None while it can still be met."""
    return verdict(condition, tracks).failed


def _since(track: Track) -> datetime:
    assert track.since is not None, "a final track always has the instant it ended"
    return track.since
