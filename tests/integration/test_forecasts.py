"""Scenario history: the Syria record replayed with two analysts' forecasts, scored by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import SEEDS, SYRIA, Cli

COLLAPSE, COOPERATION = f"{SYRIA}/truce-collapses", f"{SYRIA}/cooperation-begins"
DAY1, DAY5 = "2016-09-11T00:00:00+03:00", "2016-09-15T00:00:00+03:00"
BEFORE_LATE, AFTER = "2016-09-20T00:00:00+03:00", "2016-10-10T00:00:00+03:00"


def load_records(cli: Cli, tmp_path: Path, *, after: str, until: str) -> None:
    """Load the real records recorded in (after, until], at the clock `until`."""
    from datetime import datetime

    document = yaml.safe_load((SEEDS / f"{SYRIA}.record.yaml").read_text())
    def when(r: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(r["recorded_at"])
    lo, hi = datetime.fromisoformat(after), datetime.fromisoformat(until)
    document["records"] = [r for r in document["records"] if lo < when(r) <= hi]
    path = tmp_path / f"records-{hi.timestamp():.0f}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    cli.ok("load", str(path), now=until)


def call(cli: Cli, target: str, p: str, by: str, now: str) -> None:
    cli.ok("forecast", target, p, "--by", by, "--rationale", f"{by}'s reading", now=now)


def scores(cli: Cli, now: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(cli.ok("scores", SYRIA, "--json", now=now))
    return out


def by_scenario(view: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(s["forecaster"], s["scenario"]): s for s in view["by_scenario"]}


@pytest.fixture
def replayed(cli: Cli, tmp_path: Path) -> Cli:
    """The record as it came in, with ana (who called the collapse) and bo (who did not).

    ana: collapse 0.6, cooperation 0.3 on day 1; 0.9 and 0.1 on day 5.
    bo:  collapse 0.2, cooperation 0.7 on day 1; 0.1 and 0.8 on day 5.
    """
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T00:00:00+03:00")
    for who, collapse, cooperation in (("ana", "0.6", "0.3"), ("bo", "0.2", "0.7")):
        call(cli, COLLAPSE, collapse, who, DAY1)
        call(cli, COOPERATION, cooperation, who, DAY1)
    load_records(cli, tmp_path, after=DAY1, until=DAY5)
    for who, collapse, cooperation in (("ana", "0.9", "0.1"), ("bo", "0.1", "0.8")):
        call(cli, COLLAPSE, collapse, who, DAY5)
        call(cli, COOPERATION, cooperation, who, DAY5)
    load_records(cli, tmp_path, after=DAY5, until=BEFORE_LATE)
    return cli


def test_before_the_late_record_the_collapse_is_scored_at_the_19th(replayed: Cli) -> None:
    # Known on the 20th: the truce collapsed on 19 Sep 18:45; cooperation is still open.
    # ana's 0.6 stood 96 h (11th to 15th), her 0.9 stood 114.75 h (15th to 19th 18:45):
    # Brier (96·0.16 + 114.75·0.01) / 210.75
    view = scores(replayed, BEFORE_LATE)
    scored = by_scenario(view)
    assert set(scored) == {("ana", "truce-collapses"), ("bo", "truce-collapses")}
    assert scored["ana", "truce-collapses"]["brier"] == pytest.approx(
        (96 * 0.16 + 114.75 * 0.01) / 210.75)


def test_the_replay_scores_both_analysts_by_hand_and_ranks_the_one_who_called_it(
        replayed: Cli, tmp_path: Path) -> None:
    # bo's cooperation call on the 20th stood only after the (later known) resolution on the
    # 18th, so it counts for nothing.
    call(replayed, COOPERATION, "0.5", "bo", BEFORE_LATE)
    load_records(replayed, tmp_path, after=BEFORE_LATE, until=AFTER)
    status = json.loads(replayed.ok("status", SYRIA, "--json", now=AFTER))
    outcomes = {s["slug"]: (s["outcome"], s["resolved_at"]) for s in status["scenarios"]}
    assert outcomes == {"truce-collapses": ("happened", "2016-09-18T09:00:00Z"),
                        "cooperation-begins": ("did-not-happen", "2016-09-18T09:00:00Z")}
    # Both resolved on 18 Sep 12:00: day-1 calls stood 96 h, day-5 calls 84 h (of 180 h).
    expected = {
        ("ana", "truce-collapses"): ((96 * 0.16 + 84 * 0.01) / 180,  # 0.09
                                     (96 * math.log(0.6) + 84 * math.log(0.9)) / 180),
        ("ana", "cooperation-begins"): ((96 * 0.09 + 84 * 0.01) / 180,  # 0.05267
                                        (96 * math.log(0.7) + 84 * math.log(0.9)) / 180),
        ("bo", "truce-collapses"): ((96 * 0.64 + 84 * 0.81) / 180,  # 0.71933
                                    (96 * math.log(0.2) + 84 * math.log(0.1)) / 180),
        ("bo", "cooperation-begins"): ((96 * 0.49 + 84 * 0.64) / 180,  # 0.56
                                       (96 * math.log(0.3) + 84 * math.log(0.2)) / 180),
    }
    view = scores(replayed, AFTER)
    scored = by_scenario(view)
    assert set(scored) == set(expected)
    for key, (brier, log) in expected.items():
        assert scored[key]["brier"] == pytest.approx(brier), key
        assert scored[key]["log_score"] == pytest.approx(log), key
    assert expected["ana", "truce-collapses"][0] == pytest.approx(0.09)
    board = view["leaderboard"]
    assert [s["forecaster"] for s in board] == ["ana", "bo"]
    assert board[0]["brier"] == pytest.approx((0.09 + 9.48 / 180) / 2)
    assert board[1]["brier"] == pytest.approx((129.48 / 180 + 0.56) / 2)
    assert [(s["scenarios"], s["forecasts"]) for s in board] == [(2, 4), (2, 4)]
    assert "ana" in replayed.ok("scores", now=AFTER)  # across agreements, as a table


def test_the_diff_names_the_late_record_that_moved_the_resolution(replayed: Cli,
                                                                  tmp_path: Path) -> None:
    load_records(replayed, tmp_path, after=BEFORE_LATE, until=AFTER)
    out = json.loads(replayed.ok("diff", SYRIA, "--known-at", BEFORE_LATE, "--known-at", AFTER,
                                 "--json", now=AFTER))
    late = [r for r in out["records"]
            if r["commitment"] == "seven-day-calm" and r["state"] == "breached"]
    assert len(late) == 1
    changes = {(c["kind"], c["slug"]): c for c in out["changes"]}
    collapse = changes["scenario", "truce-collapses"]
    assert (collapse["before_since"], collapse["after_since"]) == (
        "2016-09-19T15:45:00Z", "2016-09-18T09:00:00Z")
    assert late[0]["id"] in collapse["records"]
    cooperation = changes["scenario", "cooperation-begins"]
    assert (cooperation["before"], cooperation["after"]) == ("open", "did-not-happen")
    assert "truce-collapses" in replayed.ok("diff", SYRIA, "--known-at", BEFORE_LATE,
                                            "--known-at", AFTER, now=AFTER)


def test_history_shows_what_was_believed_at_an_instant(replayed: Cli, tmp_path: Path) -> None:
    load_records(replayed, tmp_path, after=BEFORE_LATE, until=AFTER)
    calm = f"{SYRIA}/seven-day-calm"
    then = json.loads(replayed.ok("history", calm, "--known-at", BEFORE_LATE, "--json", now=AFTER))
    now = json.loads(replayed.ok("history", calm, "--json", now=AFTER))
    assert "fulfilled" in [i["state"] for i in then]  # the clock's "held", believed on the 20th
    # Now it shows only as undone, naming the record that undid it.
    assert [i["undone_by"] is not None for i in now if i["state"] == "fulfilled"] == [True]
    assert "breached" in [i["state"] for i in now]
    early = json.loads(replayed.ok("history", calm, "--as-of", DAY5, "--json", now=AFTER))
    assert all(i["occurred_at"] <= "2016-09-14T21:00:00Z" for i in early)
