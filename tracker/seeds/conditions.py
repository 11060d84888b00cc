"""The condition language as the seed format writes it (DESIGN, "Condition language"):

    {commitment: X, enters: S | [S, ...], by?: T, within?: D}
    {all_of: [C, ...]}    {any_of: [C, ...]}    {not: C}

and the older mapping form `{all_of: {x: s, y: t}}`, read as the list of leaves it means (so
both spellings store the same definition). Which kind a mapping is, is decided by its key, so
an error names the path into the condition (`when.any_of[1].not.enters`) and nothing else.
The depth limit and the references to commitments are checked across the file (checks.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from ..domain.states import State
from .fields import Deadline, Duration, shown
from .strict import Slug, Strict

MAX_DEPTH = 8  # levels of all_of, any_of and not: a real rule needs two or three


def _absent(value: object) -> bool:
    return value is None


def _one_or_several(value: object) -> str:
    return "Several" if isinstance(value, list) else "One"


def _distinct(value: State | list[State]) -> State | list[State]:
    if isinstance(value, list):
        if not value:
            raise ValueError("names no state; give one, e.g. breached, or a list of them")
        if len(set(value)) < len(value):
            raise ValueError("names a state twice; give each state once")
        if len(value) == 1:  # `enters: [s]` is `enters: s`: one stored form
            return value[0]
    return value


# One state or a list of them; the tags ("One") are not part of an error's path.
States = Annotated[Annotated[State, Tag("One")] | Annotated[list[State], Tag("Several")],
                   Discriminator(_one_or_several), AfterValidator(_distinct)]


class Entering(Strict):
    """What a leaf and a `starts: {after: X, ...}` share: the states, and a deadline."""

    enters: States
    by: Deadline | None = Field(default=None, exclude_if=_absent)
    within: Duration | None = Field(default=None, exclude_if=_absent)

    @model_validator(mode="after")
    def _one_deadline(self) -> Entering:
        if self.by is not None and self.within is not None:
            raise ValueError("give `by` or `within`, not both (within: D means by the "
                             "announcement plus D)")
        return self

    def states(self) -> tuple[State, ...]:
        return tuple(self.enters) if isinstance(self.enters, list) else (self.enters,)


class LeafIn(Entering):
    """`{commitment: X, enters: S | [S...], by?: T, within?: D}`: X has entered one of the
    states, strictly before T (or the announcement plus D)."""

    commitment: Slug


def _mapping_or_list(value: object) -> str:
    return "Mapping" if isinstance(value, dict) else "List"


def _as_leaves(value: dict[str, State] | list[ConditionIn]) -> list[ConditionIn]:
    if not value:
        raise ValueError("names no commitment; give at least one condition, e.g. "
                         "[{commitment: seven-day-calm, enters: breached}]")
    if isinstance(value, dict):  # the older form: `{x: s}` is `[{commitment: x, enters: s}]`
        return [LeafIn(commitment=slug, enters=state) for slug, state in value.items()]
    return value


Parts = Annotated[Annotated[dict[Slug, State], Tag("Mapping")]
                  | Annotated[list["ConditionIn"], Tag("List")],
                  Discriminator(_mapping_or_list), AfterValidator(_as_leaves)]


class AllOfIn(Strict):
    all_of: Parts

    def parts(self) -> list[ConditionIn]:
        assert isinstance(self.all_of, list)
        return self.all_of


class AnyOfIn(Strict):
    any_of: Parts

    def parts(self) -> list[ConditionIn]:
        assert isinstance(self.any_of, list)
        return self.any_of


class NotIn(Strict):
    not_: ConditionIn = Field(alias="not")


_KEYS = {"all_of": "AllOf", "any_of": "AnyOf", "not": "Not", "commitment": "Leaf",
         "enters": "Leaf"}
_MODELS: dict[type[BaseModel], str] = {}


def _kind(value: object) -> str:
    """Return which kind of condition `value` is, by its keys ("Unclear" when none or several)."""
    if isinstance(value, BaseModel):
        return _MODELS.get(type(value), "Unclear")
    kinds = {_KEYS[k] for k in value if k in _KEYS} if isinstance(value, dict) else set()
    return kinds.pop() if len(kinds) == 1 else "Unclear"


class UnclearIn(Strict):
    """What is not one condition: always refused, saying what a condition looks like."""

    @model_validator(mode="before")
    @classmethod
    def _refuse(cls, value: Any) -> Any:
        if isinstance(value, dict):
            found = [k for k in ("all_of", "any_of", "not") if k in value]
            found += ["a leaf {commitment, enters}"] if {"commitment", "enters"} & set(value) else []
            if found:
                raise ValueError(f"{' and '.join(found)} in one mapping: give exactly one of "
                                 "all_of or any_of, not, or a leaf {commitment, enters}; to "
                                 "combine them, list them under all_of")
        raise ValueError(f"{shown(value)} is not a condition; write {{commitment: X, enters: "
                         "S}, {all_of: [...]}, {any_of: [...]} or {not: {...}}")


ConditionIn = Annotated[
    Annotated[LeafIn, Tag("Leaf")] | Annotated[AllOfIn, Tag("AllOf")]
    | Annotated[AnyOfIn, Tag("AnyOf")] | Annotated[NotIn, Tag("Not")]
    | Annotated[UnclearIn, Tag("Unclear")],
    Discriminator(_kind)]

_MODELS.update({LeafIn: "Leaf", AllOfIn: "AllOf", AnyOfIn: "AnyOf", NotIn: "Not"})
for _model in (AllOfIn, AnyOfIn, NotIn):
    _model.model_rebuild()
