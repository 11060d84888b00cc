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


def resolve(scenario: Scenario, tracks: Mapping[str, Track]) -> Resolution:
    """Return the scenario's outcome as the tracks decide it, at the instant they decided it."""
    decided = verdict(scenario.when, tracks)
    if decided.met is not None:
        return Resolution(scenario.slug, Outcome.HAPPENED, decided.met)
    if decided.failed is not None:
        return Resolution(scenario.slug, Outcome.DID_NOT_HAPPEN, decided.failed.at)
    return Resolution(scenario.slug, Outcome.OPEN)
