"""Rules and conditions in words: one sentence per rule of a commitment, a scenario's "happens
when ...", and what decided a condition. The CLI, the dashboard and reports all say these."""

from __future__ import annotations

from datetime import datetime, timedelta

from . import phrases
from .conditions import Condition, Decided
from .leaves import Enters
from .rules import After, AfterStart, Commitment, Scenario
from .timefmt import duration_words, local


def rule_words(c: Commitment, tz: str) -> list[str]:
    """Return one plain sentence per rule of `c`, e.g. "starts when seven-day-calm is fulfilled".

    >>> from datetime import timedelta
    >>> from tracker.domain.leaves import enters
    >>> from tracker.domain.states import State
    >>> c = Commitment("jic", "JIC", ("us",), starts=After(enters("calm", State.FULFILLED)),
    ...                requires=enters("aid", State.ACTIVE), due=AfterStart(timedelta(days=7)))
    >>> rule_words(c, "UTC")
    ['starts when calm is fulfilled', 'requires that aid becomes active', 'due 7 days after it starts']
    """
    words = [_starts(c, tz)]
    if c.requires is not None:
        words.append(f"requires that {c.requires.describe(tz)}")
    if c.hold_for is not None:
        words.append(f"must hold {duration_words(c.hold_for)} unbroken; then it is fulfilled")
    if c.due is not None:
        words.append(_due(c.due, tz))
    if c.ends is not None:
        words.append(f"ends, fulfilled, when {_after(c.ends, tz)}")
    if c.reminders:
        leads = " and ".join(duration_words(r) for r in c.reminders)
        words.append(f"reminders {leads} before each deadline")
    return [w for w in words if w]


def scenario_words(scenario: Scenario, tz: str) -> str:
    """Return what makes the scenario happen, e.g. "happens when seven-day-calm is breached
    before 19 Sep 2016 19:00, or joint-targeting never becomes active"."""
    return f"happens when {scenario.when.describe(tz)}"


def unmet_words(condition: Condition, tz: str) -> str:
    """Return a condition not (yet) met in words: "seven-day-calm has not become fulfilled"."""
    if isinstance(condition, Enters):
        states = phrases.joined([s.value for s in condition.states], "or", comma=False)
        late = f" {phrases.deadline(condition.by, tz, condition.within)}" if condition.by else ""
        return f"{condition.commitment} has not become {states}{late}"
    return f"{condition.describe(tz)} is not met"


def decided_words(decided: Decided, tz: str, *, final: bool = False) -> str:
    """Return what decided a condition: "calm became fulfilled on <date>" ("was breached",
    with `final`, for what ended it), or "calm had not become breached before <date>"."""
    at = local(decided.at, tz)
    if decided.state is None:
        missed = phrases.joined([s.value for s in decided.missed], "or", comma=False)
        return f"{decided.commitment} had not become {missed} before {at}"
    verb = "was" if final else "became"
    return f"{decided.commitment} {verb} {decided.state.value} on {at}"


def _starts(c: Commitment, tz: str) -> str:
    if isinstance(c.starts, datetime):
        return f"starts at {local(c.starts, tz)}"
    if isinstance(c.starts, After):
        return f"starts when {_after(c.starts, tz)}"
    return "" if c.requires is not None else "in force from the announcement"


def _due(due: datetime | After | AfterStart, tz: str) -> str:
    if isinstance(due, datetime):
        return f"due by {local(due, tz)}"
    if isinstance(due, AfterStart):
        return f"due {duration_words(due.duration)} after it starts"
    return f"due {duration_words(due.offset)} after {due.when.describe(tz)}"


def _after(rule: After, tz: str) -> str:
    later = f", {duration_words(rule.offset)} later" if rule.offset else ""
    return f"{rule.when.describe(tz)}{later}"


def leaf_label(leaf: Condition, tz: str, *, negated: bool = False,
               offset: timedelta | None = None) -> str:
    """Return a leaf in a few words, for a graph's edge: "fulfilled", "not active",
    "breached before 19 Sep 2016 19:00", "fulfilled +1 day"."""
    if not isinstance(leaf, Enters):  # a kind of leaf with no short form: its words, less X
        return leaf.describe(tz, negated=negated).removeprefix(f"{leaf.commitments()[0]} ")
    words = ("not " if negated else "") + "/".join(s.value for s in leaf.states)
    if leaf.by is not None:
        words += " " + phrases.deadline(leaf.by, tz, leaf.within)
    return words + (f" +{duration_words(offset)}" if offset else "")
