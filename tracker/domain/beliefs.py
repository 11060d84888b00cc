"""How our belief about each scenario moved as records arrived: resolved, revised, re-opened.

A scenario's outcome is never stored; it is what the log decides. So its history is replayed:
at every instant a record was recorded we ask what the log known then decided, and compare it with
what we believed just before. A change the clock alone explains (a hold completing, a deadline
passing) is dated when the clock reached it, not when the next record happened to arrive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .projection import known_at
from .records import Record
from .rules import Agreement
from .scenarios import Outcome, Resolution, resolve


@dataclass(frozen=True)
class BeliefChange:
    """One scenario's outcome as believed from `known_at` on, and what changed it."""

    scenario: str
    kind: str  # resolved, revised, reopened, or added (by an analyst, after loading)
    outcome: Outcome
    resolved_at: datetime | None  # when it happened (the deciding instant), if resolved
    known_at: datetime  # when we came to believe it
    before: Outcome
    record_ids: tuple[int, ...]  # the records learned at `known_at` (empty: the clock)


def belief_changes(agreement: Agreement, log: Sequence[Record], *, now: datetime,
                   added: Mapping[str, datetime] | None = None) -> list[BeliefChange]:
    """Return every change of belief about every scenario, in the order we learned them.

    A scenario `added` to the agreement after it was loaded has no history before it was
    added: its first entry says what the log already decided about it then.
    """
    changes = _all_changes(agreement, log, now=now)
    for slug, at in (added or {}).items():
        first = _beliefs(agreement, log, known=at, until=at)[slug]
        changes = [c for c in changes if c.scenario != slug or c.known_at >= at]
        changes.append(BeliefChange(slug, "added", first.outcome, first.resolved_at, at,
                                    Outcome.OPEN, ()))
    return sorted(changes, key=lambda c: c.known_at)


def _all_changes(agreement: Agreement, log: Sequence[Record], *,
                 now: datetime) -> list[BeliefChange]:
    if not agreement.scenarios:
        return []
    # Only records on what the scenarios read can change a belief about them.
    relevant = _read_by_scenarios(agreement)
    instants = sorted({r.recorded_at for r in log
                       if r.recorded_at <= now and r.commitment in relevant})
    believed = _beliefs(agreement, log, known=agreement.announced_at, until=agreement.announced_at)
    changes: list[BeliefChange] = []
    previous_known = agreement.announced_at
    for known in [*instants, now]:
        # First what the clock alone did since the last record, then what the new records did.
        by_clock = _beliefs(agreement, log, known=previous_known, until=known)
        changes += _compare(believed, by_clock, known=None, records=())
        learned = tuple(r.id for r in log if r.recorded_at == known)
        now_believed = _beliefs(agreement, log, known=known, until=known)
        changes += _compare(by_clock, now_believed, known=known, records=learned)
        believed, previous_known = now_believed, known
    return changes


def _read_by_scenarios(agreement: Agreement) -> set[str | None]:
    """Return the commitments the scenarios name, and all those their rules read in turn."""
    out: set[str | None] = set()
    todo = [c for s in agreement.scenarios for c in s.when.commitments()]
    while todo:
        slug = todo.pop()
        if slug not in out:
            out.add(slug)
            todo += agreement.commitment(slug).depends_on()
    return out


def _beliefs(agreement: Agreement, log: Sequence[Record], *, known: datetime,
             until: datetime) -> dict[str, Resolution]:
    tracks = known_at(agreement, log, at=known, until=until).tracks
    return {s.slug: resolve(s, tracks, now=until) for s in agreement.scenarios}


def _compare(before: dict[str, Resolution], after: dict[str, Resolution], *,
             known: datetime | None, records: tuple[int, ...]) -> list[BeliefChange]:
    out = []
    for slug, new in after.items():
        old = before[slug]
        if (old.outcome, old.resolved_at) == (new.outcome, new.resolved_at):
            continue
        # The clock's own decisions are known the moment they happen.
        at = known if known is not None else new.resolved_at or old.resolved_at
        assert at is not None
        out.append(BeliefChange(slug, _kind(old.outcome, new.outcome), new.outcome,
                                new.resolved_at, at, old.outcome, records))
    return out


def _kind(before: Outcome, after: Outcome) -> str:
    if before is Outcome.OPEN:
        return "resolved"
    return "reopened" if after is Outcome.OPEN else "revised"
