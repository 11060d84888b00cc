"""`tracker report`: Markdown, self-contained HTML and CSV, with what people typed made safe."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ..conftest import SEEDS, SYRIA, Cli

NOW = "2016-10-10T00:00:00+03:00"
HOSTILE = "<script>alert('x')</script> & more"


@pytest.fixture
def reported(cli: Cli) -> Cli:
    cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T00:00:00+03:00")
    cli.ok("forecast", f"{SYRIA}/truce-collapses", "0.7", "--by", "=ana", "--rationale", HOSTILE,
           now="2016-09-11T00:00:00+03:00")
    cli.ok("load", str(SEEDS / f"{SYRIA}.record.yaml"), now=NOW)
    return cli


def test_the_markdown_report_has_states_scenarios_scores_and_sources(reported: Cli) -> None:
    text = reported.ok("report", SYRIA, now=NOW)
    for heading in ("## Where things stand", "## Timeline", "## Scenarios", "## Leaderboard",
                    "## Sources"):
        assert heading in text
    assert "`truce-collapses`: **happened** at 2016-09-18 12:00 EEST" in text
    assert "Brier 0.0900" in text


def test_the_html_report_is_self_contained_and_escapes_what_people_typed(
        reported: Cli, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    reported.ok("report", SYRIA, "--format", "html", "--output", str(path), now=NOW)
    page = path.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in page
    assert "<svg" in page and "<link" not in page and "src=" not in page


def test_the_csv_report_reads_back_and_cannot_start_a_formula(reported: Cli) -> None:
    rows = list(csv.DictReader(io.StringIO(reported.ok("report", SYRIA, "--format", "csv",
                                                       now=NOW))))
    forecasts = [r for r in rows if r["section"] == "forecast"]
    assert [(r["subject"], r["by"], r["value"]) for r in forecasts] == [
        ("truce-collapses", "'=ana", "0.7")]
    assert {r["section"] for r in rows} >= {"timeline", "scenario", "score", "source"}


def test_an_unknown_format_is_refused(reported: Cli) -> None:
    assert "--format: 'pdf' is not a report format" in reported.refused(
        "report", SYRIA, "--format", "pdf", now=NOW)
