"""The HTML report opens in Chromium as a person would see it; the screenshot goes to artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import IN_CI, SEEDS, SYRIA, Cli

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

if not CHROMIUM.exists():
    if IN_CI:
        pytest.fail(f"{CHROMIUM} is missing: `make chromium` installs it", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (make chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


def html_report(tmp_path: Path) -> Path:
    """Return the Syria report with two analysts' forecasts, written by the CLI."""
    cli = Cli(f"sqlite:///{tmp_path / 'report.db'}")
    cli.ok("init")
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T00:00:00+03:00")
    calls = [("2016-09-11T00:00:00+03:00", "mira.haddad", "0.6", "0.3"),
             ("2016-09-11T00:00:00+03:00", "tom.reilly", "0.2", "0.7"),
             ("2016-09-12T12:00:00+03:00", "mira.haddad", "0.8", "0.15"),
             ("2016-09-12T12:00:00+03:00", "tom.reilly", "0.15", "0.75")]
    for now, who, collapse, cooperation in calls:
        for scenario, p in (("truce-collapses", collapse), ("cooperation-begins", cooperation)):
            cli.ok("forecast", f"{SYRIA}/{scenario}", p, "--by", who, "--rationale",
                   f"{who.split('.')[0]}'s reading of the first days", now=now)
    cli.ok("load", str(SEEDS / f"{SYRIA}.record.yaml"), now="2016-10-10T00:00:00+03:00")
    path = tmp_path / "report.html"
    cli.ok("report", SYRIA, "--format", "html", "--output", str(path),
           now="2016-10-10T00:00:00+03:00")
    return path


def test_the_html_report_reads_well_in_chromium(tmp_path: Path) -> None:
    path = html_report(tmp_path)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto(path.as_uri())
        assert "US–Russia arrangement on Syria" in page.title()
        assert page.locator("svg").count() == 2
        assert page.get_by_role("heading", name="Leaderboard").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "8-report.png"), full_page=True)
        browser.close()
