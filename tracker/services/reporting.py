"""Use case `report`: everything a reader needs about one agreement's history, in one value."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from ..store import forecasts as store
from ..store.db import unit_of_work
from .access import readable
from .app import App
from .projecting import agreement_model
from .reading import history, status
from .recording import agreement_or_fail
from .rules import rules
from .scenario_history import ScenarioEvent, scenario_history
from .scoring import GroupScoreView, ScenarioScoreView, StandingView, UnscoredView, scores
from .views import UTC, HistoryItem, MaybeUTC, SourceView, StatusView


class ForecastLine(BaseModel):
    forecaster: str
    probability: float
    recorded_at: UTC
    rationale: str


class ScenarioReport(BaseModel):
    slug: str
    title: str
    group: str | None
    words: str = ""  # what makes it happen, in the words every view uses
    outcome: str
    resolved_at: MaybeUTC
    forecasts: list[ForecastLine]
    scores: list[ScenarioScoreView]
    beliefs: list[ScenarioEvent] = []  # resolved, revised, re-opened: what we learned when
    decided_by: list[int] = []  # the records that decided it (none: the clock, or still open)
    unscored: list[UnscoredView] = []  # made after the outcome occurred (learned later)


class SourceLine(BaseModel):
    record_id: int | str
    commitment: str | None
    source: SourceView


MAX_REPLAYED_RECORDS = 2000


class Report(BaseModel):
    """The states now, how they came about, the scenarios with their forecasts, the sources."""

    status: StatusView
    timeline: list[HistoryItem]
    scenarios: list[ScenarioReport]
    rules: dict[str, list[str]]  # each commitment's rules in words
    leaderboard: list[StandingView]
    groups: list[GroupScoreView]
    sources: list[SourceLine]
    beliefs_replayed: bool = True  # False: too long a log to replay what we believed when


@readable("report")
def report(app: App, slug: str) -> Report:
    """Return the report on agreement `slug` as known now."""
    now_status = status(app, slug)
    row, items = history(app, slug)
    scored = scores(app, slug)
    said = rules(app, slug)
    # Two replays of the log per recording instant: past a point, the report goes without.
    replayed = sum(isinstance(i.id, int) for i in items) <= MAX_REPLAYED_RECORDS
    beliefs = scenario_history(app, slug) if replayed else []
    with unit_of_work(app.database_url, read_only=True) as session:
        forecasts = store.forecasts(session, agreement_or_fail(session, slug).id or 0)
    outcomes = {s.slug: s for s in now_status.scenarios}
    scenarios = [
        ScenarioReport(
            slug=s.slug, title=s.title, group=s.group, words=said.scenarios[s.slug],
            outcome=outcomes[s.slug].outcome,
            resolved_at=outcomes[s.slug].resolved_at,
            forecasts=[ForecastLine(forecaster=f.forecaster, probability=f.probability,
                                    recorded_at=f.recorded_at, rationale=f.rationale)
                       for f, scenario in forecasts if scenario == s.slug],
            scores=[c for c in scored.by_scenario if c.scenario == s.slug],
            unscored=[u for u in scored.unscored if u.scenario == s.slug],
            beliefs=[b for b in beliefs if b.scenario == s.slug],
            decided_by=_deciding(outcomes[s.slug].resolved_at,
                                 [b for b in beliefs if b.scenario == s.slug], items))
        for s in agreement_model(row).scenarios
    ]
    return Report(beliefs_replayed=replayed,
        status=now_status,
        timeline=[i for i in items if i.state and not i.retracted_by and not i.overridden_by],
        scenarios=scenarios, rules=said.commitments, leaderboard=scored.leaderboard,
        groups=scored.groups,
        sources=[SourceLine(record_id=i.id, commitment=i.commitment, source=s)
                 for i in items for s in i.sources])


def _deciding(resolved_at: datetime | None, beliefs: list[ScenarioEvent],
              items: list[HistoryItem]) -> list[int]:
    """Return the record that taught us the outcome, else the state records at its instant."""
    if resolved_at is None:
        return []
    if beliefs and beliefs[-1].record_id is not None:
        return [beliefs[-1].record_id]
    return [i.id for i in items if isinstance(i.id, int) and i.state
            and i.occurred_at == resolved_at and not i.retracted_by and not i.overridden_by]
