"""A clock decision has one id in every view of history, and its recorded instant is when the
tracker could first have derived it, whatever instant the view is taken at."""

from __future__ import annotations

import json

import pytest

from ..conftest import SEEDS, SYRIA, Cli

CALM = f"{SYRIA}/seven-day-calm"
LATER = "2016-09-25T12:00:00+03:00"


@pytest.fixture
def breached_late(cli: Cli) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T12:00:00+03:00")
    cli.ok("tick", now="2016-09-20T12:00:00+03:00")  # the calm held, as far as we knew
    cli.ok("transition", CALM, "breached", "--occurred-at", "2016-09-18T12:00:00+03:00",
           "--by", "mira", "--reason", "air strikes", now="2016-09-21T11:00:00+03:00")
    return cli


def clock(cli: Cli, *args: str) -> dict[tuple[str, str], dict[str, str]]:
    items = json.loads(cli.ok("history", SYRIA, "--json", *args, now=LATER))
    return {(i["commitment"], i["state"]): i for i in items if i["kind"] == "clock"}


def test_a_clock_decision_keeps_its_id_across_views(breached_late: Cli) -> None:
    stored = clock(breached_late)
    known = clock(breached_late, "--known-at", "2016-09-24T00:00:00+03:00")
    assert stored.keys() == known.keys()
    for key, item in stored.items():
        assert known[key]["id"] == item["id"], key
        assert known[key]["recorded_at"] == item["recorded_at"], key
    assert len({i["id"] for i in stored.values()}) == len(stored)
    assert not any(i["id"].removeprefix("clock-").isdigit() for i in stored.values())


def test_recorded_is_when_the_decision_could_first_be_derived(breached_late: Cli) -> None:
    known = clock(breached_late, "--known-at", "2016-09-24T00:00:00+03:00")
    # The cessation started on the seed's own instant: known from then, not from K.
    assert known[("cessation-of-hostilities", "active")]["recorded_at"] == "2016-09-12T16:00:00Z"
    # The centre lapsed on the 18th, but only the breach recorded on the 21st could tell.
    lapse = known[("joint-implementation-center", "lapsed")]
    assert lapse["occurred_at"] == "2016-09-18T09:00:00Z"
    assert lapse["recorded_at"] == "2016-09-21T08:00:00Z"


def test_history_marks_the_decision_a_late_record_undid(breached_late: Cli) -> None:
    held = clock(breached_late)[("seven-day-calm", "fulfilled")]
    assert held["undone_by"] == 1  # the breach, record #1
    assert held["undone_cause"].startswith("breached since 2016-09-18 12:00 EEST by record #1")
    assert "UNDONE by #1: now breached since" in breached_late.ok("history", CALM, now=LATER)
    before = clock(breached_late, "--known-at", "2016-09-20T12:00:00+03:00")
    assert before[("seven-day-calm", "fulfilled")]["undone_by"] is None  # believed, then
    assert before[("seven-day-calm", "fulfilled")]["id"] == held["id"]
    after = clock(breached_late, "--known-at", "2016-09-22T00:00:00+03:00")
    assert after[("seven-day-calm", "fulfilled")]["undone_by"] == 1


def test_the_revised_alert_names_the_undone_decision_its_replacement_and_record(
        breached_late: Cli) -> None:
    alerts = json.loads(breached_late.ok("alerts", "--json", "--all", now=LATER))
    [revised] = [a for a in alerts if a["kind"] == "revised"
                 and a["commitment"] == "seven-day-calm"]
    held = clock(breached_late)[("seven-day-calm", "fulfilled")]
    assert held["id"] in revised["message"]
    assert "was undone by record #1" in revised["message"]
    assert "it is now breached since 2016-09-18 12:00 EEST" in revised["message"]
    assert "see `tracker history`" not in revised["message"]
