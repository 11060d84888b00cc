"""The real September 2016 record, replayed through the CLI as analysts entered it."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..conftest import SEEDS, SYRIA, Cli

LATE_CALM_BREACH_RECORDED = "2016-09-21T11:00:00+03:00"


def states(cli: Cli, *args: str, now: str | None = None) -> dict[str, dict[str, Any]]:
    out = json.loads(cli.ok("status", SYRIA, "--json", *args, now=now))
    return {c["slug"]: c for c in out["commitments"]} | {
        f"scenario:{s['slug']}": s for s in out["scenarios"]}


def enter(cli: Cli, record: dict[str, Any]) -> None:
    """Type one record of the file in as an analyst would, at the instant it was recorded."""
    target = f"{SYRIA}/{record['commitment']}"
    common = ["--occurred-at", record["occurred_at"], "--by", record["by"]]
    for source in record.get("sources", []):
        common += ["--source", source["url"]]
    if record["kind"] == "transition":
        cli.ok("transition", target, record["state"], *common, "--reason", record.get("reason", ""),
               now=record["recorded_at"])
    else:
        cli.ok("observe", target, *common, "--summary", record["summary"], now=record["recorded_at"])


def test_real_record_ends_in_collapse_and_remembers_what_was_believed(cli: Cli) -> None:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    records = yaml.safe_load((SEEDS / f"{SYRIA}.record.yaml").read_text())["records"]
    before_late = [r for r in records if r["recorded_at"] < LATE_CALM_BREACH_RECORDED]
    for record in before_late:
        enter(cli, record)

    # 20 September: the clock has marked the calm as held; the Geneva centre has started.
    cli.ok("tick", now="2016-09-20T09:00:00+03:00")
    believed = states(cli, now="2016-09-20T09:00:00+03:00")
    assert believed["seven-day-calm"]["state"] == "fulfilled"
    assert believed["seven-day-calm"]["since"] == "2016-09-19T16:00:00Z"
    assert believed["joint-implementation-center"]["state"] == "active"
    assert believed["joint-implementation-center"]["due"] == "2016-09-26T16:00:00Z"

    for record in records[len(before_late):]:
        enter(cli, record)

    now = states(cli, now="2016-10-31T12:00:00+03:00")
    assert now["cessation-of-hostilities"]["state"] == "breached"
    assert now["seven-day-calm"]["state"] == "breached"
    for slug in ("joint-implementation-center", "joint-targeting", "target-list-sharing-only"):
        assert now[slug]["state"] == "lapsed"
    assert now["joint-implementation-center"]["cause"].startswith(
        "lapsed because seven-day-calm was breached on 2016-09-18")
    assert "joint-implementation-center was lapsed" in now["joint-targeting"]["cause"]
    assert now["scenario:truce-collapses"]["outcome"] == "happened"
    assert now["scenario:cooperation-begins"]["outcome"] == "did-not-happen"

    # What we believed before the late record is still answerable.
    then = states(cli, "--known-at", "2016-09-20T09:00:00+03:00", now="2016-10-31T12:00:00+03:00")
    assert then["seven-day-calm"]["state"] == "fulfilled"
    assert then["joint-implementation-center"]["state"] == "active"
    # And as of 20 September, as we know it now, the centre never started.
    as_of = states(cli, "--as-of", "2016-09-20T09:00:00+03:00", now="2016-10-31T12:00:00+03:00")
    assert as_of["joint-implementation-center"]["state"] == "lapsed"

    history = json.loads(cli.ok("history", f"{SYRIA}/seven-day-calm", "--json"))
    held = [h for h in history if h["by"] == "clock" and h["state"] == "fulfilled"]
    # The clock's "held" was undone by the late record: shown marked so, never as standing.
    assert held and all(isinstance(h["undone_by"], int) for h in held)
    breach = [h for h in history if h["state"] == "breached"][0]
    assert breach["occurred_at"] == "2016-09-18T09:00:00Z"
    assert breach["recorded_at"] == "2016-09-21T08:00:00Z"


def test_loading_the_record_file_gives_the_same_outcome_as_typing_it(cli: Cli) -> None:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), str(SEEDS / f"{SYRIA}.record.yaml"),
           now="2016-10-31T12:00:00+03:00")
    loaded = states(cli, now="2016-10-31T12:00:00+03:00")
    assert loaded["seven-day-calm"]["state"] == "breached"
    assert loaded["joint-targeting"]["state"] == "lapsed"
    assert states(cli, "--known-at", "2016-09-20T09:00:00+03:00",
                  now="2016-10-31T12:00:00+03:00")["seven-day-calm"]["state"] == "fulfilled"
