"""Turn a validated seed into the domain's agreement."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.conditions import AllOf, AnyOf, Condition, Not
from ..domain.leaves import Enters
from ..domain.rules import After, AfterStart, Agreement, Commitment, Due, Scenario
from .conditions import AllOfIn, AnyOfIn, ConditionIn, Entering, LeafIn, NotIn
from .schema import AfterIn, AfterStartIn, AgreementSeed, CommitmentIn, ScenarioIn, StartsAfterIn


def to_domain(seed: AgreementSeed) -> Agreement:
    """Return the domain agreement the seed defines."""
    a = seed.agreement
    return Agreement(
        slug=a.slug,
        title=a.title,
        timezone=a.timezone,
        announced_at=a.announced_at,
        parties=tuple(a.parties),
        commitments=tuple(_commitment(c, a.announced_at) for c in seed.commitments),
        scenarios=tuple(_scenario(s, a.announced_at) for s in seed.scenarios),
    )


def _commitment(c: CommitmentIn, announced: datetime) -> Commitment:
    return Commitment(
        slug=c.slug,
        title=c.title,
        owed_by=tuple(c.owed_by),
        owed_to=tuple(c.owed_to),
        text=c.text,
        starts=_after(c.starts, announced) if isinstance(c.starts, StartsAfterIn) else c.starts,
        requires=condition(c.requires, announced) if c.requires else None,
        hold_for=c.hold_for,
        due=_due(c.due, announced),
        ends=_ends(c.ends, announced),
        reminders=tuple(sorted(c.reminders, reverse=True)),
    )


def _due(due: datetime | AfterIn | AfterStartIn | None, announced: datetime) -> Due:
    if isinstance(due, AfterIn):
        return _after(due, announced)
    if isinstance(due, AfterStartIn):
        return AfterStart(due.after_start)
    return due


def _ends(ends: AfterIn | ConditionIn | None, announced: datetime) -> After | None:
    if ends is None:
        return None
    if isinstance(ends, AfterIn):
        return _after(ends, announced)
    return After(condition(ends, announced))


def _after(rule: AfterIn | StartsAfterIn, announced: datetime) -> After:
    if isinstance(rule, StartsAfterIn):
        leaf = _leaf(rule.after, rule, announced)
    else:
        leaf = Enters(rule.after, (rule.enters,))
    return After(leaf, rule.offset or timedelta(0))


def condition(c: ConditionIn, announced: datetime) -> Condition:
    """Return the domain condition a seed's condition writes (`within` counted from `announced`)."""
    if isinstance(c, LeafIn):
        return _leaf(c.commitment, c, announced)
    if isinstance(c, AllOfIn):
        return AllOf(tuple(condition(p, announced) for p in c.parts()))
    if isinstance(c, AnyOfIn):
        return AnyOf(tuple(condition(p, announced) for p in c.parts()))
    assert isinstance(c, NotIn), f"not a condition: {c!r}"  # the schema refuses any other
    return Not(condition(c.not_, announced))


def _leaf(commitment: str, rule: Entering, announced: datetime) -> Enters:
    by = announced + rule.within if rule.within is not None else rule.by
    return Enters(commitment, rule.states(), by, rule.within)


def _scenario(s: ScenarioIn, announced: datetime) -> Scenario:
    return Scenario(s.slug, s.title, condition(s.when, announced), s.group)
