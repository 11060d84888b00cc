"""Hostile text stays text: a seed, records, forecasts and a user name full of HTML, script and
Markdown payloads are shown literally in the HTML report and on every dashboard page, and no
script runs. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import SEEDS, SYRIA, Cli
from .browser import ANALYST, PASSWORD, add_analyst, chromium_page, running_dashboard, shot, sign_in, visit

SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD = (f'{SCRIPT} <img src=x onerror="window.__pwned=1"> [link](javascript:window.__pwned=1)'
           " **bold** </table> & &amp; `code` # not a heading")
EVIL_URL = "javascript:window.__pwned=1"
# Source addresses must be plain web addresses now (a javascript: one is refused at load), so
# the sources carry the payload in their titles; a provision's source is free text, and keeps it.
SOURCE_URL = "https://example.org/a?q=%3Cscript%3E"
USER = "<script>window.__pwned=1</script>"  # a user name cannot hold spaces
ENTITIES = "**bold** </table> & &amp; `code`"


def hostile_seed() -> dict[str, Any]:
    """Return the Syria seed with every free-text field replaced by the payload."""
    doc = copy.deepcopy(yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text(encoding="utf-8")))
    a = doc["agreement"]
    a["title"], a["notes"] = f"T {PAYLOAD}", PAYLOAD
    a["sources"] = [{"url": SOURCE_URL, "title": PAYLOAD}, *a["sources"]]
    for c in doc["commitments"]:
        c["title"], c["text"], c["notes"] = f"{c['slug']} {PAYLOAD}", PAYLOAD, PAYLOAD
        if "provision" in c:
            c["provision"]["quote"] = PAYLOAD
            c["provision"]["source"] = EVIL_URL
    for s in doc["scenarios"]:
        s["title"] = f"{s['slug']} {PAYLOAD}"
    return doc


def hostile_records() -> dict[str, Any]:
    source = {"url": SOURCE_URL, "title": PAYLOAD, "reliability": "B", "credibility": 2}
    record = {"commitment": "cessation-of-hostilities", "occurred_at": "2016-09-13T12:00:00+03:00",
              "recorded_at": "2016-09-13T15:00:00+03:00", "by": USER, "sources": [source]}
    return {"agreement": SYRIA, "records": [
        {**record, "kind": "observation", "summary": PAYLOAD},
        {**record, "commitment": "seven-day-calm", "kind": "transition", "state": "breached",
         "reason": PAYLOAD, "occurred_at": "2016-09-14T12:00:00+03:00",
         "recorded_at": "2016-09-14T15:00:00+03:00"},
    ]}


def fill(cli: Cli, folder: Path) -> None:
    """Load the hostile seed and records and forecast with a hostile rationale and name."""
    seed, records = folder / "hostile.yaml", folder / "hostile.record.yaml"
    seed.write_text(yaml.safe_dump(hostile_seed(), allow_unicode=True), encoding="utf-8")
    records.write_text(yaml.safe_dump(hostile_records(), allow_unicode=True), encoding="utf-8")
    cli.ok("load", str(seed), now="2016-09-10T12:00:00+03:00")
    cli.ok("forecast", f"{SYRIA}/truce-collapses", "0.7", "--by", USER, "--rationale", PAYLOAD,
           now="2016-09-11T12:00:00+03:00")
    cli.ok("load", str(records), now="2016-09-15T12:00:00+03:00")


class Watched:
    """A page that records dialogs; `inert()` checks no payload ran anywhere."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def inert(self) -> None:
        for frame in self.page.frames:
            assert frame.evaluate("typeof window.__pwned") == "undefined", frame.url
        assert self.dialogs == []
        assert self.page.locator('a[href^="javascript:" i]').count() == 0

    def shows_literally(self, text: str = SCRIPT) -> None:
        assert self.page.get_by_text(text, exact=False).count() > 0, f"{text!r} is not shown"


def test_the_html_report_shows_hostile_text_as_text_and_runs_nothing(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'report.db'}")
    cli.ok("init")
    fill(cli, tmp_path)
    report = tmp_path / "hostile.html"
    cli.ok("report", SYRIA, "--format", "html", "--output", str(report),
           now="2016-09-16T12:00:00+03:00")
    with chromium_page() as page:
        b = Watched(page)
        page.goto(report.as_uri())
        page.wait_for_timeout(500)
        assert page.locator("script").count() == 0  # the report ships no script at all
        assert page.locator("img").count() == 0
        b.inert()
        b.shows_literally()
        b.shows_literally(ENTITIES)
        assert page.title().startswith(f"T {SCRIPT}")
        shot(page, "hostile-report", settle_ms=0)  # waited above; the report draws no charts


@pytest.fixture
def hostile_dashboard(tmp_path: Path) -> Iterator[str]:
    """Return the URL of `tracker dashboard` on the hostile data, with one analyst to sign in."""
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    cli = Cli(url)
    cli.ok("init")
    fill(cli, tmp_path)
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_NOW": "2016-09-16T12:00:00+03:00"}
    add_analyst(env)
    with running_dashboard(env) as address:
        yield address


def test_every_dashboard_page_shows_hostile_text_as_text_and_runs_nothing(
        hostile_dashboard: str) -> None:
    with chromium_page() as page:
        b = Watched(page)
        page.goto(hostile_dashboard)
        sign_in(page, ANALYST, PASSWORD)
        # Per page: the sidebar link (None: where signing in lands), what shows the page is drawn,
        # the screenshot, and the payloads that must stand there as text.
        pages = [
            (None, [page.get_by_text("Next deadlines").first], "hostile-1-overview", [SCRIPT]),
            ("Agreement", [page.get_by_text("Dependencies").first], "hostile-2-agreement",
             [SCRIPT, ENTITIES]),  # an entity is not decoded either
            # The label first: the agreement page shows the payload too, so its text alone could
            # be found before the commitment page replaced it.
            ("Commitment", [page.get_by_label("Commitment", exact=True),
                            page.get_by_text("# not a heading").first], "hostile-3-commitment",
             [SCRIPT]),
            ("History", [page.get_by_text("As known at").first], "hostile-4-history", []),
            ("Alerts", [page.get_by_role("heading", name="Alerts")], "hostile-5-alerts", []),
        ]
        for link, ready, name, shown in pages:
            visit(page, link, *ready)
            shot(page, name)
            b.inert()
            for text in shown:
                b.shows_literally(text)
