"""Alert benchmarks: one sweep's cost against the number of commitments, and the delay from a
deadline to its alert at a real receiver, through the real scheduler process."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

from tracker import services
from tracker.services.clock import fixed_clock
from tracker.store.db import dispose_all
from tracker.store.migrate import upgrade

PER_AGREEMENT = 100
T0 = datetime(2030, 1, 1, tzinfo=UTC)
UTC_INSTANT = re.compile(r"\((\d{4}-\d\d-\d\dT[\d:.]+Z)\)")


def run() -> None:
    print("\n== alerts: one sweep with 10 commitments due ==")
    with tempfile.TemporaryDirectory(prefix="tracker-alerts-bench-") as scratch:
        small = _sweep_seconds(Path(scratch), 1_000)
        large = _sweep_seconds(Path(scratch), 100_000)
    ratio = large / small
    verdict = "OK" if ratio < 2 else "MISSED"
    print(f"sweep, 100,000 commitments: {large * 1000:.1f} ms; baseline 1,000 commitments "
          f"{small * 1000:.1f} ms; ratio {ratio:.2f}x (target < 2x) {verdict}")
    print("\n== alerts: deadline to receiver, 100 deadlines, real scheduler ==")
    delays = _delays(100)
    p50, p99 = statistics.median(delays), statistics.quantiles(delays, n=100)[98]
    verdict = "OK" if p99 < 1 else "MISSED"
    print(f"delay p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, max {max(delays) * 1000:.0f}"
          f" ms over {len(delays)} alerts (target p99 < 1 s) {verdict}")


def _seed(index: int, due: list[datetime], announced: datetime = T0) -> dict[str, object]:
    """Return an agreement with one commitment per due instant."""
    return {
        "agreement": {"slug": f"bench-{index}", "title": f"Bench {index}", "timezone": "UTC",
                      "parties": ["a"], "announced_at": announced.isoformat()},
        "commitments": [{"slug": f"c{i}", "title": f"C{i}", "owed_by": ["a"],
                         "due": d.isoformat()} for i, d in enumerate(due)],
    }


def _sweep_seconds(scratch: Path, commitments: int) -> float:
    """Return the median time of one tick where 10 commitments (of `commitments`) fell due."""
    database = scratch / f"sweep-{commitments}.db"
    url = f"sqlite:///{database}"
    upgrade(url)
    far, soon = T0 + timedelta(days=365), T0 + timedelta(hours=1)
    paths = []
    for a in range(commitments // PER_AGREEMENT):
        due = [soon if a == 0 and i < 10 else far for i in range(PER_AGREEMENT)]
        path = scratch / f"seed-{commitments}-{a}.yaml"
        path.write_text(yaml.safe_dump(_seed(a, due)))
        paths.append(path)
    services.load(services.App(url, fixed_clock(T0)), paths)
    dispose_all()
    times = []
    for attempt in range(3):
        copy = scratch / f"sweep-{commitments}-{attempt}.db"
        shutil.copy(database, copy)
        app = services.App(f"sqlite:///{copy}", fixed_clock(soon + timedelta(seconds=1)))
        started = time.perf_counter()
        report = services.tick(app)
        times.append(time.perf_counter() - started)
        assert len(report.alerts) == 10, report.alerts
        dispose_all()
    return statistics.median(times)


class _Receiver:
    """A local webhook that notes when each alert arrived and the deadline it names."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.arrivals.append((time.time(), body.get("message", "")))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"json://127.0.0.1:{self.server.server_port}/hook"


def _delays(count: int) -> list[float]:
    """Return, per deadline, seconds from the due instant to the overdue alert's arrival."""
    receiver = _Receiver()
    with tempfile.TemporaryDirectory(prefix="tracker-delay-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'delay.db'}"
        upgrade(url)
        start = datetime.now(UTC) + timedelta(seconds=6)
        due = [start + timedelta(milliseconds=70 * i) for i in range(count)]
        seed = _seed(0, due, announced=datetime.now(UTC) - timedelta(hours=1))
        path = Path(scratch) / "delay.yaml"
        path.write_text(yaml.safe_dump(seed))
        services.load(services.App(url, fixed_clock(datetime.now(UTC))), [path])
        env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_ALERT_URLS": receiver.url}
        env.pop("TRACKER_NOW", None)
        process = subprocess.Popen([sys.executable, "-m", "tracker.cli", "scheduler"], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + (due[-1] - datetime.now(UTC)).total_seconds() + 20
            while len(receiver.arrivals) < count and time.time() < deadline:
                time.sleep(0.1)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=20)
            receiver.server.shutdown()
    return [arrived - datetime.fromisoformat(UTC_INSTANT.findall(message)[0]).timestamp()
            for arrived, message in receiver.arrivals if UTC_INSTANT.findall(message)]
