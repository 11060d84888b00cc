"""Alert channels keep their secrets: one URL of each of 18 Apprise schemes, a URL that Apprise
cannot use and a Telegram token that used to crash every command; no secret part reaches info,
doctor, tick, the inbox, the delivery table, the scheduler's logs, the dashboard or an export.

No message leaves the machine: HTTP is answered by a stand-in that fails like a network that is
down (quoting the URL, as requests does), and any socket to another address than 127.0.0.1 is
refused."""

from __future__ import annotations

import io
import json
import logging
import socket
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import text

from tracker import logs, services
from tracker.scheduler import Scheduler
from tracker.store.db import engine_for

from ..conftest import SEEDS, SYRIA, Cli, app_at
from ..dashboard.helpers import page

LOADED, LATER = "2016-09-10T12:00:00+03:00", "2016-09-13T12:00:00+03:00"
# (URL, its secret parts): 18 schemes Apprise 2.3 knows. It has no msteams:// or xmpp:// any
# more; Teams is workflow:// (Power Automate), and Webex, Zulip, Mattermost and Pushed stand in.
USABLE = [
    ("mailto://ana:S3cretMailPw@example.org:1?smtp=127.0.0.1&to=a@b.example", ["S3cretMailPw"]),
    ("json://hook:J50nSecretTok@127.0.0.1:9/x", ["J50nSecretTok"]),
    ("tgram://123456789:AAHsecretTokenHalf0123456789abcdef/12345",
     ["123456789", "AAHsecretTokenHalf0123456789abcdef"]),
    ("slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/#general",
     ["T1JJ3T3L2", "A1BRTD4JD", "TIiajkdnlazkcOXrIdevi7FQ"]),
    ("discord://4174216298/JHMHI8qBe7bk2ZwO5U711o3dV_js", ["4174216298",
                                                           "JHMHI8qBe7bk2ZwO5U711o3dV_js"]),
    ("matrix://mxuser:MatrixPassw0rd@127.0.0.1:1/#room", ["MatrixPassw0rd"]),
    ("ntfy://ntfyuser:NtfyPassw0rd@127.0.0.1:1/topic", ["NtfyPassw0rd"]),
    ("pover://uQiRzpo4DXghDmr9QzzfQu27cmVRsG@azGDORePK8gMaC0QOYAMyEEuzJnyUi",
     ["uQiRzpo4DXghDmr9QzzfQu27cmVRsG", "azGDORePK8gMaC0QOYAMyEEuzJnyUi"]),
    ("prowl://1234567890abcdef1234567890abcdef12345678",
     ["1234567890abcdef1234567890abcdef12345678"]),
    ("pbul://o.gn5kj6nfhv736I7jC3cj0QLiiVVJ7Xyz", ["gn5kj6nfhv736I7jC3cj0QLiiVVJ7Xyz"]),
    ("join://abcdefghijklmnopqrstuvwxyz123456/group.all", ["abcdefghijklmnopqrstuvwxyz123456"]),
    ("workflow://127.0.0.1:1/a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6/SiGnAtUrEsecretvalue123456789abc",
     ["a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", "SiGnAtUrEsecretvalue123456789abc"]),
    ("rocket://rocketuser:RocketPassw0rd@127.0.0.1:1/#channel", ["RocketPassw0rd"]),
    ("gotify://127.0.0.1:1/AbCdEfGhIjKlMnO", ["AbCdEfGhIjKlMnO"]),
    ("mmost://127.0.0.1:1/3ccdd113474722377935511fc85d3dd4", ["3ccdd113474722377935511fc85d3dd4"]),
    ("zulip://botname@apprise/ZULIPtokensecret1234567890abcdef",
     ["ZULIPtokensecret1234567890abcdef"]),
    ("wxteams://WEBEXtokensecretvalue1234567890abcdefghijklmnopqrstuvwxyz0123",
     ["WEBEXtokensecretvalue1234567890abcdefghijklmnopqrstuvwxyz0123"]),
    ("pushed://appkey1234567890/appsecret1234567890abcdef",
     ["appkey1234567890", "appsecret1234567890abcdef"]),
]
REFUSED = [("nosuch://user:N0suchSecretPw@127.0.0.1/x", ["N0suchSecretPw"], "nosuch://"),
           ("tgram://broken:Br0kenTokenHalfXYZ", ["Br0kenTokenHalfXYZ"], "tgram://")]
