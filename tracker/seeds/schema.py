"""The seed and record file formats as pydantic models. Unknown keys are refused."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    field_validator,
)

from ..domain.states import State
from .conditions import ConditionIn, Entering
from .fields import Duration, Instant, web_address
from .strict import Slug, Strict

Text = Annotated[str, StringConstraints(max_length=20_000)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Annotated[int, Field(ge=1, le=6)]


class SourceIn(Strict):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000),
                   AfterValidator(web_address)]
    title: Annotated[str, StringConstraints(max_length=500)] = ""
    reliability: Reliability | None = None
    credibility: Credibility | None = None


class ProvisionIn(Strict):
    quote: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    source: str


class AfterIn(Strict):
    after: Slug
    enters: State
    offset: Duration | None = None


class AfterStartIn(Strict):
    after_start: Duration


class StartsAfterIn(Entering):
    """`starts: {after: X, enters: S | [S...], offset?, by?, within?}`: when X enters one of
    the states (strictly before `by`, or it lapses), plus `offset`."""

    after: Slug
    offset: Duration | None = None


def _after_or_condition(value: object) -> str:
    after = isinstance(value, AfterIn) or (isinstance(value, dict) and "after" in value)
    return "After" if after else "Condition"


# `ends`: the older `{after: X, enters: S, offset?}`, or any condition.
Ends = Annotated[Annotated[AfterIn, Tag("After")] | Annotated[ConditionIn, Tag("Condition")],
                 Discriminator(_after_or_condition)]


class AgreementIn(Strict):
    slug: Slug
    title: Title
    timezone: str
    parties: list[Slug] = Field(min_length=1)
    announced_at: Instant
    signed_at: Instant | None = None
    sources: list[SourceIn] = []
    notes: Text = ""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not an IANA time zone; write e.g. Asia/Damascus or Europe/Kyiv"
            ) from None
        return value


class CommitmentIn(Strict):
    slug: Slug
    title: Title
    owed_by: list[Slug] = Field(min_length=1)
    owed_to: list[Slug] = []
    text: Text = ""
    provision: ProvisionIn | None = None
    starts: Instant | StartsAfterIn | None = None
    requires: ConditionIn | None = None
    hold_for: Duration | None = None
    due: Instant | AfterStartIn | AfterIn | None = None
    ends: Ends | None = None
    reminders: list[Duration] = []
    notes: Text = ""


class ScenarioIn(Strict):
    slug: Slug
    title: Title
    when: ConditionIn
    group: Slug | None = None


class AgreementSeed(Strict):
    """A seed file: one agreement's definition, without records."""

    agreement: AgreementIn
    commitments: list[CommitmentIn] = Field(min_length=1)
    scenarios: list[ScenarioIn] = []


class RecordIn(Strict):
    commitment: Slug
    kind: Literal["transition", "observation"]
    state: State | None = None
    occurred_at: Instant
    recorded_at: Instant | None = None
    by: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    reason: Text = ""
    summary: Text = ""
    confidence: Annotated[float, Field(ge=0, le=1)] | None = None
    sources: list[SourceIn] = []
    # A start recorded although its starts/requires were not met (real events do not wait for
    # our model); it needs a reason.
    force: bool = False


class RecordFile(Strict):
    """A record file: dated analyst records for one loaded agreement."""

    agreement: Slug
    records: list[RecordIn] = Field(min_length=1)
