"""Scenarios resolve themselves: happened when their condition is met, did-not-happen when it no
longer can be."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .conditions import Track, verdict
from .rules import Scenario


class Outcome(StrEnum):
    OPEN = "open"
    HAPPENED = "happened"
    DID_NOT_HAPPEN = "did-not-happen"


@dataclass(frozen=True)
class Resolution:
    scenario: str
    outcome: Outcome
    resolved_at: datetime | None = None


def resolve(scenario: Scenario, tracks: Mapping[str, Track], *, now: datetime) -> Resolution:
    """Return the scenario's outcome at `now` as the tracks (standing at `now`) decide it, at the
    instant they decided it: a record's, a clock decision's, or a `by:` that passed."""
    decided = verdict(scenario.when, tracks, now=now)
    if decided.met is not None:
        return Resolution(scenario.slug, Outcome.HAPPENED, decided.met.at)
    if decided.failed is not None:
        return Resolution(scenario.slug, Outcome.DID_NOT_HAPPEN, decided.failed.at)
    return Resolution(scenario.slug, Outcome.OPEN)
