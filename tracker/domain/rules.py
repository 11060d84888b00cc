"""An agreement's definition: commitments with their rules, and scenarios. Plain frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .conditions import Condition


@dataclass(frozen=True)
class After:
    """"When `when` is met, plus `offset`": `starts`, `due`, `ends`. For `starts` and `due`
    `when` is one leaf (`{after: X, enters: S}`); `ends` takes any condition."""

    when: Condition
    offset: timedelta = timedelta(0)


@dataclass(frozen=True)
class AfterStart:
    """A deadline measured from the commitment's own start."""

    duration: timedelta


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
    ends: After | None = None  # `when` may be any condition
    reminders: tuple[timedelta, ...] = ()

    def depends_on(self) -> set[str]:
        """Return the slugs whose states this commitment's rules read."""
        deps = {slug for _, condition in conditions_of(self) for slug in condition.commitments()}
        if isinstance(self.due, After):
            deps.update(self.due.when.commitments())
        return deps


# The rules whose condition failing before the start lapses the commitment (`released_by`, a
# trigger, will not be one of them).
LAPSING_RULES = frozenset({"starts", "requires", "ends"})


def conditions_of(c: Commitment) -> list[tuple[str, Condition]]:
    """Return the commitment's conditions, each with the rule it comes from: the one list of
    them that the projection, the wording and the graph read."""
    out: list[tuple[str, Condition]] = []
    if isinstance(c.starts, After):
        out.append(("starts", c.starts.when))
    if c.requires is not None:
        out.append(("requires", c.requires))
    if c.ends is not None:
        out.append(("ends", c.ends.when))
    return out


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
