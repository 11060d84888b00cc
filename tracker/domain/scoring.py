"""Scoring forecasts once scenarios resolve (DESIGN, Precise semantics: Scoring). Pure.

Every score is time-weighted: a forecast counts for the time it stood, from its `recorded_at` to
the next forecast by the same person on the same scenario (or group), or to the resolution
instant, whichever comes first. Time after the resolution counts for nothing, so a forecast
recorded at or after it has weight 0. The log score is weighted the same way: the time-weighted
mean of ln p(outcome), p clipped to [0.001, 0.999] (higher is better), so the two scores sit side
by side over the same stretches of time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .scenarios import Outcome, Resolution

CLIP = (0.001, 0.999)


@dataclass(frozen=True)
class Forecast:
    """One person's probability that one scenario happens, from `recorded_at` on."""

    forecaster: str
    scenario: str
    probability: float
    recorded_at: datetime


@dataclass(frozen=True)
class GroupForecast:
    """One person's probabilities over a group's scenarios, given at once."""

    forecaster: str
    probabilities: Mapping[str, float]
    recorded_at: datetime


@dataclass(frozen=True)
class Score:
    """A forecaster's score on one resolved scenario; `forecasts` counts those that stood."""

    forecaster: str
    scenario: str
    brier: float
    log_score: float
    forecasts: int


@dataclass(frozen=True)
class Standing:
    """A forecaster's mean over the resolved scenarios they forecast."""

    forecaster: str
    brier: float
    log_score: float
    scenarios: int
    forecasts: int


@dataclass(frozen=True)
class CalibrationBin:
    """Forecasts whose probability fell in [low, high): their mean and how often it happened."""

    low: float
    high: float
    forecasts: int
    mean_probability: float
    observed: float


def weights(instants: Sequence[datetime], resolved_at: datetime) -> list[float]:
    """Return the seconds each of one person's forecasts stood before the next or the resolution.

    `instants` are in recording order; a forecast at or after the resolution weighs 0.

    >>> from datetime import UTC
    >>> t = [datetime(2016, 9, d, tzinfo=UTC) for d in (10, 12)]
    >>> weights(t, datetime(2016, 9, 13, tzinfo=UTC))
    [172800.0, 86400.0]
    """
    ends = list(instants[1:]) + [resolved_at] if instants else []
    return [max(0.0, (min(end, resolved_at) - start).total_seconds())
            for start, end in zip(instants, ends, strict=True)]


def clipped(p: float) -> float:
    return min(max(p, CLIP[0]), CLIP[1])


def score(forecasts: Sequence[Forecast], *, happened: bool, resolved_at: datetime) -> Score | None:
    """Return one person's time-weighted Brier and log score on one scenario, or None if no
    forecast stood before the resolution."""
    ordered = sorted(forecasts, key=lambda f: f.recorded_at)  # stable: same instant keeps order
    w = weights([f.recorded_at for f in ordered], resolved_at)
    total = sum(w)
    if not ordered or total == 0:
        return None
    o = 1.0 if happened else 0.0
    brier = sum(wi * (f.probability - o) ** 2 for wi, f in zip(w, ordered, strict=True)) / total
    log = sum(wi * math.log(clipped(f.probability if happened else 1 - f.probability))
              for wi, f in zip(w, ordered, strict=True)) / total
    first = ordered[0]
    return Score(first.forecaster, first.scenario, brier, log, sum(1 for x in w if x > 0))


def group_brier(forecasts: Sequence[GroupForecast], *, happened: str | None,
                resolved_at: datetime) -> float | None:
    """Return one person's time-weighted multi-category Brier: sum over the group's scenarios of
    (p - o)², o = 1 for the one that happened (none if `happened` is None); 0 best, 2 worst."""
    ordered = sorted(forecasts, key=lambda f: f.recorded_at)
    w = weights([f.recorded_at for f in ordered], resolved_at)
    total = sum(w)
    if not ordered or total == 0:
        return None
    def one(f: GroupForecast) -> float:
        return sum((p - (1.0 if s == happened else 0.0)) ** 2 for s, p in f.probabilities.items())
    return sum(wi * one(f) for wi, f in zip(w, ordered, strict=True)) / total


def leaderboard(scores: Iterable[Score]) -> list[Standing]:
    """Return each forecaster's mean over resolved scenarios, lowest Brier first."""
    by_person: dict[str, list[Score]] = {}
    for s in scores:
        by_person.setdefault(s.forecaster, []).append(s)
    standings = [
        Standing(name, sum(s.brier for s in mine) / len(mine),
                 sum(s.log_score for s in mine) / len(mine), len(mine),
                 sum(s.forecasts for s in mine))
        for name, mine in by_person.items()
    ]
    # Ties on Brier go to the better (higher) log score, then by name so the order is stable.
    return sorted(standings, key=lambda s: (s.brier, -s.log_score, s.forecaster))


def calibration(outcomes: Iterable[tuple[float, bool]], *, bins: int = 10) -> list[CalibrationBin]:
    """Return the bins that hold forecasts: how often what was forecast at p happened.

    Each pair is (probability, happened) for a forecast that stood before its resolution.

    >>> [(b.low, b.forecasts, b.observed) for b in calibration([(0.15, True), (0.1, False)])]
    [(0.1, 2, 0.5)]
    """
    filled: dict[int, list[tuple[float, bool]]] = {}
    for p, happened in outcomes:
        filled.setdefault(min(int(p * bins), bins - 1), []).append((p, happened))
    return [
        CalibrationBin(i / bins, (i + 1) / bins, len(pairs),
                       sum(p for p, _ in pairs) / len(pairs),
                       sum(1 for _, h in pairs if h) / len(pairs))
        for i, pairs in sorted(filled.items())
    ]


def group_outcome(resolutions: Sequence[Resolution]) -> tuple[str | None, datetime] | None:
    """Return (the scenario that happened, or None, and when) once a group is decided.

    Its scenarios exclude one another, so the first to happen decides the group; if none can
    happen any more, the last to fail does. While neither, the group is open (None).
    """
    decided = [(r.resolved_at, r) for r in resolutions if r.resolved_at is not None]
    happened = sorted((at, r.scenario) for at, r in decided if r.outcome is Outcome.HAPPENED)
    if happened:
        at, slug = happened[0]
        return slug, at
    if resolutions and len(decided) == len(resolutions):  # every one failed
        return None, max(at for at, _ in decided)
    return None
