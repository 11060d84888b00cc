"""Scenarios added to a loaded agreement, and the history of what we believed about each."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from tracker import services

from ..conftest import SEEDS, SYRIA, Cli, app_at

MOSCOW = "moscow-humanitarian-ceasefire-2020"
LATER = "2016-10-30T00:00:00+03:00"


@pytest.fixture
def syria(cli: Cli) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), str(SEEDS / f"{SYRIA}.record.yaml"), now=LATER)
    return cli


def test_scenario_history_names_the_late_breach_as_the_revision(syria: Cli) -> None:
    app = app_at(syria.url, LATER)
    events = services.scenario_history(app, SYRIA)
    _, items = services.history(app, SYRIA)
    late_breach = next(i.id for i in items if i.commitment == "seven-day-calm"
                       and i.state == "breached")
    assert [(e.scenario, e.kind, e.before, e.outcome) for e in events] == [
        ("truce-collapses", "resolved", "open", "happened"),
        ("cooperation-begins", "resolved", "open", "did-not-happen"),
        ("truce-collapses", "revised", "happened", "happened"),
    ]
    # The collapse was first dated by the Aleppo convoy strike, then moved back two days by the
    # breach on the 18th that was recorded only on the 21st.
    first, _, revised = events
    assert first.resolved_at is not None and revised.resolved_at is not None
    assert revised.resolved_at < first.resolved_at < revised.known_at
    assert revised.record_id == late_breach and revised.known_at.isoformat().startswith("2016-09-21")
    out = syria.ok("scenario", "list", SYRIA, now=LATER)
    assert "revised  truce-collapses: happened → happened" in out
    assert f"learned from record #{late_breach}" in out


def test_an_added_scenario_resolves_from_the_log_and_reloading_the_seed_still_works(
        syria: Cli) -> None:
    said = syria.ok("scenario", "add", SYRIA, "calm-breached", "--title", "The calm is broken",
                    "--when", "seven-day-calm=breached", now=LATER)
    assert "added scenario calm-breached" in said
    assert "the log has already decided it: happened at 2016-09-18 12:00 EEST" in said
    view = services.status(app_at(syria.url, LATER), SYRIA)
    added = next(s for s in view.scenarios if s.slug == "calm-breached")
    assert added.outcome == "happened" and added.resolved_at is not None
    assert "already loaded, unchanged" in syria.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now=LATER)


def test_a_scenario_from_a_file_joins_a_group_and_takes_forecasts(cli: Cli, tmp_path: Path) -> None:
    now = "2020-10-11T00:00:00+03:00"
    cli.ok("load", str(SEEDS / f"{MOSCOW}.yaml"), now="2020-10-10T04:00:00+03:00")
    for slug, state in (("talks-collapse", "breached"), ("talks-drag-on", "overdue")):
        spec = tmp_path / f"{slug}.yaml"
        spec.write_text(f"slug: {slug}\ntitle: {slug}\n"
                        f"when: {{any_of: {{substantive-negotiations: {state}}}}}\n"
                        "group: talks-fate\n")
        cli.ok("scenario", "add", MOSCOW, "--file", str(spec), now=now)
    cli.ok("forecast", f"{MOSCOW}/talks-fate", "talks-collapse=0.2", "talks-drag-on=0.8",
           "--by", "ana", "--rationale", "why", now=now)
    # A group with forecasts takes no new member: their probabilities would no longer sum to 1.
    message = cli.refused_unchanged("scenario", "add", MOSCOW, "talks-end", "--title", "End",
                                    "--when", "substantive-negotiations=fulfilled",
                                    "--group", "talks-fate", now=now)
    assert "group: 'talks-fate' already has forecasts" in message

BAD = {
    "unknown commitment": (["--title", "T", "--when", "nothing=breached"],
                           "scenario when.all_of.nothing: 'nothing' is not a commitment"),
    "unknown state": (["--title", "T", "--when", "seven-day-calm=exploded"],
                      "'exploded' is not a state"),
    "empty title": (["--title", "", "--when", "seven-day-calm=breached"], "scenario title:"),
    "no title": (["--when", "seven-day-calm=breached"], "scenario title: required; add it"),
    "no condition": (["--title", "T"], "--when: give at least one COMMITMENT=STATE"),
    "condition without a state": (["--title", "T", "--when", "seven-day-calm"],
                                  "--when: 'seven-day-calm' is not COMMITMENT=STATE"),
    "bad slug": (["--title", "T", "--when", "seven-day-calm=breached", "--group", "Not A Slug"],
                 "scenario group:"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenarios_are_refused_whole(syria: Cli, case: str) -> None:
    args, expected = BAD[case]
    message = syria.refused_unchanged("scenario", "add", SYRIA, "new-one", *args, now=LATER)
    assert expected in message, message


def test_a_taken_slug_and_bad_files_are_refused(syria: Cli, tmp_path: Path) -> None:
    taken = syria.refused_unchanged("scenario", "add", SYRIA, "truce-collapses", "--title", "T",
                                    "--when", "seven-day-calm=breached", now=LATER)
    assert "'truce-collapses' is used twice" in taken
    listed = tmp_path / "list.yaml"
    listed.write_text("- slug: a\n")
    assert "must hold one scenario as a mapping" in syria.refused_unchanged(
        "scenario", "add", SYRIA, "--file", str(listed), now=LATER)
    extra = tmp_path / "extra.yaml"
    extra.write_text("slug: a\ntitle: A\nwhen: {all_of: {seven-day-calm: breached}}\ncolour: red\n")
    assert "scenario colour: unknown key" in syria.refused_unchanged(
        "scenario", "add", SYRIA, "--file", str(extra), now=LATER)
    assert "cannot be read" in syria.refused_unchanged(
        "scenario", "add", SYRIA, "--file", str(tmp_path / "missing.yaml"), now=LATER)
    assert "not both" in syria.refused_unchanged(
        "scenario", "add", SYRIA, "x", "--file", str(extra), now=LATER)
    assert "is not loaded" in syria.refused_unchanged(
        "scenario", "add", "nope", "x", "--title", "T", "--when", "a=active", now=LATER)


def test_the_report_tells_when_each_outcome_was_learned_and_revised(syria: Cli) -> None:
    late_breach = next(i.id for i in services.history(app_at(syria.url, LATER), SYRIA)[1]
                       if i.commitment == "seven-day-calm" and i.state == "breached")
    markdown = syria.ok("report", SYRIA, "--format", "md", now=LATER)
    assert (f"- revised as happened on 2016-09-21 11:00 EEST (decided at 2016-09-18 12:00 EEST), "
            f"learned from record #{late_breach}") in markdown
    html = syria.ok("report", SYRIA, "--format", "html", now=LATER)
    assert f"<td>revised: happened → happened</td><td>2016-09-18 12:00 EEST</td><td>record " \
           f"#{late_breach}</td>" in html


def test_a_scenario_added_late_has_no_past_before_it_was_added(syria: Cli, tmp_path: Path) -> None:
    """What we believed on the 25th of September had no such scenario in it."""
    syria.ok("scenario", "add", SYRIA, "calm-breached", "--title", "The calm is broken",
             "--when", "seven-day-calm=breached", now=LATER)
    app = app_at(syria.url, "2016-10-31T00:00:00+03:00")
    then = services.status(app, SYRIA, known=datetime.fromisoformat("2016-09-25T00:00:00+03:00"))
    assert "calm-breached" not in [s.slug for s in then.scenarios]
    mine = [e for e in services.scenario_history(app, SYRIA) if e.scenario == "calm-breached"]
    assert [(e.kind, e.outcome, e.known_at) for e in mine] == [
        ("added", "happened", datetime.fromisoformat(LATER))]
    changed = services.diff(app, SYRIA, datetime.fromisoformat("2016-09-25T00:00:00+03:00"),
                            datetime.fromisoformat("2016-10-31T00:00:00+03:00"))
    assert [(c.slug, c.before, c.after) for c in changed.changes if c.kind == "scenario"] == [
        ("calm-breached", "not defined", "happened")]
    # The seed still reloads as it is, but not a seed that lost one of its own scenarios.
    seed = (SEEDS / f"{SYRIA}.yaml").read_text()
    trimmed = tmp_path / "trimmed.yaml"
    trimmed.write_text(seed[:seed.index("\nscenarios:")] + "\n")
    assert "already loaded with a different definition" in syria.refused_unchanged(
        "load", str(trimmed), now=LATER)
