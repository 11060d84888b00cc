"""The real scheduler process and concurrent `tracker tick` processes, against real receivers.

These run on the real clock (a scheduler is a real-time service): deadlines are set a few
seconds ahead and the tests wait for the receiver, never for a fixed time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from tracker import services

from ..conftest import app_at
from ..receivers import Inbox, http_receiver

SLUG = "countdown"


def countdown_seed(tmp_path: Path, now: datetime) -> Path:
    """Write an agreement whose deadlines fall a few seconds from `now` (and one long past)."""
    def iso(seconds: float) -> str:
        return (now + timedelta(seconds=seconds)).isoformat()

    doc = {
        "agreement": {"slug": SLUG, "title": "Countdown", "timezone": "Europe/Zurich",
                      "parties": ["a"], "announced_at": iso(-3 * 3600)},
        "commitments": [
            {"slug": "early", "title": "Early", "owed_by": ["a"], "due": iso(4),
             "reminders": ["PT2S"]},
            {"slug": "late", "title": "Late", "owed_by": ["a"], "due": iso(9),
             "reminders": ["PT2S"]},
            {"slug": "missed", "title": "Missed while down", "owed_by": ["a"],
             "due": iso(-3600), "reminders": ["PT30M"]},
        ],
    }
    path = tmp_path / "countdown.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def env_for(url: str, alert_urls: str, now: str | None = None) -> dict[str, str]:
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_ALERT_URLS": alert_urls,
           "TRACKER_SWEEP_SECONDS": "60"}
    env.pop("TRACKER_NOW", None)
    if now:
        env["TRACKER_NOW"] = now
    return env


@contextmanager
def scheduler(url: str, alert_urls: str, log: Path | None = None,
              ) -> Iterator[subprocess.Popen[str]]:
    """Run `tracker scheduler`, its log in `log`; SIGTERM it at the end (if still alive)."""
    with open(log or os.devnull, "w") as sink:
        process = subprocess.Popen([sys.executable, "-m", "tracker.cli", "scheduler"],
                                   env=env_for(url, alert_urls), text=True, stdout=sink,
                                   stderr=sink)
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)


def load_countdown(url: str, tmp_path: Path, alert_urls: str) -> datetime:
    now = datetime.now(UTC)
    # Loaded two hours ago, before "missed" had its reminder (90 minutes ago) and fell due.
    two_hours_ago = replace(app_at(url, now - timedelta(hours=2)), alert_urls=alert_urls)
    services.load(two_hours_ago, [countdown_seed(tmp_path, now)])
    return now


def received(inbox: Inbox, kind: str, commitment: str) -> bool:
    return any(kind in t and f"{SLUG}/{commitment}" in t for t in inbox.texts)


def quiet(url: str) -> bool:
    """Return True when no delivery is being sent: a kill now cannot cut a send in half."""
    views = services.list_alerts(app_at(url, datetime.now(UTC)))
    return all(d.status != "sending" for v in views for d in v.deliveries)


def everything_arrived(url: str, inbox: Inbox) -> bool:
    views = services.list_alerts(app_at(url, datetime.now(UTC)))
    return {v.id for v in views if v.deliveries} <= set(inbox.alert_ids())


def assert_each_alert_once(url: str, inbox: Inbox) -> None:
    stored = [a.id for a in services.list_alerts(app_at(url, datetime.now(UTC)))
              if a.deliveries]
    counts = Counter(inbox.alert_ids())
    views = services.list_alerts(app_at(url, datetime.now(UTC)))
    assert sorted(counts) == sorted(stored), [(v.id, v.kind, v.commitment, v.deliveries)
                                              for v in views]
    assert set(counts.values()) == {1}


def test_scheduler_catches_up_alerts_on_time_and_survives_sigkill(migrated_url: str,
                                                                  tmp_path: Path) -> None:
    with http_receiver() as (hook, inbox):
        load_countdown(migrated_url, tmp_path, hook)
        with scheduler(migrated_url, hook) as first:
            # The start-up sweep: the overdue that fell while no scheduler ran, and one
            # catch-up notice for the reminder whose moment passed an hour ago.
            assert inbox.wait_for(lambda i: received(i, "overdue", "missed"))
            assert inbox.wait_for(lambda i: any("catch-up" in t for t in i.texts))
            assert inbox.wait_for(lambda i: received(i, "reminder", "early"))
            assert inbox.wait_for(lambda _: quiet(migrated_url))
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        with scheduler(migrated_url, hook):
            assert inbox.wait_for(lambda i: received(i, "overdue", "early"))
            assert inbox.wait_for(lambda i: received(i, "reminder", "late"))
            assert inbox.wait_for(lambda i: received(i, "overdue", "late"))
            assert inbox.wait_for(lambda i: everything_arrived(migrated_url, i))
    assert_each_alert_once(migrated_url, inbox)
    assert len(inbox.texts) == 6


def test_second_scheduler_on_one_sqlite_file_refuses_to_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.db'}"
    services.init_database(app_at(url, datetime.now(UTC)))
    lock = tmp_path / "one.db.scheduler.lock"
    with scheduler(url, "") as first:
        assert Inbox().wait_for(lambda _: lock.exists() and lock.read_text().strip() != "")
        second = subprocess.run([sys.executable, "-m", "tracker.cli", "scheduler"],
                                env=env_for(url, ""), text=True, capture_output=True,
                                timeout=60, check=False)
        assert second.returncode == 1
        assert f"another scheduler (pid {first.pid}) is running" in second.stderr


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_standby_scheduler_takes_over_on_postgresql(migrated_url: str, tmp_path: Path) -> None:
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    with http_receiver() as (hook, inbox):
        load_countdown(migrated_url, tmp_path, hook)
        with scheduler(migrated_url, hook, logs[0]) as first, \
                scheduler(migrated_url, hook, logs[1]) as second:
            assert inbox.wait_for(lambda _: all(
                "active scheduler" in log.read_text() or "standby" in log.read_text()
                for log in logs))  # both have started and know their role
            assert inbox.wait_for(lambda i: received(i, "reminder", "early"))
            active = first if "active scheduler" in logs[0].read_text() else second
            standby = logs[1] if active is first else logs[0]
            assert "standby" in standby.read_text()
            assert inbox.wait_for(lambda _: quiet(migrated_url))
            active.send_signal(signal.SIGKILL)
            active.wait(timeout=10)
            assert inbox.wait_for(lambda i: received(i, "overdue", "late"))
            assert inbox.wait_for(lambda i: everything_arrived(migrated_url, i))
            assert "now the active one" in standby.read_text()
    assert_each_alert_once(migrated_url, inbox)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_eight_ticks_at_once_store_and_deliver_each_alert_once(migrated_url: str) -> None:
    from ..conftest import SEEDS

    with http_receiver() as (hook, inbox):
        services.load(app_at(migrated_url, "2016-09-10T12:00:00+03:00"),
                      [SEEDS / "us-russia-syria-2016.yaml"])
        env = env_for(migrated_url, hook, now="2016-09-26T19:00:00+03:00")
        ticks = [subprocess.Popen([sys.executable, "-m", "tracker.cli", "tick"], env=env,
                                  text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(8)]
        results = [(t.wait(timeout=120), t.stderr.read() if t.stderr else "") for t in ticks]
        assert all(code == 0 for code, _ in results), results
    alerts = services.list_alerts(app_at(migrated_url, "2016-09-26T19:00:00+03:00"))
    keys = [(a.commitment, a.kind, a.rule, a.deadline) for a in alerts]
    assert len(keys) == len(set(keys)) and len(alerts) >= 5
    assert_each_alert_once(migrated_url, inbox)
