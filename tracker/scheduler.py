"""The scheduler service: applies the clock periodically (the same `tick` the CLI runs).

Deadline alerts, the next-deadline job and leadership among several schedulers come with the
alerts work; today this keeps the stored projection current.
"""

from __future__ import annotations

import logging
import signal
from datetime import UTC, datetime
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler

from . import services

log = logging.getLogger("tracker.scheduler")


def sweep(app: services.App) -> int:
    """Return how many clock decisions one tick stored."""
    decisions = services.tick(app)
    for d in decisions:
        log.info("%s/%s -> %s at %s: %s", d.agreement, d.commitment, d.state, d.at, d.cause)
    return len(decisions)


def run(app: services.App, *, every_seconds: int) -> None:
    """Run sweeps every `every_seconds` until SIGTERM or SIGINT."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    scheduler = BlockingScheduler(timezone=UTC)
    # A late sweep is still worth running once: coalesce, and never drop it for lateness.
    scheduler.add_job(sweep, "interval", args=[app], seconds=every_seconds, coalesce=True,
                      misfire_grace_time=None, max_instances=1,
                      next_run_time=datetime.now(UTC), id="sweep")

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: stopping", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler started: sweep every %ss", every_seconds)
    scheduler.start()
