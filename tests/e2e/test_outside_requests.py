"""Hostile text in every field makes no reader's browser fetch anything outside the dashboard's
own origin (an HTTP sink on 127.0.0.1 would log it, Referer and all); a page that breaks shows
an error id, never a traceback, SQL or a path; a NUL in a sign-in name gets a clear refusal; and
tables download as CSV through our button, formulas neutralised. Screenshots in tests/artifacts/."""

from __future__ import annotations

import copy
import csv
import io
import os
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import SEEDS, SYRIA, Cli
from ..receivers import free_port
from .browser import TRACKER, chromium_page, shot, sign_in, tracker, visit, wait_for_port

NOW = "2016-09-16T12:00:00+03:00"
PASSWORD = "a long password"


@pytest.fixture
def sink() -> Iterator[tuple[str, list[str]]]:
    """Yield the base URL of an HTTP server that logs every request it gets (path, Referer)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(f"{self.path} (Referer: {self.headers.get('Referer')})")
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()


def payload(base: str, field: str) -> str:
    """Return Markdown and HTML that fetch `base` if rendered, tagged with the field's name."""
    return (f"![x]({base}/md-{field}.png) <img src=\"{base}/html-{field}.png\"> "
            f"[link]({base}/link-{field}) **bold** =1+2")


def hostile_seed(base: str) -> dict[str, Any]:
    doc = copy.deepcopy(yaml.safe_load((SEEDS / f"{SYRIA}.yaml").read_text(encoding="utf-8")))
    a = doc["agreement"]
    a["title"], a["notes"] = f"T {payload(base, 'title')}", payload(base, "notes")
    a["sources"] = [{"url": f"{base}/source-url", "title": payload(base, "source-title")},
                    *a["sources"]]
    for c in doc["commitments"]:
        c["title"] = f"{c['slug']} {payload(base, 'c-title')}"
        c["text"], c["notes"] = payload(base, "c-text"), payload(base, "c-notes")
        if "provision" in c:
            c["provision"]["quote"] = payload(base, "quote")
            c["provision"]["source"] = payload(base, "provision-source")
    for s in doc["scenarios"]:
        s["title"] = f"{s['slug']} {payload(base, 's-title')}"
    return doc


def hostile_records(base: str) -> dict[str, Any]:
    source = {"url": f"{base}/record-source", "title": payload(base, "r-source-title")}
    by = f"![b]({base}/by.png)"
    common = {"occurred_at": "2016-09-13T12:00:00+03:00",
              "recorded_at": "2016-09-13T15:00:00+03:00", "by": by, "sources": [source]}
    return {"agreement": SYRIA, "records": [
        {**common, "commitment": "cessation-of-hostilities", "kind": "observation",
         "summary": payload(base, "summary")},
        {**common, "commitment": "seven-day-calm", "kind": "transition", "state": "breached",
         "reason": payload(base, "reason"), "occurred_at": "2016-09-14T12:00:00+03:00",
         "recorded_at": "2016-09-14T15:00:00+03:00"}]}


