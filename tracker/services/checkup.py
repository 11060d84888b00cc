"""Use cases `doctor` and `health`: what is wrong with this installation, and what to do.

Each check is ok, warn (works, but look at it) or fail (something users rely on is broken);
only a failure makes the report unhealthy. Nothing is written and nothing is sent unless asked."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from sqlalchemy.engine import make_url

from ..alerts.channels import configured
from ..store import health as probe
from ..store.db import unit_of_work
from . import alerts as inbox  # the module: a bare test_channels would look like a test to pytest
from .app import App
from .audit_trail import verify_audit

Status = Literal["ok", "warn", "fail", "skipped"]


class Check(BaseModel):
    name: str
    status: Status
    detail: str
    fix: str = ""


class HealthReport(BaseModel):
    healthy: bool
    database: str  # the URL, password hidden
    checks: list[Check]


def doctor(app: App, *, send_test: bool = False) -> HealthReport:
    """Return every check: database, schema, scheduler, alert channels (sent to if asked)."""
    checks = _core(app)
    migrated = checks[1].status == "ok"
    checks.append(_channels(app, send_test=send_test, migrated=migrated))
    if migrated:
        checks.append(_audit_chains(app))
    return _report(app, checks)


def health(app: App, *, require_scheduler: bool = False) -> HealthReport:
    """Return the quick checks a supervisor polls: database, schema, scheduler leader."""
    checks = _core(app)
    if require_scheduler and checks[2].status == "warn":
        checks[2] = checks[2].model_copy(update={"status": "fail"})
    return _report(app, checks)


def _report(app: App, checks: list[Check]) -> HealthReport:
    url = make_url(app.database_url).render_as_string(hide_password=True)
    return HealthReport(healthy=all(c.status != "fail" for c in checks), database=url, checks=checks)


def _core(app: App) -> list[Check]:
    url = app.database_url
    down = probe.unreachable(url)
    if down is not None:
        skipped = "not checked: the database is unreachable"
        return [Check(name="database", status="fail", detail=down, fix=_reach_fix(url)),
                Check(name="schema", status="skipped", detail=skipped),
                Check(name="scheduler", status="skipped", detail=skipped)]
    return [Check(name="database", status="ok", detail="reachable"), _schema(url), _leader(url)]


def _reach_fix(url: str) -> str:
    if probe.sqlite_file(url) is not None:
        return "run `tracker init` to create it, or point TRACKER_DATABASE_URL at the right file"
    return "start the PostgreSQL server, or correct TRACKER_DATABASE_URL (host, port, user, db)"


def _schema(url: str) -> Check:
    from ..store.migrate import current_revision, head_revision  # Alembic is slow to import

    current, head = current_revision(url), head_revision(url)
    if current == head:
        return Check(name="schema", status="ok", detail=f"at head {head}")
    if current is None:
        return Check(name="schema", status="fail", detail="not initialised (no schema)",
                     fix="run `tracker init`")
    return Check(name="schema", status="fail", detail=f"at {current}, head is {head}",
                 fix=f"run `tracker init` to migrate to {head} (if {current} is newer than "
                 "this tracker knows, upgrade the tracker instead)")


def _leader(url: str) -> Check:
    try:
        holder = probe.scheduler_holder(url)
    except Exception as error:  # noqa: BLE001 - a probe that fails is a finding, not a crash
        return Check(name="scheduler", status="warn", detail=f"cannot tell: {error}")
    if holder is None:
        return Check(name="scheduler", status="warn", detail="no scheduler is active: deadlines "
                     "are neither swept nor alerted", fix="start one: `tracker scheduler` "
                     "(or `tracker up`)")
    return Check(name="scheduler", status="ok", detail=f"active scheduler: {holder}")


def _channels(app: App, *, send_test: bool, migrated: bool) -> Check:
    usable, refused = configured(app.alert_urls)
    channels = [c.name for c in usable]
    if refused:
        return Check(name="alerts", status="fail",
                     detail="; ".join([str(r) for r in refused] + channels),
                     fix="correct or remove the refused entries of TRACKER_ALERT_URLS; the "
                     "other channels still receive alerts")
    shown = ", ".join(channels) or "inbox only (TRACKER_ALERT_URLS is empty)"
    if send_test and channels:
        errors = [f"{name}: {error}" for name, error in inbox.test_channels(app) if error]
        if errors:
            return Check(name="alerts", status="fail", detail="; ".join(errors),
                         fix="check each failing URL in TRACKER_ALERT_URLS")
        shown += " (a test notice reached each)"
    failed = _failed(app) if migrated else 0
    if failed:
        return Check(name="alerts", status="warn", detail=f"{shown}; {failed} deliveries gave "
                     "up", fix="see `tracker alerts --all`, then check the channel")
    return Check(name="alerts", status="ok", detail=shown)


def _audit_chains(app: App) -> Check:
    report = verify_audit(app)
    if report.broken:
        return Check(name="audit", status="fail", detail=report.broken,
                     fix="the audit log was altered in the database: keep this database for "
                     "inquiry and compare it with your last backup (`tracker audit verify`)")
    return Check(name="audit", status="ok", detail=f"{report.rows} events in "
                 f"{len(report.chains)} hash chains, every chain holds")


def _failed(app: App) -> int:
    with unit_of_work(app.database_url, read_only=True) as session:
        return probe.failed_deliveries(session)


_TROUBLES = (
    (("readonly database", "read-only transaction", "read-only file system"),
     "{db} is read-only ({why}); nothing was changed: open it read-write (drop mode=ro from "
     "TRACKER_DATABASE_URL, make the file and its folder writable, or connect to the primary)"),
    (("database or disk is full", "no space left on device", "could not extend file"),
     "the disk holding {db} is full ({why}); nothing was changed: free some space and retry"),
    (("unable to open database file",),
     "cannot open {db} ({why}); check that the file and its folder exist and are accessible"),
    (("no schema has been selected",),
     "the schema that {db} names in options=-csearch_path does not exist ({why}); create it "
     "(CREATE SCHEMA name) or fix the URL, then run `tracker init`"),
)


def database_trouble(text: str, url: str | None = None) -> str | None:
    """Return a one-line explanation of a database failure users can act on, else None.

    >>> database_trouble("attempt to write a readonly database", "sqlite:///x.db")[:35]
    'database: sqlite:///x.db is read-on'
    """
    from ..config import Settings

    why = (text.strip().splitlines() or [""])[0]
    db = make_url(url or Settings().database_url).render_as_string(hide_password=True)
    for needles, message in _TROUBLES:
        if any(n in why.lower() for n in needles):
            return "database: " + message.format(db=db, why=why)
    return None
