"""The rules a forecast must pass before it is written; each refusal names the field and fix."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel import Session

from ..domain.errors import DomainError
from ..domain.scenarios import Outcome
from ..domain.scoring import group_outcome
from ..domain.timefmt import local, utc_z
from ..store import forecasts as store
from ..store import queries
from ..store.tables import AgreementRow, ScenarioRow
from .outcomes import resolutions

# A group's probabilities are typed by people to two or three decimals: 0.333 + 0.333 + 0.333
# must pass, 0.7 must not. One part in a thousand is that line.
GROUP_TOLERANCE = 0.001


def check_probability(value: float, *, field: str) -> float:
    if math.isnan(value) or not 0 <= value <= 1:
        raise DomainError(f"{field}: {value} is outside 0..1; give a probability, e.g. 0.7")
    return float(value)


def check_clock(session: Session, row: AgreementRow, now: datetime) -> None:
    """Refuse a clock earlier than the agreement's latest record or forecast (append order)."""
    assert row.id is not None
    known = [t for t in (queries.latest_recorded_at(session, row.id),
                         store.latest_forecast_at(session, row.id)) if t is not None]
    if known and now < max(known):
        raise DomainError(
            f"--now: {utc_z(now)} is before the latest record of {row.slug} "
            f"({utc_z(max(known))}); the log is kept in recording order, so use a later --now")


def refuse_resolved(session: Session, row: AgreementRow, scenarios: Sequence[ScenarioRow],
                     now: datetime) -> None:
    known = resolutions(session, row, at=now)
    for s in scenarios:
        r = known[s.slug]
        if r.outcome is not Outcome.OPEN and r.resolved_at is not None:
            raise DomainError(
                f"{s.slug}: already resolved ({r.outcome.value} at "
                f"{local(r.resolved_at, row.timezone)}); a forecast is only taken on an open "
                "scenario")


def refuse_decided_group(session: Session, row: AgreementRow, group: str,
                          members: Sequence[ScenarioRow], given: Mapping[str, float],
                          now: datetime) -> None:
    """Refuse a decided group; a member that can no longer happen must be given 0."""
    known = resolutions(session, row, at=now)
    decided = group_outcome([known[m.slug] for m in members])
    if decided is not None:
        raise DomainError(f"GROUP: {group!r} is already decided (on "
                          f"{local(decided[1], row.timezone)}); a forecast is only taken on an "
                          "open group")
    for m in members:
        r = known[m.slug]
        if r.outcome is Outcome.DID_NOT_HAPPEN and r.resolved_at and given[m.slug] > 0:
            raise DomainError(f"{m.slug}: did not happen (decided on "
                              f"{local(r.resolved_at, row.timezone)}); give it 0")


def check_covers(group: str, members: list[str], given: Mapping[str, float]) -> None:
    unknown = sorted(set(given) - set(members))
    missing = [m for m in members if m not in given]
    if unknown or missing:
        wrong = f"unknown {', '.join(unknown)}" if unknown else f"missing {', '.join(missing)}"
        raise DomainError(f"SCENARIO=P: {wrong}; give every scenario of {group!r} once: "
                          f"{' '.join(m + '=P' for m in members)}")
    total = sum(given.values())
    if round(abs(total - 1), 9) > GROUP_TOLERANCE:  # rounded: 0.333 + 0.666 is 0.999
        raise DomainError(f"SCENARIO=P: the probabilities of {group!r} sum to {total:g}; "
                          f"its scenarios exclude one another, so make them sum to 1 "
                          f"(within {GROUP_TOLERANCE})")
