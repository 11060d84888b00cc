"""The Scenarios page's form that adds a scenario to a loaded agreement: nested conditions, a live
preview in words, the seed's checks."""

from __future__ import annotations

from typing import Any

from tracker import services

from ..conftest import SYRIA
from .helpers import by_label, loaded, page, shown, texts

SCENARIOS = "views/scenarios.py"
NOW = "2016-10-10T00:00:00+03:00"

Row = tuple[bool, str, str, str]  # not, commitment, has entered, before


def fill(at: Any, slug: str, title: str, *groups: list[Row], joined: str | None = None,
         modes: tuple[str, ...] = ()) -> None:
    by_label(at.text_input, "Slug").input(slug)
    by_label(at.text_input, "Title").input(title)
    if len(groups) > 1:
        by_label(at.number_input, "Groups of conditions").set_value(len(groups))
        at.run()
        if joined:
            by_label(at.radio, "It happens when it holds for").set_value(joined)
    for i, mode in enumerate(modes):
        by_label(at.radio, f"Group {i + 1} holds when").set_value(mode)
    for i, rows in enumerate(groups):
        # A conditions table is a data editor; its state is the list of edits it has seen.
        edits = [dict(zip(("not", "commitment", "enters", "before"), row, strict=True))
                 for row in rows]
        at.session_state[f"scenario-conditions-{i}"] = {
            "edited_rows": {0: edits[0]}, "added_rows": edits[1:], "deleted_rows": []}
    at.run()


def test_an_added_scenario_appears_resolved_from_the_log(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now=NOW)
    at = page(app, SCENARIOS)
    fill(at, "calm-breached", "The calm is broken", [(False, "seven-day-calm", "breached", "")])
    assert "**In words:** Happens when seven-day-calm is breached" in texts(at)
    by_label(at.button, "Add scenario").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Added scenario calm-breached" in texts(at)
    added = next(s for s in services.status(app, SYRIA).scenarios if s.slug == "calm-breached")
    assert added.outcome == "happened"


def test_groups_of_negatable_dated_conditions_nest_and_read_back_in_words(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now=NOW)
    at = page(app, SCENARIOS)
    fill(at, "early-or-never", "Broken early, or no joint targeting",
         [(False, "seven-day-calm", "breached", "2016-09-19T19:00:00+03:00"),
          (True, "joint-targeting", "active", "")],
         [(True, "air-safety-mou", "breached", "2016-10-01")],
         joined="all of these groups", modes=("any of these holds", "all of these hold"))
    words = ("happens when (seven-day-calm is breached before 19 Sep 2016 19:00, or "
             "joint-targeting never becomes active), and air-safety-mou is not breached by the "
             "end of 1 Oct 2016")
    shown = texts(at).replace("\\", "")
    assert "**In words:** H" + words[1:] in shown, shown
    by_label(at.button, "Add scenario").click().run()
    assert not at.error, [e.value for e in at.error]
    view = services.rules(app, SYRIA)
    assert view.scenarios["early-or-never"] == words  # the same words everywhere
    added = next(s for s in services.status(app, SYRIA).scenarios if s.slug == "early-or-never")
    assert (added.outcome, added.resolved_at and added.resolved_at.isoformat()) == (
        "happened", "2016-10-01T21:00:00+00:00")  # the MoU was never breached by then


def test_the_preview_shows_a_seeds_checks_before_anything_is_added(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now=NOW)
    before = services.export_text(app)
    at = page(app, SCENARIOS)
    fill(at, "naive", "A time with no zone", [(False, "seven-day-calm", "breached", "2016-09-19T19:00")])
    warnings = [w.value for w in at.warning]
    assert any("scenario when.by: 2016-09-19T19:00:00 has no time zone; add an offset or Z, e.g. "
               "2016-09-19T19:00:00+03:00" in w.replace("\\", "") for w in warnings), warnings
    by_label(at.button, "Add scenario").click().run()
    assert "Not added" in at.error[0].value
    assert services.export_text(app) == before


def test_a_bad_scenario_shows_the_seed_check_and_adds_nothing(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now=NOW)
    before = services.export_text(app)
    at = page(app, SCENARIOS)
    fill(at, "truce-collapses", "", [(False, "seven-day-calm", "breached", "")])
    by_label(at.button, "Add scenario").click().run()
    message = shown(at.error[0].value)
    assert "Not added" in message and "used twice" in message and "title" in message
    assert services.export_text(app) == before
