"""Eight writer processes on one agreement at once, through the services, on the real database.

Each round every writer reads the state, then all write together; four of them change the same
commitment passing the same --expect-version. The tests check what a team relies on: one of the
four wins and the others are told who changed it; every accepted change is in the log and
nothing else is; the stored projection is what a replay of the log gives; and no database error
(deadlock, serialization failure, "database is locked") ever reaches a writer.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from bench import stress_worker as stress
from bench.stress_worker import SLUG, Outcome
from tracker import services
from tracker.domain.projection import project
from tracker.services.projecting import agreement_model, reproject
from tracker.store import queries
from tracker.store.db import unit_of_work
from tracker.store.tables import ForecastRow, RecordRow, ScenarioRow

from ..conftest import app_at

STALE = re.compile(r"^--expect-version: stress/w\d changed by (writer-\d|clock) at .+ "
                   r"\(version \d+, you had \d+\); reload and try again$")


def rounds_for(url: str) -> int:
    """Rounds of eight changes: PostgreSQL is the team's server; SQLite serialises anyway."""
    return 30 if url.startswith("postgresql") else 12


def test_eight_writers_at_once_lose_nothing_and_see_who_won(migrated_url: str,
                                                            tmp_path: Path) -> None:
    done = stress.run_writers(migrated_url, tmp_path, writers=8, changes=rounds_for(migrated_url),
                              lockstep=True, ticks=True)

    # 1. no database error reached a writer, and every refusal is one a user can act on
    assert done.of("error", "domain") == [], done.of("error", "domain")[:3]
    assert all(STALE.match(o.message) for o in done.of("stale")), done.of("stale")[:3]
    assert all(o.op in ("blind", "retract") for o in done.of("refused"))
    # 2. of the writers passing one version for one commitment, exactly one won
    assert_one_winner_per_collision(done.outcomes)
    # 3. the log holds every accepted change, as it was made, and nothing refused
    assert_log_is_what_was_accepted(migrated_url, done.outcomes)
    # 4. the stored projection is a replay of that log
    assert_projection_is_a_replay(migrated_url)


def assert_one_winner_per_collision(outcomes: list[Outcome]) -> None:
    collisions: dict[tuple[int, str, int | None], list[str]] = defaultdict(list)
    for o in outcomes:
        if o.expect is not None:
            collisions[(o.round, o.target, o.expect)].append(o.result)
    assert collisions
    for key, results in collisions.items():
        assert len(results) == 4, (key, results)
        assert sorted(results) == ["accepted", "stale", "stale", "stale"], (key, results)


def assert_log_is_what_was_accepted(url: str, outcomes: list[Outcome]) -> None:
    expected_records: dict[int, tuple[str, str, str, str | None]] = {}
    expected_forecasts: dict[int, tuple[str, str]] = {}
    for o in outcomes:
        if o.result != "accepted" or o.op == "tick":
            continue
        by = f"writer-{o.worker}"
        if o.op in ("forecast", "group"):
            # A group's ids come in its scenarios' order, which is the definition's.
            scenarios = ["collapse"] if o.op == "forecast" else ["holds", "fails"]
            expected_forecasts.update({i: (by, s) for i, s in zip(o.ids, scenarios, strict=True)})
        else:
            kind = {"blind": "transition", "retract": "retraction"}.get(o.op, o.op)
            expected_records[o.ids[0]] = (kind, o.target, by, o.state)
    records, forecasts = stored_log(url)
    assert records == expected_records
    assert forecasts == expected_forecasts
    kinds = Counter(kind for kind, *_ in records.values())
    assert kinds["transition"] and kinds["observation"] and kinds["retraction"]


