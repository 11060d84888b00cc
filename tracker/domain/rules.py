"""An agreement's definition: commitments with their rules, and scenarios. Plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from .states import State


@dataclass(frozen=True)
class After:
    """"When `commitment` has entered `state`, plus `offset`"."""

    commitment: str
    state: State
    offset: timedelta = timedelta(0)


@dataclass(frozen=True)
class AfterStart:
    """A deadline measured from the commitment's own start."""

    duration: timedelta


@dataclass(frozen=True)
class Condition:
    """`all_of` or `any_of` over "commitment has entered state"."""

    mode: Literal["all_of", "any_of"]
    terms: tuple[tuple[str, State], ...]

    def commitments(self) -> tuple[str, ...]:
        return tuple(slug for slug, _ in self.terms)

    def describe(self) -> str:
        joiner = " and " if self.mode == "all_of" else " or "
        return joiner.join(f"{slug} is {state.value}" for slug, state in self.terms)


Start = datetime | After | None
Due = datetime | After | AfterStart | None


@dataclass(frozen=True)
class Commitment:
    slug: str
    title: str
    owed_by: tuple[str, ...]
    owed_to: tuple[str, ...] = ()
    text: str = ""
    starts: Start = None
    requires: Condition | None = None
    hold_for: timedelta | None = None
    due: Due = None
    ends: After | None = None
    reminders: tuple[timedelta, ...] = ()

    def depends_on(self) -> set[str]:
        """Return the slugs whose states this commitment's rules read."""
        deps: set[str] = set()
        for rule in (self.starts, self.due, self.ends):
            if isinstance(rule, After):
                deps.add(rule.commitment)
        if self.requires is not None:
            deps.update(self.requires.commitments())
        return deps


@dataclass(frozen=True)
class Scenario:
    slug: str
    title: str
    when: Condition
    group: str | None = None


@dataclass(frozen=True)
class Agreement:
    slug: str
    title: str
    timezone: str
    announced_at: datetime
    parties: tuple[str, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    _by_slug: dict[str, Commitment] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_slug.update({c.slug: c for c in self.commitments})

    def commitment(self, slug: str) -> Commitment:
        return self._by_slug[slug]

    def has_commitment(self, slug: str) -> bool:
        return slug in self._by_slug

    def dependants(self) -> dict[str, set[str]]:
        """Return, for each commitment, the commitments whose rules read it."""
        out: dict[str, set[str]] = {c.slug: set() for c in self.commitments}
        for c in self.commitments:
            for dep in c.depends_on():
                out[dep].add(c.slug)
        return out
