"""Conditions in the full language come in through `scenario add --when-file / --file` and seed
files; each bad one is refused with the file, the line and the path into the condition, and
nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tracker import services

from ..conftest import SEEDS, SYRIA, Cli, app_at

LATER = "2016-10-30T00:00:00+03:00"
EXAMPLE = """\
any_of:
  - {commitment: seven-day-calm, enters: breached, by: "2016-09-19T19:00:00+03:00"}
  - not: {commitment: joint-targeting, enters: active}
"""


@pytest.fixture
def syria(cli: Cli) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), str(SEEDS / f"{SYRIA}.record.yaml"), now=LATER)
    return cli


def test_a_condition_file_adds_a_scenario_said_back_in_words(syria: Cli, tmp_path: Path) -> None:
    (tmp_path / "when.yaml").write_text(EXAMPLE)
    said = syria.ok("scenario", "add", SYRIA, "early-or-never", "--title", "Early or never",
                    "--when-file", str(tmp_path / "when.yaml"), now=LATER)
    assert ("happens when seven-day-calm is breached before 19 Sep 2016 19:00, or "
            "joint-targeting never becomes active") in said
    assert "the log has already decided it: happened at 2016-09-18 12:00 EEST" in said


def test_a_scenario_file_takes_the_full_language(syria: Cli, tmp_path: Path) -> None:
    spec = {"slug": "no-centre", "title": "No centre while aid is blocked",
            "when": {"all_of": [{"not": {"commitment": "joint-implementation-center",
                                         "enters": ["active", "fulfilled"], "by": "2016-09-30"}},
                                {"commitment": "humanitarian-access",
                                 "enters": ["breached", "overdue"]}]}}
    (tmp_path / "scenario.yaml").write_text(yaml.safe_dump(spec))
    said = syria.ok("scenario", "add", SYRIA, "--file", str(tmp_path / "scenario.yaml"), now=LATER)
    assert ("happens when joint-implementation-center does not become active or fulfilled by the "
            "end of 30 Sep 2016, and humanitarian-access is breached or becomes overdue") in said


WHEN_FILES = {
    "not of an unknown commitment": (
        "any_of:\n  - {commitment: seven-day-calm, enters: breached}\n"
        "  - not: {commitment: nowhere, enters: active}\n",
        ":3: scenario when.any_of[1].not.commitment: 'nowhere' is not a commitment"),
    "a state that is not one": (
        "not:\n  commitment: seven-day-calm\n  enters: [bogus]\n",
        ":3: scenario when.not.enters[0]: 'bogus' is not a state; use one of"),
    "a naive by": (
        "commitment: seven-day-calm\nenters: breached\nby: 2016-09-19T19:00:00\n",
        ":3: scenario when.by: 2016-09-19T19:00:00 has no time zone; add an offset or Z, e.g. "
        "2016-09-19T19:00:00+03:00"),
    "nesting deeper than 8": (
        "not:\n" + "".join("  " * i + "  not:\n" for i in range(8))
        + "  " * 9 + "commitment: seven-day-calm\n" + "  " * 9 + "enters: breached\n",
        ":8: scenario when.not.not.not.not.not.not.not.not: nested deeper than 8 levels"),
    "an empty all_of": ("all_of: []\n", ":1: scenario when.all_of: names no commitment"),
    "two enters in one mapping": (
        "commitment: seven-day-calm\nenters: breached\nenters: fulfilled\n",
        ":3: enters: the key 'enters' is written twice in one mapping"),
    "two kinds in one mapping": (
        "commitment: seven-day-calm\nenters: breached\nnot: {commitment: joint-targeting, "
        "enters: active}\n",
        ":1: scenario when: not and a leaf {commitment, enters} in one mapping: give exactly "
        "one of"),
    "by and within": (
        "{commitment: seven-day-calm, enters: breached, by: 2016-09-19, within: P10D}\n",
        ":1: scenario when: give `by` or `within`, not both"),
}


@pytest.mark.parametrize("case", sorted(WHEN_FILES))
def test_a_bad_condition_file_is_refused_naming_line_and_path(syria: Cli, tmp_path: Path,
                                                               case: str) -> None:
    text, expected = WHEN_FILES[case]
    path = tmp_path / "when.yaml"
    path.write_text(text)
    message = syria.refused_unchanged("scenario", "add", SYRIA, "new-one", "--title", "T",
                                      "--when-file", str(path), now=LATER)
    assert f"{path}{expected}" in message, message


def test_a_condition_is_given_one_way(syria: Cli, tmp_path: Path) -> None:
    (tmp_path / "when.yaml").write_text(EXAMPLE)
    message = syria.refused_unchanged("scenario", "add", SYRIA, "x", "--title", "T", "--when",
                                      "seven-day-calm=breached", "--when-file",
                                      str(tmp_path / "when.yaml"), now=LATER)
    assert "--when-file: give the condition either in a file or with --when, not both" in message


def test_a_seed_with_a_bad_condition_is_refused_whole(cli: Cli, tmp_path: Path) -> None:
    seed = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text())
    seed["commitments"][5]["requires"] = {"all_of": [
        {"commitment": "joint-implementation-center", "enters": "fulfilled"},
        {"not": {"commitment": "seven-day-calm", "enters": "breached", "by": "2016-09-19T19:00"}}]}
    seed["scenarios"][0]["when"] = {"any_of": []}
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(seed, sort_keys=False))
    before = cli.export()
    for command in ("validate", "load"):
        message = cli.refused(command, str(path), now=LATER)
        assert "commitments[5].requires.all_of[1].not.by: 2016-09-19T19:00:00 has no time zone" \
            in message
        assert "scenarios[0].when.any_of: names no commitment" in message
        assert all(line.startswith(f"error: {path}:") for line in message.splitlines())
    assert cli.export() == before


SENTENCE = ("happens when seven-day-calm is breached before 19 Sep 2016 19:00, or joint-targeting "
            "never becomes active")


def test_a_condition_reads_the_same_in_every_view(syria: Cli, tmp_path: Path) -> None:
    (tmp_path / "when.yaml").write_text(EXAMPLE)
    syria.ok("scenario", "add", SYRIA, "early-or-never", "--title", "Early or never",
             "--when-file", str(tmp_path / "when.yaml"), now=LATER)
    rules = json.loads(syria.ok("rules", SYRIA, "--json", now=LATER))
    assert rules["scenarios"]["early-or-never"] == SENTENCE
    status = json.loads(syria.ok("status", SYRIA, "--json", now=LATER))
    assert {s["slug"]: s["words"] for s in status["scenarios"]}["early-or-never"] == SENTENCE
    assert SENTENCE in syria.ok("scenario", "list", SYRIA, now=LATER)
    for kind in ("md", "html", "csv"):
        assert SENTENCE in syria.ok("report", SYRIA, "--format", kind, now=LATER), kind
    # A commitment's rules: the same sentences in `tracker rules`, the report and the dashboard.
    centre = rules["commitments"]["joint-implementation-center"]
    assert centre[:2] == ["starts when seven-day-calm is fulfilled",
                          "requires that humanitarian-access becomes active"]
    assert "; ".join(centre) in syria.ok("report", SYRIA, "--format", "md", now=LATER)
    detail = services.commitment_detail(app_at(syria.url, LATER),
                                        f"{SYRIA}/joint-implementation-center")
    assert detail.rules == centre
    assert "requires that humanitarian-access becomes active" in syria.ok("rules", SYRIA, now=LATER)


def test_a_by_deadline_is_a_clock_event_the_scheduler_waits_for(migrated_url: str,
                                                               tmp_path: Path) -> None:
    """A requirement that can only be met by a deadline lapses its commitment at that instant:
    the stored projection names the instant as the next clock event, and a tick then stores it."""
    seed = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text())
    seed["commitments"].append({
        "slug": "aid-by-the-deadline", "title": "Aid reaches Aleppo in the seven days",
        "owed_by": ["syrian-government"],
        "requires": {"commitment": "humanitarian-access", "enters": "fulfilled",
                     "by": "2016-09-18T10:00:00+03:00"}})
    (tmp_path / "seed.yaml").write_text(yaml.safe_dump(seed, sort_keys=False))
    services.load(app_at(migrated_url, "2016-09-10T12:00:00+03:00"), [tmp_path / "seed.yaml"])
    before = app_at(migrated_url, "2016-09-17T12:00:00+03:00")
    assert "aid-by-the-deadline" not in {d.commitment for d in services.tick(before).decisions}
    due = services.next_due(before)  # before the hold's end and the due of the 19th
    assert due is not None and due.isoformat() == "2016-09-18T07:00:00+00:00"
    decided = services.tick(app_at(migrated_url, "2016-09-18T10:00:00+03:00")).decisions
    assert [(d.commitment, d.state, d.at, d.cause) for d in decided] == [
        ("aid-by-the-deadline", "lapsed", "2016-09-18T07:00:00+00:00",
         "lapsed because humanitarian-access had not become fulfilled before 2016-09-18 10:00 "
         "EEST")]
