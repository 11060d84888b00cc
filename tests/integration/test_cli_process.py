"""The real `tracker` executable: exit codes, stderr, and an agreement other than Syria."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from ..conftest import SEEDS
from ..receivers import free_port

MOSCOW = "moscow-humanitarian-ceasefire-2020"


def tracker(url: str, *args: str, now: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_DATABASE_URL": url}
    env.pop("TRACKER_NOW", None)
    if now:
        env["TRACKER_NOW"] = now
    return subprocess.run([sys.executable, "-m", "tracker.cli", *args], env=env, text=True,
                          capture_output=True, timeout=120, check=False)


def test_a_new_user_loads_another_agreement_and_reads_its_status(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert tracker(url, "status").returncode == 1  # not initialised yet: said, not a traceback
    assert "run `tracker init`" in tracker(url, "status").stderr
    assert tracker(url, "init").returncode == 0
    loaded = tracker(url, "load", str(SEEDS / f"{MOSCOW}.yaml"),
                     str(SEEDS / f"{MOSCOW}.record.yaml"), now="2020-12-31T00:00:00Z")
    assert loaded.returncode == 0, loaded.stderr
    shown = tracker(url, "status", MOSCOW, now="2020-12-31T00:00:00Z")
    assert shown.returncode == 0 and "times in Asia/Baku" in shown.stdout
    data = json.loads(tracker(url, "status", MOSCOW, "--json", now="2020-12-31T00:00:00Z").stdout)
    assert data["agreement"] == MOSCOW and data["as_of"] == "2020-12-31T00:00:00Z"
    states = {c["slug"]: c["state"] for c in data["commitments"]}
    assert states["humanitarian-ceasefire"] == "breached"
    assert all(c["since"].endswith("Z") for c in data["commitments"])


def test_refusal_is_one_line_on_stderr_with_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    tracker(url, "init")
    result = tracker(url, "transition", "nope/x", "breached", "--occurred-at",
                     "2016-09-13T10:00:00+03:00", "--by", "m")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert result.stdout == ""


def test_info_hides_the_database_password_and_channel_secrets(tmp_path: Path) -> None:
    url = "postgresql+psycopg://tracker:s3cret@127.0.0.1:1/none"
    result = tracker(url, "info")
    assert "s3cret" not in result.stdout + result.stderr
    os.environ["TRACKER_ALERT_URLS"] = "json://hook:t0ken@127.0.0.1:9/x"
    try:
        shown = tracker(f"sqlite:///{tmp_path / 'i.db'}", "info")
    finally:
        del os.environ["TRACKER_ALERT_URLS"]
    assert "alert_channels: json://hook:****@127.0.0.1:9/x#" in shown.stdout
    assert "t0ken" not in shown.stdout + shown.stderr


def test_sigterm_to_up_stops_the_scheduler_and_the_dashboard_too(tmp_path: Path) -> None:
    """A supervisor stops `tracker up` with SIGTERM: no scheduler may be left holding the lock."""
    url = f"sqlite:///{tmp_path / 'up.db'}"
    assert tracker(url, "init").returncode == 0
    env = {**os.environ, "TRACKER_DATABASE_URL": url}
    up = subprocess.Popen([sys.executable, "-m", "tracker.cli", "up", "--port",
                           str(free_port())], env=env, text=True, stdout=subprocess.PIPE)
    try:
        assert up.stdout is not None and "dashboard:" in up.stdout.readline()
        children = subprocess.run(["pgrep", "-P", str(up.pid)], capture_output=True, text=True,
                                  check=False).stdout.split()
        assert len(children) == 2
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=60)
        for pid in children:  # each child has ended (and been reaped by `up`)
            assert not Path(f"/proc/{pid}").exists()
    finally:
        if up.poll() is None:
            up.kill()
