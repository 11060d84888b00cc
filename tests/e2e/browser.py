"""What the browser tests share: Debian's Chromium driven by Playwright, `tracker dashboard` run as a
subprocess on a free port, signing in and screenshots to tests/artifacts/.

Importing this module skips the importing test module when Chromium is missing, except under CI,
where a missing browser fails instead: there it means the tests never ran, not that they passed."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ..conftest import IN_CI
from ..receivers import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
TRACKER = [sys.executable, "-m", "tracker.cli"]
ANALYST, PASSWORD = "mira.haddad", "a long password"
# Headless in containers and CI runners: no sandbox or GPU there, and nothing fetched on its own.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run"]

if not CHROMIUM.exists():
    if IN_CI:
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs it", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (make chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the dashboard exited at start"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the dashboard did not answer on port {port}")


def tracker(env: Mapping[str, str], *args: str, input: bytes | None = None) -> None:
    """Run the `tracker` CLI as a subprocess with `env`; it must succeed."""
    subprocess.run([*TRACKER, *args], env=env, input=input, check=True, capture_output=True)


def add_analyst(env: Mapping[str, str]) -> None:
    """Add ANALYST with PASSWORD, the one user the dashboard tests sign in as."""
    tracker(env, "user", "add", ANALYST, "--role", "analyst", "--password-stdin",
            input=f"{PASSWORD}\n".encode())


@contextmanager
def running_dashboard(env: Mapping[str, str]) -> Iterator[str]:
    """Run `tracker dashboard` with `env` on a free port and yield its URL; stop it after."""
    port = free_port()
    process = subprocess.Popen([*TRACKER, "dashboard", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextmanager
def chromium_page(width: int = 1400, height: int = 2200) -> Iterator[Page]:
    """Yield a fresh page in headless Chromium; the browser is closed after, even on failure."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def sign_in(page: Page, name: str, password: str, *, shot_form: str | None = None) -> None:
    """Sign in on the dashboard's login form; `shot_form` names a screenshot of the filled form."""
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    if shot_form:
        shot(page, shot_form)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Signed in as").wait_for()


def visit(page: Page, link: str | None, *ready: Locator) -> None:
    """Follow the sidebar `link` (None: stay) and wait until each of `ready` shows, in order.

    Streamlit swaps pages in place, so `ready` must be something only the new page shows."""
    if link is not None:
        page.get_by_role("link", name=link).click()
    for locator in ready:
        locator.wait_for()


def shot(page: Page, name: str, *, settle_ms: int = 2500) -> None:
    """Save a full-page screenshot as tests/artifacts/<name>.png.

    `settle_ms` lets the dashboard's charts finish drawing; a static page needs 0."""
    ARTIFACTS.mkdir(exist_ok=True)
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
