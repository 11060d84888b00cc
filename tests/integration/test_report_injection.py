"""What people typed cannot become a formula in a CSV, a live tag or image in the Markdown
report, a broken calendar or a crash: each attack of the security review, replayed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import markdown
import pytest
import yaml
from sqlalchemy import text

from tracker.store.db import engine_for
from tracker.store.migrate import upgrade

from ..conftest import SEEDS, SYRIA, Cli

NOW = "2016-10-10T00:00:00+03:00"
CALM = f"{SYRIA}/seven-day-calm"
SINK = "http://127.0.0.1:9/sink.png"


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    url = f"sqlite:///{tmp_path / 'reports.db'}"
    upgrade(url)
    loaded = Cli(url)
    loaded.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now="2016-09-10T00:00:00+03:00")
    return loaded


def test_no_csv_cell_can_start_a_formula_or_a_row_of_its_own(cli: Cli) -> None:
    cli.ok("forecast", f"{SYRIA}/truce-collapses", "0.7", "--by", "=ana", "--rationale",
           "\t=cmd|' /C calc'!A0", now="2016-09-11T00:00:00+03:00")
    cli.ok("transition", CALM, "breached", "--occurred-at", "2016-09-18T12:00:00+03:00",
           "--by", "@bob", "--reason", "+1 strike\r=cmd|' /C calc'!A0",
           "--source", "https://example.org/a", now="2016-09-21T12:00:00+03:00")
    written = cli.ok("report", SYRIA, "--format", "csv", now=NOW)
    rows = list(csv.reader(io.StringIO(written, newline="")))
    assert {len(r) for r in rows} == {7}  # the CR made no row of its own
    cells = [c for r in rows[1:] for c in r]
    for c in cells:
        is_number = c.lstrip("+-").replace(".", "", 1).isdigit()
        assert is_number or not c.startswith(("=", "+", "-", "@", "\t", "\r")), repr(c)
    assert "'+1 strike\r=cmd|' /C calc'!A0" in cells and "'\t=cmd|' /C calc'!A0" in cells and "'@bob" in cells
    assert any(c.startswith("-") and float(c) < 0 for c in cells)  # a log score, left a number
    source = next(r for r in rows if r[0] == "source")
    assert source[5] == ""  # no grade: an empty cell, not a "--" placeholder


def _md_as_html(cli: Cli) -> str:
    return markdown.markdown(cli.ok("report", SYRIA, now=NOW), extensions=["tables"])


def test_the_markdown_report_shows_tags_and_images_as_text(cli: Cli) -> None:
    cli.ok("transition", CALM, "breached", "--occurred-at", "2016-09-18T12:00:00+03:00",
           "--by", "ann", "--reason", f'<img src="{SINK}"> ![x]({SINK}) <b>bold</b>',
           "--source", "https://example.org/a", now="2016-09-21T12:00:00+03:00")
    with engine_for(cli.url).begin() as connection:  # a source stored before URLs were checked
        connection.execute(text("UPDATE source SET url = :u, title = ''"),
                           {"u": f"https://a.example/>) <img src={SINK}> ("})
    page = _md_as_html(cli)
    assert "<img" not in page and "<b>" not in page and SINK + '"' not in page
    assert "&lt;img" in page  # shown, as typed


def test_a_title_with_a_line_break_still_gives_a_calendar(cli: Cli, tmp_path: Path) -> None:
    seed = yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text(encoding="utf-8"))
    seed["agreement"]["slug"], seed["agreement"]["title"] = "crlf", "Line one\r\nline two"
    (tmp_path / "crlf.yaml").write_text(yaml.safe_dump(seed), encoding="utf-8")
    cli.ok("load", str(tmp_path / "crlf.yaml"), now="2016-09-10T00:00:00+03:00")
    feed = cli.ok("calendar", "crlf", now="2016-09-12T00:00:00+03:00")
    assert "X-WR-CALNAME:Line one line two" in feed


def test_a_scenario_file_nested_thirty_thousand_deep_is_refused_cleanly(
        cli: Cli, tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("slug: deep\ntitle: t\nwhen: " + "[" * 30_000 + "]" * 30_000 + "\n")
    message = cli.refused_unchanged("scenario", "add", SYRIA, "--file", str(deep), now=NOW)
    assert "--file" in message and "nest" in message
