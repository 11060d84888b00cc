"""Use case `diff`: what we believed at K1 against what we believed at K2, and why it changed."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from ..domain.errors import DomainError
from ..domain.rules import Agreement
from ..domain.timefmt import utc_z
from .access import readable
from .app import App
from .projecting import agreement_model
from .reading import history, status
from .views import UTC, HistoryItem, MaybeUTC, ScenarioStatus


class Change(BaseModel):
    """A commitment's state (or a scenario's outcome) at K1 and at K2, and the records behind."""

    kind: str  # commitment or scenario
    slug: str
    before: str
    before_since: MaybeUTC
    after: str
    after_since: MaybeUTC
    records: list[int]


class DiffView(BaseModel):
    agreement: str
    known_at: tuple[UTC, UTC]
    changes: list[Change]
    records: list[HistoryItem]
    timezone: str


@readable("diff")
def diff(app: App, slug: str, first: datetime, second: datetime) -> DiffView:
    """Return every commitment and scenario that differs between the two known-at instants.

    Each change names the records, recorded in (K1, K2], on it or on what its rules read.
    """
    if second <= first:
        raise DomainError(f"--known-at: give the earlier instant first, then a later one "
                          f"(got {utc_z(first)} then {utc_z(second)})")
    before, after = status(app, slug, known=first), status(app, slug, known=second)
    row, items = history(app, slug)
    learned = [i for i in items
               if isinstance(i.id, int) and first < i.recorded_at <= second]
    agreement = agreement_model(row)
    changes = [
        Change(kind="commitment", slug=a.slug, before=b.state, before_since=b.since,
               after=a.state, after_since=a.since,
               records=_explaining(learned, _reads(agreement, {a.slug})))
        for b, a in zip(before.commitments, after.commitments, strict=True)
        if (b.state, b.since) != (a.state, a.since)
    ]
    known_before = {b.slug: b for b in before.scenarios}
    for a in after.scenarios:
        # A scenario added between K1 and K2 was not defined at K1.
        b = known_before.get(a.slug) or ScenarioStatus(slug=a.slug, outcome="not defined",
                                                        resolved_at=None)
        if (b.outcome, b.resolved_at) != (a.outcome, a.resolved_at):
            changes.append(Change(
                kind="scenario", slug=a.slug, before=b.outcome, before_since=b.resolved_at,
                after=a.outcome, after_since=a.resolved_at,
                records=_explaining(learned, _reads(agreement, set(_when(agreement, a.slug))))))
    return DiffView(agreement=slug, known_at=(first, second), changes=changes, records=learned,
                    timezone=row.timezone)


def _when(agreement: Agreement, scenario: str) -> tuple[str, ...]:
    return next(s.when.commitments() for s in agreement.scenarios if s.slug == scenario)


def _reads(agreement: Agreement, slugs: set[str]) -> set[str]:
    """Return `slugs` and every commitment their rules read, directly or through others."""
    out, todo = set(slugs), list(slugs)
    while todo:
        for dep in agreement.commitment(todo.pop()).depends_on() - out:
            out.add(dep)
            todo.append(dep)
    return out


def _explaining(learned: list[HistoryItem], commitments: set[str]) -> list[int]:
    return [i.id for i in learned if isinstance(i.id, int) and i.commitment in commitments]
