"""An analyst cannot start a pending commitment whose `starts` or `requires` are not met at the
record's instant, unless the start is forced (with a reason), which history and reports show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tracker import services
from tracker.store.migrate import current_revision, downgrade, upgrade

from ..conftest import SEEDS, SYRIA, Cli, app_at
from .test_bad_input import export

NOW = "2016-09-14T12:00:00+03:00"  # the calm is holding; the Geneva centre waits on it
CENTRE = f"{SYRIA}/joint-implementation-center"
WHEN = ["--occurred-at", "2016-09-13T10:00:00+03:00", "--by", "mira"]


@pytest.fixture
def loaded(cli: Cli) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    return cli


def test_starting_a_commitment_whose_rules_are_unmet_is_refused_naming_them(loaded: Cli) -> None:
    message = loaded.refused_unchanged("transition", CENTRE, "active", *WHEN, now=NOW)
    assert "joint-implementation-center cannot become active at 2016-09-13 10:00" in message
    assert "starts: seven-day-calm has not become fulfilled" in message
    assert "--force --reason" in message


def test_the_transition_table_is_checked_first(loaded: Cli) -> None:
    message = loaded.refused_unchanged("transition", CENTRE, "fulfilled", *WHEN, now=NOW)
    assert "cannot become fulfilled: it was pending since" in message


def test_a_forced_start_is_recorded_and_marked_in_history_and_reports(loaded: Cli) -> None:
    loaded.ok("transition", CENTRE, "active", *WHEN, "--force", "--reason",
              "the centre opened in Geneva ahead of the calm", now=NOW)
    status = json.loads(loaded.ok("status", SYRIA, "--json", now=NOW))
    states = {c["slug"]: c["state"] for c in status["commitments"]}
    assert states["joint-implementation-center"] == "active"
    [item] = [i for i in json.loads(loaded.ok("history", CENTRE, "--json", now=NOW))
              if i["kind"] == "transition"]
    assert item["forced"] is True
    assert "FORCED" in loaded.ok("history", CENTRE, now=NOW)
    report = loaded.ok("report", SYRIA, "--format", "md", now=NOW)
    assert "**forced** the centre opened in Geneva ahead of the calm" in report
    loaded.ok("transition", CENTRE, "fulfilled", "--occurred-at", "2016-09-14T10:00:00+03:00",
              "--by", "mira", now=NOW)  # and on from there, like any start


@pytest.mark.parametrize("args, expected", [
    (["active", *WHEN, "--force"], "--reason: a forced start needs a reason"),
    (["withdrawn", *WHEN, "--force", "--reason", "r"], "--force: only a start (active)"),
])
def test_a_bad_forced_start_is_refused(loaded: Cli, args: list[str], expected: str) -> None:
    assert expected in loaded.refused_unchanged("transition", CENTRE, *args, now=NOW)


def test_a_record_file_marks_a_forced_start(loaded: Cli, tmp_path: Path) -> None:
    record = {"commitment": "joint-implementation-center", "kind": "transition",
              "state": "active", "occurred_at": "2016-09-13T10:00:00+03:00",
              "recorded_at": "2016-09-13T11:00:00+03:00", "by": "mira",
              "reason": "it opened early"}
    plain = tmp_path / "plain.yaml"
    plain.write_text(yaml.safe_dump({"agreement": SYRIA, "records": [record]}))
    before = export(loaded, tmp_path)
    refused = loaded("load", str(plain), now=NOW)
    assert refused.exit_code == 1
    assert "plain.yaml:3: records[0]: us-russia-syria-2016/joint-implementation-center cannot " \
           "become active" in refused.stderr
    assert export(loaded, tmp_path) == before
    forced = tmp_path / "forced.yaml"
    forced.write_text(yaml.safe_dump({"agreement": SYRIA, "records": [{**record, "force": True}]}))
    loaded.ok("load", str(forced), now=NOW)
    assert "all 1 records" in loaded.ok("load", str(forced), now=NOW)  # loaded once
    [item] = [i for i in json.loads(loaded.ok("history", CENTRE, "--json", now=NOW))
              if i["kind"] == "transition"]
    assert item["forced"] is True


def test_migration_0007_goes_down_and_up_with_a_forced_record(migrated_url: str) -> None:
    app = app_at(migrated_url, NOW)
    services.load(app_at(migrated_url, "2016-09-10T12:00:00+03:00"), [SEEDS / f"{SYRIA}.yaml"])
    services.record_transition(app, CENTRE, "active", occurred_at=app.clock(), by="mira",
                               reason="opened early", force=True)
    downgrade(migrated_url, "0007")  # later revisions first, then 0007 itself
    assert current_revision(migrated_url) == "0007"
    downgrade(migrated_url, "0006")
    upgrade(migrated_url, "0007")
    upgrade(migrated_url)  # today's code reads the definitions as the head stores them
    _, items = services.history(app, CENTRE)
    # The record survived; the mark did not (0006 had no place for it): a plain record again.
    assert [(i.kind, i.state, i.forced) for i in items if i.kind == "transition"] == [
        ("transition", "active", False)]