@pytest.fixture
def dashboard(tmp_path: Path, sink: tuple[str, list[str]]) -> Iterator[tuple[str, str, Path]]:
    """Return (URL, admin name, database file) of `tracker dashboard` on hostile data; its
    stderr goes to a file the tests read."""
    base, _ = sink
    db = tmp_path / "hostile.db"
    cli = Cli(f"sqlite:///{db}")
    cli.ok("init")
    seed, records = tmp_path / "hostile.yaml", tmp_path / "hostile.record.yaml"
    seed.write_text(yaml.safe_dump(hostile_seed(base), allow_unicode=True), encoding="utf-8")
    records.write_text(yaml.safe_dump(hostile_records(base), allow_unicode=True))
    cli.ok("load", str(seed), now="2016-09-10T12:00:00+03:00")
    cli.ok("forecast", f"{SYRIA}/truce-collapses", "0.7", "--by", f"![f]({base}/fc.png)",
           "--rationale", payload(base, "rationale"), now="2016-09-11T12:00:00+03:00")
    cli.ok("load", str(records), now="2016-09-15T12:00:00+03:00")
    admin = f"![u]({base}/user.png)"  # a user name with no space is a valid one
    env = {**os.environ, "TRACKER_DATABASE_URL": f"sqlite:///{db}", "TRACKER_NOW": NOW}
    tracker(env, "user", "add", admin, "--role", "admin", "--password-stdin",
            input=f"{PASSWORD}\n".encode())
    port = free_port()
    log = tmp_path / "dashboard.log"
    with log.open("wb") as err:
        process = subprocess.Popen([*TRACKER, "dashboard", "--port", str(port)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=err)
        try:
            wait_for_port(port, process)
            yield f"http://127.0.0.1:{port}", admin, log
        finally:
            process.terminate()
            process.wait(timeout=20)


PAGES = [
    (None, "Next deadlines"), ("Agreement", "Dependencies"), ("Commitment", "Update"),
    ("Alerts", "alert(s), newest first"), ("History", "As known at"),
    ("Scenarios", "Leaderboard"), ("Users", "Change a role"), ("Audit", "Only refused"),
]


def test_no_page_fetches_anything_outside_its_own_origin(
        dashboard: tuple[str, str, Path], sink: tuple[str, list[str]]) -> None:
    url, admin, _ = dashboard
    _, hits = sink
    with chromium_page() as page:
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(url)
        sign_in(page, admin, PASSWORD)
        for link, ready in PAGES:
            visit(page, link, page.get_by_text(ready).first)
            page.wait_for_timeout(1500)  # let images, charts and tooltips load if they would
            shot(page, f"outside-{(link or 'overview').lower()}", settle_ms=0)
    outside = [u for u in requested if not u.startswith((url, "data:", "blob:", "about:"))]
    assert outside == [] and hits == [], (outside, hits)


def test_a_page_that_breaks_shows_an_error_id_and_the_log_tells_the_rest(
        dashboard: tuple[str, str, Path]) -> None:
    url, admin, log = dashboard
    with chromium_page() as page:
        page.goto(url)
        sign_in(page, admin, PASSWORD)
        _break_the_alerts(log.parent / "hostile.db")
        visit(page, "Alerts", page.get_by_text("Something went wrong on this page").first)
        shown = page.locator("body").inner_text()
        shot(page, "error-id", settle_ms=500)
    error_id = shown.split("(error ", 1)[1].split(")", 1)[0]
    for secret in ("Traceback", "SELECT", "sqlite3", "site-packages", "/work/", ".py"):
        assert secret not in shown, secret
    logged = log.read_text(errors="replace")
    assert f"dashboard error {error_id}" in logged and "Traceback" in logged


def _break_the_alerts(db: Path) -> None:
    """Take the alert tables away under the running dashboard: its next Alerts page fails."""
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA foreign_keys=OFF")
        connection.execute("DROP TABLE delivery")
        connection.execute("DROP TABLE alert")


def test_a_nul_in_the_sign_in_name_gets_a_clear_refusal(dashboard: tuple[str, str, Path]) -> None:
    """The review's name was a\\x00b; Chromium may drop the NUL, so a zero-width space follows
    it: either way the name holds a character no user name has."""
    url, _, _ = dashboard
    with chromium_page() as page:
        page.goto(url)
        page.get_by_label("Name", exact=True).fill("a\u0000b\u200b")
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        alert = page.get_by_role("alert").first
        alert.wait_for()
        said = alert.inner_text()
    assert "Traceback" not in said and "SELECT" not in said
    assert "control character" in said or "invisible character" in said


def test_a_table_downloads_as_csv_with_formulas_neutralised(
        dashboard: tuple[str, str, Path]) -> None:
    url, admin, _ = dashboard
    with chromium_page() as page:
        page.goto(url)
        sign_in(page, admin, PASSWORD)
        visit(page, "Commitment", page.get_by_text("Update").first)
        page.get_by_label("Commitment", exact=True).click()
        page.get_by_role("option", name="seven-day-calm").click()
        page.get_by_text("=1+2").first.wait_for()
        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").last.click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
        # Streamlit's own export is off: its toolbar offers no download of the table
        assert page.get_by_role("button", name="Download as CSV").count() == 0
    rows = list(csv.reader(io.StringIO(text, newline="")))
    cells = [c for r in rows[1:] for c in r]
    assert any("=1+2" in c for c in cells)
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) or
               c.lstrip("+-").replace(".", "", 1).isdigit() for c in cells), cells
