"""The one transition table: what it allows, and that everything else is refused."""

from __future__ import annotations

import itertools

import pytest

from tracker.domain.projection import project
from tracker.domain.states import FINAL, TRANSITIONS, State, allowed_next

from ..factories import at, make_agreement, transition


def test_final_states_go_nowhere() -> None:
    assert {s for s in State if not allowed_next(s, started=True)} == set(FINAL)


def test_overdue_lapses_only_if_it_never_started() -> None:
    assert State.LAPSED in allowed_next(State.OVERDUE, started=False)
    assert State.LAPSED not in allowed_next(State.OVERDUE, started=True)


def test_table_matches_the_design() -> None:
    assert TRANSITIONS[State.SUSPENDED] == (State.ACTIVE, State.OVERDUE, State.BREACHED,
                                            State.WITHDRAWN)
    assert State.FULFILLED not in TRANSITIONS[State.PENDING]


ILLEGAL = [(a, b) for a, b in itertools.product(State, State)
           if b not in allowed_next(a, started=True)]


@pytest.mark.parametrize(("start", "target"), ILLEGAL)
def test_every_illegal_analyst_transition_is_overridden_with_the_allowed_states(
        start: State, target: State) -> None:
    agreement = make_agreement({"slug": "x"})  # active from the announcement
    setup = {
        State.PENDING: [], State.ACTIVE: [],
        State.OVERDUE: [transition("x", "overdue", at(1))],
        State.SUSPENDED: [transition("x", "suspended", at(1))],
        State.FULFILLED: [transition("x", "fulfilled", at(1))],
        State.BREACHED: [transition("x", "breached", at(1))],
        State.LAPSED: [transition("x", "overdue", at(1)), transition("x", "lapsed", at(1.5))],
        State.WITHDRAWN: [transition("x", "withdrawn", at(1))],
    }
    if start is State.PENDING:
        agreement = make_agreement({"slug": "x", "starts": at(days=30).isoformat()})
    if start is State.LAPSED:
        # only a commitment that never started can lapse
        agreement = make_agreement({"slug": "x", "starts": at(days=30).isoformat()})
    bad = transition("x", target.value, at(2))
    result = project(agreement, [*setup[start], bad], until=at(3))
    if start is State.LAPSED:
        assert result.tracks["x"].state is State.LAPSED
    else:
        assert result.tracks["x"].state is start
    assert bad.id in result.overridden
    cause = result.overridden[bad.id].cause
    assert f"test-agreement/x cannot become {target.value}" in cause
    assert f"it was {start.value}" in cause
    for allowed in allowed_next(start, started=start is not State.PENDING):
        assert allowed.value in cause
