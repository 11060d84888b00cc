"""A real browser against `tracker dashboard`: sign in, open the Syria agreement, move a
commitment with the form, see its dependants re-evaluated. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import IN_CI, SEEDS, SYRIA

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
NOW = "2016-09-16T12:00:00+03:00"

if not CHROMIUM.exists():
    if IN_CI:
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs it", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (make chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the dashboard exited at start"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the dashboard did not answer on port {port}")


@pytest.fixture
def dashboard(tmp_path: Path) -> Iterator[str]:
    """Return the URL of `tracker dashboard` on a seeded SQLite database with one analyst."""
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'e2e.db'}",
           "TRACKER_NOW": NOW}
    tracker = [sys.executable, "-m", "tracker.cli"]
    run = {"env": env, "check": True, "capture_output": True}
    subprocess.run([*tracker, "init"], **run)  # type: ignore[call-overload]
    subprocess.run([*tracker, "--now", "2016-09-10T12:00:00+03:00", "load",  # type: ignore[call-overload]
                    str(SEEDS / f"{SYRIA}.yaml")], **run)
    subprocess.run([*tracker, "user", "add", "mira.haddad", "--role", "analyst",  # type: ignore[call-overload]
                    "--password-stdin"], input=b"a long password\n", **run)
    port = free_port()
    process = subprocess.Popen([*tracker, "dashboard", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(2500)  # type: ignore[attr-defined]  # let charts finish drawing
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_an_analyst_moves_a_commitment_and_sees_the_dependants_follow(dashboard: str) -> None:
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 2200})
        page.set_default_timeout(30_000)
        page.goto(dashboard)
        page.get_by_label("Name", exact=True).fill("mira.haddad")
        page.get_by_label("Password", exact=True).fill("a long password")
        shot(page, "0-login")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_text("Signed in as").wait_for()
        page.get_by_text("Next deadlines").first.wait_for()
        shot(page, "1-overview")

        page.get_by_role("link", name="Agreement").click()
        page.get_by_text("Dependencies").first.wait_for()
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

        page.get_by_role("link", name="Agreement").click()
        page.get_by_text("Dependencies").first.wait_for()
        shot(page, "5-agreement-after")
        page.get_by_role("link", name="History").click()
        page.get_by_text("As known at").first.wait_for()
        shot(page, "6-history")
        page.get_by_role("link", name="Alerts").click()
        page.get_by_role("heading", name="Alerts").wait_for()
        shot(page, "7-alerts")
        browser.close()
