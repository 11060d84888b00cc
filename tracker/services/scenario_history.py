"""Use case `scenario_history`: when each scenario resolved, flipped or re-opened in our belief."""

from __future__ import annotations

from pydantic import BaseModel

from ..domain.beliefs import belief_changes
from ..store import queries
from ..store.db import unit_of_work
from .access import readable
from .app import App
from .projecting import agreement_model
from .recording import agreement_or_fail
from .views import UTC, MaybeUTC


class ScenarioEvent(BaseModel):
    """A scenario's outcome as believed from `known_at` on (`revised`: a late record changed it)."""

    scenario: str
    kind: str  # resolved, revised, reopened, or added (after loading)
    outcome: str
    before: str
    resolved_at: MaybeUTC
    known_at: UTC
    record_id: int | None  # the record learned then that changed it; None when the clock did
    record_ids: list[int]

    def learned_from(self) -> str:
        """Return what taught us this: a record, the clock, or the scenario being added."""
        if self.kind == "added":
            return "the scenario being added"
        return f"record #{self.record_id}" if self.record_id is not None else "the clock"


@readable("scenario history")
def scenario_history(app: App, slug: str) -> list[ScenarioEvent]:
    """Return every change in what we believed about agreement `slug`'s scenarios, in order.

    Cost: two replays of the log per instant at which records were recorded; fine for the
    hundreds of records a real agreement gathers, not meant for the 100,000-record benchmarks.
    """
    now = app.clock()
    with unit_of_work(app.database_url, read_only=True) as session:
        row = agreement_or_fail(session, slug)
        slugs = {c.id: c.slug for c in queries.commitments(session, row.id or 0) if c.id is not None}
        log = queries.records_for_projection(session, row.id or 0, slugs, recorded_until=now)
        added = queries.scenarios_added(session, row.id or 0)
    return [ScenarioEvent(scenario=c.scenario, kind=c.kind, outcome=c.outcome.value,
                          before=c.before.value, resolved_at=c.resolved_at, known_at=c.known_at,
                          record_id=c.record_ids[0] if c.record_ids else None,
                          record_ids=list(c.record_ids))
            for c in belief_changes(agreement_model(row), log, now=now, added=added)]
