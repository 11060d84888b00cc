"""The store on SQLite and PostgreSQL: loading, versions, the stored projection, export/import,
migrations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import inspect

from tracker import services
from tracker.services import Evidence
from tracker.store.db import engine_for
from tracker.store.migrate import current_revision, downgrade, head_revision, upgrade

from ..conftest import SEEDS, SYRIA, app_at
from ..factories import at

SEED = SEEDS / f"{SYRIA}.yaml"
RECORDS = SEEDS / f"{SYRIA}.record.yaml"
LATER = "2016-11-01T00:00:00+00:00"


def test_loading_the_same_files_twice_changes_nothing(migrated_url: str) -> None:
    app = app_at(migrated_url, LATER)
    first = services.load(app, [SEED, RECORDS])
    assert "appended 19 records" in first[1]
    before = services.export_text(app)
    again = services.load(app_at(migrated_url, "2016-11-02T00:00:00+00:00"), [SEED, RECORDS])
    assert "already loaded, unchanged" in again[0]
    assert "already loaded" in again[1]
    assert services.export_text(app) == before


def test_version_counts_changes_and_a_stale_writer_is_told_who_changed_it(migrated_url: str) -> None:
    services.load(app_at(migrated_url, "2016-09-10T00:00:00+00:00"), [SEED])
    app = app_at(migrated_url, "2016-09-13T12:00:00+00:00")
    version = services.status(app, SYRIA).commitments[1].version
    services.record_observation(app, f"{SYRIA}/seven-day-calm", occurred_at=at(days=3.5),
                                by="mira", summary="shelling near Aleppo",
                                evidence=Evidence(["https://example.org/a"], "B", 2, 0.7),
                                expect_version=version)
    assert services.status(app, SYRIA).commitments[1].version == version + 1
    with pytest.raises(services.StaleVersion, match="changed by mira at 2016-09-13 15:00 EEST"):
        services.record_transition(app, f"{SYRIA}/seven-day-calm", "breached",
                                   occurred_at=at(days=3.5), by="tom", expect_version=version)


def test_stored_projection_equals_a_fresh_replay_after_late_records(migrated_url: str) -> None:
    services.load(app_at(migrated_url, LATER), [SEED, RECORDS])
    app = app_at(migrated_url, "2016-11-02T00:00:00+00:00")
    # A correction: the analyst's calm breach is retracted; the clock's "held" comes back.
    history = services.history(app, f"{SYRIA}/seven-day-calm")[1]
    breach = next(h for h in history if h.state == "breached")
    assert isinstance(breach.id, int)
    services.retract(app, breach.id, by="lead", reason="the 18 Sep strikes were outside the truce")
    stored = services.status(app, SYRIA)
    replayed = services.status(app, SYRIA, known=app.clock())
    assert [c.model_dump(exclude={"version"}) for c in stored.commitments] == \
        [c.model_dump(exclude={"version"}) for c in replayed.commitments]
    assert {c.slug: c.state for c in stored.commitments}["seven-day-calm"] == "fulfilled"
    # The retraction's effect shows in history; nothing was deleted.
    after = services.history(app, f"{SYRIA}/seven-day-calm")[1]
    assert next(h for h in after if h.id == breach.id).retracted_by is not None


def test_a_late_record_marks_a_later_analyst_record_overridden(migrated_url: str) -> None:
    services.load(app_at(migrated_url, "2016-09-10T00:00:00+00:00"), [SEED])
    app = app_at(migrated_url, "2016-09-22T00:00:00+00:00")
    centre = f"{SYRIA}/joint-implementation-center"
    done = services.record_transition(app, centre, "fulfilled", occurred_at=at(days=11), by="tom")
    late = services.record_transition(app_at(migrated_url, "2016-09-23T00:00:00+00:00"),
                                      f"{SYRIA}/seven-day-calm", "breached",
                                      occurred_at=at(days=8), by="mira")
    assert late.overridden == [done.record_id]
    items = services.history(app, centre)[1]
    overridden = next(h for h in items if h.id == done.record_id)
    assert overridden.overridden_by == "clock"
    assert "cannot become fulfilled: it was lapsed" in (overridden.override_cause or "")
    assert services.status(app, SYRIA).commitments[4].state == "lapsed"


def test_export_import_round_trip_is_lossless(migrated_url: str, tmp_path: Path) -> None:
    app = app_at(migrated_url, LATER)
    services.load(app, [SEED, RECORDS, SEEDS / "moscow-humanitarian-ceasefire-2020.yaml"])
    text = services.export_text(app)
    (tmp_path / "dump.json").write_text(text)
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(fresh)
    services.import_file(app_at(fresh, LATER), tmp_path / "dump.json")
    imported = json.loads(services.export_text(app_at(fresh, LATER)))
    assert imported["tables"]["audit_event"].pop()["action"] == "import"  # its own event
    assert imported == json.loads(text)
    assert services.status(app_at(fresh, LATER), SYRIA) == services.status(app, SYRIA)
    # The imported database goes on working: new records get fresh ids.
    services.record_observation(app_at(fresh, "2016-11-03T00:00:00+00:00"),
                                f"{SYRIA}/air-safety-mou", occurred_at=at(days=50),
                                by="x", summary="deconfliction line still used")
    assert len(json.loads(services.export_text(app_at(fresh, LATER)))["tables"]["record"]) == 20


def test_migrations_go_down_and_up_again_with_data(migrated_url: str) -> None:
    app = app_at(migrated_url, LATER)
    services.load(app, [SEED, RECORDS])
    assert current_revision(migrated_url) == head_revision(migrated_url)
    while (revision := current_revision(migrated_url)) is not None:
        downgrade(migrated_url, "-1")  # one step at a time, with the data in place:
        upgrade(migrated_url, revision)  # down, up again, and down for the next step
        downgrade(migrated_url, "-1")
    assert set(inspect(engine_for(migrated_url)).get_table_names()) <= {"alembic_version"}
    upgrade(migrated_url)
    services.load(app, [SEED, RECORDS])
    assert services.status(app, SYRIA).commitments[1].state == "breached"


def test_tick_is_idempotent_and_stores_the_clock_decisions(migrated_url: str) -> None:
    services.load(app_at(migrated_url, "2016-09-10T00:00:00+00:00"), [SEED])
    app = app_at(migrated_url, "2016-09-20T00:00:00+00:00")
    report = services.tick(app)
    assert ("seven-day-calm", "fulfilled") in {(d.commitment, d.state) for d in report.decisions}
    again = services.tick(app)
    assert again.decisions == [] and again.alerts == []
