"""The scheduler service: the same `tick` as the CLI, run by a periodic sweep and by a one-off
job at the next instant anything is due; one active scheduler per database.

A watch job polls that instant (an index lookup) twice a second, so a change made by another
process (the CLI, a dashboard) moves the one-off job within half a second."""

from __future__ import annotations

import logging
import signal
import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.blocking import BlockingScheduler

from . import logs, services
from .alerts.channels import configured
from .leadership import Leadership, leadership_for
from .services.access import CLOCK, current_actor

log = logging.getLogger("tracker.scheduler")


class Scheduler:
    def __init__(self, app: services.App, *, every_seconds: int, poll_seconds: float = 0.5,
                 leadership: Leadership | None = None) -> None:
        self.app = app
        self.every = every_seconds
        self.poll = poll_seconds
        self.leadership = leadership or leadership_for(app.database_url)
        self.planned: datetime | None = None
        self.planned_id: str | None = None
        self.lock = threading.Lock()  # one sweep at a time
        self.planning = threading.Lock()
        # A late job still runs once: never dropped for lateness, coalesced if it piled up.
        self.scheduler = BlockingScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "misfire_grace_time": None, "max_instances": 1})

    def sweep(self) -> services.TickReport | None:
        """Return what one tick did, or None when another scheduler is the active one."""
        with self.lock:
            if not self.leadership.held():
                return None
            report = services.tick(self.app)
        self.plan()  # the next deadline may be a moment away: do not wait for the watch
        for d in report.decisions:
            log.info("%s/%s -> %s at %s", d.agreement, d.commitment, d.state, d.at)
        for s in report.sent:
            log.info("alert #%s to %s: %s", s.alert_id, s.channel, s.error or "sent")
        return report

    def watch(self) -> None:
        """Take over if the active scheduler is gone; move the one-off job to the next instant."""
        if not self.leadership.held():
            if not self.leadership.acquire():
                return
            log.info("this scheduler is now the active one")
            self.sweep()  # catch up on whatever fell due while no scheduler was active
        self.plan()

    def plan(self) -> None:
        """Put the one-off job at the next instant anything is due (if that moved, or if it
        is still due after its job ran: a failed sweep is tried again)."""
        with self.planning:
            due = services.next_due(self.app)
            now = datetime.now(UTC)
            if due is None or (due == self.planned and due > now):
                return
            if self.planned_id is not None:
                try:
                    self.scheduler.remove_job(self.planned_id)
                except JobLookupError:
                    pass  # it ran already
            # A fresh id each time: APScheduler removes a finished date job by its id.
            self.planned, self.planned_id = due, f"deadline-{due.isoformat()}-{now.timestamp()}"
            self.scheduler.add_job(self.sweep, "date", run_date=max(due, now),
                                   id=self.planned_id)

    def check_channels(self) -> None:
        """Log each alert URL Apprise cannot use (by position and scheme, never the URL)."""
        for problem in configured(self.app.alert_urls)[1]:
            log.warning("%s; the other channels still get alerts", problem)

    def run(self) -> None:
        """Run until SIGTERM or SIGINT; the first sweep catches up on what fell due meanwhile."""
        self.check_channels()
        if self.leadership.acquire():
            log.info("active scheduler: sweep every %ss", self.every)
        else:
            log.info("standby: another scheduler is active on this database")
        now = datetime.now(UTC)
        self.scheduler.add_job(self.sweep, "interval", seconds=self.every, id="sweep",
                               next_run_time=now)
        self.scheduler.add_job(self.watch, "interval", seconds=self.poll, id="watch",
                               next_run_time=now + timedelta(seconds=self.poll))

        def stop(signum: int, _frame: FrameType | None) -> None:
            log.info("signal %s: stopping", signum)
            self.scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            self.scheduler.start()
        finally:
            self.leadership.release()


def run(app: services.App, *, every_seconds: int) -> None:
    """Run the scheduler as the built-in identity `clock`, which may only tick and deliver.

    In team mode a clock override (TRACKER_NOW, --now) is refused here, at start, rather than
    at every sweep."""
    app = replace(app, identity=CLOCK)
    current_actor(app)
    logs.configure()  # TRACKER_LOG_FORMAT: human lines or JSON lines
    Scheduler(app, every_seconds=every_seconds).run()
