"""Scenarios resolve themselves: happened when their condition is met, did-not-happen when it no
longer can be."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .conditions import Track, impossible, met_at
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


def resolve(scenario: Scenario, tracks: Mapping[str, Track]) -> Resolution:
    """Return the scenario's outcome as the tracks decide it."""
    met = met_at(scenario.when, tracks)
    if met is not None:
        return Resolution(scenario.slug, Outcome.HAPPENED, met)
    decided = impossible(scenario.when, tracks)
    if decided is not None:
        return Resolution(scenario.slug, Outcome.DID_NOT_HAPPEN, decided.at)
    return Resolution(scenario.slug, Outcome.OPEN)
