"""Every bad forecast: one clear line on stderr, exit 1, and the database exactly as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import SEEDS, SYRIA, Cli
from .test_bad_input import export

MOSCOW = "moscow-humanitarian-ceasefire-2020"
GROUP = f"{MOSCOW}/humanitarian-ceasefire-outcome"
NOW = "2020-10-12T00:00:00+03:00"  # after the Syria record, and after Moscow's announcement
WHY = ["--by", "ana", "--rationale", "a reason"]


@pytest.fixture
def loaded(cli: Cli) -> Cli:
    """Syria with its whole record (the truce collapsed in 2016), Moscow with nothing yet."""
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), str(SEEDS / f"{MOSCOW}.yaml"),
           now="2020-10-10T04:00:00+03:00")
    cli.ok("load", str(SEEDS / f"{SYRIA}.record.yaml"), now="2020-10-10T05:00:00+03:00")
    cli.ok("forecast", f"{MOSCOW}/substantive-talks-begin", "0.3", *WHY,
           now="2020-10-11T00:00:00+03:00")
    return cli


BAD = {
    "probability above one": (["forecast", f"{MOSCOW}/substantive-talks-begin", "1.2", *WHY],
                              "PROBABILITY: 1.2 is outside 0..1"),
    "negative probability": (["forecast", f"{MOSCOW}/substantive-talks-begin", "-0.1", *WHY],
                             "PROBABILITY: -0.1 is outside 0..1"),
    "negative exponent probability": (["forecast", f"{MOSCOW}/substantive-talks-begin", "-1e-3",
                                       *WHY], "PROBABILITY: -0.001 is outside 0..1"),
    "probability not a number": (["forecast", f"{MOSCOW}/substantive-talks-begin", "high", *WHY],
                                 "PROBABILITY: 'high' is not a number"),
    "group summing to 0.7": (["forecast", GROUP, "ceasefire-holds-until-talks=0.3",
                              "ceasefire-collapses=0.4", *WHY], "sum to 0.7"),
    "group missing a scenario": (["forecast", GROUP, "ceasefire-collapses=1", *WHY],
                                 "missing ceasefire-holds-until-talks"),
    "group with a stranger": (["forecast", GROUP, "ceasefire-collapses=1", "nope=0",
                               "ceasefire-holds-until-talks=0", *WHY], "unknown nope"),
    "unknown group": (["forecast", f"{MOSCOW}/nope", "a=0.5", "b=0.5", *WHY],
                      "'nope' is not a scenario group"),
    "grouped scenario alone": (["forecast", f"{MOSCOW}/ceasefire-collapses", "0.5", *WHY],
                               "forecast all its scenarios at once"),
    "resolved scenario": (["forecast", f"{SYRIA}/truce-collapses", "0.9", *WHY],
                          "truce-collapses: already resolved (happened at 2016-09-18 12:00"),
    "unknown scenario": (["forecast", f"{SYRIA}/nope", "0.5", *WHY],
                         "'nope' is not a scenario of us-russia-syria-2016"),
    "unknown agreement": (["forecast", "nope/x", "0.5", *WHY], "'nope' is not loaded"),
    "backdated": (["forecast", f"{MOSCOW}/substantive-talks-begin", "0.5", *WHY, "--at",
                   "2020-10-11T06:00:00+03:00"], "cannot be backdated"),
    "empty rationale": (["forecast", f"{MOSCOW}/substantive-talks-begin", "0.5", "--by", "a",
                         "--rationale", " "], "--rationale"),
    "diff with one instant": (["diff", SYRIA, "--known-at", NOW], "give it exactly twice"),
    "scores of unknown agreement": (["scores", "nope"], "'nope' is not loaded"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_forecast_is_refused_and_changes_nothing(loaded: Cli, case: str) -> None:
    args, expected = BAD[case]
    assert expected in loaded.refused_unchanged(*args, now=NOW)


def test_an_unknown_option_is_still_refused_as_one(loaded: Cli) -> None:
    result = loaded("forecast", f"{MOSCOW}/substantive-talks-begin", "0.5", "--bogus", *WHY,
                    now=NOW)
    assert result.exit_code == 2 and "No such option: --bogus" in result.stderr


def test_a_clock_before_the_latest_forecast_is_refused(loaded: Cli, tmp_path: Path) -> None:
    before = export(loaded, tmp_path)
    message = loaded.refused("forecast", f"{MOSCOW}/substantive-talks-begin", "0.4", *WHY,
                             now="2020-10-10T23:00:00+03:00")
    assert "is before the latest record" in message
    assert export(loaded, tmp_path) == before


def test_at_may_repeat_the_clock(loaded: Cli) -> None:
    loaded.ok("forecast", f"{MOSCOW}/substantive-talks-begin", "0.4", *WHY, "--at", NOW, now=NOW)


def test_a_group_within_a_thousandth_of_one_is_accepted(loaded: Cli) -> None:
    out = loaded.ok("forecast", GROUP, "ceasefire-holds-until-talks=0.333",
                    "ceasefire-collapses=0.666", *WHY, now=NOW)
    assert "#2, #3" in out
