"""The seed and record file formats as pydantic models. Unknown keys are refused."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ..domain.states import State
from .fields import Duration, Instant, web_address

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=100)]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=300)]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Annotated[int, Field(ge=1, le=6)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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


class ConditionIn(Strict):
    all_of: dict[Slug, State] | None = None
    any_of: dict[Slug, State] | None = None

    @field_validator("all_of", "any_of")
    @classmethod
    def _not_empty(cls, value: dict[str, State] | None) -> dict[str, State] | None:
        if value is not None and not value:
            raise ValueError("names no commitment; give at least one `slug: state`")
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> ConditionIn:
        if (self.all_of is None) == (self.any_of is None):
            raise ValueError("give exactly one of all_of or any_of")
        return self

    def mode_and_terms(self) -> tuple[str, dict[str, State]]:
        return ("all_of", self.all_of) if self.all_of is not None else ("any_of", self.any_of or {})


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
    starts: Instant | AfterIn | None = None
    requires: ConditionIn | None = None
    hold_for: Duration | None = None
    due: Instant | AfterStartIn | AfterIn | None = None
    ends: AfterIn | None = None
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