def stored_log(url: str) -> tuple[dict[int, tuple[str, str, str, str | None]],
                                  dict[int, tuple[str, str]]]:
    """Return every record (kind, commitment, by, state) and forecast (by, scenario) by id."""
    with unit_of_work(url, read_only=True) as session:
        row = queries.agreement_by_slug(session, SLUG)
        assert row is not None and row.id is not None
        slugs = {c.id: c.slug for c in queries.commitments(session, row.id)}
        scenarios = {s.id: s.slug for s in session.exec(select(ScenarioRow))}
        records = {r.id or 0: (r.kind, slugs[r.commitment_id], r.by, r.state)
                   for r in session.exec(select(RecordRow).where(RecordRow.agreement_id == row.id))}
        forecasts: dict[int, tuple[str, str]] = {}
        for f in session.exec(select(ForecastRow).where(ForecastRow.agreement_id == row.id)):
            forecasts[f.id or 0] = (f.forecaster, scenarios[f.scenario_id])
    return records, forecasts


def snapshot(url: str) -> dict[str, Any]:
    """Return the stored projection: commitments, timeline (without its numbering), overrides."""
    with unit_of_work(url, read_only=True) as session:
        row = queries.agreement_by_slug(session, SLUG)
        assert row is not None and row.id is not None
        rows = queries.commitments(session, row.id)
        slugs = {c.id: c.slug for c in rows}
        return {
            "commitments": [(c.slug, c.state, c.since, c.cause, c.due, c.version, c.next_clock_at)
                            for c in rows],
            "timeline": [(slugs[e.commitment_id], e.state, e.at, e.cause, e.by, e.record_id,
                          e.rule) for e in queries.timeline(session, row.id)],
            "overrides": {i: (o.cause, o.by_record_id)
                          for i, o in queries.overrides(session, row.id).items()},
            "until": row.projected_until,
        }


def assert_projection_is_a_replay(url: str) -> None:
    before = snapshot(url)
    until: datetime = before["until"]
    status_before = services.status(app_at(url, until), SLUG)
    with unit_of_work(url) as session:  # re-project the whole log from the announcement
        row = queries.agreement_by_slug(session, SLUG, lock=True)
        assert row is not None
        reproject(session, row, since=row.announced_at, now=until, by="check")
    assert snapshot(url) == before
    assert services.status(app_at(url, until), SLUG) == status_before
    with unit_of_work(url, read_only=True) as session:  # and the pure domain agrees
        row = queries.agreement_by_slug(session, SLUG)
        assert row is not None and row.id is not None
        slugs = {c.id: c.slug for c in queries.commitments(session, row.id) if c.id is not None}
        log = queries.records_for_projection(session, row.id, slugs)
        replayed = project(agreement_model(row), log, until=until).tracks
    assert {c[0]: c[1] for c in before["commitments"]} == {
        slug: t.state.value for slug, t in replayed.items()}


def test_eight_writers_retracting_one_record_retract_it_once(migrated_url: str,
                                                             tmp_path: Path) -> None:
    context = stress.fresh_processes()
    counter = context.Value("q", 0)
    clock = stress.SharedClock(counter)
    stress.load(migrated_url, tmp_path, clock)
    app = services.App(database_url=migrated_url, clock=clock)
    record = services.record_transition(app, f"{SLUG}/blind", "suspended", occurred_at=clock(),
                                        by="analyst").record_id
    results, start = context.Queue(), context.Barrier(8)
    reports = stress.gather([context.Process(target=stress.retract_at_once, daemon=True,
                                             args=(migrated_url, i, record, counter, results,
                                                   start)) for i in range(8)], results)
    outcomes = [r[2][0] for r in reports]
    assert sorted(o.result for o in outcomes) == ["accepted"] + ["domain"] * 7, outcomes
    assert {o.message for o in outcomes if o.result == "domain"} == {
        f"RECORD_ID: #{record} is already retracted"}
    records, _ = stored_log(migrated_url)
    assert sorted(kind for kind, *_ in records.values()) == ["retraction", "transition"]
    assert services.status(app, SLUG).commitments[4].state == "active"
