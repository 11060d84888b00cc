"""The HTML report opens in Chromium as a person would see it; the screenshot goes to artifacts."""

from __future__ import annotations

from pathlib import Path

from ..conftest import SEEDS, SYRIA, Cli
from .browser import chromium_page, shot


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
    with chromium_page(width=1100, height=1400) as page:
        page.goto(path.as_uri())
        assert "US–Russia arrangement on Syria" in page.title()
        assert page.locator("svg").count() == 2
        assert page.get_by_role("heading", name="Leaderboard").is_visible()
        shot(page, "8-report", settle_ms=0)  # a static page: nothing left to draw
