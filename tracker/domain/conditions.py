"""Conditions over the projected tracks: leaves (tracker.domain.leaves) joined by all_of, any_of
and not, each met or failed at an instant, decided structurally (DESIGN, "Condition language",
"Conditions, decided structurally", "Precise semantics").

Every condition answers one question, `outlook(tracks)`: where it stands if, from the tracks as
they are, nothing but the clock moves on — met at an instant, failed at an instant, or open for
ever. An instant in that answer may be later than the tracks (a `by:` that has not passed yet):
that is when the clock alone decides it, so the projector schedules it. `verdict` asks the same
question at an instant, counting only what had happened by then.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from .phrases import joined
from .states import State


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
    """What decided a condition at `at`: `commitment` entering (or ending in, or starting in)
    `state` — or, with `state` None, its deadline passing before it entered one of `missed`."""

    commitment: str
    at: datetime
    state: State | None
    missed: tuple[State, ...] = ()


@dataclass(frozen=True)
class Verdict:
    """Where a condition stands: met (by what, when), failed (by what, when), or open.

    At most one of `met` and `failed` is set: met and failed are both for ever.
    """

    met: Decided | None = None
    failed: Decided | None = None

    @property
    def met_at(self) -> datetime | None:
        return self.met.at if self.met is not None else None

    @property
    def failed_at(self) -> datetime | None:
        return self.failed.at if self.failed is not None else None

    @property
    def decided_at(self) -> datetime | None:
        """Return the instant the condition was decided either way, or None while open."""
        return self.met_at if self.met is not None else self.failed_at

    def swapped(self) -> Verdict:
        return Verdict(met=self.failed, failed=self.met)


class Condition(ABC):
    """A condition of the language. A new kind of leaf is a subclass with these four methods."""

    @abstractmethod
    def outlook(self, tracks: Mapping[str, Track]) -> Verdict:
        """Return where it stands if nothing but the clock moves on from `tracks`."""

    @abstractmethod
    def commitments(self) -> tuple[str, ...]:
        """Return the commitments it reads, in the order it names them."""

    @abstractmethod
    def leaves(self, negated: bool = False) -> Iterator[tuple[Condition, bool]]:
        """Yield every leaf with whether it is read negated (under an odd number of `not`)."""

    @abstractmethod
    def describe(self, tz: str, *, negated: bool = False) -> str:
        """Return it in words ("seven-day-calm is breached before 19 Sep 2016 19:00"), or its
        negation's; instants in the zone `tz`."""


def verdict(condition: Condition, tracks: Mapping[str, Track], *, now: datetime) -> Verdict:
    """Return where `condition` stood at `now` on tracks that stand at `now`: met or failed only
    at instants up to `now` (a `by:` still ahead decides nothing yet).

    Met and failed are for ever, so this is the outlook cut at `now`.
    """
    seen = condition.outlook(tracks)
    met = seen.met if seen.met is not None and seen.met.at <= now else None
    failed = seen.failed if seen.failed is not None and seen.failed.at <= now else None
    return Verdict(met=met, failed=failed)


@dataclass(frozen=True)
class _Group(Condition):
    """Parts joined by all_of or any_of; each kind says how it decides and how it joins words."""

    parts: tuple[Condition, ...]
    _joins: ClassVar[tuple[str, str]]  # its word, and its word when negated (De Morgan)

    def commitments(self) -> tuple[str, ...]:
        return tuple(slug for p in self.parts for slug in p.commitments())

    def leaves(self, negated: bool = False) -> Iterator[tuple[Condition, bool]]:
        for p in self.parts:
            yield from p.leaves(negated)

    def describe(self, tz: str, *, negated: bool = False) -> str:
        # not (a and b) is (not a) or (not b): a negation is told at its leaves.
        word = self._joins[1] if negated else self._joins[0]
        return joined([_part(p, tz, negated) for p in self.parts], word)


@dataclass(frozen=True)
class AllOf(_Group):
    """Met when every part is met (at the latest of their instants), failed at the first part
    that fails."""

    _joins = ("and", "or")

    def outlook(self, tracks: Mapping[str, Track]) -> Verdict:
        return _all([p.outlook(tracks) for p in self.parts])


@dataclass(frozen=True)
class AnyOf(_Group):
    """Met at the first part met, failed when every part has failed (at the last of them)."""

    _joins = ("or", "and")

    def outlook(self, tracks: Mapping[str, Track]) -> Verdict:
        # any_of(p...) is not all_of(not p...), instant for instant.
        return _all([p.outlook(tracks).swapped() for p in self.parts]).swapped()


def _all(seen: list[Verdict]) -> Verdict:
    failed = [v.failed for v in seen if v.failed is not None]
    if failed:
        return Verdict(failed=min(failed, key=lambda d: d.at))
    met = [v.met for v in seen if v.met is not None]
    return Verdict(met=max(met, key=lambda d: d.at)) if len(met) == len(seen) else Verdict()


@dataclass(frozen=True)
class Not(Condition):
    """Met when its part fails, failed when its part is met, at the same instants."""

    part: Condition

    def outlook(self, tracks: Mapping[str, Track]) -> Verdict:
        return self.part.outlook(tracks).swapped()

    def commitments(self) -> tuple[str, ...]:
        return self.part.commitments()

    def leaves(self, negated: bool = False) -> Iterator[tuple[Condition, bool]]:
        yield from self.part.leaves(not negated)

    def describe(self, tz: str, *, negated: bool = False) -> str:
        return self.part.describe(tz, negated=not negated)


def _part(part: Condition, tz: str, negated: bool) -> str:
    """Return a part of a group in words, a group within a group in parentheses."""
    inner = part
    while isinstance(inner, Not):
        inner = inner.part
    words = part.describe(tz, negated=negated)
    return f"({words})" if isinstance(inner, _Group) and len(inner.parts) > 1 else words
