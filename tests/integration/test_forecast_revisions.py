"""A late record that flips a resolved scenario re-scores it; groups are forecast at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from ..conftest import SEEDS, Cli
from ..factories import at, seed_dict

AGREEMENT = "test-agreement"
MOSCOW = "moscow-humanitarian-ceasefire-2020"
GROUP = f"{MOSCOW}/humanitarian-ceasefire-outcome"


def iso(days: float) -> str:
    return at(days=days).isoformat()


@pytest.fixture
def calm(cli: Cli, tmp_path: Path) -> Cli:
    """A calm that must hold 7 days from day 3; 'calm-holds' happens when the clock says so."""
    seed = seed_dict(
        {"slug": "cessation", "starts": iso(3)},
        {"slug": "calm", "starts": {"after": "cessation", "enters": "active"}, "hold_for": "P7D"},
        scenarios=[{"slug": "calm-holds", "title": "The calm holds",
                    "when": {"all_of": {"calm": "fulfilled"}}}])
    path = tmp_path / "seed.yaml"
    path.write_text(yaml.safe_dump(seed))
    cli.ok("load", str(path), now=iso(0))
    cli.ok("forecast", f"{AGREEMENT}/calm-holds", "0.8", "--by", "ana", "--rationale", "quiet",
           now=iso(4))
    return cli


def brier(cli: Cli, now: str) -> float:
    view = json.loads(cli.ok("scores", AGREEMENT, "--json", now=now))
    [only] = view["by_scenario"]
    return float(only["brier"])


def test_a_late_breach_flips_the_held_calm_and_re_scores_it(calm: Cli) -> None:
    # The clock marks the calm held on day 10: 'calm-holds' happened; ana's 0.8 scores 0.04.
    assert brier(calm, iso(11)) == pytest.approx(0.04)
    calm.ok("transition", f"{AGREEMENT}/calm", "breached", "--occurred-at", iso(8), "--by",
            "mira", "--reason", "strikes", now=iso(12))
    # Now it did not happen (decided on day 8): the same 0.8 scores (0.8 - 0)² = 0.64.
    assert brier(calm, iso(12)) == pytest.approx(0.64)
    out = json.loads(calm.ok("diff", AGREEMENT, "--known-at", iso(11), "--known-at", iso(12),
                             "--json", now=iso(12)))
    [record] = out["records"]
    changes = {c["slug"]: c for c in out["changes"] if c["kind"] == "scenario"}
    assert (changes["calm-holds"]["before"], changes["calm-holds"]["after"]) == (
        "happened", "did-not-happen")
    assert changes["calm-holds"]["records"] == [record["id"]]


def test_a_group_is_forecast_at_once_and_scored_with_the_multi_category_brier(
        cli: Cli) -> None:
    cli.ok("load", str(SEEDS / f"{MOSCOW}.yaml"), now="2020-10-10T04:00:00+03:00")
    out = cli.ok("forecast", GROUP, "ceasefire-holds-until-talks=0.25",
                 "ceasefire-collapses=0.75", "--by", "ana", "--rationale", "shelling continues",
                 now="2020-10-10T06:00:00+03:00")
    assert "#1, #2" in out
    cli.ok("transition", f"{MOSCOW}/humanitarian-ceasefire", "breached", "--occurred-at",
           "2020-10-10T18:00:00+03:00", "--by", "mira", "--reason", "shelling",
           now="2020-10-11T00:00:00+03:00")
    view = json.loads(cli.ok("scores", MOSCOW, "--json", now="2020-10-11T00:00:00+03:00"))
    # One call, standing until the collapse: (0.25 - 0)² + (0.75 - 1)² = 0.125
    assert [(g["forecaster"], g["group"]) for g in view["groups"]] == [
        ("ana", "humanitarian-ceasefire-outcome")]
    assert view["groups"][0]["brier"] == pytest.approx(0.125)
    assert view["leaderboard"][0]["brier"] == pytest.approx(0.0625)
    message = cli.refused("forecast", GROUP, "ceasefire-holds-until-talks=0",
                          "ceasefire-collapses=1", "--by", "bo", "--rationale", "late",
                          now="2020-10-11T01:00:00+03:00")
    assert "'humanitarian-ceasefire-outcome' is already decided" in message


def test_a_record_cannot_be_recorded_before_the_latest_forecast(calm: Cli) -> None:
    message = calm.refused("transition", f"{AGREEMENT}/calm", "breached", "--occurred-at",
                           iso(3.5), "--by", "mira", now=iso(3.8))
    assert "is before the latest record" in message


def test_forecasts_survive_export_and_import(calm: Cli, tmp_path: Path) -> None:
    calm.ok("export", str(tmp_path / "dump.json"))
    fresh = Cli(f"sqlite:///{tmp_path / 'fresh.db'}")
    fresh.ok("init")
    fresh.ok("import", str(tmp_path / "dump.json"))
    fresh.ok("export", str(tmp_path / "again.json"))
    again = json.loads((tmp_path / "again.json").read_text())
    assert again["tables"]["audit_event"].pop()["action"] == "import"  # the import's own event
    assert again == json.loads((tmp_path / "dump.json").read_text())
    assert json.loads((tmp_path / "dump.json").read_text())["tables"]["forecast"][0][
        "probability"] == 0.8
    assert brier(fresh, iso(11)) == pytest.approx(0.04)
