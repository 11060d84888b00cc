"""The leaves of the condition language. Each is a small Condition: how it is met and failed
on the tracks, and its words."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import phrases
from .conditions import Condition, Decided, Track, Verdict
from .states import FINAL, State

# What a commitment can only enter before it starts (it is pending from the announcement on).
_BEFORE_START = frozenset({State.LAPSED, State.PENDING})


@dataclass(frozen=True)
class Enters(Condition):
    """"`commitment` has entered one of `states`", strictly before `by` if given.

    Met at the first instant it entered one of them (before `by`). Failed, structurally, once
    it can enter none of them: it is final (a final commitment never changes), or it has
    started and they are `lapsed`/`pending` (a started commitment never lapses) — at the
    instant the last of them became impossible; or at `by`, if that comes first. `within`
    only says how `by` was written (the announcement plus `within`).
    """

    commitment: str
    states: tuple[State, ...]
    by: datetime | None = None
    within: timedelta | None = None

    def outlook(self, tracks: Mapping[str, Track]) -> Verdict:
        track = tracks[self.commitment]
        entered = [(at, s) for s in self.states
                   if (at := track.entered.get(s)) is not None and (self.by is None or at < self.by)]
        if entered:
            at, state = min(entered, key=lambda e: e[0])
            return Verdict(met=Decided(self.commitment, at, state))
        failed = self._impossible(track)
        if self.by is not None and (failed is None or self.by < failed.at):
            failed = Decided(self.commitment, self.by, None, self.states)
        return Verdict(failed=failed)

    def _impossible(self, track: Track) -> Decided | None:
        """Return when the track could no longer enter any of the states, if it cannot: each
        state became impossible at the start (`lapsed`, `pending`) or at the end (any other)."""
        found = [self._never(s, track) for s in self.states]
        never = [d for d in found if d is not None]
        return max(never, key=lambda d: d.at) if len(never) == len(found) else None

    def _never(self, state: State, track: Track) -> Decided | None:
        if track.started and state in _BEFORE_START:
            return Decided(self.commitment, track.entered[State.ACTIVE], State.ACTIVE)
        if track.state in FINAL:
            assert track.since is not None, "a final track always has the instant it ended"
            return Decided(self.commitment, track.since, track.state)
        return None

    def commitments(self) -> tuple[str, ...]:
        return (self.commitment,)

    def leaves(self, negated: bool = False) -> Iterator[tuple[Condition, bool]]:
        yield self, negated

    def describe(self, tz: str, *, negated: bool = False) -> str:
        dated = self.by is not None
        words = f"{self.commitment} {phrases.enters(self.states, negated=negated, dated=dated)}"
        if self.by is not None:
            words += " " + phrases.deadline(self.by, tz, self.within)
        return words


def enters(commitment: str, *states: State, by: datetime | None = None) -> Enters:
    """Return the leaf "`commitment` has entered one of `states`" (before `by`)."""
    return Enters(commitment, tuple(states), by)
