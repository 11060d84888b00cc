"""Every bad input: one clear line on stderr, exit 1, and the database exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ..conftest import SEEDS, SYRIA, Cli
from ..factories import seed_dict

NOW = "2016-09-14T12:00:00+03:00"
CALM = f"{SYRIA}/seven-day-calm"
WHEN = ["--occurred-at", "2016-09-13T10:00:00+03:00", "--by", "mira"]


@pytest.fixture
def loaded(cli: Cli, tmp_path: Path) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    cli.ok("observe", CALM, *WHEN, "--summary", "quiet night", now="2016-09-13T12:00:00+03:00")
    return cli


def export(cli: Cli, tmp_path: Path) -> bytes:
    path = tmp_path / f"export-{len(list(tmp_path.iterdir()))}.json"
    cli.ok("export", str(path))
    return path.read_bytes()


BAD = {
    "unknown agreement": (["transition", "nope/seven-day-calm", "breached", *WHEN],
                          "'nope' is not loaded"),
    "unknown commitment": (["transition", f"{SYRIA}/nope", "breached", *WHEN],
                           "'nope' is not a commitment of us-russia-syria-2016"),
    "target without slash": (["transition", "seven-day-calm", "breached", *WHEN],
                             "is not of that form"),
    "impossible transition": (["transition", f"{SYRIA}/joint-targeting", "fulfilled", *WHEN],
                              "cannot become fulfilled: it was pending since"),
    "unknown state": (["transition", CALM, "finished", *WHEN], "'finished' is not a state"),
    "naive occurred-at": (["transition", CALM, "breached", "--occurred-at", "2016-09-13T10:00",
                           "--by", "m"], "--occurred-at: 2016-09-13T10:00:00 has no time zone"),
    "garbage occurred-at": (["transition", CALM, "breached", "--occurred-at", "yesterday",
                             "--by", "m"], "--occurred-at: 'yesterday' is not an ISO 8601"),
    "occurred in the future": (["transition", CALM, "breached", "--occurred-at",
                                "2016-09-15T10:00:00+03:00", "--by", "m"],
                               "a record cannot describe the future"),
    "before the announcement": (["transition", CALM, "breached", "--occurred-at",
                                 "2016-09-01T10:00:00+03:00", "--by", "m"],
                                "before us-russia-syria-2016 was announced"),
    "stale version": (["transition", CALM, "breached", *WHEN, "--expect-version", "1"],
                      "changed by mira at"),
    "bad reliability": (["transition", CALM, "breached", *WHEN, "--source", "https://a.example",
                         "--reliability", "G"],
                        "--reliability: 'G' is not on the Admiralty scale A-F; give a letter A"),
    "bad credibility": (["transition", CALM, "breached", *WHEN, "--source", "https://a.example",
                         "--credibility", "7"],
                        "--credibility: 7 is not on the Admiralty scale 1-6; give 1 (confirmed)"),
    "negative credibility": (["transition", CALM, "breached", *WHEN, "--source",
                              "https://a.example", "--credibility", "-2"],
                             "--credibility: -2 is not on the Admiralty scale 1-6"),
    "negative record id": (["retract", "-1", "--by", "m", "--reason", "r"],
                           "RECORD_ID: no record #-1"),
    "grades without source": (["transition", CALM, "breached", *WHEN, "--reliability", "A"],
                              "add at least one --source"),
    "bad source url": (["transition", CALM, "breached", *WHEN, "--source", "not a url"],
                       "--source: 'not a url' is not a web address"),
    "confidence above one": (["observe", CALM, *WHEN, "--summary", "x", "--confidence", "1.2"],
                             "--confidence: 1.2 is outside 0..1"),
    "empty summary": (["observe", CALM, *WHEN, "--summary", "  "], "needs a summary"),
    "empty by": (["transition", CALM, "breached", "--occurred-at", "2016-09-13T10:00:00+03:00",
                  "--by", " "], "--by: ' ' is not a name"),
    "retract unknown record": (["retract", "999", "--by", "m", "--reason", "r"],
                               "no record #999"),
    "retract without reason": (["retract", "1", "--by", "m", "--reason", ""], "--reason"),
    "status of unknown agreement": (["status", "nope"], "'nope' is not loaded"),
    "bad --as-of": (["status", SYRIA, "--as-of", "2016-09-13"], "--as-of"),
    "history of unknown commitment": (["history", f"{SYRIA}/nope"], "'nope' is not a commitment"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_and_changes_nothing(loaded: Cli, case: str) -> None:
    args, expected = BAD[case]
    assert expected in loaded.refused_unchanged(*args, now=NOW)


def test_clock_earlier_than_the_latest_record_is_refused(loaded: Cli, tmp_path: Path) -> None:
    before = export(loaded, tmp_path)
    message = loaded.refused("transition", CALM, "breached", "--occurred-at",
                             "2016-09-12T20:00:00+03:00", "--by", "m",
                             now="2016-09-12T22:00:00+03:00")
    assert "is before the latest record" in message and "use a later --now" in message
    assert export(loaded, tmp_path) == before


def test_naive_now_is_refused(loaded: Cli) -> None:
    assert "--now" in loaded.refused("status", SYRIA, now="2016-09-14T12:00")


def test_retracting_twice_is_refused(loaded: Cli, tmp_path: Path) -> None:
    loaded.ok("retract", "1", "--by", "m", "--reason", "wrong commitment", now=NOW)
    before = export(loaded, tmp_path)
    assert "already retracted" in loaded.refused("retract", "1", "--by", "m", "--reason", "again",
                                                 now=NOW)
    assert export(loaded, tmp_path) == before


def test_bad_seed_refuses_the_whole_load(loaded: Cli, tmp_path: Path) -> None:
    good = seed_dict({"slug": "a"}, slug="good-one")
    bad = seed_dict({"slug": "a", "starts": {"after": "zzz", "enters": "active"}}, slug="bad-one")
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(good))
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad))
    before = export(loaded, tmp_path)
    result = loaded("load", str(tmp_path / "good.yaml"), str(tmp_path / "bad.yaml"), now=NOW)
    assert result.exit_code == 1
    assert "bad.yaml:14: commitments[0].starts.after: 'zzz' is not a commitment" in result.stderr
    assert export(loaded, tmp_path) == before


def test_conflicting_seed_with_a_loaded_slug_is_refused(loaded: Cli, tmp_path: Path) -> None:
    doc = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text())
    doc["agreement"]["title"] = "Something else"
    (tmp_path / "changed.yaml").write_text(yaml.safe_dump(doc))
    before = export(loaded, tmp_path)
    message = loaded.refused("load", str(tmp_path / "changed.yaml"), now=NOW)
    assert "already loaded with a different definition" in message
    assert export(loaded, tmp_path) == before


def test_record_file_with_an_impossible_record_is_refused_whole(loaded: Cli,
                                                                tmp_path: Path) -> None:
    doc = {"agreement": SYRIA, "records": [
        {"commitment": "humanitarian-access", "kind": "observation", "by": "m",
         "occurred_at": "2016-09-13T11:00:00+03:00", "recorded_at": "2016-09-14T10:00:00+03:00",
         "summary": "convoys waiting"},
        {"commitment": "joint-targeting", "kind": "transition", "state": "fulfilled", "by": "m",
         "occurred_at": "2016-09-13T11:00:00+03:00", "recorded_at": "2016-09-14T10:00:00+03:00"},
    ]}
    (tmp_path / "r.yaml").write_text(yaml.safe_dump(doc))
    before = export(loaded, tmp_path)
    message = loaded.refused("load", str(tmp_path / "r.yaml"), now=NOW)
    assert "records[1]: us-russia-syria-2016/joint-targeting cannot become fulfilled" in message
    assert export(loaded, tmp_path) == before


def test_import_refuses_a_non_empty_database_and_garbage(loaded: Cli, tmp_path: Path) -> None:
    path = tmp_path / "all.json"
    loaded.ok("export", str(path))
    before = export(loaded, tmp_path)
    assert "already holds agreement, " in loaded.refused("import", str(path))
    (tmp_path / "junk.json").write_text("{not json")
    assert "not a readable export" in loaded.refused("import", str(tmp_path / "junk.json"))
    assert export(loaded, tmp_path) == before
