"""A scenario is decided at the first instant the projection decides its condition, structurally;
scores use that instant, and forecasts made after it (learned later) are listed as not scored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ..conftest import Cli
from ..factories import at, seed_dict

AGREEMENT = "test-agreement"
WHY = ["--rationale", "a reason"]


def iso(days: float) -> str:
    return at(days=days).isoformat()


@pytest.fixture
def doha(cli: Cli, tmp_path: Path) -> Cli:
    seed = seed_dict(
        {"slug": "withdrawal", "starts": iso(10), "due": iso(400)},
        {"slug": "calm", "starts": iso(1)},
        scenarios=[{"slug": "withdrawal-never-begins", "title": "It never begins",
                    "when": {"all_of": {"withdrawal": "lapsed"}}},
                   {"slug": "calm-breaks", "title": "The calm breaks",
                    "when": {"all_of": {"calm": "breached"}}}])
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(seed))
    cli.ok("load", str(path), now=iso(0))
    cli.ok("forecast", f"{AGREEMENT}/withdrawal-never-begins", "0.3", "--by", "ana", *WHY,
           now=iso(5))
    cli.ok("forecast", f"{AGREEMENT}/calm-breaks", "0.4", "--by", "ana", *WHY, now=iso(6))
    # bob forecasts on day 9, after the breach of day 8 that nobody has recorded yet
    cli.ok("forecast", f"{AGREEMENT}/calm-breaks", "0.2", "--by", "bob", *WHY, now=iso(9))
    cli.ok("transition", f"{AGREEMENT}/calm", "breached", "--occurred-at", iso(8), "--by",
           "mira", "--reason", "strikes", now=iso(12))
    return cli


def test_a_lapse_scenario_is_decided_by_the_start_not_the_end_of_the_record(doha: Cli) -> None:
    view = json.loads(doha.ok("status", AGREEMENT, "--json", now=iso(30)))
    outcomes = {s["slug"]: s for s in view["scenarios"]}
    never = outcomes["withdrawal-never-begins"]
    assert never["outcome"] == "did-not-happen"
    assert never["resolved_at"] == at(days=10).isoformat().replace("+00:00", "Z")


def test_scores_use_the_deciding_instant(doha: Cli) -> None:
    view = json.loads(doha.ok("scores", AGREEMENT, "--json", now=iso(30)))
    briers = {(c["forecaster"], c["scenario"]): c["brier"] for c in view["by_scenario"]}
    assert briers[("ana", "withdrawal-never-begins")] == pytest.approx(0.09)
    assert briers[("ana", "calm-breaks")] == pytest.approx(0.36)
    assert ("bob", "calm-breaks") not in briers


def test_forecasts_made_after_the_outcome_occurred_are_listed_as_not_scored(doha: Cli) -> None:
    view = json.loads(doha.ok("scores", AGREEMENT, "--json", now=iso(30)))
    [late] = view["unscored"]
    assert (late["forecaster"], late["scenario"], late["probability"]) == ("bob", "calm-breaks",
                                                                           0.2)
    text = doha.ok("scores", AGREEMENT, now=iso(30))
    assert "made after the outcome had occurred (learned later): not scored" in text
    assert "calm-breaks · bob: p 0.20" in text
    report = doha.ok("report", AGREEMENT, "--format", "md", now=iso(30))
    assert "- bob: p 0.20 on" in report
    assert "made after the outcome had occurred (learned later): not scored" in report