SECRETS = [s for _, secrets in USABLE for s in secrets] + [s for _, ss, _ in REFUSED for s in ss]


def leaked(output: str) -> list[str]:
    """Return each secret any 8-character piece of which shows in `output`."""
    return [s for s in SECRETS if any(s[i:i + 8] in output for i in range(len(s) - 7))]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer every HTTP request as an unreachable network would, quoting its URL (secrets and
    all, as requests does), and refuse sockets to anything but 127.0.0.1. Return the URLs."""
    asked: list[str] = []

    def down(_adapter: Any, request: Any, **_: Any) -> Any:
        asked.append(request.url)
        raise requests.exceptions.ConnectionError(f"Max retries exceeded with url: {request.url}")

    real_connect = socket.socket.connect

    def loopback_only(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"test: no network beyond 127.0.0.1 ({address[0]})")
        return real_connect(sock, address)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", down)
    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    urls = ",".join([u for u, _ in USABLE] + [u for u, _, _ in REFUSED])
    monkeypatch.setenv("TRACKER_ALERT_URLS", urls)
    return asked


def test_no_secret_of_any_channel_reaches_any_output(migrated_url: str, tmp_path: Path,
                                                     offline: list[str]) -> None:
    cli = Cli(migrated_url)
    shown = [cli.ok("info"), cli("doctor", "--json").stdout,
             cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now=LOADED),
             cli.ok("tick", now=LATER)]
    assert offline, "the deliveries were attempted (and answered by the stand-in)"
    doctor = {c["name"]: c for c in json.loads(shown[1])["checks"]}["alerts"]
    assert doctor["status"] == "fail" and "entry 19 (nosuch://)" in doctor["detail"]
    assert "entry 20 (tgram://)" in shown[0]
    shown += [cli.ok("alerts", "--json", now=LATER), cli.ok("alerts", now=LATER)]
    with engine_for(migrated_url).connect() as connection:
        rows = connection.execute(text("SELECT channel, last_error FROM delivery")).all()
    assert len({channel for channel, _ in rows}) == len(USABLE)  # every usable one, none refused
    assert any(error for _, error in rows)
    shown.append(repr(rows))
    cli.ok("export", str(tmp_path / "all.json"))
    shown.append((tmp_path / "all.json").read_text())
    shown.append(_scheduler_logs(migrated_url))
    shown.append(_alerts_page(migrated_url))
    for output in shown:
        assert leaked(output) == [], output[:3000]


def _scheduler_logs(url: str) -> str:
    """Return what the scheduler logs when it starts and sweeps (deliveries retried meanwhile)."""
    stream = io.StringIO()
    handler = logs.configure("json", level="DEBUG", stream=stream)
    try:
        app = services.bootstrap(database_url=url, now="2016-09-14T12:00:00+03:00")
        scheduler = Scheduler(app, every_seconds=60)
        scheduler.check_channels()
        assert scheduler.leadership.acquire()
        report = scheduler.sweep()
        scheduler.leadership.release()
        assert report is not None and report.sent, "retries were due and sent (and failed)"
    finally:
        logging.getLogger().removeHandler(handler)
    return stream.getvalue()


def _alerts_page(url: str) -> str:
    at = page(app_at(url, LATER), "views/alerts.py")
    return "\n".join([str(e.value) for kind in ("markdown", "caption", "info", "error")
                      for e in getattr(at, kind)] + [d.value.to_csv() for d in at.dataframe])


def test_one_bad_channel_does_not_stop_a_command_or_the_others(
        migrated_url: str, offline: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The Telegram URL whose token looked like a port crashed everything with its secret."""
    monkeypatch.setenv("TRACKER_ALERT_URLS", f"{USABLE[2][0]},{REFUSED[0][0]},{USABLE[1][0]}")
    cli = Cli(migrated_url)
    for said in (cli.ok("load", str(SEEDS / f"{SYRIA}.yaml"), now=LOADED),
                 cli.ok("tick", now=LATER), cli.ok("info")):
        assert leaked(said) == []
    with engine_for(migrated_url).connect() as connection:
        channels = {c for (c,) in connection.execute(text("SELECT channel FROM delivery"))}
    assert {c.split("://")[0] for c in channels} == {"tgram", "json"}
