"""The wiring every entry point shares: where the database is and what time it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from ..config import Settings, get_settings
from .clock import Clock, clock_from, system_clock


@dataclass(frozen=True)
class App:
    """The database URL and the clock; the CLI, scheduler and dashboard each build one."""

    database_url: str
    clock: Clock = field(compare=False)
    alert_urls: str = ""
    reminder_grace: timedelta = timedelta(minutes=10)
    # Who acts, in team mode: a session's or CLI token's secret (see services.access).
    token: str | None = field(default=None, repr=False)
    origin: str = ""  # where requests come from, for the audit log: "cli ana@host", "dashboard …"
    session_lifetime: timedelta = timedelta(hours=12)
    # Sessions, sign-in attempts and audit events run on real time: `--now` replays the
    # agreement's history, it must not extend a token or date an audit event.
    wall_clock: Clock = field(default=system_clock, compare=False)
    # "--now" or "TRACKER_NOW" when one set the clock: refused in team mode (services.access).
    clock_override: str = ""
    # "clock" for the scheduler, which acts as that built-in identity in team mode.
    identity: str = ""


def bootstrap(settings: Settings | None = None, *, now: str | None = None,
              database_url: str | None = None, origin: str = "") -> App:
    """Return an App from the settings, with `now` (e.g. `--now`) overriding TRACKER_NOW."""
    settings = settings or get_settings()
    override = "--now" if now else "TRACKER_NOW" if settings.now else ""
    return App(database_url=database_url or settings.database_url,
               clock=clock_from(now or settings.now, field=override or "--now"),
               clock_override=override,
               alert_urls=settings.alert_urls,
               reminder_grace=timedelta(seconds=settings.reminder_grace_seconds),
               token=settings.token or None, origin=origin,
               session_lifetime=timedelta(hours=settings.session_hours))
