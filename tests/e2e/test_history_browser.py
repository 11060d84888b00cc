"""A real browser on the History page, "As known at" set to an instant before an analyst added a
scenario: the page says the scenario was not defined then, instead of a traceback."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import SEEDS, SYRIA, Cli
from .browser import chromium_page, running_dashboard, shot, visit

NOW = "2016-09-25T12:00:00+03:00"
BEFORE_ADDED = "2016-09-15T12:00:00+03:00"


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    cli = Cli(url)
    cli.ok("init")
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T00:00:00+03:00")
    cli.ok("scenario", "add", SYRIA, "calm-breached", "--title", "The calm is broken",
           "--when", "seven-day-calm=breached", now="2016-09-20T00:00:00+03:00")
    with running_dashboard({**os.environ, "TRACKER_DATABASE_URL": url,
                            "TRACKER_NOW": NOW}) as address:
        yield address


def test_history_known_at_before_a_scenario_was_added(dashboard: str) -> None:
    with chromium_page() as page:
        page.goto(dashboard)
        visit(page, "History", page.get_by_role("heading", name="History"))
        known = page.get_by_role("textbox", name="As known at")
        known.fill(BEFORE_ADDED)
        known.press("Enter")
        page.get_by_text("Not defined at 2016-09-15 12:00 EEST: calm-breached").wait_for()
        body = page.inner_text("body")
        assert "KeyError" not in body and "Traceback" not in body
        shot(page, "history-before-scenario-added", settle_ms=500)
