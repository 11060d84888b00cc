"""Smaller things a new user tripped over: words before the announcement, notes, the hint for a
naive time, forecast confirmations in the agreement's zone."""

from __future__ import annotations

import json

import pytest

from ..conftest import SEEDS, SYRIA, Cli

MOSCOW = "moscow-humanitarian-ceasefire-2020"


@pytest.fixture
def loaded(cli: Cli) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    return cli


def test_status_before_the_announcement_says_not_yet_announced(loaded: Cli) -> None:
    out = loaded.ok("status", SYRIA, "--as-of", "2016-09-01T00:00:00+03:00",
                    now="2016-09-10T12:00:00+03:00")
    assert "not yet announced: us-russia-syria-2016 was announced 2016-09-10 00:30 EEST" in out
    assert "pending" not in out
    view = json.loads(loaded.ok("status", SYRIA, "--as-of", "2016-09-01T00:00:00+03:00",
                                "--json", now="2016-09-10T12:00:00+03:00"))
    assert view["announced"] is False
    assert view["commitments"][0]["cause"].startswith("not yet announced")


def test_notes_of_the_agreement_and_its_commitments_are_shown(loaded: Cli) -> None:
    view = json.loads(loaded.ok("status", SYRIA, "--json", now="2016-09-12T00:00:00+03:00"))
    noted = [c for c in view["commitments"] if c["notes"]]
    assert view["notes"] and noted
    text = loaded.ok("status", SYRIA, now="2016-09-12T00:00:00+03:00")
    assert f"{noted[0]['slug']} notes:" in text and "notes: " in text
    report = loaded.ok("report", SYRIA, "--format", "md", now="2016-09-12T00:00:00+03:00")
    assert "### Notes" in report and f"- `{noted[0]['slug']}`:" in report


def test_a_naive_time_is_refused_with_the_agreements_own_offset_then(loaded: Cli) -> None:
    # Damascus kept summer time (+03:00) in September 2016, but not in December.
    message = loaded.refused_unchanged(
        "observe", f"{SYRIA}/seven-day-calm", "--occurred-at", "2016-12-01T10:00:00",
        "--by", "mira", "--summary", "quiet", now="2016-12-02T00:00:00+02:00")
    assert "has no time zone; add an offset or Z, e.g. 2016-12-01T10:00:00+02:00" in message


def test_a_forecast_confirmation_speaks_the_agreements_zone(loaded: Cli) -> None:
    out = loaded.ok("forecast", f"{SYRIA}/truce-collapses", "0.4", "--by", "ana",
                    "--rationale", "r", now="2016-09-11T09:00:00Z")
    assert "counting from 2016-09-11 12:00 EEST" in out
