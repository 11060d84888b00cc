"""The dependency graph's edges: what the dashboard draws. The rules in words are the domain's
(tracker.domain.wording)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from ..domain.conditions import Condition
from ..domain.rules import After, Commitment, conditions_of
from ..domain.wording import leaf_label


class Edge(BaseModel):
    """`source`'s state is read by `target`'s rule; `label` says how ("after fulfilled")."""

    source: str
    target: str
    label: str


_PREFIX = {"starts": "after", "requires": "requires", "ends": "ends when", "due": "due after"}


def edges(commitments: tuple[Commitment, ...], tz: str) -> list[Edge]:
    """Return every dependency as an edge from the commitment read to the one whose rule reads
    it: one per leaf of each of its conditions."""
    return [Edge(source=slug, target=c.slug,
                 label=f"{_PREFIX[rule]} {leaf_label(leaf, tz, negated=negated, offset=offset)}")
            for c in commitments for rule, condition, offset in _read_by(c)
            for leaf, negated in condition.leaves() for slug in leaf.commitments()]


def _read_by(c: Commitment) -> list[tuple[str, Condition, timedelta]]:
    """Return each rule of `c` that reads other commitments, its condition and its offset."""
    offsets = {rule: r.offset for rule, r in (("starts", c.starts), ("ends", c.ends))
               if isinstance(r, After)}
    out = [(rule, condition, offsets.get(rule, timedelta(0))) for rule, condition in conditions_of(c)]
    if isinstance(c.due, After):
        out.append(("due", c.due.when, c.due.offset))
    return out
