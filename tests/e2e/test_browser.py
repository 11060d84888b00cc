"""A real browser against `tracker dashboard`: sign in, open the Syria agreement, move a
commitment with the form, see its dependants re-evaluated. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import SEEDS, SYRIA
from .browser import (
    ANALYST,
    PASSWORD,
    add_analyst,
    chromium_page,
    running_dashboard,
    shot,
    sign_in,
    sync_api,
    tracker,
    visit,
)

NOW = "2016-09-16T12:00:00+03:00"


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[str]:
    """Return the URL of `tracker dashboard` on a seeded SQLite database with one analyst."""
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
           "TRACKER_NOW": NOW}
    tracker(env, "init")
    tracker(env, "--now", "2016-09-10T12:00:00+03:00", "load", str(SEEDS / f"{SYRIA}.yaml"))
    add_analyst(env)
    with running_dashboard(env) as url:
        yield url


def test_an_analyst_moves_a_commitment_and_sees_the_dependants_follow(dashboard: str) -> None:
    with chromium_page() as page:
        page.goto(dashboard)
        sign_in(page, ANALYST, PASSWORD, shot_form="0-login")
        page.get_by_text("Next deadlines").first.wait_for()
        shot(page, "1-overview")

        visit(page, "Agreement", page.get_by_text("Dependencies").first)
        shot(page, "2-agreement")

        page.get_by_role("link", name="Commitment").click()
        page.get_by_label("Commitment", exact=True).click()
        page.get_by_role("option", name="seven-day-calm").click()
        page.get_by_text("Seven consecutive days of reduced violence").first.wait_for()
        # While Streamlit reruns, the previous commitment's form lingers: wait until it is gone.
        sync_api.expect(page.get_by_label("New state")).to_have_count(1)
        page.get_by_label("New state").click()
        page.get_by_role("option", name="breached").click()
        page.get_by_label("Reason").fill("air strikes on rebel-held eastern Aleppo")
        page.get_by_label("Source 1 address").first.fill("https://example.org/report")
        shot(page, "3-commitment-form")
        page.get_by_role("button", name="Record state change").click()
        page.get_by_text("joint-implementation-center: pending → lapsed").wait_for()
        assert page.get_by_text("Recorded #").first.is_visible()
        shot(page, "4-commitment-after")

        visit(page, "Agreement", page.get_by_text("Dependencies").first)
        shot(page, "5-agreement-after")
        visit(page, "History", page.get_by_text("As known at").first)
        shot(page, "6-history")
        visit(page, "Alerts", page.get_by_role("heading", name="Alerts"))
        shot(page, "7-alerts")
