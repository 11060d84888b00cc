"""Use case `tick`: apply the clock up to now and store what it decided. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from ..store import queries
from ..store.db import unit_of_work
from .app import App
from .projecting import advance


@dataclass(frozen=True)
class Decision:
    agreement: str
    commitment: str
    state: str
    at: str
    cause: str


def tick(app: App) -> list[Decision]:
    """Return the clock's new decisions across every agreement, stored in one transaction."""
    now = app.clock()
    decisions: list[Decision] = []
    with unit_of_work(app.database_url) as session:
        for row in queries.agreements(session):
            locked = queries.agreement_by_slug(session, row.slug, lock=True)
            assert locked is not None
            change = advance(session, locked, now=now)
            decisions += [Decision(row.slug, e.commitment, e.state.value, e.at.isoformat(),
                                   e.cause) for e in change.entries]
    return decisions
