"""Turn a validated seed into the domain's agreement."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..domain.rules import After, AfterStart, Agreement, Commitment, Condition, Due, Scenario
from .schema import AfterIn, AfterStartIn, AgreementSeed, CommitmentIn, ConditionIn, ScenarioIn


def to_domain(seed: AgreementSeed) -> Agreement:
    """Return the domain agreement the seed defines."""
    a = seed.agreement
    return Agreement(
        slug=a.slug,
        title=a.title,
        timezone=a.timezone,
        announced_at=a.announced_at,
        parties=tuple(a.parties),
        commitments=tuple(_commitment(c) for c in seed.commitments),
        scenarios=tuple(_scenario(s) for s in seed.scenarios),
    )


def _commitment(c: CommitmentIn) -> Commitment:
    return Commitment(
        slug=c.slug,
        title=c.title,
        owed_by=tuple(c.owed_by),
        owed_to=tuple(c.owed_to),
        text=c.text,
        starts=_after(c.starts) if isinstance(c.starts, AfterIn) else c.starts,
        requires=_condition(c.requires) if c.requires else None,
        hold_for=c.hold_for,
        due=_due(c.due),
        ends=_after(c.ends) if c.ends else None,
        reminders=tuple(sorted(c.reminders, reverse=True)),
    )


def _due(due: datetime | AfterIn | AfterStartIn | None) -> Due:
    if isinstance(due, AfterIn):
        return _after(due)
    if isinstance(due, AfterStartIn):
        return AfterStart(due.after_start)
    return due


def _after(rule: AfterIn) -> After:
    return After(rule.after, rule.enters, rule.offset or timedelta(0))


def _condition(c: ConditionIn) -> Condition:
    mode, terms = c.mode_and_terms()
    return Condition("all_of" if mode == "all_of" else "any_of", tuple(terms.items()))


def _scenario(s: ScenarioIn) -> Scenario:
    return Scenario(s.slug, s.title, _condition(s.when), s.group)
