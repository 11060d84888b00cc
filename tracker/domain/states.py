"""Commitment states and the one table of allowed transitions."""

from __future__ import annotations

from enum import StrEnum

from .errors import DomainError


class State(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    OVERDUE = "overdue"
    FULFILLED = "fulfilled"
    BREACHED = "breached"
    LAPSED = "lapsed"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"


FINAL: frozenset[State] = frozenset({State.FULFILLED, State.BREACHED, State.LAPSED, State.WITHDRAWN})

# The one table: the clock, propagation and analysts all go through it.
TRANSITIONS: dict[State, tuple[State, ...]] = {
    State.PENDING: (State.ACTIVE, State.OVERDUE, State.LAPSED, State.WITHDRAWN),
    State.ACTIVE: (State.FULFILLED, State.BREACHED, State.OVERDUE, State.SUSPENDED, State.WITHDRAWN),
    State.OVERDUE: (State.FULFILLED, State.BREACHED, State.SUSPENDED, State.WITHDRAWN, State.LAPSED),
    State.SUSPENDED: (State.ACTIVE, State.OVERDUE, State.BREACHED, State.WITHDRAWN),
}


def allowed_next(state: State, *, started: bool) -> tuple[State, ...]:
    """Return the states `state` may move to; overdue may lapse only if the commitment never started.

    >>> [s.value for s in allowed_next(State.PENDING, started=False)]
    ['active', 'overdue', 'lapsed', 'withdrawn']
    >>> State.LAPSED in allowed_next(State.OVERDUE, started=True)
    False
    """
    targets = TRANSITIONS.get(state, ())
    if state is State.OVERDUE and started:
        return tuple(t for t in targets if t is not State.LAPSED)
    return targets


def parse_state(value: str, *, field: str = "state") -> State:
    """Return the State named `value`, or raise a DomainError listing the valid names."""
    try:
        return State(value)
    except ValueError:
        names = ", ".join(s.value for s in State)
        raise DomainError(f"{field}: {value!r} is not a state; use one of {names}") from None
