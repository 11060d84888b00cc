"""Use case `scores`: every forecaster's calls on resolved scenarios, scored and ranked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel

from ..domain.scenarios import Outcome, Resolution
from ..domain.scoring import (
    Forecast,
    GroupForecast,
    Score,
    calibration,
    group_brier,
    group_outcome,
    leaderboard,
    score,
    weights,
)
from ..store import forecasts as store
from ..store import queries
from ..store.db import unit_of_work
from ..store.tables import AgreementRow, ForecastRow
from .access import readable
from .app import App
from .outcomes import resolutions
from .projecting import agreement_model
from .recording import agreement_or_fail
from .views import UTC


class StandingView(BaseModel):
    forecaster: str
    brier: float
    log_score: float
    scenarios: int
    forecasts: int


class ScenarioScoreView(BaseModel):
    forecaster: str
    scenario: str
    brier: float
    log_score: float
    agreement: str


class GroupScoreView(BaseModel):
    forecaster: str
    group: str
    brier: float
    agreement: str


class CalibrationView(BaseModel):
    low: float
    high: float
    forecasts: int
    mean_probability: float
    observed: float


class UnscoredView(BaseModel):
    """A forecast made after its scenario's outcome had occurred, while the record that decided
    it was not yet known: it counts for nothing, and is listed so that nobody wonders why."""

    forecaster: str
    scenario: str
    probability: float
    recorded_at: UTC
    resolved_at: UTC
    agreement: str


UNSCORED_TITLE = "made after the outcome had occurred (learned later): not scored"


class ScoresView(BaseModel):
    """The leaderboard (best first), each call per scenario, group Briers, calibration bins,
    and the forecasts left unscored because the outcome had already occurred."""

    leaderboard: list[StandingView]
    by_scenario: list[ScenarioScoreView]
    groups: list[GroupScoreView]
    calibration: list[CalibrationView]
    unscored: list[UnscoredView] = []


@readable("scores")
def scores(app: App, agreement: str | None = None) -> ScoresView:
    """Return the scores on one agreement, or across all, with resolutions as known now."""
    now = app.clock()
    scored: list[tuple[str, Score]] = []
    groups: list[GroupScoreView] = []
    pairs: list[tuple[float, bool]] = []
    unscored: list[UnscoredView] = []
    with unit_of_work(app.database_url, read_only=True) as session:
        rows = [agreement_or_fail(session, agreement)] if agreement else queries.agreements(session)
        for row in rows:
            known = resolutions(session, row, at=now)
            forecasts = store.forecasts(session, row.id or 0)
            scored += [(row.slug, s) for s in _scenario_scores(forecasts, known, pairs)]
            unscored += _unscored(row.slug, forecasts, known)
            groups += _group_scores(row, forecasts, known)
    return ScoresView(
        leaderboard=[StandingView(**vars(s)) for s in leaderboard(s for _, s in scored)],
        by_scenario=[ScenarioScoreView(forecaster=s.forecaster, scenario=s.scenario,
                                       brier=s.brier, log_score=s.log_score, agreement=slug)
                     for slug, s in sorted(scored, key=lambda x: (x[0], x[1].scenario,
                                                                  x[1].brier))],
        groups=groups,
        calibration=[CalibrationView(**vars(b)) for b in calibration(pairs)],
        unscored=unscored)


def _unscored(agreement: str, forecasts: Sequence[tuple[ForecastRow, str]],
              known: dict[str, Resolution]) -> list[UnscoredView]:
    """Return the forecasts recorded at or after their scenario's resolution instant."""
    out = []
    for row, slug in forecasts:
        r = known.get(slug)
        if r is not None and r.resolved_at is not None and row.recorded_at >= r.resolved_at:
            out.append(UnscoredView(forecaster=row.forecaster, scenario=slug,
                                    probability=row.probability, recorded_at=row.recorded_at,
                                    resolved_at=r.resolved_at, agreement=agreement))
    return out


def _scenario_scores(forecasts: Sequence[tuple[ForecastRow, str]],
                     known: dict[str, Resolution],
                     pairs: list[tuple[float, bool]]) -> list[Score]:
    """Return each (forecaster, resolved scenario) score; add the calls that stood to `pairs`."""
    calls: dict[tuple[str, str], list[Forecast]] = {}
    for row, slug in forecasts:
        calls.setdefault((row.forecaster, slug), []).append(
            Forecast(row.forecaster, slug, row.probability, row.recorded_at))
    out = []
    for (_, slug), mine in calls.items():
        r = known.get(slug)
        if r is None or r.outcome is Outcome.OPEN or r.resolved_at is None:
            continue
        happened = r.outcome is Outcome.HAPPENED
        result = score(mine, happened=happened, resolved_at=r.resolved_at)
        if result is not None:
            out.append(result)
            w = weights([f.recorded_at for f in mine], r.resolved_at)
            pairs.extend((f.probability, happened)
                         for f, wi in zip(mine, w, strict=True) if wi > 0)
    return out


def _group_scores(row: AgreementRow, forecasts: Sequence[tuple[ForecastRow, str]],
                  known: dict[str, Resolution]) -> list[GroupScoreView]:
    """Return each forecaster's multi-category Brier on each decided group."""
    members: dict[str, list[str]] = {}
    for s in agreement_model(row).scenarios:
        if s.group:
            members.setdefault(s.group, []).append(s.slug)
    out = []
    for group, slugs in sorted(members.items()):
        decided = group_outcome([known[s] for s in slugs])
        if decided is None:
            continue
        for forecaster, batches in sorted(_batches(forecasts, set(slugs)).items()):
            value = group_brier(batches, happened=decided[0], resolved_at=decided[1])
            if value is not None:
                out.append(GroupScoreView(forecaster=forecaster, group=group, brier=value,
                                          agreement=row.slug))
    return out


def _batches(forecasts: Sequence[tuple[ForecastRow, str]],
             slugs: set[str]) -> dict[str, list[GroupForecast]]:
    """Return each forecaster's group forecasts, one per batch, in recording order."""
    by_batch: dict[str, tuple[str, datetime, dict[str, float]]] = {}
    for row, slug in forecasts:
        if slug in slugs and row.batch:
            entry = by_batch.setdefault(row.batch, (row.forecaster, row.recorded_at, {}))
            entry[2][slug] = row.probability
    out: dict[str, list[GroupForecast]] = {}
    for forecaster, at, probabilities in by_batch.values():
        out.setdefault(forecaster, []).append(GroupForecast(forecaster, probabilities, at))
    return out
