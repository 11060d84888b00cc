"""Scoring by hand: time-weighted Brier and log score, groups, the leaderboard, calibration."""

from __future__ import annotations

import math

import pytest

from tracker.domain.scenarios import Outcome, Resolution
from tracker.domain.scoring import (
    Forecast,
    GroupForecast,
    Score,
    calibration,
    group_brier,
    group_outcome,
    leaderboard,
    score,
)

from ..factories import at


def f(p: float, day: float, who: str = "ana", scenario: str = "collapse") -> Forecast:
    return Forecast(who, scenario, p, at(days=day))


def test_a_single_forecast_scores_its_squared_error() -> None:
    result = score([f(0.8, 0)], happened=True, resolved_at=at(days=4))
    assert result is not None
    assert result.brier == pytest.approx(0.04)  # (0.8 - 1)²
    assert result.log_score == pytest.approx(math.log(0.8))
    assert result.forecasts == 1


def test_each_forecast_counts_for_the_time_it_stood() -> None:
    # 0.2 stood 1 day, 0.6 stood 3 days, then the scenario happened:
    # Brier = (1·0.64 + 3·0.16) / 4 = 1.12 / 4 = 0.28
    # log   = (1·ln 0.2 + 3·ln 0.6) / 4
    result = score([f(0.6, 1), f(0.2, 0)], happened=True, resolved_at=at(days=4))
    assert result is not None
    assert result.brier == pytest.approx(0.28)
    assert result.log_score == pytest.approx((math.log(0.2) + 3 * math.log(0.6)) / 4)


def test_time_after_the_resolution_counts_for_nothing() -> None:
    # 0.9 stood 2 days before the resolution; the 0.1 recorded after it weighs nothing.
    result = score([f(0.9, 0), f(0.1, 3)], happened=False, resolved_at=at(days=2))
    assert result is not None
    assert result.brier == pytest.approx(0.81)  # (0.9 - 0)²
    assert result.log_score == pytest.approx(math.log(0.1))  # ln p(did not happen) = ln 0.1
    assert result.forecasts == 1


def test_no_forecast_before_the_resolution_gives_no_score() -> None:
    assert score([f(0.5, 3)], happened=True, resolved_at=at(days=2)) is None
    assert score([], happened=True, resolved_at=at(days=2)) is None


def test_certainty_on_the_wrong_outcome_is_clipped_in_the_log_score() -> None:
    result = score([f(0.0, 0)], happened=True, resolved_at=at(days=1))
    assert result is not None
    assert result.brier == 1.0
    assert result.log_score == pytest.approx(math.log(0.001))


def test_group_brier_sums_the_squared_errors_of_every_scenario() -> None:
    first = GroupForecast("ana", {"holds": 0.5, "collapses": 0.3, "other": 0.2}, at(days=0))
    second = GroupForecast("ana", {"holds": 0.1, "collapses": 0.9, "other": 0.0}, at(days=1))
    # first:  0.25 + 0.49 + 0.04 = 0.78, stood 1 day; second: 0.01 + 0.01 + 0 = 0.02, 3 days
    # (0.78 + 3·0.02) / 4 = 0.21
    value = group_brier([first, second], happened="collapses", resolved_at=at(days=4))
    assert value == pytest.approx(0.21)


def test_the_leaderboard_ranks_the_lowest_mean_brier_first() -> None:
    scores = [Score("bo", "a", 0.5, -0.7, 1), Score("bo", "b", 0.3, -0.5, 2),
              Score("ana", "a", 0.1, -0.1, 1)]
    board = leaderboard(scores)
    assert [s.forecaster for s in board] == ["ana", "bo"]
    assert board[1].brier == pytest.approx(0.4)
    assert board[1].log_score == pytest.approx(-0.6)
    assert (board[1].scenarios, board[1].forecasts) == (2, 3)


def test_calibration_bins_compare_forecasts_with_how_often_they_came_true() -> None:
    bins = calibration([(0.72, True), (0.78, False), (0.75, True), (0.05, False), (1.0, True)])
    assert [(b.low, b.forecasts) for b in bins] == [(0.0, 1), (0.7, 3), (0.9, 1)]
    assert bins[1].observed == pytest.approx(2 / 3)
    assert bins[1].mean_probability == pytest.approx(0.75)


def test_a_group_is_decided_by_the_first_scenario_that_happens_or_when_all_fail() -> None:
    holds = Resolution("holds", Outcome.DID_NOT_HAPPEN, at(days=3))
    collapses = Resolution("collapses", Outcome.HAPPENED, at(days=3))
    still_open = Resolution("other", Outcome.OPEN)
    assert group_outcome([holds, collapses, still_open]) == ("collapses", at(days=3))
    assert group_outcome([holds, still_open]) is None
    assert group_outcome([holds, Resolution("x", Outcome.DID_NOT_HAPPEN, at(days=5))]) == (
        None, at(days=5))
