"""The log: analyst records with both instants. Append-only; a correction is a new record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .states import State


class RecordKind(StrEnum):
    TRANSITION = "transition"
    OBSERVATION = "observation"
    RETRACTION = "retraction"


@dataclass(frozen=True)
class Source:
    url: str
    title: str = ""
    reliability: str | None = None  # Admiralty scale A-F
    credibility: int | None = None  # Admiralty scale 1-6


@dataclass(frozen=True)
class Record:
    id: int
    kind: RecordKind
    commitment: str | None
    occurred_at: datetime
    recorded_at: datetime
    by: str
    state: State | None = None
    reason: str = ""
    summary: str = ""
    confidence: float | None = None
    sources: tuple[Source, ...] = ()
    retracts: int | None = None
    forced: bool = False  # an analyst's start recorded although its starts/requires were unmet

    def order_key(self) -> tuple[datetime, datetime, int]:
        """Records at one instant are ordered by recorded_at, then by id."""
        return (self.occurred_at, self.recorded_at, self.id)


def effective(records: list[Record]) -> list[Record]:
    """Return the transitions and observations no retraction has undone, in projection order."""
    retracted = {r.retracts for r in records if r.kind is RecordKind.RETRACTION}
    kept = [r for r in records if r.kind is not RecordKind.RETRACTION and r.id not in retracted]
    return sorted(kept, key=Record.order_key)
