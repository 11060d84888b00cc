"""The Scenarios page's form that adds a scenario to a loaded agreement."""

from __future__ import annotations

from typing import Any

from tracker import services

from ..conftest import SYRIA
from .helpers import by_label, loaded, page, shown, texts

SCENARIOS = "views/scenarios.py"


def fill(at: Any, slug: str, title: str, terms: dict[str, str]) -> None:
    by_label(at.text_input, "Slug").input(slug)
    by_label(at.text_input, "Title").input(title)
    # The conditions table is a data editor; its state is the list of edits it has seen.
    at.session_state["scenario-conditions"] = {
        "edited_rows": {0: dict(zip(("commitment", "has entered"), next(iter(terms.items())),
                                    strict=True))},
        "added_rows": [{"commitment": c, "has entered": s} for c, s in list(terms.items())[1:]],
        "deleted_rows": []}


def test_an_added_scenario_appears_resolved_from_the_log(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now="2016-10-10T00:00:00+03:00")
    at = page(app, SCENARIOS)
    fill(at, "calm-breached", "The calm is broken", {"seven-day-calm": "breached"})
    by_label(at.button, "Add scenario").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Added scenario calm-breached" in texts(at)
    added = next(s for s in services.status(app, SYRIA).scenarios if s.slug == "calm-breached")
    assert added.outcome == "happened"


def test_a_bad_scenario_shows_the_seed_check_and_adds_nothing(migrated_url: str) -> None:
    app = loaded(migrated_url, records=True, now="2016-10-10T00:00:00+03:00")
    before = services.export_text(app)
    at = page(app, SCENARIOS)
    fill(at, "truce-collapses", "", {"seven-day-calm": "breached"})
    by_label(at.button, "Add scenario").click().run()
    message = shown(at.error[0].value)
    assert "Not added" in message and "used twice" in message and "title" in message
    assert services.export_text(app) == before
