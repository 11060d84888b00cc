"""What the read use cases return: plain pydantic DTOs whose JSON is the CLI's `--json`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer

from ..domain.timefmt import utc_z

UTC = Annotated[datetime, PlainSerializer(utc_z)]
MaybeUTC = Annotated[datetime | None, PlainSerializer(lambda v: utc_z(v) if v else None)]


class CommitmentStatus(BaseModel):
    slug: str
    title: str
    state: str
    since: UTC
    cause: str
    due: MaybeUTC
    version: int
    notes: str = ""  # the seed's notes on the commitment


class ScenarioStatus(BaseModel):
    slug: str
    outcome: str
    resolved_at: MaybeUTC
    words: str = ""  # what makes it happen: "happens when seven-day-calm is breached, or ..."


class StatusView(BaseModel):
    agreement: str
    as_of: UTC
    known_at: MaybeUTC
    commitments: list[CommitmentStatus]
    scenarios: list[ScenarioStatus]
    notes: str = ""  # the seed's notes on the agreement
    announced: bool = True  # False: `as_of` is before the agreement was announced
    title: str = Field(exclude=True)
    timezone: str = Field(exclude=True)
    announced_at: datetime = Field(exclude=True)


class SourceView(BaseModel):
    url: str
    title: str
    reliability: str | None
    credibility: int | None


class HistoryItem(BaseModel):
    """A record of the log, or a decision of the clock (`by` "clock", id "clock-N")."""

    id: int | str
    commitment: str | None
    kind: str
    state: str | None
    occurred_at: UTC
    recorded_at: UTC
    by: str
    reason: str
    summary: str
    sources: list[SourceView]
    overridden_by: int | str | None
    override_cause: str | None = None
    retracts: int | None = None
    retracted_by: int | None = None
    confidence: float | None = None
    forced: bool = False  # a start recorded with --force: its starts/requires were not met
    undone_by: int | str | None = None  # a clock decision a later record undid (its id)
    undone_cause: str | None = None  # what replaced it
    loaded_by: str | None = None  # team mode: who loaded the record file `by` was taken from

    def who(self) -> str:
        """Return who recorded it, and who loaded it when that was someone else."""
        return f"{self.by}, loaded by {self.loaded_by}" if self.loaded_by else self.by
