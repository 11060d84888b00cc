"""A real browser on the Scenarios page: two analysts' forecasts drawn as step lines with the
resolution, and the leaderboard; the screenshot goes to tests/artifacts/scenarios.png."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import SEEDS, SYRIA, Cli
from .browser import chromium_page, running_dashboard, shot, sync_api, visit

NOW = "2016-10-10T00:00:00+03:00"
CALLS = [("2016-09-11T00:00:00+03:00", "mira.haddad", "0.6", "0.3"),
         ("2016-09-11T00:00:00+03:00", "tom.reilly", "0.2", "0.7"),
         ("2016-09-11T18:00:00+03:00", "ana.lopes", "0.45", "0.4"),
         ("2016-09-12T12:00:00+03:00", "mira.haddad", "0.8", "0.15"),
         ("2016-09-12T18:00:00+03:00", "tom.reilly", "0.35", "0.55")]  # before the first record


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[str]:
    """Return the URL of `tracker dashboard` (local mode) on the Syria record with forecasts."""
    url = f"sqlite:///{tmp_path / 'scenarios.db'}"
    cli = Cli(url)
    cli.ok("init")
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T00:00:00+03:00")
    for now, who, collapse, cooperation in CALLS:
        for scenario, p in (("truce-collapses", collapse), ("cooperation-begins", cooperation)):
            cli.ok("forecast", f"{SYRIA}/{scenario}", p, "--by", who, "--rationale",
                   f"{who.split('.')[0]}'s reading of the week", now=now)
    cli.ok("load", str(SEEDS / f"{SYRIA}.record.yaml"), now=NOW)
    with running_dashboard({**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_NOW": NOW}) as address:
        yield address


def test_the_scenarios_page_draws_the_forecasts_and_the_leaderboard(dashboard: str) -> None:
    with chromium_page(height=2500) as page:
        page.goto(dashboard)
        visit(page, "Scenarios", page.get_by_role("heading", name="Leaderboard"))
        charts = page.locator(".vega-embed")
        sync_api.expect(charts).to_have_count(3)  # two scenarios and the reliability plot
        for i in range(3):
            charts.nth(i).locator("canvas, svg").first.wait_for()
        # The late breach of the calm, learned on 21 September, is marked on the collapse's chart.
        assert charts.nth(1).get_by_text("revised: happened").count() == 1
        shot(page, "scenarios")  # after the charts' own waits, still let them finish drawing


def test_the_add_a_scenario_form_previews_as_it_is_filled_in(dashboard: str) -> None:
    """In a real browser: the form's preview follows what is typed, before anything is added
    (the screenshot, tests/artifacts/scenario-form.png, shows two groups of conditions)."""
    with chromium_page(height=2500) as page:
        page.goto(dashboard)
        visit(page, "Scenarios", page.get_by_role("heading", name="Leaderboard"))
        page.get_by_text("Add a scenario").click()
        page.get_by_text("show here as you fill it in").wait_for()
        slug = page.get_by_role("textbox", name="Slug")
        slug.fill("calm-early")
        slug.press("Tab")
        title = page.get_by_role("textbox", name="Title")
        title.fill("The calm is broken early")
        title.press("Tab")
        # Only the condition is missing now, and the preview says so as a seed's check would.
        page.get_by_text("scenario when: required; add it").wait_for()
        groups = page.get_by_role("spinbutton", name="Groups of conditions")
        groups.fill("2")
        groups.press("Enter")
        page.get_by_text("Group 2 holds when").wait_for()
        sync_api.expect(page.locator("[data-testid='stDataFrame'], [data-testid='stDataEditor']"
                                     ", .stDataFrame")).not_to_have_count(0)
        shot(page, "scenario-form", settle_ms=1000)
