"""Use cases that record forecasts: one scenario, or every scenario of a group at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session

from ..domain.errors import DomainError
from ..domain.timefmt import utc_z
from ..store import forecasts as store
from ..store import queries
from ..store.db import unit_of_work
from ..store.tables import AgreementRow, ForecastRow, ScenarioRow
from .access import guarded
from .app import App
from .errors import NotFound
from .forecast_checks import (
    check_clock,
    check_covers,
    check_probability,
    refuse_decided_group,
    refuse_resolved,
)
from .recording import agreement_or_fail
from .validation import check_by, check_text


@dataclass(frozen=True)
class Forecasted:
    """The new forecasts' ids and the instant they count from."""

    ids: list[int]
    recorded_at: datetime


@guarded("forecast", role="analyst", about="agreement")
def record_forecast(app: App, target: str, probability: float, *, by: str, rationale: str,
                    at: datetime | None = None) -> Forecasted:
    """Record BY's probability that AGREEMENT/SCENARIO happens, counting from now."""
    slug, scenario_slug = _split(target)
    p = check_probability(probability, field="PROBABILITY")
    call = _checked(app, by=by, rationale=rationale, at=at)
    with _writing(app, slug) as (session, row, now):
        call = replace(call, now=now)
        scenario = _scenario(session, row, scenario_slug)
        if scenario.group_name:
            raise DomainError(
                f"AGREEMENT/SCENARIO: {scenario_slug!r} belongs to the group "
                f"{scenario.group_name!r}; forecast all its scenarios at once with "
                f"`tracker forecast {slug}/{scenario.group_name} SCENARIO=P ...`")
        refuse_resolved(session, row, [scenario], call.now)
        ids = store.add_forecasts(session, [_row(row, scenario, p, call, None)])
    return Forecasted(ids, now)


@guarded("forecast group", role="analyst", about="agreement")
def record_group_forecast(app: App, target: str, probabilities: Mapping[str, float], *,
                          by: str, rationale: str, at: datetime | None = None) -> Forecasted:
    """Record BY's probabilities over every scenario of AGREEMENT/GROUP, summing to 1."""
    slug, group = _split(target, what="AGREEMENT/GROUP")
    checked = {s: check_probability(p, field=s) for s, p in probabilities.items()}
    call = _checked(app, by=by, rationale=rationale, at=at)
    with _writing(app, slug) as (session, row, now):
        call = replace(call, now=now)
        members = _group(session, row, group)
        check_covers(group, [m.slug for m in members], checked)
        refuse_decided_group(session, row, group, members, checked, call.now)
        batch = uuid.uuid4().hex
        ids = store.add_forecasts(session, [_row(row, m, checked[m.slug], call, batch)
                                            for m in members])
    return Forecasted(ids, now)


@dataclass(frozen=True)
class _Call:
    """What every forecast command carries besides its probabilities, checked."""

    now: datetime
    by: str
    rationale: str


def _checked(app: App, *, by: str, rationale: str, at: datetime | None) -> _Call:
    if not rationale.strip():
        raise DomainError("--rationale: say in a sentence why you give this probability")
    now = app.clock()
    if at is not None and at != now:
        raise DomainError(
            f"--at: {utc_z(at)} is not the clock's instant ({utc_z(now)}); a forecast counts "
            "from when it is recorded and cannot be backdated: drop --at, or give the same "
            "instant as --now")
    return _Call(now, check_by(by), check_text(rationale, field="--rationale"))


@contextmanager
def _writing(app: App, slug: str) -> Iterator[tuple[Session, AgreementRow, datetime]]:
    """Yield one unit of work with the agreement row locked, and the clock read and checked."""
    with unit_of_work(app.database_url) as session:
        row = agreement_or_fail(session, slug, lock=True)
        # Read once the lock is ours: a writer that read the clock earlier but locked later
        # would be refused as "before the latest record" by no fault of its user.
        now = app.clock()
        check_clock(session, row, now)
        yield session, row, now


def _split(target: str, what: str = "AGREEMENT/SCENARIO") -> tuple[str, str]:
    agreement, sep, rest = target.partition("/")
    if not sep or not agreement or not rest or "/" in rest:
        raise DomainError(f"{what}: {target!r} is not of that form; write e.g. "
                          "us-russia-syria-2016/truce-collapses")
    return agreement, rest


def _scenario(session: Session, row: AgreementRow, slug: str) -> ScenarioRow:
    rows = queries.scenarios(session, row.id or 0)
    for s in rows:
        if s.slug == slug:
            return s
    groups = sorted({s.group_name for s in rows if s.group_name})
    raise NotFound(f"SCENARIO: {slug!r} is not a scenario of {row.slug}; use one of "
                   f"{', '.join(s.slug for s in rows) or 'none defined'}"
                   + (f" (or a group: {', '.join(groups)})" if groups else ""))


def _group(session: Session, row: AgreementRow, group: str) -> list[ScenarioRow]:
    rows = queries.scenarios(session, row.id or 0)
    members = [s for s in rows if s.group_name == group]
    if not members:
        groups = sorted({s.group_name for s in rows if s.group_name})
        raise NotFound(f"GROUP: {group!r} is not a scenario group of {row.slug}; use one of "
                       f"{', '.join(groups) or 'none defined'}")
    return members


def _row(row: AgreementRow, scenario: ScenarioRow, p: float, call: _Call,
         batch: str | None) -> ForecastRow:
    return ForecastRow(agreement_id=row.id or 0, scenario_id=scenario.id or 0,
                       forecaster=call.by, probability=p, recorded_at=call.now,
                       rationale=call.rationale, batch=batch)
